import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionStore } from '../session/session-context';
import { useCountdown } from '../ui/use-countdown';

/**
 * "로그아웃을 아직 마치지 못했어요": while a log-out waits to be sent again (the gateway unreachable,
 * or the member service unable to end the session), the session lives on the server; a member at a
 * shared computer must not take the signed-out header for a finished log-out. Shown in every tab,
 * with when the next attempt goes (not read out each second: hidden from screen readers) and a way
 * to send it now.
 */
export function LogOutPendingNotice() {
  const { t } = useTranslation();
  const sessions = useSessionStore();
  const pending = sessions.pendingLogOut;
  useSyncExternalStore(
    (onChange) => pending.subscribe(onChange),
    () => pending.snapshot(),
  );
  const record = pending.read();
  const seconds = useCountdown(record && !record.sending ? record.at : undefined);
  if (!record) return null;
  return (
    <p className="notice notice--warning session-notice" data-log-out-pending="true">
      {t('auth.logOutPending')}{' '}
      <span aria-hidden="true">
        {seconds > 0 ? t('auth.logOutPendingIn', { seconds }) : t('auth.logOutPendingNow')}
      </span>{' '}
      <button
        type="button"
        className="link-button"
        aria-disabled={record.sending}
        onClick={() => void (record.sending || sessions.sendPendingLogOut())}
      >
        {t('auth.logOutRetryNow')}
      </button>
    </p>
  );
}
