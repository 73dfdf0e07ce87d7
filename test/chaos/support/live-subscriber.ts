import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const MY_PAGE_CHANGED = 'subscription ($after: String) { myPageChanged(after: $after) { cursor event } }';

/**
 * A live subscriber that behaves as the web client should: it follows `myPageChanged` and, when
 * its socket closes or the subscription fails, resubscribes after its last cursor. It counts every
 * frame by cursor, so a lost frame (a cursor never received) and a doubled one both show.
 */
export class LiveSubscriber {
  /** Frames received per cursor (a value above 1 is a doubled frame). */
  readonly frames = new Map<number, number>();
  readonly errors: string[] = [];
  resubscriptions = 0;
  private lastCursor = 0;
  private client?: Client;
  private stopped = false;

  constructor(
    private readonly url: () => string,
    private readonly token: string,
  ) {}

  start(): this {
    this.subscribe();
    return this;
  }

  get received(): number {
    return this.frames.size;
  }

  private subscribe(): void {
    if (this.stopped) return;
    const client = createClient({
      url: this.url(),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${this.token}` },
    });
    this.client = client;
    let again = false;
    const resubscribe = (reason: string) => {
      if (again || this.stopped) return;
      again = true;
      this.errors.push(reason);
      void client.dispose();
      this.resubscriptions += 1;
      setTimeout(() => this.subscribe(), 500).unref();
    };
    client.subscribe<{ myPageChanged: { cursor: string; event: string } }>(
      { query: MY_PAGE_CHANGED, variables: { after: String(this.lastCursor) } },
      {
        next: (value) => {
          if (value.errors)
            return resubscribe(
              `errors: ${value.errors.map((e) => e.extensions?.code ?? e.message).join(',')}`,
            );
          const cursor = Number(value.data?.myPageChanged.cursor);
          this.frames.set(cursor, (this.frames.get(cursor) ?? 0) + 1);
          this.lastCursor = Math.max(this.lastCursor, cursor);
        },
        error: (error) => resubscribe(describe(error)),
        complete: () => resubscribe('completed'),
      },
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.dispose();
  }
}

function describe(error: unknown): string {
  if (Array.isArray(error))
    return error.map((e: { extensions?: { code?: string } }) => e.extensions?.code).join(',');
  if (error && typeof error === 'object' && 'code' in error)
    return `close ${(error as { code: number }).code}`;
  // A socket that could not open (the gateway down): ws's ErrorEvent, which carries a message.
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}
