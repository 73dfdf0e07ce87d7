import { useTranslation } from 'react-i18next';
import { Link } from '../routing/link';
import { useLocation } from '../routing/navigation';
import { useSessionState, useSessionStore } from '../session/session-context';
import { LogOutPendingNotice } from './log-out-pending-notice';

/**
 * "다시 로그인해 주세요": shown when the server ended the session (expired, revoked, or used in
 * another browser) instead of silently dropping the member to signed-out — or, when the member
 * withdrew from another device, that the account is closed (logging in again could only fail).
 */
export function SessionEndedNotice() {
  const { t } = useTranslation();
  const state = useSessionState();
  const sessions = useSessionStore();
  const { pathname, search } = useLocation();
  const ended = state.status === 'signed-out' && state.ended;
  const accountClosed = state.status === 'signed-out' && state.accountClosed === true;
  return (
    <div className="session-notice-region" role="alert">
      {ended && accountClosed && (
        // No "log in" link: the account is gone, and a new one starts at sign-up.
        <p className="notice notice--warning session-notice" data-session-ended="account-closed">
          {t('auth.accountClosed')}{' '}
          <Link to="/sign-up" onClick={() => sessions.acknowledgeEnded()}>
            {t('nav.signUp')}
          </Link>
        </p>
      )}
      {ended && !accountClosed && (
        <p className="notice notice--warning session-notice" data-session-ended="true">
          {t('auth.sessionEnded')}{' '}
          <Link
            to={
              pathname === '/log-in'
                ? `/log-in${search}`
                : `/log-in?next=${encodeURIComponent(pathname + search)}`
            }
            onClick={() => sessions.acknowledgeEnded()}
          >
            {t('nav.logIn')}
          </Link>
        </p>
      )}
      <LogOutPendingNotice />
    </div>
  );
}
