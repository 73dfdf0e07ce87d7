import { useMutation } from '@apollo/client';
import { navigate } from '../routing/navigation';
import { useSession, useSessionStore } from '../session/session-context';
import { LOG_OUT } from './auth.operations';

/** Ends the session on the server (its refresh token stops working) and forgets it here. */
export function LogOutButton() {
  const sessions = useSessionStore();
  const session = useSession();
  const [logOut, { loading }] = useMutation(LOG_OUT);
  const leave = async () => {
    if (session) await logOut({ variables: { refreshToken: session.refreshToken } }).catch(() => undefined);
    sessions.set(null);
    navigate('/');
  };
  return (
    <button type="button" className="link-button" onClick={leave} disabled={loading}>
      Log out
    </button>
  );
}
