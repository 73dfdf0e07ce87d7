import { print } from 'graphql';
import { graphql } from '../__generated__';
import type { Session } from './session';

const REFRESH_TOKEN = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      member {
        id
        nickname
      }
    }
  }
`);

/**
 * Rotates the token pair with a plain fetch, outside Apollo Client: the refresh must not pass
 * through the links that would try to refresh again.
 */
export function refreshSessionOver(url: string) {
  return async (refreshToken: string): Promise<Session> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(REFRESH_TOKEN), variables: { refreshToken } }),
    });
    const body = (await response.json()) as { data?: { refreshToken: Session } | null; errors?: unknown[] };
    if (!body.data?.refreshToken) throw new Error('The session could not be refreshed.');
    const { accessToken, accessTokenExpiresAt, refreshToken: next, member } = body.data.refreshToken;
    return {
      accessToken,
      accessTokenExpiresAt,
      refreshToken: next,
      member: { id: member.id, nickname: member.nickname },
    };
  };
}
