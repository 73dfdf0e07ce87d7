import { canonicalId } from '@gaji/platform/uuid';
import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { rootFields } from '../limits/root-fields.js';

/**
 * The fields whose value is the same for every caller: a product's public facts, its seller's
 * nickname, the market listing. Anything else (an email, a purchase, My Page) makes an operation
 * uncacheable, so an entry can be shared by every member without showing one member's data to
 * another. Listed by hand on purpose: a new field is private until someone decides otherwise.
 */
const PUBLIC_FIELDS: Record<string, readonly string[]> = {
  Query: ['products', 'product'],
  ProductConnection: ['edges', 'pageInfo'],
  ProductEdge: ['cursor', 'node'],
  PageInfo: ['hasNextPage', 'endCursor'],
  Product: [
    'id',
    'title',
    'description',
    'priceKrw',
    'imageUrl',
    'status',
    'registeredAt',
    'seller',
    'deletedAt',
  ],
  Member: ['id', 'nickname', 'products'],
};

/**
 * Mutations that only start, renew or end a session: they change nothing a public read shows, so
 * they leave the cache alone (clearing it on every log-in would empty it under ordinary traffic).
 */
const SESSION_MUTATIONS: readonly string[] = ['signUp', 'logIn', 'refreshToken', 'logOut'];

/** The type each public field leads to (only object-typed ones). */
const FIELD_TYPES: Record<string, string> = {
  'Query.products': 'ProductConnection',
  'Query.product': 'Product',
  'ProductConnection.edges': 'ProductEdge',
  'ProductConnection.pageInfo': 'PageInfo',
  'ProductEdge.node': 'Product',
  'Product.seller': 'Member',
  'Member.products': 'Product',
};

/** How an operation's cached answer is tagged, given its variables: or null when it must not be cached. */
export type CachePolicy = (variables: Record<string, unknown> | undefined) => string[] | null;

/** The response keys of a mutation's root fields that may write public data. */
export type PublicWrites = ReadonlySet<string>;

export interface OperationCaching {
  /** How to tag its answer, or null when it must not be cached. */
  policy: CachePolicy | null;
  /**
   * For a mutation that may change a public read, the response keys of its root fields that may
   * write, so that an answer showing one of them done clears the cache: cached answers may predate
   * it. False for anything else.
   */
  writes: PublicWrites | false;
}

/**
 * Reads an operation once (the caller keeps the result per operation text): whether its answer
 * may be cached and how to tag it, and whether it writes.
 */
export function cachingOf(source: string, operationName: string | undefined): OperationCaching {
  let document;
  try {
    document = parse(source, { maxTokens: 5_000 });
  } catch {
    return { policy: null, writes: false };
  }
  return cachingOfDocument(document, operationName);
}

/** `cachingOf` for a document already parsed. */
export function cachingOfDocument(
  document: DocumentNode,
  operationName: string | undefined,
): OperationCaching {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operations.length === 1 && !operationName
      ? operations[0]
      : operations.find((candidate) => candidate.name?.value === operationName);
  if (!operation) return { policy: null, writes: false };
  return { policy: cachePolicyOf(document, operation), writes: writesPublicData(document, operation) };
}

/**
 * The response keys of a mutation's root fields that may write public data: any but the session
 * ones and `__typename`, through fragments too (`mutation { ... on Mutation { __typename } }` writes
 * nothing either; counting any fragment as a write let anyone empty the cache with it).
 */
function writesPublicData(document: DocumentNode, operation: OperationDefinitionNode): PublicWrites | false {
  if (operation.operation !== 'mutation') return false;
  const keys = new Set<string>();
  for (const field of rootFields(document, operation)) {
    const name = field.name.value;
    if (name !== '__typename' && !SESSION_MUTATIONS.includes(name)) keys.add(field.alias?.value ?? name);
  }
  return keys.size > 0 ? keys : false;
}

/**
 * Decides whether
 * its answer may be shared: a single query operation over public fields only, no directives
 * (an @include could hide a private field behind a variable). Tags: `listing` for the market
 * listing and a seller's products, `product:<id>` for one product, `seller` for nicknames.
 */
function cachePolicyOf(document: DocumentNode, operation: OperationDefinitionNode): CachePolicy | null {
  if (operation.operation !== 'query' || operation.directives?.length) return null;
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const tags = new Set<string>();
  const productIds: ValueNode[] = [];
  // Each fragment is read once, however often it is spread: a document that spreads fragments
  // into each other doubles its size per level (2^30 fields in 30 lines), and reading it written
  // out would hang the gateway before the operation limits ever saw it. Tags are a set, so a
  // second spread of a fragment adds nothing; a cycle (invalid anyway) ends at the first repeat.
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode, type: string): boolean => {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.length) return false;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || fragment.typeCondition.name.value !== type) return false;
        if (visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        if (!visit(fragment.selectionSet, type)) return false;
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition && selection.typeCondition.name.value !== type) return false;
        if (!visit(selection.selectionSet, type)) return false;
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (!PUBLIC_FIELDS[type]?.includes(name)) return false;
      if (type === 'Query' && name === 'products') tags.add('listing');
      if (type === 'Member' && name === 'products') tags.add('listing');
      if (type === 'Member' && name === 'nickname') tags.add('seller');
      if (type === 'Query' && name === 'product') {
        const id = selection.arguments?.find((argument) => argument.name.value === 'id')?.value;
        if (!id) return false;
        productIds.push(id);
      }
      // Any product in the answer may be sold or deleted: a product page listens for its own id,
      // everything else for the listing's events, which every product event raises.
      const next = FIELD_TYPES[`${type}.${name}`];
      if (next === 'Product' && !(type === 'Query' && name === 'product')) tags.add('listing');
      if (selection.selectionSet) {
        if (!next || !visit(selection.selectionSet, next)) return false;
      }
    }
    return true;
  };
  if (!visit(operation.selectionSet, 'Query')) return null;
  const fixedTags = [...tags];
  return (variables) => {
    const ids: string[] = [];
    for (const value of productIds) {
      const id =
        value.kind === Kind.STRING
          ? value.value
          : value.kind === Kind.VARIABLE
            ? variables?.[value.name.value]
            : undefined;
      if (typeof id !== 'string') return null;
      ids.push(`product:${canonicalId(id)}`);
    }
    return [...fixedTags, ...ids];
  };
}
