import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../i18n/language-switch';
import { navigate } from '../routing/navigation';
import { useSessionStore } from '../session/session-context';
import { InlineConfirm } from '../ui/inline-confirm';
import { WITHDRAW } from './my-page.operations';

/**
 * Settings, away from everyday actions: the interface language and, folded, leaving Gaji Market —
 * two deliberate steps; the member's products leave the market.
 */
export function SettingsSection() {
  const { t } = useTranslation();
  const sessions = useSessionStore();
  const [withdraw] = useMutation(WITHDRAW);
  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <LanguageSwitch />
      <details className="folded folded--danger">
        <summary>{t('settings.withdrawTitle')}</summary>
        <p>{t('settings.withdrawExplain')}</p>
        <InlineConfirm
          trigger={{ label: t('settings.withdraw') }}
          question={t('settings.withdrawQuestion')}
          confirm={{ label: t('settings.withdrawConfirm'), busyLabel: t('settings.withdrawing') }}
          keepLabel={t('settings.keepAccount')}
          run={async () => {
            await withdraw();
            navigate('/', { replace: true });
            await sessions.logOut(); // every session was revoked; this clears the cookie here too
          }}
          fallback={t('settings.withdrawFailed')}
        />
      </details>
    </section>
  );
}
