import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { subgraphs } from '../../../gateway/src/composition/subgraph-registry.js';
import { gatewayConfigSchema } from '../../../gateway/src/config.js';
import { memberConfigSchema } from '../../../subgraphs/member/src/config.js';
import { myPageConfigSchema } from '../../../subgraphs/mypage/src/config.js';
import { paymentConfigSchema } from '../../../subgraphs/payment/src/config.js';
import { productConfigSchema } from '../../../subgraphs/product/src/config.js';
import { purchaseConfigSchema } from '../../../subgraphs/purchase/src/config.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const repoPath = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

type ConfigSchema = z.ZodObject<z.ZodRawShape>;

/** One deployable process as the code defines it: its config schema and where it listens. */
export interface GajiProcess {
  name: string;
  schema: ConfigSchema;
  /** The PORT default of its config schema: where it listens unless told otherwise. */
  port: number;
  /** The environment variable naming its PostgreSQL database, if it keeps one. */
  databaseUrlVariable?: string;
}

const schemas: Record<(typeof subgraphs)[number]['name'], ConfigSchema> = {
  member: memberConfigSchema,
  product: productConfigSchema,
  purchase: purchaseConfigSchema,
  payment: paymentConfigSchema,
  mypage: myPageConfigSchema,
};

const portOf = (schema: ConfigSchema) => Number(z.parse(schema.shape.PORT!, undefined));

/** The gateway and every subgraph of the registry, in start order. */
export const processes: GajiProcess[] = [
  { name: 'gateway', schema: gatewayConfigSchema, port: portOf(gatewayConfigSchema) },
  ...subgraphs.map((subgraph) => ({
    name: subgraph.name,
    schema: schemas[subgraph.name],
    port: portOf(schemas[subgraph.name]),
    ...(subgraph.store === 'postgresql'
      ? { databaseUrlVariable: `${subgraph.name.toUpperCase()}_DATABASE_URL` }
      : {}),
  })),
];

export const processNamed = (name: string): GajiProcess => {
  const found = processes.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no Gaji process named ${name}`);
  return found;
};

/** Variables a process reads: its schema's keys, plus SERVICE, which the image's entry point reads. */
export const knownVariables = (process: GajiProcess): Set<string> =>
  new Set([...Object.keys(process.schema.shape), 'SERVICE']);
