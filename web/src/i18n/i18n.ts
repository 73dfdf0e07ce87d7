import i18next, { type i18n } from 'i18next';
import { MEMBER_LIMITS } from '@gaji/contracts/member-limits';
import { SEARCH_MAX_LENGTH, SEARCH_WORDS_MAX } from '@gaji/contracts/search-words';
import { initReactI18next } from 'react-i18next';
import { LISTING_LIMITS } from '../sell/listing-limits';
import { formatWait } from './format';
import { ko } from './messages.ko';

export type Language = 'ko' | 'en';
export const LANGUAGES: readonly Language[] = ['ko', 'en'];
const STORAGE_KEY = 'gaji.language';

/**
 * The interface language: Korean unless the visitor chose English, whatever the browser says — a
 * Korean market speaks Korean first. The choice is remembered on this device (localStorage, so
 * every tab shares it) and set as the document's `lang`, which screen readers, fonts and line
 * breaking follow. Korean ships in the first script; English is a chunk of its own.
 */
export async function startI18n(): Promise<void> {
  const language = storedLanguage();
  i18next.on('languageChanged', (next) => {
    document.documentElement.lang = next;
  });
  await i18next.use(initReactI18next).init({
    lng: 'ko',
    fallbackLng: 'ko',
    supportedLngs: LANGUAGES,
    resources: { ko: { translation: ko } },
    partialBundledLanguages: true,
    interpolation: MESSAGE_INTERPOLATION,
    react: { useSuspense: false },
  });
  addFormats(i18next);
  document.documentElement.lang = 'ko';
  if (language !== 'ko') await chooseLanguage(language);
  // Another tab chose a language: follow it.
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY) void chooseLanguage(storedLanguage());
  });
}

/**
 * React escapes, so i18next need not. Every message may name a listing's, a member's or a search's
 * bounds (`{{descriptionMax, number}}`, `{{passwordMax}}`, `{{searchWordsMax}}`): they come from the
 * rules the forms check by, never written in the words.
 */
export const MESSAGE_INTERPOLATION = {
  escapeValue: false,
  defaultVariables: {
    ...LISTING_LIMITS,
    ...MEMBER_LIMITS,
    searchMax: SEARCH_MAX_LENGTH,
    searchWordsMax: SEARCH_WORDS_MAX,
  },
};

/**
 * Formats the messages may use besides i18next's own: `{{seconds, wait}}` says how long to wait
 * in the message's language ("약 1시간", "about 1 hour").
 */
export function addFormats(instance: i18n): void {
  instance.services.formatter?.add('wait', (value: unknown, lng: string | undefined) =>
    formatWait(Number(value), lng === 'en' ? 'en' : 'ko'),
  );
}

export async function chooseLanguage(language: Language): Promise<void> {
  if (language === 'en' && !i18next.hasResourceBundle('en', 'translation')) {
    const { en } = await import('./messages.en');
    i18next.addResourceBundle('en', 'translation', en);
  }
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // storage may be unavailable (private mode): the choice lasts for this page
  }
  await i18next.changeLanguage(language);
}

export const currentLanguage = (): Language => (i18next.language === 'en' ? 'en' : 'ko');

function storedLanguage(): Language {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}
