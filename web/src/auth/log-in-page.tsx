import { useMutation } from '@apollo/client';
import { errorCode, fieldErrorsOf, formErrorOf, graphQLErrorsOf } from '../graphql/graphql-errors';
import { Link } from '../routing/link';
import { navigate, useLocation } from '../routing/navigation';
import { useSessionStore } from '../session/session-context';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';
import { useServerForm } from '../ui/use-server-form';
import { LOG_IN } from './auth.operations';
import { afterSignIn, sessionOf } from './session-of';

export function LogInPage() {
  const sessions = useSessionStore();
  const { search } = useLocation();
  const [logIn, { loading }] = useMutation(LOG_IN);
  const { submit, error } = useServerForm(async (form) => {
    const { data } = await logIn({
      variables: { email: String(form.get('email')).trim(), password: String(form.get('password')) },
    });
    if (data) {
      sessions.set(sessionOf(data.logIn));
      navigate(afterSignIn(search), { replace: true });
    }
  });

  const fields = fieldErrorsOf(error);
  const invalidCredentials = graphQLErrorsOf(error).some((e) => errorCode(e) === 'INVALID_CREDENTIALS');
  return (
    <section className="panel narrow" aria-labelledby="log-in-title">
      <h1 id="log-in-title">Log in</h1>
      <form onSubmit={submit} noValidate aria-busy={loading}>
        <TextField label="Email" name="email" type="email" autoComplete="email" error={fields.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          error={fields.password}
        />
        <FormError
          message={
            invalidCredentials
              ? 'That email and password do not match an account.'
              : formErrorOf(error, fields)
          }
        />
        <button type="submit" className="button" disabled={loading}>
          {loading ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        New here? <Link to={`/sign-up${search}`}>Sign up</Link>
      </p>
    </section>
  );
}
