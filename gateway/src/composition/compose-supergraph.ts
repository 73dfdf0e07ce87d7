import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { sdlPath, subgraphs, supergraphPath } from './subgraph-registry.js';

/**
 * Composes the subgraph SDLs into schema/supergraph.graphql (committed, so a reviewer sees
 * every change to the public API). With --check it only verifies that the committed file is
 * what composition produces now, and fails when it is stale or the subgraphs do not compose.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.defaultUrl,
      typeDefs: parse(readFileSync(sdlPath(subgraph.sdl), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(
      `the subgraphs do not compose:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`,
    );
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  const supergraph = composeSupergraph();
  if (!check) {
    writeFileSync(supergraphPath, supergraph);
    console.log(`wrote ${supergraphPath}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(supergraphPath, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== supergraph) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit the result.');
    process.exit(1);
  }
  console.log('supergraph is up to date');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  try {
    main();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
