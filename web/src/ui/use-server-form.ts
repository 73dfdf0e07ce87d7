import { useState, type FormEvent } from 'react';

/**
 * A form whose submission goes to the server: `submit` reads the form and runs `action`; a failure
 * (the server's typed GraphQL errors) is kept in `error` for the fields and the form to show.
 */
export function useServerForm(action: (form: FormData) => Promise<void>) {
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(undefined);
    try {
      await action(form);
    } catch (failure) {
      setError(failure);
    }
  };
  return { submit, error };
}
