import i18next, { type TFunction } from 'i18next';
import { addFormats, MESSAGE_INTERPOLATION } from '../../src/i18n/i18n';
import { en } from '../../src/i18n/messages.en';
import { ko } from '../../src/i18n/messages.ko';

/**
 * The messages in both languages, set up as the web client sets them up (its interpolation, with
 * the rules' bounds as default variables, and its formats) — or with another interpolation, for a
 * test of what the defaults supply.
 */
export async function translations(
  interpolation: object = MESSAGE_INTERPOLATION,
): Promise<{ ko: TFunction; en: TFunction }> {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng: 'ko',
    resources: { ko: { translation: ko }, en: { translation: en } },
    interpolation,
  });
  addFormats(i18n);
  return { ko: i18n.getFixedT('ko'), en: i18n.getFixedT('en') };
}
