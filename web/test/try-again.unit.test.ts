import { ApolloError } from '@apollo/client';
import type { TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatWait } from '../src/i18n/format';
import { buyOutcomeOf } from '../src/product/buy-outcome';
import { formMessageOf } from '../src/ui/server-field-errors';
import { tryAgainMessage, tryAgainMessageOf, tryAgainOf } from '../src/ui/try-again';
import { translations } from './support/translations';

/** A refusal as the gateway sends it: an HTTP error status whose body holds the typed error. */
const refusal = (code: string, extensions: Record<string, unknown> = {}, status = 429) =>
  new ApolloError({
    networkError: Object.assign(new Error(`Response not successful: Received status code ${status}`), {
      name: 'ServerError',
      statusCode: status,
      response: {} as Response,
      result: { errors: [{ message: 'refused', extensions: { code, ...extensions } }] },
    }),
  });
const answered = (code: string, extensions: Record<string, unknown> = {}) =>
  new ApolloError({ graphQLErrors: [{ message: 'refused', extensions: { code, ...extensions } }] });

let tKo: TFunction;
let tEn: TFunction;
beforeAll(async () => {
  ({ ko: tKo, en: tEn } = await translations());
});

describe('how long to wait, in the unit a person would use', () => {
  it('says seconds under a minute: 1초, 3초, 59초 — 1 second, 3 seconds', () => {
    expect(formatWait(1, 'ko')).toBe('1초');
    expect(formatWait(3, 'ko')).toBe('3초');
    expect(formatWait(59, 'ko')).toBe('59초');
    expect(formatWait(1, 'en')).toBe('1 second');
    expect(formatWait(3, 'en')).toBe('3 seconds');
  });

  it('says whole minutes under an hour, never sooner than the wait: 1분, 2분 for 90 s — 1 minute, 15 minutes', () => {
    expect(formatWait(60, 'ko')).toBe('1분');
    expect(formatWait(90, 'ko')).toBe('2분');
    expect(formatWait(900, 'ko')).toBe('15분');
    expect(formatWait(60, 'en')).toBe('1 minute');
    expect(formatWait(900, 'en')).toBe('15 minutes');
  });

  it('says hours from about an hour on, "about" when not exact: 약 1시간 for 3596 s, 2시간 — about 1 hour', () => {
    expect(formatWait(3_596, 'ko')).toBe('약 1시간');
    expect(formatWait(3_600, 'ko')).toBe('1시간');
    expect(formatWait(7_200, 'ko')).toBe('2시간');
    expect(formatWait(3_596, 'en')).toBe('about 1 hour');
    expect(formatWait(7_200, 'en')).toBe('2 hours');
    // Rounded up, as minutes are: an hour and a half is never said as about an hour.
    expect(formatWait(5_399, 'ko')).toBe('약 2시간');
    expect(formatWait(3_601, 'en')).toBe('about 2 hours');
  });
});

describe('what a refusal that says when to try again tells the person', () => {
  it('RATE_LIMITED after too many sign-ups says to try again in about an hour, in Korean and in English', () => {
    const error = refusal('RATE_LIMITED', { retryAfterSeconds: 3_596 });
    expect(tryAgainOf(error)).toEqual({ reason: 'too-many', seconds: 3_596 });
    expect(tryAgainMessageOf(error, tKo)).toBe('요청이 너무 많아요. 약 1시간 후에 다시 시도해 주세요.');
    expect(tryAgainMessageOf(error, tEn)).toBe('Too many attempts. Please try again in about 1 hour.');
  });

  it('the log-in back-off (RATE_LIMITED, 1 s) says 1초', () => {
    expect(tryAgainMessageOf(refusal('RATE_LIMITED', { retryAfterSeconds: 1 }), tKo)).toBe(
      '요청이 너무 많아요. 1초 후에 다시 시도해 주세요.',
    );
  });

  it('SERVICE_BUSY (load shedding) and any other error carrying retryAfterSeconds say the service is busy, and for how long', () => {
    expect(tryAgainMessageOf(answered('SERVICE_BUSY', { retryAfterSeconds: 3 }), tKo)).toBe(
      '지금은 이용하는 분이 많아요. 3초 후에 다시 시도해 주세요.',
    );
    expect(tryAgainOf(answered('SOMETHING_NEW', { retryAfterSeconds: 120 }))).toEqual({
      reason: 'busy',
      seconds: 120,
    });
    expect(tryAgainMessageOf(answered('SERVICE_BUSY', { retryAfterSeconds: 120 }), tEn)).toBe(
      'Gaji Market is busy right now. Please try again in 2 minutes.',
    );
  });

  it('SERVICE_UNAVAILABLE (a 503: a store or the signing keys out of reach) and SUBGRAPH_UNAVAILABLE say the service has a problem, not that it is busy', () => {
    const outage = refusal('SERVICE_UNAVAILABLE', { retryAfterSeconds: 5 }, 503);
    expect(tryAgainOf(outage)).toEqual({ reason: 'unavailable', seconds: 5 });
    expect(tryAgainMessageOf(outage, tKo)).toBe('서비스에 잠시 문제가 있어요. 5초 후에 다시 시도해 주세요.');
    expect(tryAgainMessageOf(outage, tEn)).toBe(
      'Gaji Market is having a problem right now. Please try again in 5 seconds.',
    );
    expect(tryAgainMessageOf(answered('SUBGRAPH_UNAVAILABLE', { retryAfterSeconds: 5 }), tKo)).toBe(
      '서비스에 잠시 문제가 있어요. 5초 후에 다시 시도해 주세요.',
    );
    expect(tryAgainMessageOf(refusal('SERVICE_UNAVAILABLE', {}, 503), tKo)).toBe(
      '서비스에 잠시 문제가 있어요. 잠시 후 다시 시도해 주세요.',
    );
    expect(tryAgainMessage({ reason: 'unavailable', seconds: 5 }, tKo, { over: true })).toBe(
      '서비스에 잠시 문제가 있었어요. 이제 다시 시도할 수 있어요.',
    );
    expect(tryAgainMessage({ reason: 'unavailable' }, tEn)).toBe(
      'Gaji Market is having a problem right now. Please try again shortly.',
    );
    for (const t of [tKo, tEn]) expect(tryAgainMessageOf(outage, t)).not.toMatch(/이용하는 분이 많|busy/);
  });

  it('a RATE_LIMITED without a wait still says why, and "shortly" — not a generic failure', () => {
    expect(tryAgainMessageOf(refusal('RATE_LIMITED'), tKo)).toBe(
      '요청이 너무 많아요. 잠시 후 다시 시도해 주세요.',
    );
  });

  it('says nothing for errors that do not say when to try again', () => {
    expect(tryAgainOf(answered('INVALID_CREDENTIALS'))).toBeUndefined();
    expect(tryAgainOf(answered('RATE_LIMITED', { retryAfterSeconds: 'soon' }))).toEqual({
      reason: 'too-many',
    });
    expect(tryAgainOf(new Error('offline'))).toBeUndefined();
  });

  it('a form refused RATE_LIMITED says when to try again instead of "문제가 생겼어요"', () => {
    expect(formMessageOf(refusal('RATE_LIMITED', { retryAfterSeconds: 3_596 }), {}, tKo)).toBe(
      '요청이 너무 많아요. 약 1시간 후에 다시 시도해 주세요.',
    );
  });

  it('a buy refused SERVICE_BUSY or RATE_LIMITED waits as long as it is told, not "failed"', () => {
    expect(buyOutcomeOf(answered('SERVICE_BUSY', { retryAfterSeconds: 3 }))).toEqual({
      kind: 'try-later',
      wait: { reason: 'busy', seconds: 3 },
    });
    expect(buyOutcomeOf(refusal('RATE_LIMITED', { retryAfterSeconds: 40 }))).toEqual({
      kind: 'try-later',
      wait: { reason: 'too-many', seconds: 40 },
    });
  });

  it('a buy whose outcome SERVICE_UNAVAILABLE left unknown is still sent again, and says the service has a problem, not the connection', () => {
    expect(buyOutcomeOf(answered('SERVICE_UNAVAILABLE', { retryAfterSeconds: 2 }))).toEqual({
      kind: 'no-answer',
      wait: { reason: 'unavailable', seconds: 2 },
    });
    expect(buyOutcomeOf(new Error('offline'))).toEqual({ kind: 'no-answer' });
  });

  it('once the wait is over, says the member may try again now (the countdown beside the button ended)', () => {
    expect(tryAgainMessage({ reason: 'too-many', seconds: 3 }, tKo, { over: true })).toBe(
      '요청이 너무 많았어요. 이제 다시 시도할 수 있어요.',
    );
    expect(tryAgainMessage({ reason: 'busy', seconds: 3 }, tEn, { over: true })).toBe(
      'Gaji Market was busy. You can try again now.',
    );
  });
});
