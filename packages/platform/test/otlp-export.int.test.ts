import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/emit-one-span.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** A stand-in OTLP/HTTP collector on loopback: records what is posted to it. */
const received: { path: string; contentType: string; body: string }[] = [];
const collector = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({
      path: req.url ?? '',
      contentType: req.headers['content-type'] ?? '',
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
let endpoint = '';

function emit(env: Record<string, string>): Promise<string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')),
  );
  return new Promise((resolve, reject) =>
    execFile(tsx, [script], { env: { ...inherited, ...env }, timeout: 30_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
}

/** The HTTP requests the emitting process started (its fixture prints them, wherever they went). */
function requestsOf(stdout: string): string[] {
  const line = stdout.split('\n').find((text) => text.startsWith('requests: '));
  if (!line) throw new Error(`no requests line in: ${stdout}`);
  return JSON.parse(line.slice('requests: '.length)) as string[];
}

describe('trace export', () => {
  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(() => collector.close());

  it('with OTEL_EXPORTER_OTLP_ENDPOINT set, spans are posted over OTLP/HTTP to <endpoint>/v1/traces', async () => {
    received.length = 0;
    const stdout = await emit({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(stdout).toContain(`flushed; exporter: ${endpoint}`);
    // The process sees its own export too, so an empty list in the next case means something.
    expect(requestsOf(stdout)).toEqual([`POST ${new URL(endpoint).host}/v1/traces`]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/v1/traces', contentType: 'application/json' });
    const body = JSON.parse(received[0]!.body) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: { name: string }[] }[];
      }[];
    };
    const [resourceSpans] = body.resourceSpans;
    expect(resourceSpans!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'probe' },
    });
    expect(resourceSpans!.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name))).toEqual([
      'probe span',
    ]);
  });

  it('without it, no exporter exists and nothing is sent (not even to the OTLP default, localhost:4318)', async () => {
    received.length = 0;
    const stdout = await emit({});
    expect(stdout).toContain('flushed; exporter: none');
    expect(requestsOf(stdout)).toEqual([]);
    expect(received).toHaveLength(0);
  });
});
