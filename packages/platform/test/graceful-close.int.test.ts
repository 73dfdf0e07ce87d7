import { Agent, createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, drainServer, listen } from '../src/http/listen.js';

const agents: Agent[] = [];
const servers: Server[] = [];

async function started(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end('ok'));
  servers.push(server);
  return { server, port: await listen(server, 0, '127.0.0.1') };
}

/** A keep-alive client, as a connection pool: reuses its one connection while the server allows. */
function keepAlive(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

const get = (port: number, agent: Agent) =>
  new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(servers.splice(0).map((server) => (server.listening ? closeServer(server) : undefined)));
});

describe('closing a server without cutting a keep-alive client', () => {
  it('answers a request that carries an Upgrade header (curl --http2 sends Upgrade: h2c) like any other', async () => {
    const { port } = await started();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(
        {
          port,
          host: '127.0.0.1',
          path: '/',
          headers: { connection: 'Upgrade', upgrade: 'h2c' },
          timeout: 2_000,
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      )
        .on('timeout', () => reject(new Error('no answer: the request hangs')))
        .on('error', reject)
        .end();
    });
    expect(answer).toEqual({ status: 200, body: 'ok' });
  });

  it('answers keep-alive until draining, then every answer says Connection: close', async () => {
    const { server, port } = await started();
    const agent = keepAlive();
    expect(await get(port, agent)).toEqual({ status: 200, connection: 'keep-alive' });
    drainServer(server);
    expect(await get(port, agent)).toEqual({ status: 200, connection: 'close' });
  });

  it('once draining, waits for idle connections to be retired by their clients, serving them meanwhile', async () => {
    const { server, port } = await started();
    const agent = keepAlive();
    await get(port, agent); // an idle keep-alive connection now
    drainServer(server);
    let closed = false;
    const closing = closeServer(server, { idleGraceMs: 3_000 }).then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    // The client reuses its idle connection during the grace: answered, and told to close it.
    const started_ = Date.now();
    expect(await get(port, agent)).toEqual({ status: 200, connection: 'close' });
    await closing;
    // Closed as soon as the last connection was retired, not at the end of the grace.
    expect(Date.now() - started_).toBeLessThan(2_000);
  });

  it('a plain stop (no drain first) closes idle connections at once', async () => {
    const { server, port } = await started();
    await get(port, keepAlive());
    const before = Date.now();
    await closeServer(server, { idleGraceMs: 3_000 });
    expect(Date.now() - before).toBeLessThan(1_000);
  });
});
