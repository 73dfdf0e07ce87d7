import { useEffect } from 'react';
import { navigate, useLocation } from '../routing/navigation';
import { useSession } from '../session/session-context';
import { afterSignIn } from './signed-in';

/**
 * The log-in and sign-up pages are for visitors: a member who opens one (a bookmark, the back
 * button, a link with `next=`) is sent where signing in would have sent them — and so is a visitor
 * the moment they sign in, here or in another tab. Answers whether the page should show nothing.
 */
export function useLeaveWhenSignedIn(): boolean {
  const session = useSession();
  const { search } = useLocation();
  useEffect(() => {
    if (session) navigate(afterSignIn(search), { replace: true });
  }, [session, search]);
  return session !== null;
}
