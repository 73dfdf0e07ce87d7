import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { checkSignUp } from '../src/auth/credential-checks';
import { checkSellForm } from '../src/sell/sell-checks';

// The message key stands in for its text: what matters here is which fields are refused.
const t = ((key: string) => key) as unknown as TFunction;
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};
const sell = (title: string) => checkSellForm(form({ title, description: '', priceKrw: '1000' }), t);
const signUp = (nickname: string) =>
  checkSignUp(form({ email: 'a@b.co', password: 'password1', nickname }), t);

describe('the sell form refuses the photo links the server refuses', () => {
  const photo = (imageUrl: string) =>
    checkSellForm(form({ title: 'Lamp', description: '', priceKrw: '1000', imageUrl }), t);

  it('refuses a link with a user name or password, or to localhost, a private, loopback, link-local or site-local address, or an internal name', () => {
    for (const imageUrl of [
      'https://user:pass@example.com/a.png',
      'https://user@example.com/a.png',
      'https://127.0.0.1:4001/.well-known/jwks.json',
      'https://localhost/a.png',
      'https://10.0.0.1/a.png',
      'https://172.20.1.1/a.png',
      'https://192.168.0.10/a.png',
      'https://169.254.169.254/a.png',
      'https://0x7f.1/a.png',
      'https://[::1]/a.png',
      'https://[fe80::1]/a.png',
      'https://[fd00::1]/a.png',
      'https://[::ffff:10.0.0.1]/a.png',
      'https://router/a.png',
      'https://metadata.google.internal/a.png',
      'https://printer.local/a.png',
      'https://[fec0::1]/a.png',
      'https://[::ffff:0:7f00:1]/a.png',
    ])
      expect(photo(imageUrl), imageUrl).toEqual({ imageUrl: 'form.field.imageUrl' });
  });

  it('refuses a link with a control character or a space inside it, as the server does', () => {
    for (const imageUrl of [
      'https://img.example/a\t.png',
      'https://img.example/a\u0001.png',
      'https://img.example/a b.png',
    ])
      expect(photo(imageUrl), JSON.stringify(imageUrl)).toEqual({ imageUrl: 'form.field.imageUrl' });
  });

  it('takes a link to a public host', () => {
    for (const imageUrl of [
      'https://img.example/a.jpg',
      'https://8.8.8.8/a.png',
      'https://[2001:db8::1]/a.png',
    ])
      expect(photo(imageUrl), imageUrl).toEqual({});
  });
});

// Which characters a name or description may hold is the contracts' rule (person-text), the one the
// server applies, tested once in schema/test/person-text.unit.test.ts; here, that the forms apply it.
describe('the sell form refuses the descriptions the server refuses', () => {
  const describing = (description: string) =>
    checkSellForm(form({ title: 'Lamp', description, priceKrw: '1000' }), t);

  it('refuses a control character or nothing visible, by the text rule', () => {
    for (const description of ['bike\u0001', '\u200B\u3164'])
      expect(describing(description), JSON.stringify(description)).toEqual({
        description: 'form.field.description',
      });
  });

  it('counts a description in characters as the server does: 2,000 emoji are taken, 2,001 refused', () => {
    expect(describing('👨‍👩‍👧‍👦'.repeat(2_000))).toEqual({});
    expect(describing('👍🏽'.repeat(1_001))).toEqual({});
    expect(describing('가'.repeat(2_001))).toEqual({ description: 'form.field.description' });
  });

  it('takes line breaks (a textarea sends CR LF) and tabs, and counts a CR LF as one character', () => {
    expect(describing('Size\tM\r\nBarely used.\n\n🚲')).toEqual({});
    expect(describing(`${'가'.repeat(1_000)}\r\n${'나'.repeat(999)}`)).toEqual({});
  });
});

describe('the forms count characters as the server does: as a person sees them', () => {
  it('a title of 100 emoji is allowed, of 101 refused (the server counts graphemes)', () => {
    expect(sell('👍🏽'.repeat(100))).toEqual({});
    expect(sell('👨‍👩‍👧'.repeat(100))).toEqual({});
    expect(sell('👨‍👩‍👧‍👦'.repeat(100))).toEqual({}); // 1,100 UTF-16 units: the server takes it too
    expect(sell('👨‍👩‍👧‍👦'.repeat(101))).toEqual({ title: 'form.field.title' });
    expect(sell('가'.repeat(101))).toEqual({ title: 'form.field.title' });
  });

  it('a nickname of 20 emoji is allowed, of one emoji refused (at least 2 characters)', () => {
    expect(signUp('🙂'.repeat(20))).toEqual({});
    expect(signUp('👨‍👩‍👧‍👦'.repeat(20))).toEqual({}); // 220 UTF-16 units: the server takes it too
    expect(signUp('👨‍👩‍👧‍👦'.repeat(21))).toEqual({ nickname: 'form.field.nickname' });
    expect(signUp('🙂')).toEqual({ nickname: 'form.field.nickname' });
  });

  it('a nickname is counted after its runs of spaces fold into one, as the server counts it', () => {
    expect(signUp(`가지${' '.repeat(30)}마켓`)).toEqual({}); // the server keeps 가지 마켓: 5 characters
    expect(signUp(`${'가'.repeat(10)}\u3000 \t${'나'.repeat(9)}`)).toEqual({}); // 20 once folded
    expect(signUp(`${'가'.repeat(10)}  ${'나'.repeat(10)}`)).toEqual({ nickname: 'form.field.nickname' });
  });

  it('a title is counted with its inner spaces as typed: the server trims a title but does not fold it', () => {
    expect(sell(`${'가'.repeat(49)}  ${'나'.repeat(49)}`)).toEqual({});
    expect(sell(`${'가'.repeat(49)}   ${'나'.repeat(49)}`)).toEqual({ title: 'form.field.title' });
  });

  it('a name with nothing visible, a text-direction override or an invisible character is refused, by the text rule', () => {
    expect(sell('gnp\u202Eexe')).toEqual({ title: 'form.field.title' });
    expect(sell('bike\u200D')).toEqual({ title: 'form.field.title' });
    expect(signUp('\u200B\u200B\u200B')).toEqual({ nickname: 'form.field.nickname' });
    expect(signUp('가\u1160지')).toEqual({ nickname: 'form.field.nickname' });
  });

  it('a name or description with one character holding hundreds of marks or jamo is refused, as the server refuses it', () => {
    expect(sell(`a${'\u0301'.repeat(3_198)}b`)).toEqual({ title: 'form.field.title' });
    expect(sell(`\u1100\u1161${'\u11A8'.repeat(3_000)}`)).toEqual({ title: 'form.field.title' });
    expect(signUp(`\u1100\u1161${'\u11A8'.repeat(600)}가`)).toEqual({ nickname: 'form.field.nickname' });
    expect(signUp(`a${'\u0301'.repeat(200)}b`)).toEqual({ nickname: 'form.field.nickname' });
    expect(
      checkSellForm(form({ title: 'Lamp', description: `a${'\u0301'.repeat(200)}b`, priceKrw: '1000' }), t),
    ).toEqual({
      description: 'form.field.description',
    });
    expect(signUp('Việt Nam'.normalize('NFD'))).toEqual({}); // a few marks on a letter stay
  });

  it('a byte order mark, a private-use character, a noncharacter or an unassigned code point is refused, as the server refuses it', () => {
    for (const nickname of ['가\uFEFF지', '\uFEFF가지', '\uE000\uE001', 'a\uFFFE', '\u0378x'])
      expect(signUp(nickname), JSON.stringify(nickname)).toEqual({ nickname: 'form.field.nickname' });
    for (const title of ['\uFEFF가지', '가지\uFEFF', '\uE000 lamp'])
      expect(sell(title), JSON.stringify(title)).toEqual({ title: 'form.field.title' });
  });

  it('a name the text rule keeps is taken: a joiner inside an emoji is part of it', () => {
    expect(signUp('👨‍👩‍👧 가족')).toEqual({});
    expect(sell('\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} scarf')).toEqual({});
  });

  it('judges names by the contracts file the server applies, which imports only its own counting (itself importing nothing), so the bundle takes no zod with it', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = (file: string) => readFile(new URL(`../../schema/src/${file}`, import.meta.url), 'utf8');
    const importsOf = (text: string) =>
      [...text.matchAll(/^\s*import\b.*from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(importsOf(await source('person-text.ts'))).toEqual(['./character-count.js']);
    expect(await source('character-count.ts')).not.toMatch(/^\s*import\b/m);
    for (const checks of ['../src/auth/credential-checks.ts', '../src/sell/sell-checks.ts'])
      expect(await readFile(new URL(checks, import.meta.url), 'utf8')).toContain(
        "from '@gaji/contracts/person-text'",
      );
  });

  it('text typed as jamo (NFD, macOS) is counted composed, as the server stores it', () => {
    expect(signUp('\u1100\u1161'.repeat(20))).toEqual({}); // 40 jamo, 20 syllables
    expect(signUp('\u1100\u1161'.repeat(21))).toEqual({ nickname: 'form.field.nickname' });
    // 2,000 syllables typed as 4,000 jamo: the server composes them and takes the description.
    expect(
      checkSellForm(form({ title: 'Lamp', description: '\u1100\u1161'.repeat(2_000), priceKrw: '1000' }), t),
    ).toEqual({});
  });
});
