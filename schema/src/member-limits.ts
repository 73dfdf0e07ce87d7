/**
 * A member's sign-up bounds. Published language: the member context refuses a sign-up outside them
 * (subgraphs/member/src/domain), and the web client's sign-up form checks by them before sending and
 * names them in its hints and messages (it imports this file alone,
 * `@gaji/contracts/member-limits`: keep it free of imports). Counted as the member context counts:
 * - the nickname in characters as a person counts them (grapheme clusters: an emoji or a Hangul
 *   syllable is one), once composed (Unicode NFC: "가" typed as the jamo ᄀ + ᅡ on macOS is stored as
 *   the syllable 가), trimmed and each run of whitespace folded to one space — what is counted is
 *   what is stored;
 * - the password and the email in UTF-16 code units (`String.length`), as typed: a password is hashed
 *   as sent, never normalized (docs/security.md), and an email is ASCII by its shape.
 */
export const MEMBER_LIMITS = {
  nicknameMin: 2,
  nicknameMax: 20,
  passwordMin: 8,
  // scrypt's cost grows with input length; a ceiling stops a megabyte "password" from being a DoS.
  passwordMax: 128,
  emailMax: 254,
} as const;

/**
 * The email shape a member may sign up and log in with, tested on the trimmed address before it is
 * lower-cased (a Kelvin sign, U+212A, would otherwise pass as "k"):
 * the one the MemberJoined contract accepts (zod's `z.email()`), so an address let in is one that
 * can be announced (the fuzz run found `&!?@x.yz` failing after the fact). Deliverability is proven
 * by mail, not by this.
 */
export const EMAIL_PATTERN =
  /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
