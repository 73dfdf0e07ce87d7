import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** One JSON logger per service; `service` is on every line so mixed logs stay readable. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service }, redact: ['password', '*.password', 'token', '*.token'] });
}
