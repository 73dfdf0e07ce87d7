import { EMAIL_PATTERN, MEMBER_LIMITS } from '@gaji/contracts/member-limits';
import { characterCount, foldSpaces, oneLineNameProblem } from '@gaji/contracts/person-text';
import type { TFunction } from 'i18next';
import type { FieldErrors } from '../ui/use-checked-form';

// The member context's rules (subgraphs/member/src/domain), by the bounds and the email shape it
// publishes (`MEMBER_LIMITS`, `EMAIL_PATTERN`) and the name rule it applies (person-text), counted as
// it counts (a nickname in graphemes once composed and its spaces folded, a password in UTF-16 units),
// so a first submit shows every problem at once and nothing is sent that the server would refuse. The
// server still decides; its errors land under the same fields.
const { emailMax, passwordMin, passwordMax, nicknameMin, nicknameMax } = MEMBER_LIMITS;

/** An address as the member context takes it: trimmed, of the shape it can announce (checked before lower-casing). */
const isEmail = (raw: string) => {
  const email = raw.trim();
  return email.length <= emailMax && EMAIL_PATTERN.test(email);
};

export function checkSignUp(form: FormData, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  const password = String(form.get('password') ?? '');
  const nickname = foldSpaces(String(form.get('nickname') ?? ''));
  if (!isEmail(String(form.get('email') ?? ''))) errors.email = t('form.field.email');
  if (
    password.length < passwordMin ||
    password.length > passwordMax ||
    !/\p{L}/u.test(password) ||
    !/[^\p{L}]/u.test(password)
  )
    errors.password = t('form.field.password');
  const nicknameLength = characterCount(nickname);
  if (nicknameLength < nicknameMin || nicknameLength > nicknameMax || oneLineNameProblem(nickname))
    errors.nickname = t('form.field.nickname');
  return errors;
}

export function checkLogIn(form: FormData, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  if (!isEmail(String(form.get('email') ?? ''))) errors.email = t('form.field.email');
  if (String(form.get('password') ?? '') === '') errors.password = t('form.field.password');
  return errors;
}
