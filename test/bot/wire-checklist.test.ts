// The wire checklist (issue 7 §5) on the real server: what a hostile client can do with sizes,
// encodings, content types, nesting and methods before any bot code runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { CaptureConnector } from '../support/capture-connector';
import { postJson, request } from '../support/http-client';
import { RunningBot, startTestBot } from '../support/test-bot';
import { createLogger } from '../../bot/logger';
import { createServer, jsonDeeperThan, MAX_JSON_DEPTH } from '../../bot/server';

const TEN_MB = 10 * 1024 * 1024;
const FIXED = (message: string) => JSON.stringify({ error: message });

interface RawExchange {
  /** Everything the server sent back. */
  response: string;
  status: number;
  /** Body bytes this client managed to write before the answer came (or the socket closed). */
  sent: number;
  /** Milliseconds from the first byte written to the answer. */
  ms: number;
  closedByServer: boolean;
}

/**
 * Speaks HTTP/1.1 over a raw socket: writes the head, then the body in chunks from `chunks()` until
 * the server answers (or closes). A server that only answers after reading everything never does
 * here within `timeoutMs`, which is what the 413 tests are about.
 */
function exchange(url: string, head: string, chunks: () => Iterator<Buffer>, timeoutMs = 5000): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const started = Date.now();
    let response = '';
    let sent = 0;
    let answeredAt = 0;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ response, status, sent, ms: (answeredAt || Date.now()) - started, closedByServer });
    };
    const timer = setTimeout(() => {
      if (!response) {
        socket.destroy();
        reject(new Error(`no answer within ${timeoutMs} ms after sending ${sent} body bytes`));
      } else finish(false);
    }, timeoutMs);
    socket.on('data', (c: Buffer) => {
      response += c.toString('utf8');
      answeredAt ||= Date.now();
    });
    // A server that closes after answering may reset a socket still writing: that's the point.
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(head);
    const iterator = chunks();
    const pump = () => {
      while (!done && !response) {
        const next = iterator.next();
        if (next.done) return;
        sent += next.value.length;
        if (!socket.write(next.value)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', pump);
  });
}

function* repeat(chunk: Buffer, total: number): Iterator<Buffer> {
  for (let n = 0; n < total; n += chunk.length) yield chunk;
}

function* chunked(chunk: Buffer, total: number): Iterator<Buffer> {
  for (let n = 0; n < total; n += chunk.length) yield Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  yield Buffer.from('0\r\n\r\n');
}

/** Files an upload parser (formidable, restify's multipart parser) would leave in the temp folder. */
function uploadLeftovers(before: Set<string>): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => !before.has(name) && /^(upload_|formidable|restify)|^[0-9a-f]{32}$/i.test(name));
}

describe('wire checklist', function () {
  let bot: RunningBot;
  let connector: CaptureConnector;

  before(async () => {
    connector = new CaptureConnector();
    await connector.start();
    bot = await startTestBot({ LOG_LEVEL: 'warn', REQUEST_API_TOKEN: 'wire-checklist-token-0123456789' });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  const activity = (conversation: string, fields: Record<string, unknown> = {}) => ({
    type: 'message',
    id: `wire-${conversation}`,
    channelId: 'emulator',
    serviceUrl: connector.url,
    conversation: { id: conversation },
    from: { id: 'user-1' },
    recipient: { id: 'bot' },
    locale: 'en-US',
    text: 'support phone number in the United States',
    ...fields,
  });

  async function stillServes(): Promise<void> {
    assert.equal((await request(`${bot.url}/healthz`)).status, 200, 'the process still answers /healthz');
    const response = await postJson(`${bot.url}/api/messages`, activity(`alive-${Date.now()}-${Math.random()}`));
    assert.equal(response.status, 200, 'and still runs turns');
  }

  describe('a 10 MB body', () => {
    it('gets 413 from its Content-Length, before the body is sent, and the handler never runs', async () => {
      // The body starts as a real activity, so a server that read and parsed it would answer it.
      const prefix = JSON.stringify(activity('too-large')).slice(0, -1) + ',"padding":"';
      const head = `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${TEN_MB}\r\n\r\n`;
      const result = await exchange(bot.url, head, () => [Buffer.from(prefix)][Symbol.iterator]());
      assert.equal(result.status, 413, result.response);
      assert.ok(result.response.endsWith(FIXED('The request body is too large.')), result.response);
      assert.match(result.response, /\r\nconnection: close\r\n/i, 'the server closes instead of draining 10 MB');
      assert.ok(result.sent < 1024, `answered after ${result.sent} body bytes`);
      assert.ok(result.ms < 2000, `answered in ${result.ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(connector.activities('too-large'), [], 'the activity was never run');
      await stillServes();
    });

    it('gets 413 as soon as a chunked body passes the limit, without reading the rest', async () => {
      const head = `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const result = await exchange(bot.url, head, () => chunked(Buffer.alloc(64 * 1024, 0x20), TEN_MB));
      assert.equal(result.status, 413, result.response.slice(0, 300));
      // Loopback socket buffers hold a few MB at most; a server reading to the end would take all 10.
      assert.ok(result.sent < TEN_MB / 2, `the client could only send ${result.sent} bytes`);
      await stillServes();
    });

    it('gets 413 for a gzip bomb (52 KB that inflates to 50 MB) instead of inflating it', async () => {
      const bomb = zlib.gzipSync(Buffer.concat([Buffer.from('{"type":"message","text":"'), Buffer.alloc(50 * 1024 * 1024, 0x61), Buffer.from('"}')]));
      assert.ok(bomb.length < 64 * 1024);
      const rssBefore = process.memoryUsage().rss;
      const response = await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
      assert.equal(response.status, 413);
      assert.equal(response.body, FIXED('The request body is too large.'));
      assert.ok(process.memoryUsage().rss - rssBefore < 40 * 1024 * 1024, 'the bomb was not inflated in memory');
      // Small gzip bodies are still fine, and unknown encodings are refused.
      const small = await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: zlib.gzipSync(JSON.stringify(activity('gzip-ok'))) });
      assert.equal(small.status, 200);
      const brotli = await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: zlib.brotliCompressSync(JSON.stringify(activity('br'))) });
      assert.equal(brotli.status, 415);
      const broken = await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all') });
      assert.equal(broken.status, 400);
      await stillServes();
    });

    it('never reaches the route handler or buffers the body (server with a spy route)', async () => {
      let reached = 0;
      const server = createServer({
        maxBodyBytes: 256 * 1024,
        logger: createLogger('silent'),
        routes: [{ method: 'post', path: '/spy', handler: (_req, res) => void (reached++, res.json({ ok: true })) }],
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const declared = await exchange(url, `POST /spy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${TEN_MB}\r\n\r\n`, () => [Buffer.from('{"a":"')][Symbol.iterator]());
        assert.equal(declared.status, 413);
        const streamed = await exchange(url, `POST /spy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, () => chunked(Buffer.alloc(64 * 1024, 0x20), TEN_MB));
        assert.equal(streamed.status, 413);
        assert.equal(reached, 0, 'the handler never ran');
        // Just under the limit is read and handled.
        const fits = await request(`${url}/spy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(256 * 1024 - 20) }) });
        assert.equal(fits.status, 200);
        assert.equal(reached, 1);
      } finally {
        server.close();
        (server.server as unknown as { closeAllConnections(): void }).closeAllConnections();
      }
    });

    it('is refused the same way on the Direct Line endpoint', async () => {
      const head = `POST /v3/directline/conversations/x/activities HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${TEN_MB}\r\n\r\n`;
      const result = await exchange(bot.url, head, () => repeat(Buffer.alloc(1024, 0x20), 1024));
      assert.equal(result.status, 413);
      assert.ok(result.ms < 2000);
    });
  });

  describe('multipart/form-data', () => {
    const boundary = '----fuzzboundary7MA4YWxkTrZu0gW';
    const multipart = (size: number) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="evil.txt"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        Buffer.alloc(size, 0x41),
        Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n--${boundary}--\r\n`),
      ]);

    it('is refused with 415 on every body route and leaves no temp file', async () => {
      const before = new Set(fs.readdirSync(os.tmpdir()));
      const routes = ['/api/messages', '/v3/directline/conversations', '/v3/directline/tokens/generate', '/api/directline/token', '/agent/api/login', '/api/requests/2026-000001/status', '/tab/api/pin'];
      for (const path of routes) {
        for (const size of [10, 200 * 1024]) {
          const response = await request(`${bot.url}${path}`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: multipart(size) });
          assert.equal(response.status, 415, `${path} (${size} bytes): ${response.body}`);
          assert.equal(response.body, FIXED('Only application/json bodies are accepted.'));
        }
      }
      // Also with a declared size past the limit: 415 or 413, never a read.
      const big = await exchange(bot.url, `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${TEN_MB}\r\n\r\n`, () => [multipart(10)][Symbol.iterator]());
      assert.ok(big.status === 415 || big.status === 413, big.response);
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(uploadLeftovers(before), [], 'no upload file appeared in the temp folder');
      await stillServes();
    });
  });

  describe('deeply nested JSON', () => {
    it('answers 100,000 levels of [ with 400 and survives', async () => {
      for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), '['.repeat(100_000), '{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000)]) {
        const response = await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        assert.equal(response.status, 400);
        assert.equal(response.body, FIXED('The request body is not valid JSON.'));
      }
      await stillServes();
    });

    it('refuses deep nesting inside an otherwise valid activity before parsing it', async () => {
      const deep = JSON.stringify(activity('deep-value')).replace(/}$/, `,"value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      const response = await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
      assert.equal(response.status, 400);
      assert.deepEqual(connector.activities('deep-value'), [], 'the turn never ran');
      // The limit sits well above any real activity or card.
      const fine = JSON.stringify(activity('nested-ok')).replace(/}$/, `,"value":${'['.repeat(MAX_JSON_DEPTH - 2)}${']'.repeat(MAX_JSON_DEPTH - 2)}}`);
      assert.equal((await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fine })).status, 200);
      // Brackets inside strings don't count.
      assert.equal(jsonDeeperThan(JSON.stringify({ text: '['.repeat(10_000) + '"\\' }), 3), false);
      await stillServes();
    });

    it('is refused on the Direct Line endpoint too', async () => {
      const token = JSON.parse((await request(`${bot.url}/api/directline/token`, { method: 'POST' })).body) as { conversationId: string; token: string };
      const body = `{"type":"message","text":"hi","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      const response = await request(`${bot.url}/v3/directline/conversations/${token.conversationId}/activities`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` }, body });
      assert.equal(response.status, 400);
      await stillServes();
    });
  });

  describe('methods', () => {
    it('answers GET /api/messages (and every other method but POST) with 405 and a fixed body', async () => {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const response = await request(`${bot.url}/api/messages`, { method, headers: method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
        assert.equal(response.status, 405, method);
        assert.equal(response.body, FIXED('Method not allowed.'), method);
      }
      // HEAD gets the status without a body.
      assert.equal((await request(`${bot.url}/api/messages`, { method: 'HEAD' })).status, 405);
      // A GET carrying a 10 MB body is answered without reading it.
      const result = await exchange(bot.url, `GET /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${TEN_MB}\r\n\r\n`, () => [Buffer.from('{')][Symbol.iterator](), 1000);
      assert.ok(result.status === 405 || result.status === 413, result.response);
      await stillServes();
    });
  });
});
