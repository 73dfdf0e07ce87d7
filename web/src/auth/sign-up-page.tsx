import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { graphQLErrorsOf } from '../graphql/graphql-errors';
import { Link } from '../routing/link';
import { navigate, useLocation } from '../routing/navigation';
import { useDocumentTitle } from '../routing/use-document-title';
import { useSessionStore } from '../session/session-context';
import { FormSummary } from '../ui/form-summary';
import { serverFieldErrors } from '../ui/server-field-errors';
import { TextField } from '../ui/text-field';
import { useCheckedForm } from '../ui/use-checked-form';
import { SIGN_UP } from './auth.operations';
import { checkSignUp } from './credential-checks';
import { afterSignIn, sessionOf } from './signed-in';

export function SignUpPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.signUpTitle'));
  const sessions = useSessionStore();
  const { search } = useLocation();
  const [signUp] = useMutation(SIGN_UP);
  const form = useCheckedForm({
    check: (data) => checkSignUp(data, t),
    send: async (data) => {
      const { data: answer } = await signUp({
        variables: {
          email: String(data.get('email')).trim(),
          password: String(data.get('password')),
          nickname: String(data.get('nickname')).trim(),
        },
      });
      if (answer) {
        sessions.signedIn(sessionOf(answer.signUp));
        navigate(afterSignIn(search), { replace: true });
      }
    },
  });

  const fields = { ...serverFieldErrors(form.error, t), ...form.checked };
  const formMessage =
    form.error && Object.keys(fields).length === 0
      ? graphQLErrorsOf(form.error).length > 0
        ? t('state.failed')
        : t('state.offline')
      : undefined;
  return (
    <section className="panel narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t('auth.signUpTitle')}</h1>
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
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          error={fields.password}
        />
        <TextField
          label={t('auth.nickname')}
          name="nickname"
          autoComplete="nickname"
          hint={t('auth.nicknameHint')}
          error={fields.nickname}
        />
        <FormSummary fieldErrorCount={Object.keys(fields).length} message={formMessage} />
        <button type="submit" className="button" aria-disabled={form.busy}>
          {form.busy ? t('auth.signingUp') : t('auth.signUp')}
        </button>
      </form>
      <p>
        {t('auth.haveAccount')} <Link to={`/log-in${search}`}>{t('auth.logIn')}</Link>
      </p>
    </section>
  );
}
