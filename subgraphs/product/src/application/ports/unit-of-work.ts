/** Runs work in one database transaction; repositories used inside join it. */
export interface UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export interface Clock {
  now(): Date;
}

export type IdGenerator = () => string;
