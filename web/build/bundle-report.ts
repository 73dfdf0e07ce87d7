/**
 * Prints what a first visit downloads: the scripts the browser needs to show a route (the entry,
 * everything it imports statically, and the route's own chunk with its static imports), raw,
 * gzip -9 and Brotli 11 — the files the gateway actually sends. Run after a production build:
 *   npm run build -w web && npx tsx web/build/bundle-report.ts
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const dist = resolve(import.meta.dirname, '../dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;
const [entryKey] = Object.entries(manifest).find(([, chunk]) => chunk.isEntry) ?? [];
if (!entryKey) throw new Error('no entry in the manifest; build with build.manifest');

function closure(keys: string[], into = new Set<string>()): Set<string> {
  for (const key of keys) {
    if (into.has(key)) continue;
    into.add(key);
    closure(manifest[key]?.imports ?? [], into);
  }
  return into;
}

const sizes = (file: string) => {
  const content = readFileSync(join(dist, file));
  return {
    raw: content.length,
    gzip: gzipSync(content, { level: 9 }).length,
    brotli: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const routes: Record<string, string> = {
  market: 'src/market/market-page.tsx',
  product: 'src/product/product-page.tsx',
  'my-page': 'src/my-page/my-page.tsx',
  sell: 'src/sell/sell-page.tsx',
};
const shell = closure([entryKey]);
const total = (keys: Set<string>) =>
  [...keys]
    .map((key) => sizes(manifest[key]!.file))
    .reduce(
      (sum, size) => ({
        raw: sum.raw + size.raw,
        gzip: sum.gzip + size.gzip,
        brotli: sum.brotli + size.brotli,
      }),
      {
        raw: 0,
        gzip: 0,
        brotli: 0,
      },
    );

const entry = sizes(manifest[entryKey]!.file);
console.log(
  `entry script ${manifest[entryKey]!.file}: ${kb(entry.raw)} raw, ${kb(entry.gzip)} gzip, ${kb(entry.brotli)} br`,
);
for (const [name, source] of Object.entries(routes)) {
  const scripts = closure([source], new Set(shell));
  const sum = total(scripts);
  console.log(
    `first visit to ${name.padEnd(8)}: ${String(scripts.size).padStart(2)} scripts, ${kb(sum.raw)} raw, ${kb(sum.gzip)} gzip, ${kb(sum.brotli)} br`,
  );
}
