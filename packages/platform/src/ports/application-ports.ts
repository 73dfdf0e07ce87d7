/**
 * The ports every context's application layer shares. They are types only: a use case names what
 * it needs (a unit of work, the time, new ids) and the context runtime provides it, so
 * `application/` depends on this one subpath of the platform and on nothing that runs.
 */

/** Runs work in one database transaction; repositories used inside join it. */
export interface UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export interface Clock {
  now(): Date;
}

export type IdGenerator = () => string;
