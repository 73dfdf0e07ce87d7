import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormSummary } from './form-summary';
import { useTryAgainCountdown } from './use-countdown';
import type { FieldErrors, useCheckedForm } from './use-checked-form';

/**
 * A form of `useCheckedForm`: its fields, the live summary (how many fields need fixing, or what
 * went wrong with the whole form) and a submit button that stays focusable while busy. Refused with
 * a wait (RATE_LIMITED, SERVICE_BUSY … with retryAfterSeconds), the button counts it down and
 * submits nothing until it is over: the server would only refuse again.
 */
export function CheckedForm({
  form,
  fields,
  message,
  submit,
  children,
}: {
  form: ReturnType<typeof useCheckedForm>;
  fields: FieldErrors;
  message: string | undefined;
  submit: { label: string; busyLabel: string; className?: string };
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const waiting = useTryAgainCountdown(form.error);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    if (waiting > 0) event.preventDefault();
    else void form.onSubmit(event);
  };
  return (
    <form ref={form.formRef} onSubmit={onSubmit} noValidate aria-busy={form.busy}>
      {children}
      <FormSummary fieldErrorCount={Object.keys(fields).length} message={message} />
      <button type="submit" className={submit.className ?? 'button'} aria-disabled={form.busy || waiting > 0}>
        {form.busy ? submit.busyLabel : waiting > 0 ? t('state.retryIn', { seconds: waiting }) : submit.label}
      </button>
    </form>
  );
}
