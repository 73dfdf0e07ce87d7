import { randomUUID } from 'node:crypto';
import { eventually, readStream } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REGISTER,
  registerVia,
  startProductRig,
  type ProductRig,
} from '../support/product-service.fixture.js';
import { matchesSearchWords, searchWords } from '@gaji/contracts/search-words';

const PRODUCT = `query Product($id: ID!) { product(id: $id) { id title status seller { id } } }`;
const DELETE = `mutation Delete($id: ID!) { deleteProduct(id: $id) }`;
const PRODUCTS = `query Products($filter: ProductFilter, $first: Int, $after: String) {
  products(filter: $filter, first: $first, after: $after) { edges { cursor node { id title status } } pageInfo { hasNextPage endCursor } }
}`;

interface Page {
  products: {
    edges: { cursor: string; node: { id: string; title: string; status: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('product GraphQL API over HTTP (real PostgreSQL, real JetStream)', () => {
  let rig: ProductRig;
  beforeAll(async () => {
    rig = await startProductRig('product_api');
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  const productCount = async () =>
    Number((await rig.sql<{ n: string }>('SELECT count(*) AS n FROM products'))[0]?.n);

  it('a signed-in member registers a product and anyone can read it back', async () => {
    const seller = randomUUID();
    const registered = await registerVia(rig, seller, {
      title: '  Gaji bicycle ',
      imageUrl: 'https://img.example/bike.jpg',
    });
    expect(registered).toMatchObject({
      title: 'Gaji bicycle',
      priceKrw: 120_000,
      imageUrl: 'https://img.example/bike.jpg',
      status: 'ON_SALE',
      seller: { id: seller },
    });
    expect(new Date(registered.registeredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const read = await rig.call(PRODUCT, { id: registered.id });
    expect(read.data).toEqual({
      product: { id: registered.id, title: 'Gaji bicycle', status: 'ON_SALE', seller: { id: seller } },
    });
  });

  it('registering publishes ProductRegistered to the stream, correlated by the product id', async () => {
    const seller = randomUUID();
    const product = await registerVia(rig, seller, { title: 'Desk lamp', description: '', priceKrw: 9_000 });
    const envelope = await eventuallyInStream(
      rig,
      (data) => data.type === 'ProductRegistered' && data.aggregateId === product.id,
    );
    expect(envelope.subject).toBe(`${rig.stream.subjectPrefix}.product.ProductRegistered.v1`);
    expect(envelope.data).toMatchObject({
      type: 'ProductRegistered',
      version: 1,
      aggregateType: 'Product',
      correlationId: product.id,
      causationId: null,
      payload: {
        productId: product.id,
        sellerId: seller,
        title: 'Desk lamp',
        description: '',
        priceKrw: 9_000,
        imageUrl: null,
      },
    });
  });

  it('answers a mutation only once the event it committed is on the stream: whoever is answered can already be pushed it', async () => {
    /** The aggregate of the newest event of `type` in the stream, read at once (no waiting). */
    const newest = async (type: string) => {
      const subject = `${rig.stream.subjectPrefix}.product.${type}.v1`;
      const message = await rig.bus.jsm.streams
        .getMessage(rig.stream.stream, { last_by_subj: subject })
        .catch(() => null);
      return message ? (message.json<{ aggregateId: string }>().aggregateId ?? null) : null;
    };
    const waits = async () => {
      const metrics = await (await fetch(rig.service.url.replace(/\/graphql$/, '/metrics'))).text();
      const count = (outcome: string) =>
        Number(
          new RegExp(`^gaji_answer_event_waits_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'm').exec(
            metrics,
          )?.[1] ?? 0,
        );
      return { published: count('published'), deadline: count('deadline'), relay_down: count('relay_down') };
    };
    const before = await waits();
    for (let i = 0; i < 5; i++) {
      const product = await registerVia(rig, randomUUID(), { title: `Answered after its event ${i}` });
      expect(await newest('ProductRegistered')).toBe(product.id);
      await rig.call(DELETE, { id: product.id }, product.sellerId);
      expect(await newest('ProductDeleted')).toBe(product.id);
    }
    // Each of those ten answers counted as having waited for, and seen, its published events.
    expect(await waits()).toEqual({ ...before, published: before.published + 10 });
  });

  it('registering or deleting without signing in is refused with UNAUTHENTICATED and changes nothing', async () => {
    const before = await productCount();
    const register = await rig.call(REGISTER, { input: { title: 'x', priceKrw: 1 } });
    expect(register.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const remove = await rig.call(DELETE, { id: randomUUID() });
    expect(remove.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await productCount()).toBe(before);
  });

  it('a forged token is refused with UNAUTHENTICATED, never treated as anonymous', async () => {
    const response = await fetch(rig.service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      body: JSON.stringify({ query: PRODUCT, variables: { id: randomUUID() } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['title', { title: '   ' }],
    ['title', { title: 'x'.repeat(101) }],
    ['description', { description: 'x'.repeat(2_001) }],
    ['description', { description: 'Red \u001b[31mbike' }],
    ['description', { description: 'bike\u0001'.repeat(400) }],
    ['description', { description: 'Barely \u202Eridden' }],
    ['priceKrw', { priceKrw: 0 }],
    ['priceKrw', { priceKrw: -1 }],
    ['priceKrw', { priceKrw: 1_000_000_001 }],
    ['imageUrl', { imageUrl: 'javascript:alert(1)' }],
    ['imageUrl', { imageUrl: `https://img.example/${'a'.repeat(2_048)}` }],
    ['imageUrl', { imageUrl: 'https://img.example/a\t.png' }],
    ['imageUrl', { imageUrl: 'https://img.example/a\u0001.png' }],
    ['title', { title: 'x'.repeat(5_000) }],
    // one character (a grapheme cluster) holding thousands of code points: 2 characters, 3,200 units
    ['title', { title: `a${'\u0301'.repeat(3_198)}b` }],
    ['title', { title: `\u1100\u1161${'\u11A8'.repeat(3_000)}` }],
    ['description', { description: `a${'\u0301'.repeat(200)}b` }],
    // a byte order mark is invisible, not a space to trim; private use and noncharacters mean nothing to others
    ['title', { title: '\uFEFF가지 자전거' }],
    ['title', { title: '가지\uFEFF자전거' }],
    ['title', { title: '\uE000\uE001' }],
    ['description', { description: 'Barely used\uFFFE' }],
    ['description', { description: '\u0378 bike' }],
  ])(
    'a bad %s is refused with BAD_USER_INPUT naming the field, and nothing is stored',
    async (field, input) => {
      const before = await productCount();
      const response = await rig.call(
        REGISTER,
        { input: { title: 'Gaji bicycle', priceKrw: 120_000, ...input } },
        randomUUID(),
      );
      expect(response.status).toBe(200);
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await productCount()).toBe(before);
    },
  );

  it('a description keeps its line breaks and tabs as typed, a CR LF folded into one line break', async () => {
    const response = await rig.call<{ registerProduct: { description: string } }>(
      REGISTER,
      { input: { title: 'Lamp', priceKrw: 1_000, description: 'Size\tM\r\nBarely used.\n\nNo box.' } },
      randomUUID(),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.registerProduct.description).toBe('Size\tM\nBarely used.\n\nNo box.');
  });

  // 👨‍👩‍👧‍👦 is one character to a person and to the title rule, and 11 UTF-16 units to a string length.
  const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';

  it('a description is counted in characters as a title is: 2,000 family emoji (22,000 UTF-16 units) are accepted, 2,001 refused naming the field', async () => {
    const described = (description: string) =>
      rig.call<{ registerProduct: { description: string } }>(
        REGISTER,
        { input: { title: 'Lamp', priceKrw: 1_000, description } },
        randomUUID(),
      );
    const accepted = await described(FAMILY.repeat(2_000));
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.registerProduct.description).toBe(FAMILY.repeat(2_000));
    const refused = await described(FAMILY.repeat(2_001));
    expect(refused.errors?.[0]).toMatchObject({
      message: 'Use at most 2000 characters.',
      extensions: { code: 'BAD_USER_INPUT', field: 'description' },
    });
  });

  it('a title of 100 family emoji — 100 characters, 1,100 UTF-16 units — is accepted as typed', async () => {
    const title = FAMILY.repeat(100);
    const response = await rig.call<{ registerProduct: { title: string } }>(
      REGISTER,
      { input: { title, priceKrw: 1_000 } },
      randomUUID(),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.registerProduct.title).toBe(title);
  });

  it.each(['https://user:pass@example.com/a.png', 'https://127.0.0.1:4001/.well-known/jwks.json'])(
    'a photo URL with a user name or on a private host is refused naming imageUrl, and stores nothing: %s',
    async (imageUrl) => {
      const before = await productCount();
      const response = await rig.call(
        REGISTER,
        { input: { title: 'Lamp', priceKrw: 1_000, imageUrl } },
        randomUUID(),
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'imageUrl' });
      expect(await productCount()).toBe(before);
    },
  );

  it('a photo URL is stored as browsers read it, so a backslash cannot show one host to browsers and another to other parsers', async () => {
    const registered = await registerVia(rig, randomUUID(), {
      title: 'Lamp',
      imageUrl: 'https://example.com\\@127.0.0.1/a.png',
    });
    expect(registered.imageUrl).toBe('https://example.com/@127.0.0.1/a.png');
    const [row] = await rig.sql<{ image_url: string }>('SELECT image_url FROM products WHERE id = $1', [
      registered.id,
    ]);
    expect(row?.image_url).toBe('https://example.com/@127.0.0.1/a.png');
  });

  it('a title of 101 family emoji is refused by the title rule, with its message and field, and stores nothing', async () => {
    const before = await productCount();
    const response = await rig.call(
      REGISTER,
      { input: { title: FAMILY.repeat(101), priceKrw: 1_000 } },
      randomUUID(),
    );
    expect(response.errors?.[0]).toMatchObject({
      message: 'Use 1 to 100 characters.',
      extensions: { code: 'BAD_USER_INPUT', field: 'title' },
    });
    expect(await productCount()).toBe(before);
  });

  it('an absurdly long title is refused by its size alone, before the title rule reads it', async () => {
    const response = await rig.call(
      REGISTER,
      { input: { title: 'a'.repeat(50_000), priceKrw: 1_000 } },
      randomUUID(),
    );
    expect(response.errors?.[0]?.message).toBe('title must be at most 100 characters.');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
  });

  it('a price beyond GraphQL Int is refused as bad input, not a server error', async () => {
    const response = await rig.call(
      REGISTER,
      { input: { title: 'Gaji bicycle', priceKrw: 3_000_000_000 } },
      randomUUID(),
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('the seller deletes their product: it disappears from queries and ProductDeleted is published', async () => {
    const seller = randomUUID();
    const product = await registerVia(rig, seller);
    const response = await rig.call(DELETE, { id: product.id }, seller);
    expect(response).toMatchObject({ data: { deleteProduct: true } });

    expect((await rig.call(PRODUCT, { id: product.id })).data).toEqual({ product: null });
    const listed = await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller } });
    expect(listed.data?.products.edges).toEqual([]);
    const [row] = await rig.sql<{ deleted_at: Date | null; deletion_reason: string }>(
      'SELECT deleted_at, deletion_reason FROM products WHERE id = $1',
      [product.id],
    );
    expect(row).toMatchObject({ deleted_at: expect.any(Date), deletion_reason: 'DELETED_BY_SELLER' });
    const event = await eventuallyInStream(
      rig,
      (data) => data.type === 'ProductDeleted' && data.aggregateId === product.id,
    );
    expect(event.data).toMatchObject({
      correlationId: product.id,
      payload: { productId: product.id, sellerId: seller, reason: 'DELETED_BY_SELLER' },
    });
  });

  it('deleting someone else’s product is refused with NOT_PRODUCT_OWNER and the product stays', async () => {
    const product = await registerVia(rig, randomUUID());
    const response = await rig.call(DELETE, { id: product.id }, randomUUID());
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_PRODUCT_OWNER');
    expect((await rig.call(PRODUCT, { id: product.id })).data).toMatchObject({ product: { id: product.id } });
  });

  it('deleting an unknown or already deleted product is refused with PRODUCT_NOT_FOUND', async () => {
    const seller = randomUUID();
    const product = await registerVia(rig, seller);
    await rig.call(DELETE, { id: product.id }, seller);
    for (const id of [product.id, randomUUID()]) {
      const response = await rig.call(DELETE, { id }, seller);
      expect(response.errors?.[0]?.extensions?.code).toBe('PRODUCT_NOT_FOUND');
    }
  });

  it('a malformed product id is bad input, in a query and in a mutation', async () => {
    const query = await rig.call(PRODUCT, { id: 'not-a-uuid' });
    expect(query.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const mutation = await rig.call(DELETE, { id: 'not-a-uuid' }, randomUUID());
    expect(mutation.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('pages through a seller’s products newest first with cursors', async () => {
    const seller = randomUUID();
    const titles = ['one', 'two', 'three', 'four', 'five'];
    for (const title of titles) await registerVia(rig, seller, { title });

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response: { data?: Page | null } = await rig.call<Page>(PRODUCTS, {
        filter: { sellerId: seller },
        first: 2,
        after,
      });
      const page: Page['products'] = response.data!.products;
      seen.push(...page.edges.map((edge) => edge.node.title));
      pages++;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([...titles].reverse());
    expect(pages).toBe(3);
  });

  it('searches title and description case-insensitively, taking % and _ literally', async () => {
    const seller = randomUUID();
    await registerVia(rig, seller, { title: 'Vintage CAMERA', description: 'Film' });
    await registerVia(rig, seller, { title: 'Tripod', description: 'Fits any camera' });
    await registerVia(rig, seller, { title: 'Mug', description: '100% ceramic' });
    await registerVia(rig, seller, { title: 'Plate', description: '1000 ceramic plates' });

    const search = async (text: string) =>
      (
        await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller, search: text } })
      ).data!.products.edges.map((edge) => edge.node.title);
    expect(await search('camera')).toEqual(['Tripod', 'Vintage CAMERA']);
    expect(await search('0%')).toEqual(['Mug']);
    expect(await search('1_0')).toEqual([]);
    expect(await search('\\')).toEqual([]);
  });

  it('finds every word of a search, in any order, with spaces ignored and Hangul in either form', async () => {
    const seller = randomUUID();
    await registerVia(rig, seller, { title: '아이폰 13 미니 128GB', description: '깨끗해요 직거래 가능' });
    await registerVia(rig, seller, { title: '아이패드 미니', description: '케이스 포함' });

    const search = async (text: string) =>
      (
        await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller, search: text } })
      ).data!.products.edges.map((edge) => edge.node.title);
    expect(await search('아이폰 미니')).toEqual(['아이폰 13 미니 128GB']);
    expect(await search('미니  아이폰')).toEqual(['아이폰 13 미니 128GB']);
    expect(await search('아이폰13')).toEqual(['아이폰 13 미니 128GB']); // typed without the seller's space
    expect(await search('미니 직거래')).toEqual(['아이폰 13 미니 128GB']); // one word in each field
    expect(await search('미니')).toEqual(['아이패드 미니', '아이폰 13 미니 128GB']);
    expect(await search('아이폰 케이스')).toEqual([]); // every word must be found
    expect(await search('아이폰 미니'.normalize('NFD'))).toEqual(['아이폰 13 미니 128GB']); // macOS jamo
  });

  it('ignores every kind of space in a listing as the in-memory rule does (no-break, ideographic, thin)', async () => {
    const seller = randomUUID();
    // Pasted from elsewhere: a no-break space, an ideographic (full-width) space, a narrow no-break space.
    const title = '갤럭시\u00a0S23\u3000울트라\u202f256GB';
    await registerVia(rig, seller, { title, description: '박스\u00a0포함' });
    const search = async (text: string) =>
      (
        await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller, search: text } })
      ).data!.products.edges.map((edge) => edge.node.title);
    expect(await search('갤럭시s23울트라256gb 박스포함')).toEqual([title]);
    expect(matchesSearchWords(searchWords('갤럭시s23울트라256gb 박스포함'), title, '박스\u00a0포함')).toBe(
      true,
    );
  });

  it('ignores characters that draw nothing on both sides: a pasted zero-width space or soft hyphen still finds, an emoji still finds itself', async () => {
    const seller = randomUUID();
    await registerVia(rig, seller, { title: '아이폰 13 미니', description: '직\u00ad거래 가능' });
    await registerVia(rig, seller, { title: '👨‍👩‍👧 가족 ❤️ 인형' });
    const search = async (text: string) =>
      (
        await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller, search: text } })
      ).data!.products.edges.map((edge) => edge.node.title);
    expect(await search('아이\u200b폰')).toEqual(['아이폰 13 미니']);
    expect(await search('아이폰\u2060 직거래')).toEqual(['아이폰 13 미니']);
    expect(await search('👨‍👩‍👧')).toEqual(['👨‍👩‍👧 가족 ❤️ 인형']);
    expect(await search('❤️인형')).toEqual(['👨‍👩‍👧 가족 ❤️ 인형']);
    expect(await search('❤인형')).toEqual(['👨‍👩‍👧 가족 ❤️ 인형']);
    // No word left: what no search lists (the web sends none for it, as for an empty box).
    expect(await search('\u200b\u2060 \u00ad')).toEqual(['👨‍👩‍👧 가족 ❤️ 인형', '아이폰 13 미니']);
  });

  it('a title typed as jamo (NFD, macOS) is stored as syllables (NFC), and a search typed either way finds both', async () => {
    const seller = randomUUID();
    const jamo = (text: string) => text.normalize('NFD');
    await registerVia(rig, seller, { title: jamo('가지 자전거'), description: jamo('거의 새것') });
    await registerVia(rig, seller, { title: '가지 책상', description: '튼튼해요' });
    const stored = await rig.sql<{ title: string; description: string }>(
      'SELECT title, description FROM products WHERE seller_id = $1 ORDER BY title',
      [seller],
    );
    expect(stored).toEqual([
      { title: '가지 자전거', description: '거의 새것' },
      { title: '가지 책상', description: '튼튼해요' },
    ]);

    const search = async (text: string) =>
      (
        await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller, search: text } })
      ).data!.products.edges.map((edge) => edge.node.title);
    expect(await search(jamo('가지'))).toEqual(['가지 책상', '가지 자전거']);
    expect(await search('자전거')).toEqual(['가지 자전거']);
    expect(await search(jamo('새것'))).toEqual(['가지 자전거']);
  });

  it('a search is measured as composed text (NFD Hangul counts as its syllables) and may have 8 different words', async () => {
    const seller = randomUUID();
    await registerVia(rig, seller, { title: '가'.repeat(100) });
    const found = async (search: string) =>
      await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller, search } });
    expect((await found('가'.repeat(100).normalize('NFD'))).data?.products.edges).toHaveLength(1);
    expect((await found('가 가 가 가 가 가 가 가 가 가')).data?.products.edges).toHaveLength(1); // one word, repeated
    expect((await found('가 가가 가가가 가가가가 가x5 가x6 가x7 가x8')).data?.products.edges).toHaveLength(0);
    expect((await found('가 가가 가가가 가가가가 가x5 가x6 가x7 가x8')).errors).toBeUndefined();
  });

  it('a search is counted in characters as a title is: a title of 100 emoji is found by a search of all of it', async () => {
    const seller = randomUUID();
    const title = '👨‍👩‍👧'.repeat(100); // 100 characters, 800 UTF-16 units
    await registerVia(rig, seller, { title });
    const response = await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller, search: title } });
    expect(response.errors).toBeUndefined();
    expect(response.data?.products.edges.map((edge) => edge.node.title)).toEqual([title]);
  });

  const LONG_SEARCH = 'filter.search must be at most 100 characters.';
  it.each([
    ['first', { first: 101 }, 'first must be at most 100.'],
    ['first', { first: 0 }, 'first must be at least 1.'],
    ['first', { first: -3 }, 'first must be at least 1.'],
    ['after', { after: 'bm90IGEgY3Vyc29y' }, undefined],
    ['filter.search', { filter: { search: 'x'.repeat(101) } }, LONG_SEARCH],
    ['filter.search', { filter: { search: '가'.repeat(101).normalize('NFD') } }, LONG_SEARCH],
    // A ninth word would be dropped, and with it the shopper's condition: refused, not ignored.
    [
      'filter.search',
      { filter: { search: 'a b c d e f g h i' } },
      'filter.search must have at most 8 different words.',
    ],
    ['filter.sellerId', { filter: { sellerId: 'abc' } }, 'filter.sellerId must be an id (a UUID).'],
  ])('listing with a bad %s is refused with BAD_USER_INPUT naming it', async (field, variables, message) => {
    const response = await rig.call(PRODUCTS, variables);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    if (message) expect(response.errors?.[0]?.message).toBe(message);
  });

  it('a member’s products are visible to anyone as a federated field, without deleted ones', async () => {
    const seller = randomUUID();
    const kept = await registerVia(rig, seller, { title: 'kept' });
    const gone = await registerVia(rig, seller, { title: 'gone' });
    await rig.call(DELETE, { id: gone.id }, seller);

    const response = await rig.call<{
      _entities: { id: string; products: { id: string; title: string }[] }[];
    }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { id products { id title } } } }`,
      { representations: [{ __typename: 'Member', id: seller }] },
    );
    expect(response.data?._entities).toEqual([{ id: seller, products: [{ id: kept.id, title: 'kept' }] }]);
  });

  it('resolves many product references in one SQL query, in order, null for unknown ids', async () => {
    const seller = randomUUID();
    const products = [];
    for (let i = 0; i < 5; i++) products.push(await registerVia(rig, seller, { title: `ref ${i}` }));
    const unknown = randomUUID();
    const ids = [
      products[3]!.id,
      unknown,
      products[0]!.id,
      products[4]!.id,
      products[1]!.id,
      products[2]!.id,
    ];

    rig.sqlLog.length = 0;
    const response = await rig.call<{ _entities: ({ id: string; title: string } | null)[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id title } } }`,
      { representations: ids.map((id) => ({ __typename: 'Product', id })) },
    );
    expect(response.data?._entities.map((entity) => entity?.id ?? null)).toEqual(
      ids.map((id) => (id === unknown ? null : id)),
    );
    const productQueries = rig.sqlLog.filter((sql) => /\bFROM\s+(?:"public"\.)?"?products\b/i.test(sql));
    expect(productQueries).toHaveLength(1);
  });

  it('resolves the products of many members in one SQL query', async () => {
    const sellers = [randomUUID(), randomUUID(), randomUUID()];
    for (const seller of sellers) await registerVia(rig, seller);

    rig.sqlLog.length = 0;
    const response = await rig.call<{ _entities: { id: string; products: { id: string }[] }[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { id products { id } } } }`,
      { representations: sellers.map((id) => ({ __typename: 'Member', id })) },
    );
    expect(response.data?._entities.map((member) => member.products.length)).toEqual([1, 1, 1]);
    expect(rig.sqlLog.filter((sql) => /\bFROM\s+(?:"public"\.)?"?products\b/i.test(sql))).toHaveLength(1);
  });

  it('gives each of many members only their newest `first` products, in one SQL query', async () => {
    const sellers = [randomUUID(), randomUUID()];
    for (const seller of sellers)
      for (const title of ['old', 'middle', 'new']) await registerVia(rig, seller, { title });

    rig.sqlLog.length = 0;
    const response = await rig.call<{ _entities: { products: { title: string }[] }[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { products(first: 2) { title } } } }`,
      { representations: sellers.map((id) => ({ __typename: 'Member', id })) },
    );
    expect(response.data?._entities.map((member) => member.products.map((p) => p.title))).toEqual([
      ['new', 'middle'],
      ['new', 'middle'],
    ]);
    expect(rig.sqlLog.filter((sql) => /\bFROM\s+(?:"public"\.)?"?products\b/i.test(sql))).toHaveLength(1);
    const tooMany = await rig.call(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { products(first: 101) { id } } } }`,
      { representations: [{ __typename: 'Member', id: sellers[0] }] },
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('finds a seller’s products by their id in any case, as product(id:) and buy read ids', async () => {
    const seller = randomUUID();
    const product = await registerVia(rig, seller, { title: 'found in any case' });

    const listed = await rig.call<Page>(PRODUCTS, { filter: { sellerId: seller.toUpperCase() } });
    expect(listed.data?.products.edges.map((edge) => edge.node.id)).toEqual([product.id]);
    const member = await rig.call<{ _entities: { products: { id: string }[] }[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { products { id } } } }`,
      { representations: [{ __typename: 'Member', id: seller.toUpperCase() }] },
    );
    expect(member.data?._entities[0]?.products.map((p) => p.id)).toEqual([product.id]);
  });

  it('a deleted product still resolves as a reference, so a past purchase keeps pointing at it', async () => {
    const seller = randomUUID();
    const product = await registerVia(rig, seller);
    await rig.call(DELETE, { id: product.id }, seller);
    const response = await rig.call<{ _entities: { id: string; deletedAt: string | null }[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id deletedAt } } }`,
      { representations: [{ __typename: 'Product', id: product.id }] },
    );
    expect(response.data?._entities[0]).toMatchObject({ id: product.id, deletedAt: expect.any(String) });
  });
});

async function eventuallyInStream(
  rig: ProductRig,
  match: (data: { type?: string; aggregateId?: string }) => boolean,
) {
  return eventually(async () => {
    const found = (await readStream(rig.stream.natsUrl, rig.stream.stream)).find((message) =>
      match(message.data as { type?: string; aggregateId?: string }),
    );
    if (!found) throw new Error('event not in the stream yet');
    return found as { subject: string; seq: number; data: Record<string, unknown> };
  });
}
