import { Link } from '../routing/link';
import { useLocation } from '../routing/navigation';

/** What a signed-out visitor sees on a members-only page. */
export function SignInRequired({ to }: { to: string }) {
  const { pathname } = useLocation();
  const next = `?next=${encodeURIComponent(pathname)}`;
  return (
    <section className="panel narrow">
      <h1>Members only</h1>
      <p>Log in {to}.</p>
      <p className="actions">
        <Link className="button" to={`/log-in${next}`}>
          Log in
        </Link>
        <Link className="button button--secondary" to={`/sign-up${next}`}>
          Sign up
        </Link>
      </p>
    </section>
  );
}
