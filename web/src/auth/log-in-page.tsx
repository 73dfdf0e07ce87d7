import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { firstErrorWithCode, graphQLErrorsOf } from '../graphql/graphql-errors';
import { Link } from '../routing/link';
import { navigate, useLocation } from '../routing/navigation';
import { useDocumentTitle } from '../routing/use-document-title';
import { useSessionStore } from '../session/session-context';
import { FormSummary } from '../ui/form-summary';
import { TextField } from '../ui/text-field';
import { useCheckedForm } from '../ui/use-checked-form';
import { LOG_IN } from './auth.operations';
import { checkLogIn } from './credential-checks';
import { afterSignIn, sessionOf } from './signed-in';

export function LogInPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.logInTitle'));
  const sessions = useSessionStore();
  const { search } = useLocation();
  const [logIn] = useMutation(LOG_IN);
  const form = useCheckedForm({
    check: (data) => checkLogIn(data, t),
    send: async (data) => {
      const { data: answer } = await logIn({
        variables: { email: String(data.get('email')).trim(), password: String(data.get('password')) },
      });
      if (answer) {
        sessions.signedIn(sessionOf(answer.logIn));
        navigate(afterSignIn(search), { replace: true });
      }
    },
  });

  const fields = form.checked;
  const formMessage = !form.error
    ? undefined
    : firstErrorWithCode(form.error, 'INVALID_CREDENTIALS')
      ? t('auth.invalidCredentials')
      : graphQLErrorsOf(form.error).length > 0
        ? t('state.failed')
        : t('state.offline');
  return (
    <section className="panel narrow" aria-labelledby="log-in-title">
      <h1 id="log-in-title">{t('auth.logInTitle')}</h1>
      <form
        ref={form.formRef}
        onSubmit={(event) => void form.onSubmit(event)}
        noValidate
        aria-busy={form.busy}
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
        <FormSummary fieldErrorCount={Object.keys(fields).length} message={formMessage} />
        <button type="submit" className="button" aria-disabled={form.busy}>
          {form.busy ? t('auth.loggingIn') : t('auth.logIn')}
        </button>
      </form>
      <p>
        {t('auth.newHere')} <Link to={`/sign-up${search}`}>{t('auth.signUp')}</Link>
      </p>
    </section>
  );
}
