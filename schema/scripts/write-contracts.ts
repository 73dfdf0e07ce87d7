/** npm run contracts — writes schema/events/*.json and schema/internal/*.json from the zod contracts (commit the result). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { contractDocuments, internalContractDocuments } from '../src/contract-documents.js';

for (const [folder, documents] of [
  ['events', contractDocuments()],
  ['internal', internalContractDocuments()],
] as const) {
  const directory = fileURLToPath(new URL(`../${folder}/`, import.meta.url));
  mkdirSync(directory, { recursive: true });
  for (const file of readdirSync(directory)) if (file.endsWith('.json')) rmSync(`${directory}${file}`);
  for (const [file, document] of Object.entries(documents)) {
    writeFileSync(`${directory}${file}`, `${JSON.stringify(document, null, 2)}\n`);
  }
  console.log(`wrote ${Object.keys(documents).length} contract documents to schema/${folder}/`);
}
