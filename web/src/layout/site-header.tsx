import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const session = useSession();
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Link to="/" className="brand">
        <span className="brand__mark" aria-hidden="true" /> {t('app.name')}
      </Link>
      <nav aria-label={t('nav.label')}>
        <ul>
          <li>
            <NavLink to="/">{t('nav.market')}</NavLink>
          </li>
          <li>
            <NavLink to="/sell">{t('nav.sell')}</NavLink>
          </li>
          {session ? (
            <>
              <li>
                <NavLink to="/my-page">{t('nav.myPage')}</NavLink>
              </li>
              <li className="site-header__member">
                <span className="site-header__nickname" title={session.member.nickname}>
                  {session.member.nickname}
                </span>
                <LogOutButton className="site-header__log-out" />
              </li>
            </>
          ) : (
            <>
              <li>
                <NavLink to="/log-in">{t('nav.logIn')}</NavLink>
              </li>
              <li>
                <NavLink to="/sign-up">{t('nav.signUp')}</NavLink>
              </li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}
