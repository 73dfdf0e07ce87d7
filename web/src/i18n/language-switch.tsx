import { useTranslation } from 'react-i18next';
import { LANGUAGES, chooseLanguage } from './i18n';
import { useLanguage } from './use-language';

/** 한국어 / English, remembered on this device. Each name is written in its own language. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="language-switch__option"
          aria-pressed={option === language}
          onClick={() => void chooseLanguage(option)}
        >
          {t(`language.${option}`)}
        </button>
      ))}
    </div>
  );
}
