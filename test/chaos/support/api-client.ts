import { randomUUID } from 'node:crypto';

/** What a client saw: data, or the code it was given (a GraphQL code, HTTP_<status> or NETWORK_ERROR). */
export interface ApiAnswer<T> {
  data?: T;
  code?: string;
  /** When the answer says to try again later (SERVICE_BUSY, SERVICE_UNAVAILABLE, ...): after this long. */
  retryAfterSeconds?: number;
}

/**
 * A client of the public API as an app would be: one request, a time limit, an `Idempotency-Key`
 * when the caller has one. Never throws: a refused connection is an answer (NETWORK_ERROR) too.
 */
export async function callApi<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  options: { token?: string; idempotencyKey?: string; timeoutMs?: number } = {},
): Promise<ApiAnswer<T>> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const body = (await response.json().catch(() => null)) as {
      data?: T | null;
      errors?: { extensions?: { code?: string; retryAfterSeconds?: unknown } }[];
    } | null;
    if (!body) return { code: `HTTP_${response.status}` };
    if (body.errors?.length) {
      const extensions = body.errors[0]?.extensions;
      const retryAfterSeconds = extensions?.retryAfterSeconds;
      return {
        code: extensions?.code ?? `HTTP_${response.status}`,
        ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
      };
    }
    if (!body.data) return { code: `HTTP_${response.status}` };
    return { data: body.data };
  } catch (error) {
    return { code: (error as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'NETWORK_ERROR' };
  }
}

/** A member with a token, signed up through the gateway (retried: the system may be healing). */
export interface Member {
  id: string;
  token: string;
}

export async function signUp(url: string, nickname: string): Promise<Member> {
  for (let attempt = 0; ; attempt++) {
    const answer = await callApi<{ signUp: { accessToken: string; member: { id: string } } }>(
      url,
      'mutation ($email: String!, $nickname: String!) { signUp(email: $email, password: "hunter22!", nickname: $nickname) { accessToken member { id } } }',
      { email: `${randomUUID()}@example.com`, nickname },
    );
    if (answer.data) return { id: answer.data.signUp.member.id, token: answer.data.signUp.accessToken };
    if (attempt >= 20) throw new Error(`sign-up failed: ${answer.code}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export const BUY = 'mutation ($id: ID!) { buy(productId: $id) { id status } }';
export const CANCEL = 'mutation ($id: ID!) { cancelPurchase(id: $id) { id status } }';
export const REGISTER = 'mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }';
