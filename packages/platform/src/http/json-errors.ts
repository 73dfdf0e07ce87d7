import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';

/**
 * Express's last error handler: answers in GraphQL's error shape instead of Express's HTML page
 * (which would echo a stack trace). A body that is not JSON, or too large, is the client's fault.
 */
export function jsonErrorHandler(logger: Logger) {
  return (
    error: Error & { status?: number; type?: string },
    _req: Request,
    res: Response,
    next: NextFunction,
  ): void => {
    if (res.headersSent) return next(error);
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unhandled HTTP error');
    const message =
      error.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : error.type === 'entity.too.large'
          ? 'The request body is too large.'
          : status === 500
            ? 'Something went wrong on our side; please try again.'
            : error.message;
    res.status(status).json({
      errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }],
    });
  };
}
