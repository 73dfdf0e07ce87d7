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
 * ("방금 전"; Intl's own "지금" reads oddly for something listed). A time ahead of now is undefined
 * too: every time shown is in the past (listed, paid), so one "in the future" only means the
 * device's clock runs slow, and "2분 후" would be nonsense.
 */
export function formatRelative(iso: string, now: number, language: Language): string | undefined {
  const seconds = (Date.parse(iso) - now) / 1000;
  const elapsed = -seconds;
  if (elapsed < 60) return undefined;
  let unit = UNITS[0]!;
  for (const candidate of UNITS) if (elapsed >= candidate[1]) unit = candidate;
  return relatives[language].format(Math.trunc(seconds / unit[1]), unit[0]);
}

const durations = (unit: 'second' | 'minute' | 'hour') =>
  Object.fromEntries(
    (['ko', 'en'] as const).map((language) => [
      language,
      new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }),
    ]),
  ) as Record<Language, Intl.NumberFormat>;
const waits = { second: durations('second'), minute: durations('minute'), hour: durations('hour') };
const ABOUT: Record<Language, (duration: string) => string> = {
  ko: (duration) => `약 ${duration}`,
  en: (duration) => `about ${duration}`,
};

/**
 * How long to wait before trying again, as a person says it: exact seconds under a minute ("3초"),
 * whole minutes under an hour, then whole hours, each rounded up so it is never too soon ("2분" for
 * 90 s, "약 2시간" for 5,399 s), "about" unless exact ("약 1시간" for 3596 s). Plural forms are Intl's ("1 second", "3 seconds").
 */
export function formatWait(seconds: number, language: Language): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return waits.second[language].format(whole);
  const minutes = Math.ceil(whole / 60);
  if (minutes < 60) return waits.minute[language].format(minutes);
  const hours = Math.ceil(whole / 3_600);
  const duration = waits.hour[language].format(hours);
  return hours * 3_600 === whole ? duration : ABOUT[language](duration);
}
