import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { sweepKeepAlive } from '../../src/subscriptions/keep-alive-sweep.js';

const EVERY_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let wss: WebSocketServer | undefined;
afterEach(async () => {
  for (const socket of wss?.clients ?? []) socket.terminate();
  await new Promise((resolve) => wss?.close(resolve) ?? resolve(undefined));
  wss = undefined;
});

interface Client {
  ws: WebSocket;
  pings(): number;
  /** Stops answering pings, as a peer gone silent. */
  silence(): void;
}

/** A ws server on loopback, swept; its clients, each counting the pings it hears. */
async function sweptServer(
  everyMs = EVERY_MS,
): Promise<{ stop: () => void; connect: () => Promise<Client> }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss = server;
  await new Promise((resolve) => server.once('listening', resolve));
  const stop = sweepKeepAlive(server, everyMs);
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const connect = () =>
    new Promise<Client>((resolve, reject) => {
      const ws = new WebSocket(url, { autoPong: false });
      let pings = 0;
      let answering = true;
      ws.on('ping', (data) => {
        pings++;
        if (answering) ws.pong(data);
      });
      ws.once('open', () => resolve({ ws, pings: () => pings, silence: () => (answering = false) }));
      ws.once('error', reject);
    });
  return { stop, connect };
}

describe('keep-alive sweep', () => {
  it('pings every socket once a period, 1,200 of them over several turns of the event loop', async () => {
    // Clients and server share this process's event loop: a period long enough for 1,200 pongs.
    const everyMs = 300;
    const { stop, connect } = await sweptServer(everyMs);
    const clients = await Promise.all(Array.from({ length: 1_200 }, connect));
    await sleep(3.5 * everyMs);
    stop();
    expect(clients.every((client) => client.pings() >= 2 && client.ws.readyState === WebSocket.OPEN)).toBe(
      true,
    );
    for (const client of clients) client.ws.terminate();
    // Opening 1,200 sockets alone took over the default 5 s on a loaded machine.
  }, 30_000);

  it('once stopped (the gateway stopping), pings no more and ends no socket', async () => {
    const { stop, connect } = await sweptServer();
    const client = await connect();
    await sleep(3 * EVERY_MS);
    expect(client.pings()).toBeGreaterThanOrEqual(1);
    stop();
    await sleep(EVERY_MS / 2); // a ping already on its way
    const pingsAtStop = client.pings();
    // Silent from here: were the sweep still running, it would end this socket after two periods.
    client.silence();
    await sleep(5 * EVERY_MS);
    expect(client.pings()).toBe(pingsAtStop);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.terminate();
  });
});
