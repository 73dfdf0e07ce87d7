import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { MAX_TOKENS } from '../limits/operation-limits.js';
import { GATEWAY_VALIDATION_RULES } from '../limits/validation-rules.js';

/** The rules Apollo Server applies over HTTP: graphql-js's, then the gateway's own. */
const RULES = [...specifiedRules, ...GATEWAY_VALIDATION_RULES];

/**
 * Subscription texts parsed and validated once each. Every web client sends the same few
 * subscriptions, and graphql-ws keeps a subscription's document for as long as it runs: shared,
 * 10,000 sockets hold one document (its nodes, tokens and locations) instead of 10,000 copies of
 * about 2.5 KB each. graphql-js never mutates a document, so sharing one is safe. Bounded, least
 * recently used first out: a client sending ever-new texts only churns the cache.
 */
export class SubscriptionDocuments {
  private readonly valid = new Map<string, DocumentNode>();

  constructor(
    readonly schema: GraphQLSchema,
    private readonly maxEntries = 500,
  ) {}

  /** The document of this text, or why it is refused (coded as Apollo Server codes them over HTTP). */
  documentOf(query: string): DocumentNode | GraphQLError[] {
    const known = this.valid.get(query);
    if (known) {
      this.valid.delete(query);
      this.valid.set(query, known);
      return known;
    }
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: MAX_TOKENS });
    } catch (error) {
      return [
        coded(
          error instanceof GraphQLError ? error : new GraphQLError('Syntax error'),
          'GRAPHQL_PARSE_FAILED',
        ),
      ];
    }
    const invalid = validate(this.schema, document, RULES);
    if (invalid.length > 0) return invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED'));
    if (this.valid.size >= this.maxEntries) this.valid.delete(this.valid.keys().next().value!);
    this.valid.set(query, document);
    return document;
  }

  get size(): number {
    return this.valid.size;
  }
}

/** The codes Apollo Server gives the same errors over HTTP, so a client handles both alike. */
export const coded = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes ?? null, extensions: { ...error.extensions, code } });
