/**
 * A non-secret mark, shared by the tabs of this browser, that a session cookie may exist: the page
 * cannot see the HttpOnly cookie itself, and a visitor who never signed in should not cost a
 * refresh call on every page load. `1:<sign-in>` names the sign-in the cookie belongs to (a random
 * word per log-in or sign-up). Its removal in one tab (a log-out) signs the others out; set to
 * `ended:<sign-in>` (the server ended that session), the tabs on that sign-in sign out and say so
 * too. Without that, of two tabs revoked together only the one whose refresh ran first told the
 * member: the other heard of the removal before its own refresh was refused, and was signed out
 * without a word. The sign-in is named because a tab's refresh sent with an old session's cookie
 * can be refused after another tab has logged in afresh: that refusal must not end the new one.
 */
export const SIGNED_IN_MARK = 'gaji.signedIn';
/** `closed:<sign-in>`: ended because the member withdrew (`accountClosed`); read as `ended` with it. */
export type Mark = { state: 'signed-in' | 'ended'; signIn: string; accountClosed?: true };

/** A bare `1` or `ended` (written before sign-ins were named) reads as the unnamed sign-in ''. */
export function readMark(value: string | null): Mark | undefined {
  const [state, signIn = ''] = (value ?? '').split(':');
  if (state === '1') return { state: 'signed-in', signIn };
  if (state === 'ended') return { state: 'ended', signIn };
  if (state === 'closed') return { state: 'ended', signIn, accountClosed: true };
  return undefined;
}

export const writeMark = ({ state, signIn, accountClosed }: Mark) =>
  `${state === 'signed-in' ? '1' : accountClosed ? 'closed' : 'ended'}:${signIn}`;

/** A random word naming one log-in or sign-up: unique enough among one browser's sign-ins. */
export const newSignIn = () =>
  Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join('');
