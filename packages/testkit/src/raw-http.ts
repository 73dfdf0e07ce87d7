import { connect } from 'node:net';

/**
 * A client on a real socket that sends `head` at once and then one byte of `rest` every 100 ms
 * (all of it at once with `dripMs: 0`): what no HTTP client library would send — a slow client,
 * malformed HTTP. Resolves with what the server wrote and how long it kept the connection open.
 */
export function dribble(
  url: string,
  head: string,
  rest = '',
  dripMs = 100,
): Promise<{ answer: string; ms: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    let answer = '';
    let sent = 0;
    const socket = connect(Number(port), hostname, () => socket.write(dripMs > 0 ? head : head + rest));
    const drip = dripMs > 0 && setInterval(() => sent < rest.length && socket.write(rest[sent++]!), dripMs);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined); // a reset when the server closes while we write
    socket.on('close', () => {
      if (drip) clearInterval(drip);
      resolve({ answer, ms: performance.now() - started });
    });
  });
}

/** A raw HTTP/1.1 answer read apart: status, headers (lower-cased names) and the body's text. */
export function readAnswer(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = (end < 0 ? raw : raw.slice(0, end)).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
    headers,
    body: end < 0 ? '' : raw.slice(end + 4),
  };
}

/** The GraphQL error a refusal of ours carries. */
export interface RefusalError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * A raw answer of ours refusing a request: its status, headers and first GraphQL error. Throws
 * unless the body is JSON declared as such, exactly `Content-Length` bytes long: a refusal is
 * written by hand onto the socket, and a wrong length would leave a client waiting or cut short.
 */
export function readRefusal(raw: string): {
  status: number;
  headers: Record<string, string>;
  error: RefusalError | undefined;
} {
  const { status, headers, body } = readAnswer(raw);
  if (headers['content-type'] !== 'application/json; charset=utf-8')
    throw new Error(`not a JSON refusal (content-type ${headers['content-type']}): ${raw.slice(0, 200)}`);
  if (Number(headers['content-length']) !== Buffer.byteLength(body))
    throw new Error(`content-length ${headers['content-length']} but ${Buffer.byteLength(body)} bytes`);
  return { status, headers, error: (JSON.parse(body) as { errors?: RefusalError[] }).errors?.[0] };
}

/**
 * A client on a real socket that sends `head` (a request's headers, ending in `\r\n\r\n`) and then
 * `bytes` of body every `everyMs` — each as one chunk when `chunked` (the default: the head declares
 * `Transfer-Encoding: chunked`), as bare bytes otherwise — never ending its body, until the server
 * closes the connection or `giveUpMs` passes. Resolves with what the server wrote, how many body
 * bytes had been sent when its answer began (`sentAtAnswer`) and after how long (`answerMs`, -1 when
 * none came), and whether the server closed the connection (`closedByServer`), not the client
 * giving up, and when (`closedMs`). With `body`, those bytes are sent instead of `x`s, `bytes` at a
 * time, and then the body's end (the last chunk): a slow client sending a whole, finite body.
 */
export function trickleBody(
  url: string,
  head: string,
  options: { bytes: number; everyMs: number; giveUpMs: number; chunked?: boolean; body?: Buffer },
): Promise<{
  answer: string;
  sentAtAnswer: number;
  answerMs: number;
  closedByServer: boolean;
  closedMs: number;
}> {
  const { hostname, port } = new URL(url);
  const chunked = options.chunked !== false;
  const xs = Buffer.from('x'.repeat(options.bytes));
  /** The body's next bytes from `offset` (empty once all of `body` has gone). */
  const bytesAt = (offset: number) => options.body?.subarray(offset, offset + options.bytes) ?? xs;
  const onTheWire = (bytes: Buffer) =>
    chunked
      ? Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')])
      : bytes;
  return new Promise((resolve) => {
    const started = performance.now();
    let answer = '';
    let sent = 0;
    let sentAtAnswer = -1;
    let answerMs = -1;
    let gaveUp = false;
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let ended = false;
    const drip = setInterval(() => {
      if (!socket.writable || ended) return;
      const bytes = bytesAt(sent);
      if (bytes.length > 0) {
        socket.write(onTheWire(bytes));
        sent += bytes.length;
        return;
      }
      ended = true;
      if (chunked) socket.write('0\r\n\r\n');
    }, options.everyMs);
    const giveUp = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, options.giveUpMs);
    socket.on('data', (data) => {
      if (answerMs < 0) {
        answerMs = performance.now() - started;
        sentAtAnswer = sent;
      }
      answer += data.toString();
    });
    socket.on('error', () => undefined); // a reset when the server closes while we write
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({
        answer,
        sentAtAnswer,
        answerMs,
        closedByServer: !gaveUp,
        closedMs: performance.now() - started,
      });
    });
  });
}
