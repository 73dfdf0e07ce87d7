import type { Language } from './i18n';

const numbers: Record<Language, Intl.NumberFormat> = {
  ko: new Intl.NumberFormat('ko-KR'),
  en: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'KRW' }),
};
const dates: Record<Language, Intl.DateTimeFormat> = {
  ko: new Intl.DateTimeFormat('ko-KR', { dateStyle: 'medium', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }),
};
const relatives: Record<Language, Intl.RelativeTimeFormat> = {
  ko: new Intl.RelativeTimeFormat('ko', { numeric: 'auto' }),
  en: new Intl.RelativeTimeFormat('en', { numeric: 'auto' }),
};

/** Won the way each language writes it: "150,000원" in Korean, "₩150,000" in English. */
export const formatPrice = (krw: number, language: Language) =>
  language === 'ko' ? `${numbers.ko.format(krw)}원` : numbers.en.format(krw);

export const formatDateTime = (iso: string, language: Language) => dates[language].format(new Date(iso));

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 3_600],
  ['day', 86_400],
  ['week', 7 * 86_400],
  ['month', 30 * 86_400],
  ['year', 365 * 86_400],
];

/**
 * "3분 전", "어제", "2주 전" — or undefined under a minute, which the caller words itself
 * ("방금 전"; Intl's own "지금" reads oddly for something listed).
 */
export function formatRelative(iso: string, now: number, language: Language): string | undefined {
  const seconds = (Date.parse(iso) - now) / 1000;
  const elapsed = Math.abs(seconds);
  if (elapsed < 60) return undefined;
  let unit = UNITS[0]!;
  for (const candidate of UNITS) if (elapsed >= candidate[1]) unit = candidate;
  return relatives[language].format(Math.trunc(seconds / unit[1]), unit[0]);
}
