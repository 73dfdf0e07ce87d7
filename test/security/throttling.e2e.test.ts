import { randomBytes, randomUUID } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { bearer, graphql, type GraphQLResponse } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const LOG_IN = 'mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }';
const SIGN_UP =
  'mutation ($e: String!) { signUp(email: $e, password: "hunter22!", nickname: "Someone") { accessToken } }';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outcome = (answer: GraphQLResponse<unknown>) =>
  answer.errors
    ? `${answer.errors[0]?.extensions?.code}${answer.errors[0]?.extensions?.retryAfterSeconds === undefined ? '' : ` ${answer.errors[0]?.extensions?.retryAfterSeconds}`}`
    : 'OK';

/**
 * Attack 4 of issue 8: 300 wrong passwords in 21 s were all answered, 300 sign-ups from one
 * address all accepted, and nothing limited operations per member or address. Each case runs on a
 * gateway of its own with the real default limits (fresh counters), unless it says otherwise.
 */
describe('throttling (real PostgreSQL, real JetStream, real NATS key-value)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start('throttling');
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function memberCount(): Promise<number> {
    const client = new pg.Client({ connectionString: system.databases.member.url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM members');
    await client.end();
    return Number(rows[0]!.n);
  }

  const gatewayWithRealLimits = () => system.startGateway({}, { realRateLimits: true });

  it('backs off exponentially after 5 wrong passwords for one account, with RATE_LIMITED, retryAfterSeconds and HTTP 429', async () => {
    const gateway = await gatewayWithRealLimits();
    const victim = await Shopper.signUp(system.gatewayUrl, 'Victim');
    const guess = () => graphql(gateway.url, LOG_IN, { e: victim.email, p: 'wrong-password-1' });
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) outcomes.push(outcome(await guess()));
    expect(outcomes).toEqual([...Array(6).fill('INVALID_CREDENTIALS'), 'RATE_LIMITED 1']);

    const refused = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOG_IN, variables: { e: victim.email, p: 'x' } }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    // The right password is refused too while backing off: the limit is on the account.
    expect(outcome(await graphql(gateway.url, LOG_IN, { e: victim.email, p: 'hunter22!' }))).toBe(
      'RATE_LIMITED 1',
    );

    await sleep(1_100);
    expect(outcome(await guess())).toBe('INVALID_CREDENTIALS');
    expect(outcome(await guess())).toBe('RATE_LIMITED 2');
    await sleep(2_100);
    expect(outcome(await guess())).toBe('INVALID_CREDENTIALS');
    expect(outcome(await guess())).toBe('RATE_LIMITED 4');

    // Another account from the same address is unaffected; the owner gets in once the wait is over.
    const other = await Shopper.signUp(system.gatewayUrl, 'Other');
    expect(outcome(await graphql(gateway.url, LOG_IN, { e: other.email, p: 'hunter22!' }))).toBe('OK');
    await sleep(4_100);
    expect(outcome(await graphql(gateway.url, LOG_IN, { e: victim.email, p: 'hunter22!' }))).toBe('OK');
    expect(outcome(await guess())).toBe('INVALID_CREDENTIALS'); // a success forgives the account
  });

  it('a burst of 50 parallel guesses, or 20 log-ins aliased into one document, gets no more than the free ones', async () => {
    const gateway = await gatewayWithRealLimits();
    const victim = await Shopper.signUp(system.gatewayUrl, 'Burst');
    const burst = await Promise.all(
      Array.from({ length: 50 }, () =>
        graphql(gateway.url, LOG_IN, { e: victim.email, p: 'wrong-password-1' }),
      ),
    );
    expect(burst.filter((answer) => outcome(answer) === 'INVALID_CREDENTIALS').length).toBeLessThanOrEqual(6);

    const aliased = await Shopper.signUp(system.gatewayUrl, 'Aliased');
    const document = `mutation { ${Array.from(
      { length: 20 },
      (_, i) => `a${i}: logIn(email: "${aliased.email}", password: "wrong-${i}") { accessToken }`,
    ).join(' ')} }`;
    const answer = await graphql(gateway.url, document);
    expect(outcome(answer)).toMatch(/^RATE_LIMITED/);
    expect(answer.data ?? null).toBeNull(); // the whole document is refused: not one password was tried
  });

  it("counts a guess against the account it names however the email is written: a variable's default, a block string, or another case", async () => {
    const gateway = await gatewayWithRealLimits();
    const victim = await Shopper.signUp(system.gatewayUrl, 'Defaults');
    const attacker = await Shopper.signUp(system.gatewayUrl, 'Attacker');
    // The outside check's bypass: the victim's email as an operation default (variables not sent)
    // was counted against an empty account key, and the attacker's own log-in written the same way
    // forgave that key, so guesses went on until the per-address limit.
    const byDefault = (email: string, password: string) =>
      graphql(
        gateway.url,
        `mutation ($e: String! = ${JSON.stringify(email)}, $p: String! = ${JSON.stringify(password)}) { logIn(email: $e, password: $p) { accessToken } }`,
      );
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(outcome(await byDefault(victim.email, `guess-${i}`)));
      expect(outcome(await byDefault(attacker.email, 'hunter22!'))).toBe('OK');
    }
    outcomes.push(
      outcome(
        await graphql(
          gateway.url,
          `mutation { logIn(email: """${victim.email}""", password: "guess-4") { accessToken } }`,
        ),
      ),
    );
    outcomes.push(
      outcome(await graphql(gateway.url, LOG_IN, { e: ` ${victim.email.toUpperCase()} `, p: 'guess-5' })),
    );
    outcomes.push(outcome(await byDefault(victim.email, 'guess-6')));
    expect(outcomes).toEqual([...Array(6).fill('INVALID_CREDENTIALS'), 'RATE_LIMITED 1']);
  });

  it('backs off an address after 30 failed log-ins across accounts', async () => {
    const gateway = await gatewayWithRealLimits();
    const outcomes: string[] = [];
    for (let i = 0; i < 32; i++)
      outcomes.push(
        outcome(await graphql(gateway.url, LOG_IN, { e: `nobody-${i}@example.com`, p: 'guess' })),
      );
    expect(outcomes.slice(0, 31)).toEqual(Array(31).fill('INVALID_CREDENTIALS'));
    expect(outcomes[31]).toBe('RATE_LIMITED 1');
  });

  it('accepts 20 sign-ups an hour from one address and refuses the 21st, storing nothing for it', async () => {
    const gateway = await gatewayWithRealLimits();
    const before = await memberCount();
    const outcomes: string[] = [];
    for (let i = 0; i < 21; i++)
      outcomes.push(outcome(await graphql(gateway.url, SIGN_UP, { e: `${randomUUID()}@example.com` })));
    expect(outcomes.slice(0, 20)).toEqual(Array(20).fill('OK'));
    expect(outcomes[20]).toMatch(/^RATE_LIMITED \d+$/);
    expect(Number(outcomes[20]!.split(' ')[1])).toBeGreaterThan(3_000); // the hour is not over
    expect(await memberCount()).toBe(before + 20);
  });

  it('limits one address to 1,200 operations a minute and one member to 600, wherever they come from', async () => {
    const gateway = await gatewayWithRealLimits();
    const answers = [];
    for (let batch = 0; batch < 24; batch++)
      answers.push(
        ...(await Promise.all(Array.from({ length: 50 }, () => graphql(gateway.url, '{ __typename }')))),
      );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1_200);
    const over = await graphql(gateway.url, '{ __typename }');
    expect(over.status).toBe(429);
    expect(outcome(over)).toMatch(/^RATE_LIMITED \d+$/);

    const member = await Shopper.signUp(system.gatewayUrl, 'Busy');
    const perMember = await gatewayWithRealLimits();
    const memberAnswers = [];
    for (let batch = 0; batch < 12; batch++)
      memberAnswers.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, () =>
            graphql(perMember.url, '{ __typename }', {}, bearer(member.token)),
          ),
        )),
      );
    expect(memberAnswers.filter((answer) => !answer.errors)).toHaveLength(600);
    expect(outcome(await graphql(perMember.url, '{ __typename }', {}, bearer(member.token)))).toMatch(
      /^RATE_LIMITED/,
    );
    expect(outcome(await graphql(perMember.url, '{ __typename }'))).toBe('OK'); // anonymous, same address: its own budget
  });

  it('two gateways sharing a NATS key-value bucket hold one limit between them', async () => {
    const bucket = `test_limits_${randomBytes(4).toString('hex')}`;
    const shared = {
      RATE_LIMIT_STORE: 'nats',
      RATE_LIMIT_BUCKET: bucket,
      RATE_LIMIT_SIGNUPS_PER_ADDRESS_PER_HOUR: '3',
      RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ACCOUNT: '2',
    };
    const [a, b] = [await system.startGateway(shared), await system.startGateway(shared)];
    try {
      const signUps = [];
      for (const gateway of [a, b, a, b])
        signUps.push(outcome(await graphql(gateway.url, SIGN_UP, { e: `${randomUUID()}@example.com` })));
      expect(signUps).toEqual(['OK', 'OK', 'OK', expect.stringMatching(/^RATE_LIMITED/)]);

      const victim = await Shopper.signUp(system.gatewayUrl, 'Shared');
      const guesses = [];
      for (const gateway of [a, b, a, b])
        guesses.push(outcome(await graphql(gateway.url, LOG_IN, { e: victim.email, p: 'wrong-password-1' })));
      expect(guesses).toEqual([
        'INVALID_CREDENTIALS',
        'INVALID_CREDENTIALS',
        'INVALID_CREDENTIALS',
        'RATE_LIMITED 1',
      ]);
    } finally {
      const nc = await connect({ servers: system.natsUrl });
      await (await new Kvm(nc).open(bucket)).destroy().catch(() => undefined);
      await nc.close();
    }
  });
});
