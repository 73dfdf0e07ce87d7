/**
 * A subgraph's answer with a status outside 2xx that the data source cannot pass on as a GraphQL
 * answer: no errors that all carry the subgraph's code, nor a proxy's "away" (502/503/504, which is
 * SubgraphUnreachable). Not a GraphQLError, and nothing of it in `extensions`: its status and body
 * are the subgraph's raw answer, for our logs and for the live entity loader's retry rule, never
 * for a client, who is told INTERNAL_SERVER_ERROR by the error formatter.
 *
 * 401 and 403 included. The gateway verified the member's token before it called the subgraph, and
 * our subgraphs refuse a token with a coded error (UNAUTHENTICATED, FORBIDDEN) that is passed on as
 * it is; an uncoded 401/403 is a proxy or a service-identity check refusing the gateway's own call
 * — a configuration fault of ours, which no action of the member mends. Passed on as UNAUTHENTICATED,
 * it made the web client refresh the session and a session refresh clear the member's cookie.
 */
export class SubgraphStatusFailure extends Error {
  override name = 'SubgraphStatusFailure';
  constructor(
    readonly subgraph: string,
    readonly status: number,
    /** The body as parsed JSON, or its text when it is not JSON. */
    readonly body: unknown,
  ) {
    super(`subgraph ${subgraph} answered ${status}`);
  }
}
