/** One sample of Prometheus's text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses what `GET /metrics` answers (comments skipped; label values unescaped enough for ours). */
export function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [
          key!,
          value!,
        ]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** Fetches a service's `/metrics` (its GraphQL URL with the path swapped) and parses it. */
export async function scrape(graphqlUrl: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'), { headers });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return parseExposition(await response.text());
}

/** The value of the one sample with this name whose labels include `labels`; undefined if none. */
export function valueOf(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const matching = samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  return matching.length === 0 ? undefined : matching.reduce((sum, sample) => sum + sample.value, 0);
}
