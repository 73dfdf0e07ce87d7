import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { firstErrorWithCode } from '../graphql/graphql-errors';
import { Link } from '../routing/link';
import { useLocation } from '../routing/navigation';
import { useDocumentTitle } from '../routing/use-document-title';
import { useSessionStore } from '../session/session-context';
import { CheckedForm } from '../ui/checked-form';
import { formMessageOf } from '../ui/server-field-errors';
import { TextField } from '../ui/text-field';
import { useCheckedForm } from '../ui/use-checked-form';
import { LOG_IN } from './auth.operations';
import { checkLogIn } from './credential-checks';
import { useLeaveWhenSignedIn } from './leave-when-signed-in';
import { sessionOf } from './signed-in';

export function LogInPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.logInTitle'));
  const sessions = useSessionStore();
  const signedIn = useLeaveWhenSignedIn();
  const { search } = useLocation();
  const [logIn] = useMutation(LOG_IN);
  const form = useCheckedForm({
    check: (data) => checkLogIn(data, t),
    send: async (data) => {
      // Under the refresh lock: no other tab's refresh with the old cookie is answered after this one.
      // Signed in, the page leaves by itself (useLeaveWhenSignedIn), to `next=` or the market.
      await sessions.signInWith(async () => {
        const { data: answer } = await logIn({
          variables: { email: String(data.get('email')).trim(), password: String(data.get('password')) },
        });
        return answer ? sessionOf(answer.logIn) : null;
      });
    },
  });

  const fields = form.checked;
  const formMessage = firstErrorWithCode(form.error, 'INVALID_CREDENTIALS')
    ? t('auth.invalidCredentials')
    : formMessageOf(form.error, fields, t);
  if (signedIn) return null; // on the way out: no form for a member
  return (
    <section className="panel narrow" aria-labelledby="log-in-title">
      <h1 id="log-in-title">{t('auth.logInTitle')}</h1>
      <CheckedForm
        form={form}
        fields={fields}
        message={formMessage}
        submit={{ label: t('auth.logIn'), busyLabel: t('auth.loggingIn') }}
      >
        <TextField
          label={t('auth.email')}
          name="email"
          type="email"
          autoComplete="email"
          error={fields.email}
        />
        <TextField
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          error={fields.password}
        />
      </CheckedForm>
      <p>
        {t('auth.newHere')} <Link to={`/sign-up${search}`}>{t('auth.signUp')}</Link>
      </p>
    </section>
  );
}
