import { useMutation } from '@apollo/client';
import { fieldErrorsOf, formErrorOf } from '../graphql/graphql-errors';
import { Link } from '../routing/link';
import { navigate, useLocation } from '../routing/navigation';
import { useSessionStore } from '../session/session-context';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';
import { useServerForm } from '../ui/use-server-form';
import { SIGN_UP } from './auth.operations';
import { afterSignIn, sessionOf } from './session-of';

export function SignUpPage() {
  const sessions = useSessionStore();
  const { search } = useLocation();
  const [signUp, { loading }] = useMutation(SIGN_UP);
  const { submit, error } = useServerForm(async (form) => {
    const { data } = await signUp({
      variables: {
        email: String(form.get('email')).trim(),
        password: String(form.get('password')),
        nickname: String(form.get('nickname')).trim(),
      },
    });
    if (data) {
      sessions.set(sessionOf(data.signUp));
      navigate(afterSignIn(search), { replace: true });
    }
  });

  const fields = fieldErrorsOf(error, { EMAIL_TAKEN: 'email' });
  return (
    <section className="panel narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Sign up</h1>
      <form onSubmit={submit} noValidate aria-busy={loading}>
        <TextField label="Email" name="email" type="email" autoComplete="email" error={fields.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters, letters mixed with digits or symbols."
          error={fields.password}
        />
        <TextField
          label="Nickname"
          name="nickname"
          autoComplete="nickname"
          hint="Shown beside your products."
          error={fields.nickname}
        />
        <FormError message={formErrorOf(error, fields)} />
        <button type="submit" className="button" disabled={loading}>
          {loading ? 'Signing up…' : 'Sign up'}
        </button>
      </form>
      <p>
        Already a member? <Link to={`/log-in${search}`}>Log in</Link>
      </p>
    </section>
  );
}
