import { LogOutButton } from '../auth/log-out-button';
import { Link } from '../routing/link';
import { useLocation } from '../routing/navigation';
import { useSession } from '../session/session-context';

function NavLink({ to, children }: { to: string; children: string }) {
  const { pathname } = useLocation();
  return (
    <Link to={to} aria-current={pathname === to ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function SiteHeader() {
  const session = useSession();
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand">
        <span className="brand__mark" aria-hidden="true" /> Gaji Market
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <NavLink to="/">Market</NavLink>
          </li>
          <li>
            <NavLink to="/sell">Sell</NavLink>
          </li>
          {session ? (
            <>
              <li>
                <NavLink to="/my-page">My Page</NavLink>
              </li>
              <li className="site-header__member">
                <span className="muted">{session.member.nickname}</span> <LogOutButton />
              </li>
            </>
          ) : (
            <>
              <li>
                <NavLink to="/log-in">Log in</NavLink>
              </li>
              <li>
                <NavLink to="/sign-up">Sign up</NavLink>
              </li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}
