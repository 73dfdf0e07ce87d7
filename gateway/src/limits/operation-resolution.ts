import { GraphQLError, getOperationAST, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/**
 * The operation a request names. A document with several operations and no `operationName`, or
 * naming one it does not contain (`""` included), is the client's mistake: 400 OPERATION_RESOLUTION_FAILURE, the
 * code Apollo Server itself uses for it (the gateway would otherwise fail with a 500).
 */
export function operationOf(
  document: DocumentNode,
  operationName: string | undefined,
): OperationDefinitionNode | GraphQLError {
  const operation = getOperationAST(document, operationName);
  if (operation) return operation;
  // `""` is a name, as Apollo Server reads it (`Unknown operation named ""`), never the absence of
  // one: no operation can be named "", so it is refused even in a one-operation document.
  return new GraphQLError(
    operationName !== undefined
      ? `The document has no operation named "${operationName}".`
      : 'The document has several operations: say which one to run with operationName.',
    { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
  );
}
