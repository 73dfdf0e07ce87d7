import type { ReactNode } from 'react';
import { FormSummary } from './form-summary';
import type { FieldErrors, useCheckedForm } from './use-checked-form';

/**
 * A form of `useCheckedForm`: its fields, the live summary (how many fields need fixing, or what
 * went wrong with the whole form) and a submit button that stays focusable while busy.
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
  return (
    <form ref={form.formRef} onSubmit={(event) => void form.onSubmit(event)} noValidate aria-busy={form.busy}>
      {children}
      <FormSummary fieldErrorCount={Object.keys(fields).length} message={message} />
      <button type="submit" className={submit.className ?? 'button'} aria-disabled={form.busy}>
        {form.busy ? submit.busyLabel : submit.label}
      </button>
    </form>
  );
}
