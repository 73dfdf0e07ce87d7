import { LISTING_TEXT_LIMITS } from '@gaji/contracts';
import WebSocket from 'ws';

/**
 * The outside check's live-frame attack (docs/security.md, "Live frames"), shared by its test
 * (test/security/live-memory.e2e.test.ts) and its benchmark (bench/system/live-memory.bench.ts).
 */

/**
 * The attacker's seller: 100 listings, each with the heaviest description the rule accepts — its
 * 2,000 characters each a family emoji (seven code points, 11 UTF-16 units, 25 bytes), 50 KB a
 * description where the outside check's Korean one was 6 KB: what a unit of cost can carry at most.
 */
export const WORDY_DESCRIPTION = '👨‍👩‍👧‍👦'.repeat(LISTING_TEXT_LIMITS.description);
/**
 * Its heaviest admitted subscription since text is weighed by its largest answer in bytes (a
 * description 240 units): 9,968 units, just under the 10,000 an operation may cost — 41 of the
 * heaviest descriptions, a 2 MB frame on every event of the buyer's deals. (The outside
 * check's own, `products(first:100){seller{products(first:4){description}}}`, 2.4 MB a frame, was
 * admitted at 8,605 units under the old weights and weighs 96,605 now: refused, QUERY_TOO_COSTLY.)
 */
export const HEAVY_SUBSCRIPTION =
  'subscription{purchaseStatusChanged{cursor purchase{id seller{products(first:41){seller{products(first:1){description}}}}}}}';

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
