import type { TFunction } from 'i18next';
import type { FieldErrors } from '../ui/use-checked-form';
import { foldSpaces, isOneLineName } from '../ui/visible-text';

// The member context's rules (subgraphs/member/src/domain), checked here too so a first submit
// shows every problem at once. The server still decides; its errors land under the same fields.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkSignUp(form: FormData, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  const nickname = foldSpaces(String(form.get('nickname') ?? ''));
  if (email.length > 254 || !EMAIL.test(email)) errors.email = t('form.field.email');
  if (password.length < 8 || password.length > 128 || !/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password))
    errors.password = t('form.field.password');
  if (!isOneLineName(nickname, 2, 20)) errors.nickname = t('form.field.nickname');
  return errors;
}

export function checkLogIn(form: FormData, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  if (!EMAIL.test(String(form.get('email') ?? '').trim())) errors.email = t('form.field.email');
  if (String(form.get('password') ?? '') === '') errors.password = t('form.field.password');
  return errors;
}
