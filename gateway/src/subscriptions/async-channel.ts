/**
 * A push-to-pull bridge: producers `push`, one consumer iterates. `return()` (called by
 * graphql-ws when the client completes or disconnects) runs the cleanup and ends iteration.
 */
export class AsyncChannel<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting?: (result: IteratorResult<T>) => void;
  private closed = false;

  constructor(private readonly onClose: () => void = () => undefined) {}

  push(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  }

  /** Values pushed and not yet taken: the consumer is behind by this many. */
  get backlog(): number {
    return this.buffer.length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0; // nobody will take them: not held until the channel is collected
    this.onClose();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
