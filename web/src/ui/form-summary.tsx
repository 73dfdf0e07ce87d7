import { useTranslation } from 'react-i18next';

/**
 * The form's live region: how many fields need fixing, or what went wrong with the whole form.
 * Always rendered, so screen readers announce its content when it changes.
 */
export function FormSummary({
  fieldErrorCount,
  message,
}: {
  fieldErrorCount: number;
  message: string | undefined;
}) {
  const { t } = useTranslation();
  const text = fieldErrorCount > 0 ? t('form.summary', { count: fieldErrorCount }) : message;
  return (
    <div className="form-status" role="alert" aria-atomic="true">
      {text && <p className="form-error">{text}</p>}
    </div>
  );
}
