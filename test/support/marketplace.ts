import { randomUUID } from 'node:crypto';
import { bearer, graphql, type GraphQLResponse } from '@gaji/testkit';

/** A member driving the public API through the gateway, as a client app would. */
export class Shopper {
  private constructor(
    private readonly url: string,
    readonly id: string,
    readonly token: string,
    readonly email: string,
  ) {}

  static async signUp(gatewayUrl: string, nickname = 'Shopper'): Promise<Shopper> {
    const email = `${randomUUID()}@example.com`;
    const result = await graphql<{ signUp: { accessToken: string; member: { id: string } } }>(
      gatewayUrl,
      'mutation ($email: String!, $nickname: String!) { signUp(email: $email, password: "hunter22!", nickname: $nickname) { accessToken member { id } } }',
      { email, nickname },
    );
    if (!result.data) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
    return new Shopper(gatewayUrl, result.data.signUp.member.id, result.data.signUp.accessToken, email);
  }

  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>> {
    return graphql<T>(this.url, query, variables, bearer(this.token));
  }

  async register(input: { title?: string; priceKrw?: number; description?: string } = {}): Promise<string> {
    const result = await this.gql<{ registerProduct: { id: string } }>(
      'mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }',
      {
        input: {
          title: input.title ?? 'Road bike',
          description: input.description ?? 'Barely used',
          priceKrw: input.priceKrw ?? 120_000,
        },
      },
    );
    if (!result.data) throw new Error(`register failed: ${JSON.stringify(result.errors)}`);
    return result.data.registerProduct.id;
  }

  /** With `idempotencyKey`, a retry of the same intent answers the first outcome. */
  buy(productId: string, options: { idempotencyKey?: string } = {}) {
    return this.gql<{ buy: { id: string; status: string; priceKrw: number } }>(
      'mutation ($id: ID!, $key: String) { buy(productId: $id, idempotencyKey: $key) { id status priceKrw } }',
      { id: productId, key: options.idempotencyKey ?? null },
    );
  }

  cancel(purchaseId: string) {
    return this.gql<{ cancelPurchase: { id: string; status: string } }>(
      'mutation ($id: ID!) { cancelPurchase(id: $id) { id status } }',
      { id: purchaseId },
    );
  }

  async productStatus(productId: string): Promise<string | null> {
    const result = await this.gql<{ product: { status: string } | null }>(
      'query ($id: ID!) { product(id: $id) { status } }',
      { id: productId },
    );
    return result.data?.product?.status ?? null;
  }
}

export const codeOf = (result: GraphQLResponse<unknown>) => result.errors?.[0]?.extensions?.code;
