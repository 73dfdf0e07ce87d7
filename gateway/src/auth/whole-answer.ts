import type { Dispatcher } from 'undici';

export interface WholeAnswer {
  statusCode: number;
  body: string;
}

/** The answer had begun when the call failed: the request was read, so it is never sent again. */
export class AnswerInterrupted extends Error {
  override name = 'AnswerInterrupted';
}

/**
 * The request waited longer than it may for a connection and was never sent: the subgraph did
 * nothing, so the caller can be told to come back (SERVICE_BUSY), even for a payment.
 */
export class NotSentInTime extends Error {
  override name = 'NotSentInTime';
}

/**
 * Sends one request through an undici dispatcher and reads the whole answer as text. A subgraph
 * answer is small and always read whole, so this uses undici's dispatch handler directly instead
 * of `request()`, which per call builds an AsyncResource, a Readable stream for the body and the
 * body mixin that reads it back — a measurable share of the gateway's CPU (docs/performance.md).
 * A request still waiting for a connection after `maxQueueMs` is dropped as it would be written
 * (`NotSentInTime`): a queue judged by the time its requests wait, as CoDel judges one, so a
 * request never reaches a subgraph seconds late while its caller gives up.
 * A failure before the answer begins rejects with undici's own error (its `code` says whether the
 * connection closed under the request); one after, with `AnswerInterrupted`.
 */
export function requestWhole(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  maxQueueMs = Infinity,
): Promise<WholeAnswer> {
  const queuedAt = performance.now();
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    const chunks: Buffer[] = [];
    dispatcher.dispatch(options, {
      onRequestStart() {
        // Thrown here, undici drops the request unwritten and keeps the connection.
        const waited = performance.now() - queuedAt;
        if (waited > maxQueueMs) throw new NotSentInTime(`waited ${waited.toFixed(0)} ms for a connection`);
      },
      onResponseStart(_controller, status) {
        if (status >= 200) statusCode = status; // 1xx: informational, the answer is still to come
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        const body = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
        resolve({ statusCode, body });
      },
      onResponseError(_controller, error) {
        reject(statusCode === 0 ? error : new AnswerInterrupted(error.message));
      },
    });
  });
}
