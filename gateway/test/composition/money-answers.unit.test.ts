import {
  buildSchema,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../src/composition/compose-supergraph.js';

/** The mutations that move money: their answer must say what happened to the money. */
const MONEY_MUTATIONS = ['buy', 'cancelPurchase'];

const graphArgument = (directive: ConstDirectiveNode) => {
  const graph = directive.arguments?.find((argument) => argument.name.value === 'graph')?.value;
  return graph?.kind === Kind.ENUM ? graph.value : undefined;
};

const graphsOf = (directives: readonly ConstDirectiveNode[] | undefined, name: string) =>
  (directives ?? [])
    .filter((directive) => directive.name.value === name)
    .map(graphArgument)
    .filter((graph) => graph !== undefined);

/** The subgraphs that resolve a field: its @join__field graphs, or else every graph of its type. */
function resolvedIn(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string[] {
  const own = graphsOf(field.astNode?.directives, 'join__field');
  return own.length > 0 ? own : graphsOf(type.astNode?.directives, 'join__type');
}

/** A null here bubbles up to the parent: the field is non-null, and so is every list level inside. */
function nullBubbles(type: GraphQLOutputType): boolean {
  if (!isNonNullType(type)) return false;
  return isListType(type.ofType) ? nullBubbles(type.ofType.ofType) : true;
}

/**
 * Every path from a money mutation, through non-null fields only, to a field that another subgraph
 * resolves: a failure there (refused, or its subgraph down) would null the mutation's whole answer
 * while the money had moved.
 */
export function nonNullChainsToOtherSubgraphs(schema: GraphQLSchema): string[] {
  const mutation = schema.getMutationType();
  const chains: string[] = [];
  for (const name of MONEY_MUTATIONS) {
    const root = mutation?.getFields()[name];
    if (!mutation || !root) throw new Error(`no mutation ${name} in the supergraph`);
    const [owner] = resolvedIn(mutation, root);
    const seen = new Set<string>();
    const walk = (type: GraphQLObjectType, path: string) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) {
        if (!nullBubbles(field.type)) continue;
        const at = `${path}.${field.name}`;
        if (!resolvedIn(type, field).includes(owner!)) chains.push(at);
        else {
          const named = getNamedType(field.type);
          if (isObjectType(named)) walk(named, at);
        }
      }
    };
    if (!nullBubbles(root.type)) continue; // a nullable root field stops every failure beneath it
    const named = getNamedType(root.type);
    if (isObjectType(named)) walk(named, name);
  }
  return chains;
}

describe('the supergraph keeps a money mutation’s answer apart from other subgraphs’ failures', () => {
  const supergraph = composeSupergraph();

  it('no chain of non-null fields leads from buy or cancelPurchase to a field another subgraph resolves', () => {
    expect(nonNullChainsToOtherSubgraphs(buildSchema(supergraph))).toEqual([]);
  });

  it('every field on Purchase that another subgraph resolves, or whose entity another subgraph fills in, is nullable', () => {
    const schema = buildSchema(supergraph);
    const purchase = schema.getType('Purchase') as GraphQLObjectType;
    const crossing = Object.values(purchase.getFields()).filter((field) => {
      const named = getNamedType(field.type);
      const fromElsewhere = !resolvedIn(purchase, field).includes('PURCHASE');
      const entityFromElsewhere =
        isObjectType(named) &&
        Object.values(named.getFields()).some((inner) => !resolvedIn(named, inner).includes('PURCHASE'));
      return fromElsewhere || entityFromElsewhere;
    });
    expect(crossing.map((field) => field.name).sort()).toEqual(['buyer', 'payment', 'product', 'seller']);
    for (const field of crossing) expect(isNonNullType(field.type), `Purchase.${field.name}`).toBe(false);
  });

  it('the check finds the chain when a reference on Purchase is made non-null again', () => {
    const regressed = supergraph.replace(
      'product: Product @join__field(graph: PURCHASE)',
      'product: Product! @join__field(graph: PURCHASE)',
    );
    expect(regressed).not.toBe(supergraph);
    expect(nonNullChainsToOtherSubgraphs(buildSchema(regressed))).toEqual(
      expect.arrayContaining(['buy.product.title', 'cancelPurchase.product.title']),
    );
  });
});
