import { isPaymentRefusalCode, paymentRefusals, type PaymentRefusalCode } from '@gaji/contracts';
import { isCodedError, sentenceOf } from '@gaji/platform/graphql';
import type { Logger } from '@gaji/platform/logging';
import type { ErrorRequestHandler } from 'express';
import type { ZodError } from 'zod';

/** A refusal with a code of the internal contract, answered as `{ code, message, ...details }`. */
export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: PaymentRefusalCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = paymentRefusals[code].status;
  }
}

/** A request its contract's schema refused (parsed with `ruleBroken`), worded as GraphQL's are. */
export function badInput(error: ZodError, field?: string): HttpProblem {
  const issue = error.issues[0];
  return new HttpProblem('BAD_USER_INPUT', issue ? sentenceOf(issue) : 'The input is not valid.', {
    field: field ?? issue?.path.join('.') ?? '',
  });
}

/**
 * Every failure ends as JSON with a code of the contract (@gaji/contracts, internal): domain
 * refusals with the status the contract gives their code, the unexpected as a logged 500.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpProblem) {
      res.status(error.status).json({ ...error.details, code: error.code, message: error.message });
      return;
    }
    if (isCodedError(error) && isPaymentRefusalCode(error.code)) {
      res
        .status(paymentRefusals[error.code].status)
        .json({ ...error.details, code: error.code, message: error.message });
      return;
    }
    // The router answers bodies it cannot read (internalRouter); what else carries a 4xx is
    // Express's own, a path parameter it cannot decode (`%ZZ`): the caller's fault, as a 400.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res
        .status(paymentRefusals.BAD_USER_INPUT.status)
        .json({ code: 'BAD_USER_INPUT', field: '', message: 'The request path cannot be read.' });
      return;
    }
    logger.error(
      { err: error, path: req.path, correlationId: req.get('gaji-correlation-id') },
      'internal payments API failed',
    );
    res.status(paymentRefusals.INTERNAL_SERVER_ERROR.status).json({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on our side; please try again.',
    });
  };
}
