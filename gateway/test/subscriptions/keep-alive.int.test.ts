import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LoneGateway } from '../support/lone-gateway.js';

/** The sweep's period in this test: short, so that several pass within a test (under the 1 s floor of WS_KEEPALIVE_MS). */
const KEEPALIVE_MS = 200;

interface Watched {
  ws: WebSocket;
  pings: number;
  openedAt: number;
  closed: Promise<{ code: number; afterMs: number }>;
}

/**
 * An anonymous graphql-ws socket, acknowledged. `answerPings: false` is a client gone silent (a
 * dead peer, a frozen tab): its socket stays open at the TCP level but never pongs.
 */
function connect(url: string, answerPings = true): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong: answerPings });
    const watched: Watched = {
      ws,
      pings: 0,
      openedAt: 0,
      closed: new Promise((closed) =>
        ws.once('close', (code) => closed({ code, afterMs: performance.now() - watched.openedAt })),
      ),
    };
    ws.on('ping', () => watched.pings++);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      watched.openedAt = performance.now();
      resolve(watched);
    });
    ws.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timersKeepingTheLoop = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

/**
 * Broken connections are found by pings: every WS_KEEPALIVE_MS the gateway pings each socket and
 * ends one that has not answered the previous ping — with one sweep over all sockets, not a timer
 * per socket (keep-alive-sweep.ts).
 */
describe('WebSocket keep-alive (real gateway over loopback)', () => {
  let lone: LoneGateway;
  beforeAll(async () => {
    // In code: below the floor an operator's WS_KEEPALIVE_MS may not go (config.ts).
    lone = await LoneGateway.start('keep_alive', {}, {}, { WS_KEEPALIVE_MS: KEEPALIVE_MS });
  });
  afterAll(async () => {
    await lone?.stop();
  });

  it('ends a socket whose client stops answering pings within two periods of its last answer', async () => {
    const silent = await connect(lone.url, false);
    const { code, afterMs } = await Promise.race([
      silent.closed,
      sleep(10 * KEEPALIVE_MS).then(() => ({ code: -1, afterMs: Infinity })),
    ]);
    silent.ws.terminate();
    expect(silent.pings).toBeGreaterThanOrEqual(1);
    // Terminated, not closed politely: a peer that does not pong would not answer a close either.
    expect(code).toBe(1006);
    // Pinged at the first sweep after it opened, ended at the next one: two periods, and slack
    // for a loaded machine's timers.
    expect(afterMs).toBeLessThanOrEqual(2 * KEEPALIVE_MS + 600);
  });

  it('keeps a healthy idle socket open across several sweeps, pinging it each time', async () => {
    const healthy = await connect(lone.url);
    await sleep(6 * KEEPALIVE_MS);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    expect(healthy.pings).toBeGreaterThanOrEqual(4);
    healthy.ws.close(1000);
    await healthy.closed;
  });

  it('keeps no timer per socket: 40 idle sockets, pinged every period, add none to the timers running', async () => {
    const before = timersKeepingTheLoop();
    const sockets = await Promise.all(Array.from({ length: 40 }, () => connect(lone.url)));
    // graphql-ws's wait for connection_init (3 s, one per socket) has passed by then.
    await sleep(3_500);
    const open = timersKeepingTheLoop();
    const allPinged = sockets.every((socket) => socket.ws.readyState === WebSocket.OPEN && socket.pings >= 2);
    for (const socket of sockets) socket.ws.close(1000);
    await Promise.all(sockets.map((socket) => socket.closed));
    expect(open - before).toBeLessThan(5);
    expect(allPinged).toBe(true);
  });
});
