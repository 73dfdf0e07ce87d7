/**
 * What a first visit downloads: the scripts the browser needs to show a route (the entry,
 * everything it imports statically, and the route's own chunk with its static imports), raw,
 * gzip -9 and Brotli 11 — the files the gateway actually sends. Read from a production build's
 * manifest (build.manifest). Used by bundle-report.ts and by the bundle budget test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}

/** The routes a visitor can land on first, by their page module. */
export const ROUTES: Record<string, string> = {
  market: 'src/market/market-page.tsx',
  product: 'src/product/product-page.tsx',
  'my-page': 'src/my-page/my-page.tsx',
  sell: 'src/sell/sell-page.tsx',
};

export function firstVisits(dist: string): {
  entry: { file: string } & Size;
  routes: { name: string; scripts: number; size: Size }[];
} {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const [entryKey] = Object.entries(manifest).find(([, chunk]) => chunk.isEntry) ?? [];
  if (!entryKey) throw new Error('no entry in the manifest; build with build.manifest');

  const closure = (keys: string[], into = new Set<string>()): Set<string> => {
    for (const key of keys) {
      if (into.has(key)) continue;
      into.add(key);
      closure(manifest[key]?.imports ?? [], into);
    }
    return into;
  };
  const sizeOf = (file: string): Size => {
    const content = readFileSync(join(dist, file));
    return {
      raw: content.length,
      gzip: gzipSync(content, { level: 9 }).length,
      brotli: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  const shell = closure([entryKey]);
  return {
    entry: { file: manifest[entryKey]!.file, ...sizeOf(manifest[entryKey]!.file) },
    routes: Object.entries(ROUTES).map(([name, source]) => {
      if (!manifest[source]) throw new Error(`${source} is not a chunk of this build`);
      const scripts = closure([source], new Set(shell));
      const size = [...scripts]
        .map((key) => sizeOf(manifest[key]!.file))
        .reduce(
          (sum, one) => ({
            raw: sum.raw + one.raw,
            gzip: sum.gzip + one.gzip,
            brotli: sum.brotli + one.brotli,
          }),
          { raw: 0, gzip: 0, brotli: 0 },
        );
      return { name, scripts: scripts.size, size };
    }),
  };
}
