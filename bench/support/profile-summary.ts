/**
 * npx tsx bench/support/profile-summary.ts <file.cpuprofile> — where a CPU profile's time went:
 * by service (the nearest subgraph or gateway frame on the stack, else "shared"), and the top
 * self-time buckets (a package under node_modules, our own package, or a V8/Node category).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

function bucketOf({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const ours = /\/(subgraphs\/[^/]+|gateway|packages\/[^/]+|test|bench)\//.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}
function serviceOf(id: number): string {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const match = /\/(subgraphs\/[^/]+|gateway)\//.exec(byId.get(at)!.callFrame.url);
    if (match) return match[1]!;
  }
  return 'shared (no service frame on the stack)';
}

const self = new Map<string, number>();
const services = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  const node = byId.get(id)!;
  if (node.callFrame.functionName === '(idle)') return;
  total += delta;
  const bucket = bucketOf(node.callFrame);
  self.set(bucket, (self.get(bucket) ?? 0) + delta);
  const service = serviceOf(id);
  services.set(service, (services.get(service) ?? 0) + delta);
});
const table = (title: string, entries: Map<string, number>, top: number) =>
  [
    `| ${title} | ms | share |`,
    '|---|---|---|',
    ...[...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `| ${name} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)}% |`),
  ].join('\n');
console.log(`busy ${(total / 1000).toFixed(0)} ms\n`);
console.log(table('service (nearest frame on the stack)', services, 10));
console.log();
console.log(table('self time', self, 20));
