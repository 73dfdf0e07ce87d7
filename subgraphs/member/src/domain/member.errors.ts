import { DomainError } from '@gaji/domain-kernel';

export class EmailTaken extends DomainError {
  readonly code = 'EMAIL_TAKEN';
  constructor() {
    super('An account with this email already exists.', { field: 'email' });
  }
}

/** One error for unknown email and wrong password alike, so nobody can probe who has an account. */
export class InvalidCredentials extends DomainError {
  readonly code = 'INVALID_CREDENTIALS';
  constructor() {
    super('Email or password is incorrect.');
  }
}

export class MemberNotFound extends DomainError {
  readonly code = 'MEMBER_NOT_FOUND';
  constructor() {
    super('This member does not exist or has withdrawn.');
  }
}

/** Unknown, expired, revoked or reused refresh token. */
export class InvalidRefreshToken extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  // `withdrawn`: the member has left, so signing in again cannot work either — said, so a client
  // need not ask them to.
  constructor(reason: 'unknown' | 'expired' | 'reused' | 'revoked' | 'withdrawn') {
    super('Your session has ended; sign in again.', { reason });
  }
}
