import { LISTING_TEXT_LIMITS } from '@gaji/contracts';
import { LISTING_PRICE_MAX_KRW } from '@gaji/contracts/listing-price-limit';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { PRICE_MAX_KRW } from '../../subgraphs/product/src/domain/product-listing';
import { MESSAGE_INTERPOLATION } from '../src/i18n/i18n';
import { LISTING_LIMITS } from '../src/sell/listing-limits';
import { checkSellForm, readSellForm } from '../src/sell/sell-checks';
import { translations } from './support/translations';

const keyOnly = ((key: string) => key) as unknown as TFunction;
const formOf = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};
const sellForm = (fields: Partial<Record<'title' | 'description' | 'priceKrw' | 'imageUrl', string>>) =>
  checkSellForm(formOf({ title: 'Lamp', description: '', priceKrw: '1000', ...fields }), keyOnly);

describe("the sell form's bounds are the ones the server enforces, declared once", () => {
  it('takes the text limits and the price limit from @gaji/contracts, the ones the product domain enforces', () => {
    expect(LISTING_LIMITS).toEqual({
      titleMax: LISTING_TEXT_LIMITS.title,
      descriptionMax: LISTING_TEXT_LIMITS.description,
      imageUrlMax: LISTING_TEXT_LIMITS.imageUrl,
      priceMax: LISTING_PRICE_MAX_KRW,
    });
    expect(PRICE_MAX_KRW).toBe(LISTING_PRICE_MAX_KRW);
  });

  it('reads the price limit from a contracts file that imports nothing, so the bundle takes no zod with it', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(
      new URL('../../schema/src/listing-price-limit.ts', import.meta.url),
      'utf8',
    );
    expect(source).not.toMatch(/^\s*import\b/m);
    const form = await readFile(new URL('../src/sell/listing-limits.ts', import.meta.url), 'utf8');
    expect(form).toContain("from '@gaji/contracts/listing-price-limit'");
    expect(form).not.toMatch(/1_000_000_000|1000000000/);
  });

  it('takes each field at its limit and refuses it one character over', () => {
    const { title, description, imageUrl } = LISTING_TEXT_LIMITS;
    const photo = (length: number) =>
      `https://img.example/${'a'.repeat(length - 'https://img.example/'.length)}`;
    expect(sellForm({ title: '가'.repeat(title), description: '나'.repeat(description) })).toEqual({});
    expect(sellForm({ imageUrl: photo(imageUrl), priceKrw: String(PRICE_MAX_KRW) })).toEqual({});
    expect(sellForm({ title: '가'.repeat(title + 1) })).toEqual({ title: 'form.field.title' });
    expect(sellForm({ description: '나'.repeat(description + 1) })).toEqual({
      description: 'form.field.description',
    });
    expect(sellForm({ imageUrl: photo(imageUrl + 1) })).toEqual({ imageUrl: 'form.field.imageUrl' });
    expect(sellForm({ priceKrw: String(PRICE_MAX_KRW + 1) })).toEqual({ priceKrw: 'form.field.priceKrw' });
  });

  it('measures a photo URL as the server keeps it, normalized: a Korean path percent-encoded past the limit is refused', () => {
    // 520 characters typed, 4,520 kept (each syllable becomes three %XX escapes).
    const typed = `https://img.example/${'가'.repeat(500)}`;
    expect(typed.length).toBeLessThanOrEqual(LISTING_TEXT_LIMITS.imageUrl);
    expect(new URL(typed).href.length).toBeGreaterThan(LISTING_TEXT_LIMITS.imageUrl);
    expect(sellForm({ imageUrl: typed })).toEqual({ imageUrl: 'form.field.imageUrl' });
    expect(sellForm({ imageUrl: `https://img.example/${'가'.repeat(100)}` })).toEqual({});
  });

  it('names the limits in its hints and messages, in Korean and in English', async () => {
    const t = await translations(MESSAGE_INTERPOLATION);
    expect(t.ko('sell.titleHint')).toBe('1~100자');
    expect(t.ko('sell.descriptionHint')).toBe('선택 · 2,000자까지');
    expect(t.ko('sell.priceHint')).toBe('숫자만 · 1원부터 10억 원까지');
    expect(t.ko('form.field.imageUrl')).toContain('2,048자 이하');
    expect(t.en('sell.descriptionHint')).toBe('Optional, up to 2,000 characters.');
    expect(t.en('form.field.priceKrw')).toBe('Enter a whole number of won from 1 to 1,000,000,000.');
  });

  it('writes no limit into the words themselves: a changed limit changes every message that names it', async () => {
    const t = await translations({
      ...MESSAGE_INTERPOLATION,
      defaultVariables: { titleMax: 120, descriptionMax: 3_000, imageUrlMax: 4_096, priceMax: 2_000_000_000 },
    });
    expect(t.ko('sell.titleHint')).toBe('1~120자');
    expect(t.ko('form.field.title')).toContain('1~120자');
    expect(t.ko('sell.descriptionHint')).toBe('선택 · 3,000자까지');
    expect(t.ko('form.field.description')).toContain('3,000자까지');
    expect(t.ko('form.field.imageUrl')).toContain('4,096자 이하');
    expect(t.ko('sell.priceHint')).toBe('숫자만 · 1원부터 20억 원까지');
    expect(t.ko('form.field.priceKrw')).toContain('2,000,000,000');
    expect(t.en('sell.titleHint')).toBe('1 to 120 characters.');
    expect(t.en('form.field.description')).toContain('at most 3,000 characters');
    expect(t.en('form.field.imageUrl')).toContain('at most 4,096 characters');
    expect(t.en('sell.priceHint')).toBe('Digits only, from 1 to 2,000,000,000 won.');
  });
});

describe('the price a Korean seller types', () => {
  const price = (priceKrw: string) =>
    readSellForm(formOf({ title: 'Lamp', description: '', priceKrw })).priceKrw;

  it('reads full-width digits and commas (a Korean IME in full-width mode), thousands commas, spaces and a closing 원 as the number they show', () => {
    // "１２０００" was NaN and refused as "not a number" though it is one.
    expect(price('１２０００')).toBe(12_000);
    expect(price('１２，０００')).toBe(12_000);
    expect(price('12,000')).toBe(12_000);
    expect(price(' 12000 원')).toBe(12_000);
    expect(price('1,000,000,000')).toBe(1_000_000_000);
    expect(sellForm({ priceKrw: '１２０００' })).toEqual({});
  });

  it('refuses what is not a whole number of won as typed: decimals, exponents, hex, signs, misplaced commas', () => {
    for (const typed of ['12000.5', '1e3', '0x10', '-5', '+5', '1,2000', '12,00', '', '원', '１２．５'])
      expect(sellForm({ priceKrw: typed }), typed).toEqual({ priceKrw: 'form.field.priceKrw' });
    expect(sellForm({ priceKrw: '1,000,000,001' })).toEqual({ priceKrw: 'form.field.priceKrw' });
  });
});
