import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../src/http/listen.js';

const servers: Server[] = [];
const server = (name: string) => {
  const created = createServer((_req, res) => res.end(name));
  servers.push(created);
  return created;
};

afterEach(async () => {
  await Promise.all(servers.splice(0).map((each) => closeServer(each)));
});

describe('replicas sharing one port', () => {
  it('with reusePort, a second process-like server listens on the same port and the kernel spreads connections over both', async () => {
    const port = await listen(server('one'), 0, '127.0.0.1', { reusePort: true });
    expect(await listen(server('two'), port, '127.0.0.1', { reusePort: true })).toBe(port);
    const answered = new Set<string>();
    for (let k = 0; k < 60 && answered.size < 2; k++)
      answered.add(
        await (await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } })).text(),
      );
    expect(answered).toEqual(new Set(['one', 'two']));
  });

  it('without it, the port stays one server’s own', async () => {
    const port = await listen(server('one'), 0, '127.0.0.1');
    await expect(listen(server('two'), port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
