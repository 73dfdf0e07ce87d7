import { GraphQLError, getOperationAST, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/**
 * The operation a request names. A document with several operations and no `operationName`, or
 * naming one it does not contain, is the client's mistake: 400 OPERATION_RESOLUTION_FAILURE, the
 * code Apollo Server itself uses for it (the gateway would otherwise fail with a 500).
 */
export function operationOf(
  document: DocumentNode,
  operationName: string | undefined,
): OperationDefinitionNode | GraphQLError {
  const operation = getOperationAST(document, operationName);
  if (operation) return operation;
  return new GraphQLError(
    operationName
      ? `The document has no operation named "${operationName}".`
      : 'The document has several operations: say which one to run with operationName.',
    { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
  );
}
