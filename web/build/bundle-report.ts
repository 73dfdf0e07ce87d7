/**
 * Prints what a first visit to each route downloads (see first-visit.ts). Run after a production build:
 *   npm run build -w web && npx tsx web/build/bundle-report.ts
 */
import { resolve } from 'node:path';
import { firstVisits } from './first-visit';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const { entry, routes } = firstVisits(resolve(import.meta.dirname, '../dist'));
console.log(
  `entry script ${entry.file}: ${kb(entry.raw)} raw, ${kb(entry.gzip)} gzip, ${kb(entry.brotli)} br`,
);
for (const { name, scripts, size } of routes)
  console.log(
    `first visit to ${name.padEnd(8)}: ${String(scripts).padStart(2)} scripts, ${kb(size.raw)} raw, ${kb(size.gzip)} gzip, ${kb(size.brotli)} br`,
  );
