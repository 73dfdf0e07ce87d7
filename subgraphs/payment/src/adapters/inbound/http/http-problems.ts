import { isCodedError } from '@gaji/platform/graphql';
import { type Logger } from '@gaji/platform/logging';
import type { ErrorRequestHandler } from 'express';
import type { ZodError } from 'zod';

/** A refusal with a stable code, answered as `{ code, message, ...details }` with its status. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

// The codes of domain errors this API can meet, and the HTTP status each one means.
const statusOfCode: Record<string, number> = {
  BAD_USER_INPUT: 400,
  PAYMENT_DECLINED: 402,
  PAYMENT_VOIDED: 409,
  PAYMENT_MISMATCH: 409,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
};

export function badInput(error: ZodError, field?: string): HttpProblem {
  const issue = error.issues[0];
  return new HttpProblem(400, 'BAD_USER_INPUT', issue?.message ?? 'invalid input', {
    field: field ?? issue?.path.join('.') ?? '',
  });
}

/** Every failure ends as JSON with a code: domain refusals with their status, the unexpected as a logged 500. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpProblem) {
      res.status(error.status).json({ ...error.details, code: error.code, message: error.message });
      return;
    }
    if (isCodedError(error) && statusOfCode[error.code] !== undefined) {
      res
        .status(statusOfCode[error.code] ?? 500)
        .json({ ...error.details, code: error.code, message: error.message });
      return;
    }
    // body-parser's errors (malformed JSON, too large) carry their own 4xx status.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res
        .status(status)
        .json({ code: 'BAD_USER_INPUT', field: '', message: 'The request body is not valid JSON.' });
      return;
    }
    logger.error(
      { err: error, path: req.path, correlationId: req.get('gaji-correlation-id') },
      'internal payments API failed',
    );
    res.status(500).json({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on our side; please try again.',
    });
  };
}
