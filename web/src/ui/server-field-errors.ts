import type { TFunction } from 'i18next';
import { fieldErrorsOf, firstErrorWithCode, graphQLErrorsOf } from '../graphql/graphql-errors';
import { tryAgainMessageOf } from './try-again';
import type { FieldErrors } from './use-checked-form';

const WORDED = new Set(['email', 'password', 'nickname', 'title', 'description', 'priceKrw', 'imageUrl']);

/**
 * The server's typed field errors (BAD_USER_INPUT with `extensions.field`) in the interface's
 * language: each field has one rule, so its message is ours; an unknown field keeps the server's.
 */
export function serverFieldErrors(error: unknown, t: TFunction): FieldErrors {
  const fields = fieldErrorsOf(error);
  const worded: FieldErrors = {};
  for (const [field, message] of Object.entries(fields))
    worded[field] = WORDED.has(field) ? t(`form.field.${field}` as 'form.field.email') : message;
  if (firstErrorWithCode(error, 'EMAIL_TAKEN')) worded.email = t('form.field.emailTaken');
  return worded;
}

/**
 * What to say about the whole form: nothing while its fields explain the error; else why it failed
 * — and, when the server said, when to try again.
 */
export function formMessageOf(error: unknown, fields: FieldErrors, t: TFunction): string | undefined {
  if (!error || Object.keys(fields).length > 0) return undefined;
  return (
    tryAgainMessageOf(error, t) ??
    (graphQLErrorsOf(error).length > 0 ? t('state.failed') : t('state.offline'))
  );
}
