/**
 * A business rule refused a command. `code` is stable and part of the API (it becomes the GraphQL
 * `extensions.code`); `details` adds what a client needs to react, e.g. the offending field.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    if (details) this.details = details;
  }
}

/** Input that breaks a rule of the domain (a blank title, a price of zero…), naming the field. */
export class InvalidInput extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(field: string, message: string) {
    super(message, { field });
  }
}

/**
 * Something the domain depends on cannot be reached right now (a payment provider down or timed
 * out): nothing is wrong with the command or the event, and trying again later is safe. The event
 * consumer recognises the marker (`isDependencyUnavailable` of the platform) and waits the outage
 * out rather than setting the event aside as a dead letter.
 */
export abstract class DependencyUnavailable extends DomainError {
  readonly dependencyUnavailable = true as const;
}
