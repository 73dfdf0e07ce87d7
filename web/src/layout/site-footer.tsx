import { Trans, useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../i18n/language-switch';

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <LanguageSwitch />
      <p>
        {t('app.name')} — {t('app.tagline')}
      </p>
      {import.meta.env.DEV && (
        <p>
          <Trans i18nKey="app.developer">
            Developer? Explore the API in <a href="/graphql">Apollo Sandbox</a>.
          </Trans>
        </p>
      )}
    </footer>
  );
}
