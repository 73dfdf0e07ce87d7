import { ApolloError, type ServerError } from '@apollo/client';
import type { GraphQLFormattedError } from 'graphql';

/** The typed errors of a failed call, wherever Apollo put them (a 4xx answer is a "network" error). */
export function graphQLErrorsOf(error: unknown): readonly GraphQLFormattedError[] {
  if (!(error instanceof ApolloError)) return [];
  const fromBody = (error.networkError as Partial<ServerError> | null)?.result;
  const bodyErrors =
    typeof fromBody === 'object' && fromBody && 'errors' in fromBody
      ? (fromBody.errors as GraphQLFormattedError[])
      : [];
  return [...error.graphQLErrors, ...bodyErrors];
}

export const errorCode = (error: GraphQLFormattedError | undefined): string | undefined =>
  typeof error?.extensions?.code === 'string' ? error.extensions.code : undefined;

export function firstErrorWithCode(error: unknown, ...codes: string[]): GraphQLFormattedError | undefined {
  return graphQLErrorsOf(error).find((e) => codes.includes(errorCode(e) ?? ''));
}

/** Messages keyed by input field, from BAD_USER_INPUT (`extensions.field`, or `issues[]`). */
export function fieldErrorsOf(
  error: unknown,
  fieldOfCode: Record<string, string> = {},
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const e of graphQLErrorsOf(error)) {
    const code = errorCode(e);
    const issues = Array.isArray(e.extensions?.issues)
      ? (e.extensions.issues as { field?: unknown; message?: unknown }[])
      : [];
    for (const issue of issues) {
      if (typeof issue.field === 'string' && typeof issue.message === 'string')
        fields[lastSegment(issue.field)] ??= issue.message;
    }
    const field =
      typeof e.extensions?.field === 'string'
        ? lastSegment(e.extensions.field)
        : code
          ? fieldOfCode[code]
          : undefined;
    if (field) fields[field] ??= withoutFieldPrefix(e.message, field);
  }
  return fields;
}

const lastSegment = (path: string) => path.split('.').pop() ?? path;
const withoutFieldPrefix = (message: string, field: string) =>
  message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
