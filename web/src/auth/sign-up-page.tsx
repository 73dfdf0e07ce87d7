import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { Link } from '../routing/link';
import { useLocation } from '../routing/navigation';
import { useDocumentTitle } from '../routing/use-document-title';
import { useSessionStore } from '../session/session-context';
import { CheckedForm } from '../ui/checked-form';
import { formMessageOf, serverFieldErrors } from '../ui/server-field-errors';
import { TextField } from '../ui/text-field';
import { useCheckedForm } from '../ui/use-checked-form';
import { SIGN_UP } from './auth.operations';
import { checkSignUp } from './credential-checks';
import { useLeaveWhenSignedIn } from './leave-when-signed-in';
import { sessionOf } from './signed-in';

export function SignUpPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.signUpTitle'));
  const sessions = useSessionStore();
  const signedIn = useLeaveWhenSignedIn();
  const { search } = useLocation();
  const [signUp] = useMutation(SIGN_UP);
  const form = useCheckedForm({
    check: (data) => checkSignUp(data, t),
    send: async (data) => {
      // Under the refresh lock: no other tab's refresh with the old cookie is answered after this one.
      // Signed in, the page leaves by itself (useLeaveWhenSignedIn), to `next=` or the market.
      await sessions.signInWith(async () => {
        const { data: answer } = await signUp({
          variables: {
            email: String(data.get('email')).trim(),
            password: String(data.get('password')),
            nickname: String(data.get('nickname')).trim(),
          },
        });
        return answer ? sessionOf(answer.signUp) : null;
      });
    },
  });

  const fields = { ...serverFieldErrors(form.error, t), ...form.checked };
  const formMessage = formMessageOf(form.error, fields, t);
  if (signedIn) return null; // on the way out: no form for a member
  return (
    <section className="panel narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t('auth.signUpTitle')}</h1>
      <CheckedForm
        form={form}
        fields={fields}
        message={formMessage}
        submit={{ label: t('auth.signUp'), busyLabel: t('auth.signingUp') }}
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
      </CheckedForm>
      <p>
        {t('auth.haveAccount')} <Link to={`/log-in${search}`}>{t('auth.logIn')}</Link>
      </p>
    </section>
  );
}
