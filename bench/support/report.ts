import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

/** One line of the bench table: a measured figure beside its baseline and its target. */
export interface BenchRow {
  benchmark: string;
  measure: string;
  ours: number;
  /** The other side of the comparison, measured in the same run; absent for absolute figures. */
  baseline?: number;
  baselineName?: string;
  /** ours / baseline (or baseline / ours when lower is better). */
  ratio?: number;
  target: string;
  /** Whether the target was met; null for a row with no target (`report`: a figure only). */
  met: boolean | null;
  /** How far apart the repeated runs were, e.g. "±6%". */
  noise?: string;
  unit: string;
}

export interface BenchSection {
  rows: BenchRow[];
  commands: string[];
  notes: string[];
}

const format = (value: number | undefined, unit = '') =>
  value === undefined || Number.isNaN(value)
    ? '–'
    : `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}${unit}`;

export function tableOf(rows: BenchRow[]): string {
  const header = '| benchmark | measure | ours | baseline | ratio | target | met | noise |';
  const rule = '|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (row) =>
      `| ${row.benchmark} | ${row.measure} (${row.unit}) | ${format(row.ours)} | ${
        row.baseline === undefined ? '–' : `${format(row.baseline)} (${row.baselineName})`
      } | ${row.ratio === undefined ? '–' : `${row.ratio.toFixed(2)}×`} | ${row.target} | ${row.met === null ? '—' : row.met ? 'yes' : 'NO'} | ${row.noise ?? '–'} |`,
  );
  return [header, rule, ...lines].join('\n');
}

/** Writes bench/results/<date>.{md,json} and returns the markdown. */
export function writeResults(sections: BenchSection[], startedAt: Date, invocation: string): string {
  const rows = sections.flatMap((section) => section.rows);
  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    quick: process.env.BENCH_QUICK === '1',
  };
  const commands = [invocation, ...sections.flatMap((section) => section.commands)];
  const notes = sections.flatMap((section) => section.notes);
  const markdown = [
    `# npm run bench — ${startedAt.toISOString()}`,
    '',
    `${machine.cores} cores (${machine.cpu}), Node ${machine.node}${machine.quick ? ', BENCH_QUICK=1 (short runs)' : ''}.`,
    '',
    tableOf(rows),
    '',
    '## Commands',
    ...commands.map((command) => `- \`${command}\``),
    '',
    '## Notes',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  const directory = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(directory, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:]/g, '-').replace(/\..+$/, '');
  writeFileSync(`${directory}${stamp}.md`, markdown);
  writeFileSync(
    `${directory}${stamp}.json`,
    `${JSON.stringify({ startedAt, machine, commands, rows, notes }, null, 2)}\n`,
  );
  return markdown;
}
