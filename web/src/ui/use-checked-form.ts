import { useEffect, useRef, useState, type FormEvent } from 'react';

export type FieldErrors = Record<string, string>;

/**
 * A form checked twice: here first, every field at once (so the first submit shows every problem,
 * not one at a time), then by the server, which has the last word — its typed errors land under the
 * same fields. After a refused submit, focus moves to the first field in error; a submit in flight
 * ignores further submits (one request per intent) without disabling anything that holds focus.
 * The found problems are worded at each render from what was submitted, not kept as text: a change
 * of language rewords them with the rest of the page.
 */
export function useCheckedForm({
  check,
  send,
}: {
  /** Messages by field name for what is wrong before asking the server; empty when all is well. */
  check: (form: FormData) => FieldErrors;
  /** The server call; throws its error (kept in `error`). */
  send: (form: FormData) => Promise<void>;
}) {
  const [submitted, setSubmitted] = useState<FormData>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [refusals, setRefusals] = useState(0);
  const inFlight = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inFlight.current) return;
    const form = new FormData(event.currentTarget);
    setError(undefined);
    const found = check(form);
    setSubmitted(form);
    if (Object.keys(found).length > 0) {
      setRefusals((count) => count + 1);
      return;
    }
    inFlight.current = true;
    setBusy(true);
    try {
      await send(form);
    } catch (failure) {
      setError(failure);
      setRefusals((count) => count + 1);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };
  const checked = submitted ? check(submitted) : {};
  return { formRef, onSubmit, checked, error, busy };
}
