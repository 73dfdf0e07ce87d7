/** npm run contracts — writes schema/events/*.json from the zod contracts (commit the result). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { contractDocuments } from '../src/contract-documents.js';

const directory = fileURLToPath(new URL('../events/', import.meta.url));
mkdirSync(directory, { recursive: true });
for (const file of readdirSync(directory)) if (file.endsWith('.json')) rmSync(`${directory}${file}`);
for (const [file, document] of Object.entries(contractDocuments())) {
  writeFileSync(`${directory}${file}`, `${JSON.stringify(document, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(contractDocuments()).length} contract documents to schema/events/`);
