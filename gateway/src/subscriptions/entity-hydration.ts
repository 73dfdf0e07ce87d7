import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceMap } from '@apollo/gateway';
import {
  Kind,
  print,
  visit,
  type ASTNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { SubgraphStatusFailure } from '../http/subgraph-status-failure.js';
import { incomingOperationFetch, type GatewayRequestContext } from './gateway-request-context.js';
import type { LiveEntity } from './live-events.js';

/** Why an entity could not be loaded for a live payload: its code reaches the client. */
export class HydrationFailed extends Error {
  override name = 'HydrationFailed';
  constructor(
    /** FORBIDDEN (not the subscriber's to see), SUBGRAPH_UNAVAILABLE, or the subgraph's own code. */
    readonly code: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

export interface HydrationRequest {
  entity: LiveEntity;
  id: string;
  /** The subscriber's selection on the entity, and the fragments it spreads. */
  selection: SelectionSetNode;
  fragments: readonly FragmentDefinitionNode[];
  /**
   * The subscriber operation's variable definitions: those the selection uses are declared in the
   * `_entities` query and sent with the subscriber's values (`requestContext.request.variables`).
   */
  variableDefinitions: readonly VariableDefinitionNode[];
  /** The subscriber's request: its token goes to the subgraph, which checks visibility again. */
  requestContext: GatewayRequestContext;
}

// A subgraph restarting: retry a few times before telling the client (see docs/decisions/0006).
const RETRY_DELAYS_MS = [100, 400, 1_600];
/**
 * A subgraph's own "not now", whatever the HTTP status it came with (the data source passes coded
 * errors on as an answer's): its members' keys not loaded, its deadline for the request, its load
 * shedding. Retried like a subgraph away, then passed on with the subgraph's code.
 */
const NOT_NOW_CODES: ReadonlySet<string> = new Set([
  'SERVICE_UNAVAILABLE',
  'REQUEST_TIMEOUT',
  'SERVICE_BUSY',
]);

/**
 * Loads the entity a live event is about from the subgraph that owns it, with federation's
 * `_entities`, as the subscriber: one request per entity, retried while the subgraph cannot be
 * reached or answers "not now" (NOT_NOW_CODES). Any other refusal of its own is final (no retry) —
 * an error in its answer, or a 4xx status (it read the request and refused it: sending it again
 * cannot change that) — and an entity it
 * does not return is not the subscriber's to see.
 */
export class EntityHydration {
  constructor(
    private readonly services: ServiceMap,
    private readonly retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  async hydrate(request: HydrationRequest): Promise<Record<string, unknown>> {
    const { entity } = request;
    const service = this.services[entity.subgraph];
    if (!service) throw new HydrationFailed('SUBGRAPH_UNAVAILABLE', `no subgraph ${entity.subgraph}`);
    const used = variablesUsedBy([request.selection, ...request.fragments]);
    const declared = request.variableDefinitions.filter((definition) =>
      used.has(definition.variable.name.value),
    );
    const values = request.requestContext.request.variables ?? {};
    // A name the subscriber's own variables do not use (`$representations` is theirs to use too).
    let representations = 'representations';
    while (used.has(representations)) representations = `_${representations}`;
    const query = [
      `query LiveEntity($${representations}: [_Any!]!${declared.map((definition) => `, ${print(definition)}`).join('')}) { _entities(representations: $${representations}) { ... on ${entity.typename} ${print(request.selection)} } }`,
      ...request.fragments.map((fragment) => print(fragment)),
    ].join('\n');
    const variables: Record<string, unknown> = {
      ...Object.fromEntries(
        declared.flatMap(({ variable }) =>
          Object.hasOwn(values, variable.name.value)
            ? [[variable.name.value, values[variable.name.value]]]
            : [],
        ),
      ),
      [representations]: [{ __typename: entity.typename, id: request.id }],
    };
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await service.process(
          incomingOperationFetch({ query, variables }, request.requestContext),
        );
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal) throw new HydrationFailed(refusal.code, refusal.message, { cause: error });
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined)
          throw new HydrationFailed('SUBGRAPH_UNAVAILABLE', `${entity.subgraph} unreachable`, {
            cause: error,
          });
        await sleep(delay);
        continue;
      }
      const [refusal] = response.errors ?? [];
      if (refusal) {
        const code = refusal.extensions?.code;
        const delay = this.retryDelaysMs[attempt];
        if (typeof code === 'string' && NOT_NOW_CODES.has(code) && delay !== undefined) {
          await sleep(delay);
          continue;
        }
        throw new HydrationFailed(typeof code === 'string' ? code : 'SUBGRAPH_ERROR', refusal.message);
      }
      const found = (response.data as { _entities?: unknown[] } | undefined)?._entities?.[0];
      if (found === null || found === undefined || typeof found !== 'object')
        throw new HydrationFailed('FORBIDDEN', 'Not visible to you.');
      return found as Record<string, unknown>;
    }
  }
}

/** The operation variables a selection (and its fragments) uses: each must be declared, no other. */
export function variablesUsedBy(nodes: readonly ASTNode[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes)
    visit(node, {
      [Kind.VARIABLE]: (variable) => {
        names.add(variable.name.value);
      },
    });
  return names;
}

/**
 * 4xx statuses that say "not now" rather than "not this request": a timeout (our subgraphs' own 408
 * asks for the request again), a misdirected connection, too early, too many requests. Retried.
 */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 421, 425, 429]);

/**
 * A subgraph that answered the request with a 4xx status whose errors are not all coded (the data
 * source throws it as a SubgraphStatusFailure; coded errors come back as an answer's errors,
 * whatever the status, and are final): coded like an error in a 200 answer — the first code in
 * the body, else SUBGRAPH_ERROR. An uncoded 401 or 403 refused the gateway's own call, not the
 * subscriber (SubgraphStatusFailure says why): INTERNAL_SERVER_ERROR, as over HTTP, and final. A
 * 5xx, a retryable 4xx or no answer at all is the subgraph being away, and is retried.
 */
function refusalOf(error: unknown): { code: string; message: string } | undefined {
  if (!(error instanceof SubgraphStatusFailure)) return undefined;
  const { status, body } = error;
  if (status < 400 || status > 499 || RETRYABLE_CLIENT_STATUSES.has(status)) return undefined;
  if (status === 401 || status === 403) return { code: 'INTERNAL_SERVER_ERROR', message: error.message };
  const [first] =
    (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null)?.errors ?? [];
  const code = first?.extensions?.code;
  return {
    code: typeof code === 'string' ? code : 'SUBGRAPH_ERROR',
    message: typeof first?.message === 'string' ? `${error.message}: ${first.message}` : error.message,
  };
}
