import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  SESSION_HEADER,
  sessionCookie,
  wantsCookieSession,
  type SessionCookieOptions,
} from './session-cookie.js';

/** The member mutations that answer a new refresh token (an AuthPayload). */
const SESSION_FIELDS = new Set(['signUp', 'logIn', 'refreshToken']);

/**
 * For a browser that asked for a cookie session (`X-Gaji-Session: cookie`), moves the refresh token
 * of a signUp / logIn / refreshToken answer into the HttpOnly session cookie and blanks it in the
 * body, so page scripts never hold it. The member subgraph never sees the browser's HTTP response,
 * so this happens here. Other clients (apps, tests) keep receiving the token in the body.
 */
export function sessionCookiePlugin(options: SessionCookieOptions): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      if (!wantsCookieSession(request.http?.headers.get(SESSION_HEADER))) return;
      return {
        async willSendResponse({ response, operation, document }) {
          if (response.body.kind !== 'single' || !operation || !document) return;
          const data = response.body.singleResult.data;
          if (!data) return;
          const fragments = fragmentsOf(document);
          for (const field of fieldsIn(operation.selectionSet, fragments)) {
            if (!SESSION_FIELDS.has(field.name.value)) continue;
            const payload = data[responseKey(field)] as Record<string, unknown> | null | undefined;
            const tokenKey = selectedKey(field, 'refreshToken', fragments);
            const token = payload && tokenKey ? payload[tokenKey] : undefined;
            if (!payload || !tokenKey || typeof token !== 'string' || token === '') continue;
            const expiresKey = selectedKey(field, 'refreshTokenExpiresAt', fragments);
            const expires = expiresKey ? payload[expiresKey] : undefined;
            response.http.headers.set(
              'set-cookie',
              sessionCookie(token, typeof expires === 'string' ? new Date(expires) : undefined, options),
            );
            payload[tokenKey] = '';
          }
        },
      };
    },
  };
}

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

const fragmentsOf = (document: DocumentNode): Fragments =>
  new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );

/** The fields of a selection set, through inline fragments and fragment spreads (web uses `...SignedIn`). */
function* fieldsIn(selectionSet: SelectionSetNode, fragments: Fragments, depth = 0): Generator<FieldNode> {
  if (depth > 8) return; // validated documents have no fragment cycles; this only bounds the walk
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      yield* fieldsIn(selection.selectionSet, fragments, depth + 1);
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) yield* fieldsIn(fragment.selectionSet, fragments, depth + 1);
    }
  }
}

const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** Where a sub-field of `field` is in the response (its alias, if the client gave one). */
function selectedKey(field: FieldNode, name: string, fragments: Fragments): string | undefined {
  if (!field.selectionSet) return undefined;
  for (const selected of fieldsIn(field.selectionSet, fragments))
    if (selected.name.value === name) return responseKey(selected);
  return undefined;
}
