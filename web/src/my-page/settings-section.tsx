import { useMutation } from '@apollo/client';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../i18n/language-switch';
import { navigate } from '../routing/navigation';
import { useSessionStore } from '../session/session-context';
import { WITHDRAW } from './my-page.operations';

/**
 * Settings, away from everyday actions: the interface language and, folded, leaving Gaji Market —
 * two deliberate steps; the member's products leave the market.
 */
export function SettingsSection() {
  const { t } = useTranslation();
  const sessions = useSessionStore();
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState(false);
  const [withdraw, { loading }] = useMutation(WITHDRAW);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const startButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) startButton.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  const confirm = async () => {
    if (loading) return;
    setFailed(false);
    try {
      await withdraw();
      await sessions.logOut(); // every session was revoked; this clears the cookie here too
      navigate('/', { replace: true });
    } catch {
      setFailed(true);
    }
  };

  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <LanguageSwitch />
      <details className="folded folded--danger">
        <summary>{t('settings.withdrawTitle')}</summary>
        <p id="withdraw-explain">{t('settings.withdrawExplain')}</p>
        {confirming ? (
          <p className="actions">
            <button
              ref={confirmButton}
              type="button"
              className="button button--danger"
              onClick={() => void confirm()}
              aria-disabled={loading}
              aria-describedby="withdraw-explain"
            >
              {loading ? t('settings.withdrawing') : t('settings.withdrawConfirm')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                returnFocus.current = true;
                setConfirming(false);
              }}
            >
              {t('settings.keepAccount')}
            </button>
          </p>
        ) : (
          <button
            ref={startButton}
            type="button"
            className="button button--secondary"
            onClick={() => setConfirming(true)}
          >
            {t('settings.withdraw')}
          </button>
        )}
        {failed && (
          <p className="notice notice--error" role="alert">
            {t('settings.withdrawFailed')}
          </p>
        )}
      </details>
    </section>
  );
}
