import { useTranslation } from 'react-i18next';
import { Link } from '../routing/link';
import { useLocation } from '../routing/navigation';
import { useDocumentTitle } from '../routing/use-document-title';

/** What a signed-out visitor sees on a members-only page. */
export function SignInRequired({ reason }: { reason: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.membersOnly'));
  const { pathname, search } = useLocation();
  const next = `?next=${encodeURIComponent(pathname + search)}`;
  return (
    <section className="panel narrow" aria-labelledby="members-only-title">
      <h1 id="members-only-title">{t('auth.membersOnly')}</h1>
      <p>{reason}</p>
      <p className="actions">
        <Link className="button" to={`/log-in${next}`}>
          {t('nav.logIn')}
        </Link>
        <Link className="button button--secondary" to={`/sign-up${next}`}>
          {t('nav.signUp')}
        </Link>
      </p>
    </section>
  );
}
