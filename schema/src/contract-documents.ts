import { z } from 'zod';
import { eventEnvelopeSchema } from './envelope.js';
import { eventContracts, type EventType } from './events/index.js';

/**
 * Every event contract as a JSON Schema document, keyed by file name (`<Type>.v<N>.json`). These
 * are committed under schema/events/ so that a change to any payload shows up in review, and a
 * test fails when the code and the committed documents disagree: change a payload compatibly
 * (add an optional field) and regenerate, or incompatibly and publish a new version.
 */
export function contractDocuments(): Record<string, unknown> {
  const documents: Record<string, unknown> = { 'envelope.json': z.toJSONSchema(eventEnvelopeSchema) };
  for (const type of Object.keys(eventContracts) as EventType[]) {
    const contract = eventContracts[type];
    documents[`${type}.v${contract.version}.json`] = {
      title: type,
      description: `${type} v${contract.version}, published by the ${contract.context} context on <prefix>.${contract.context}.${type}.v${contract.version}`,
      aggregateType: contract.aggregateType,
      payload: z.toJSONSchema(contract.payload),
    };
  }
  return documents;
}
