import { LISTING_TEXT_LIMITS } from '@gaji/contracts';
import WebSocket from 'ws';

/**
 * The outside check's live-frame attack (docs/security.md, "Live frames"), shared by its test
 * (test/security/live-memory.e2e.test.ts) and its benchmark (bench/system/live-memory.bench.ts).
 */

/** The outside check's seller: 100 listings, each with the longest description, in Korean. */
export const WORDY_DESCRIPTION = '가지마켓중고상태좋아요'
  .repeat(200)
  .slice(0, LISTING_TEXT_LIMITS.description);
/** Its admitted subscription: 8,605 units, a 2.4 MB frame on every event of the buyer's deals. */
export const HEAVY_SUBSCRIPTION =
  'subscription{purchaseStatusChanged{cursor purchase{id seller{products(first:100){seller{products(first:4){description}}}}}}}';

export type LiveFrame = {
  id?: string;
  type: string;
  payload?: { extensions?: { code?: string; limit?: string } }[];
};

/**
 * graphql-ws spoken by hand over `ws`, so a client can stop reading (pause the TCP socket). Keeps
 * every frame but a `next`'s data: those are megabytes here, and only that they came matters.
 */
export class RawLive {
  readonly frames: LiveFrame[] = [];
  closed?: { code: number; reason: string };
  private readonly waiting = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as LiveFrame;
      this.frames.push(frame.type === 'next' ? { id: frame.id, type: frame.type } : frame);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  static async open(url: string, token: string): Promise<RawLive> {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const live = new RawLive(ws);
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    if (!(await live.until(() => live.frames.some((f) => f.type === 'connection_ack'), 10_000)))
      throw new Error(`no connection_ack from ${url}${live.closed ? ` (closed ${live.closed.code})` : ''}`);
    return live;
  }

  subscribe(id: string, query: string): void {
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
  }

  complete(id: string): void {
    this.ws.send(JSON.stringify({ id, type: 'complete' }));
  }

  refusalOf(id: string) {
    return this.frames.find((f) => f.id === id && f.type === 'error')?.payload?.[0];
  }

  /** Whether `holds` came true (checked on each frame and on close) within `timeoutMs`. */
  until(holds: () => boolean, timeoutMs: number): Promise<boolean> {
    if (holds()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!holds()) return;
        finish(true);
      };
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => finish(holds()), timeoutMs);
      this.waiting.add(check);
    });
  }

  /** The TCP socket under the WebSocket: paused, the client reads nothing and the kernel fills up. */
  get tcp() {
    return (this.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  }

  private wake(): void {
    for (const check of [...this.waiting]) check();
  }
}
