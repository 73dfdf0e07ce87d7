import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** One JSON logger per service (to stdout, or to `destination`, e.g. a test capturing lines); `service` is on every line so mixed logs stay readable. */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: ['password', '*.password', 'token', '*.token'],
  };
  return destination ? pino(options, destination) : pino(options);
}
