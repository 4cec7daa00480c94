// The connector retry policy against a real local HTTP server playing a flaky channel: 429 with
// Retry-After, 5xx, a socket reset after the body was read (must not be re-sent), a refused
// connection (safe to retry), and the stock pipeline's behaviour for comparison.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication, ConnectorClient } from 'botframework-connector';
import { Readable } from 'node:stream';
import { connectorRetryPolicy, ConnectorRetryOptions, PipelineRequestLike, RetryEvent, retryAfterMs, retryDelayMs, withConnectorRetry } from '../../bot/connector-retry';
import { freePort } from '../support/bot-process';

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

interface Seen {
  at: number;
  method: string;
  path: string;
  body: string;
}

/** A channel whose answer to the n-th request is scripted; it records when each request arrived. */
class FlakyChannel {
  readonly seen: Seen[] = [];
  private readonly server: http.Server;

  constructor(private readonly script: Behaviour[], private readonly otherwise: Behaviour = ok) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', () => undefined);
      req.on('end', () => {
        const index = this.seen.length;
        this.seen.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        (this.script[index] ?? this.otherwise)(req, res, index);
      });
    });
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const ok: Behaviour = (_req, res, index) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: `reply-${index}` }));
};
const status =
  (code: number, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { code: 'Throttled', message: 'try later' } }));
  };
/** Reads the whole body, then resets the connection without answering: did the channel deliver it? Unknown. */
const resetAfterBody: Behaviour = (req) => {
  req.socket.resetAndDestroy();
};

const FAST: ConnectorRetryOptions = { baseDelayMs: 50, maxDelayMs: 5_000 };
const anActivity = (serviceUrl: string): Partial<Activity> => ({
  type: 'message',
  id: 'incoming-1',
  channelId: 'emulator',
  serviceUrl,
  conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
  from: { id: 'user-1', name: 'User' },
  recipient: { id: 'bot', name: 'Bot' },
  text: 'hello',
});

/** A ConnectorClient exactly as the CloudAdapter gets one for an inbound activity (local mode, no app id). */
async function connectorFor(auth: BotFrameworkAuthentication, serviceUrl: string): Promise<ConnectorClient> {
  const result = await auth.authenticateRequest(anActivity(serviceUrl) as Activity, '');
  assert.ok(result.connectorFactory, 'authentication hands out a connector factory');
  return result.connectorFactory.create(serviceUrl, result.audience);
}

function reply(client: ConnectorClient, text = 'the answer'): Promise<unknown> {
  return client.conversations.replyToActivity('conv-1', 'incoming-1', { type: 'message', text } as Activity);
}

function retrying(options: ConnectorRetryOptions = FAST): BotFrameworkAuthentication {
  return withConnectorRetry(new ConfigurationBotFrameworkAuthentication({}), options);
}

describe('connector retry policy', function () {
  this.timeout(60_000);
  const channels: FlakyChannel[] = [];
  async function channel(script: Behaviour[], otherwise?: Behaviour): Promise<FlakyChannel> {
    const c = new FlakyChannel(script, otherwise);
    channels.push(c);
    await c.start();
    return c;
  }
  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.stop()));
  });

  it('waits as long as Retry-After (seconds) says after a 429, then sends once more', async () => {
    const c = await channel([status(429, { 'Retry-After': '1' })]);
    const events: RetryEvent[] = [];
    const client = await connectorFor(retrying({ ...FAST, onRetry: (e) => events.push(e) }), c.url);
    const answer = (await reply(client)) as { id?: string };
    assert.equal(answer.id, 'reply-1');
    assert.equal(c.seen.length, 2);
    const gap = c.seen[1].at - c.seen[0].at;
    assert.ok(gap >= 1000, `Retry-After: 1 honoured (second request after ${gap} ms)`);
    assert.ok(gap < 2000, `and not much later (${gap} ms)`);
    assert.equal(c.seen[1].body, c.seen[0].body, 'the same reply is sent again');
    assert.deepEqual(
      events.map((e) => [e.attempt, e.status, e.retryAfterMs]),
      [[1, 429, 1000]],
    );
  });

  it('honours Retry-After given as an HTTP date', async () => {
    // HTTP dates have whole seconds: ask for the start of the second after next.
    const until = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const c = await channel([status(429, { 'Retry-After': new Date(until).toUTCString() })]);
    const client = await connectorFor(retrying(), c.url);
    await reply(client);
    assert.equal(c.seen.length, 2);
    // The server clock is this process's clock; allow the timer's millisecond rounding.
    assert.ok(c.seen[1].at >= until - 5, `retried ${until - c.seen[1].at} ms before the date it was given`);
    assert.ok(c.seen[1].at - until < 1000, 'and soon after it');
  });

  it('backs off after a 503 (and 502, 504, 500) and then succeeds', async () => {
    for (const code of [503, 502, 504, 500]) {
      const c = await channel([status(code), status(code)]);
      const events: RetryEvent[] = [];
      const client = await connectorFor(retrying({ baseDelayMs: 100, maxDelayMs: 5_000, onRetry: (e) => events.push(e) }), c.url);
      await reply(client);
      assert.equal(c.seen.length, 3, `${code}: two refusals, then the reply goes through`);
      const [first, second] = [c.seen[1].at - c.seen[0].at, c.seen[2].at - c.seen[1].at];
      // Equal jitter: the n-th wait is between half and all of base × 2^(n-1).
      assert.ok(first >= 50 && second >= 100, `${code}: waits grow (${first} ms, ${second} ms)`);
      assert.deepEqual(
        events.map((e) => e.status),
        [code, code],
      );
    }
  });

  it('caps a long Retry-After at maxDelayMs', async () => {
    const c = await channel([status(503, { 'Retry-After': '3600' })]);
    const client = await connectorFor(retrying({ baseDelayMs: 50, maxDelayMs: 300 }), c.url);
    await reply(client);
    const gap = c.seen[1].at - c.seen[0].at;
    assert.ok(gap >= 290 && gap < 1500, `an hour's Retry-After waited ${gap} ms`);
  });

  it('gives up after maxRetries and surfaces the last status', async () => {
    const c = await channel([], status(503));
    const client = await connectorFor(retrying({ baseDelayMs: 20, maxDelayMs: 100, maxRetries: 2 }), c.url);
    await assert.rejects(reply(client), (err: { statusCode?: number }) => err.statusCode === 503);
    assert.equal(c.seen.length, 3, 'the first attempt and two retries');
  });

  it('does not retry answers that will not change: 400, 403, 404', async () => {
    for (const code of [400, 403, 404]) {
      const c = await channel([], status(code));
      const client = await connectorFor(retrying(), c.url);
      await assert.rejects(reply(client));
      assert.equal(c.seen.length, 1, `${code} is final`);
    }
  });

  it('does NOT re-send when the connection is reset after the body was sent (ambiguous: it may have been delivered)', async () => {
    const c = await channel([resetAfterBody]);
    const client = await connectorFor(retrying(), c.url);
    await assert.rejects(reply(client), (err: { code?: string }) => err.code === 'ECONNRESET');
    // Let any (wrong) retry arrive before counting.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(c.seen.length, 1, 'one request seen: the reply was not re-sent');
  });

  it('retries a refused connection: nothing reached the channel yet', async () => {
    const port = await freePort();
    const c = new FlakyChannel([]);
    channels.push(c);
    const url = `http://127.0.0.1:${port}`;
    const events: RetryEvent[] = [];
    const client = await connectorFor(retrying({ baseDelayMs: 200, maxDelayMs: 1_000, maxRetries: 5, onRetry: (e) => events.push(e) }), url);
    // The channel comes up while the bot is backing off.
    setTimeout(() => void c.start(port), 250);
    await reply(client);
    assert.equal(c.seen.length, 1, 'delivered exactly once');
    assert.ok(events.length >= 1 && events.every((e) => e.code === 'ECONNREFUSED'), JSON.stringify(events));
  });

  it('replaces the stock pipeline, which sends the same reply again after a reset', async () => {
    const stock = await channel([], resetAfterBody);
    const stockClient = await connectorFor(new ConfigurationBotFrameworkAuthentication({}), stock.url);
    await assert.rejects(reply(stockClient));
    assert.ok(stock.seen.length > 1, `without the policy the reply went out ${stock.seen.length} times`);
    const ours = await channel([], resetAfterBody);
    await assert.rejects(reply(await connectorFor(retrying(), ours.url)));
    assert.equal(ours.seen.length, 1);
  });

  it('applies to a whole CloudAdapter turn and to continueConversationAsync', async () => {
    const c = await channel([status(429, { 'Retry-After': '1' }), ok, status(503), ok]);
    const adapter = new CloudAdapter(retrying({ baseDelayMs: 50, maxDelayMs: 2_000 }));
    const errors: Error[] = [];
    adapter.onTurnError = async (_context, error) => {
      errors.push(error);
    };
    await adapter.processActivityDirect('', anActivity(c.url) as Activity, async (context: TurnContext) => {
      await context.sendActivity('first reply');
    });
    assert.deepEqual(errors, []);
    assert.equal(c.seen.length, 2, 'the turn reply: one 429, then delivered');
    assert.ok(c.seen[1].at - c.seen[0].at >= 1000, 'Retry-After honoured inside a turn');

    const reference = TurnContext.getConversationReference(anActivity(c.url));
    await adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('proactive');
    });
    assert.equal(c.seen.length, 4, 'the proactive message: one 503, then delivered');
    assert.match(c.seen[3].body, /proactive/);
  });
});

describe('connector retry: Retry-After and backoff arithmetic', () => {
  const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name.toLowerCase()] });

  it('reads delay-seconds, HTTP dates, and the millisecond variants', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    assert.equal(retryAfterMs(headers({ 'retry-after': '7' }), now), 7000);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Sun, 01 Mar 2026 10:00:30 GMT' }), now), 30_000);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Sun, 01 Mar 2026 09:00:00 GMT' }), now), 0, 'a date in the past means now');
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now), 150);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(headers({ 'retry-after': '-3' }), now), undefined);
    assert.equal(retryAfterMs(headers({}), now), undefined);
  });

  it('grows exponentially with jitter, never past the cap, and never below Retry-After unless capped', () => {
    const low = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 };
    const high = { ...low, random: () => 0.999 };
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, undefined, low)), [50, 100, 200, 400, 500]);
    assert.ok([1, 2, 3, 4, 5].every((n) => retryDelayMs(n, undefined, high) <= 1000));
    assert.equal(retryDelayMs(1, 700, low), 700);
    assert.ok(retryDelayMs(1, 700, high) >= 700 && retryDelayMs(1, 700, high) <= 770);
    assert.equal(retryDelayMs(1, 60_000, high), 1000, 'capped');
  });
});

describe('connector retry: what counts as ambiguous', () => {
  const request = (body: unknown = '{}'): PipelineRequestLike => ({ url: 'https://smba.example/v3/conversations/c/activities', method: 'POST', body });
  const failing = (make: () => Error) => {
    let calls = 0;
    return {
      next: async () => {
        calls++;
        throw make();
      },
      calls: () => calls,
    };
  };
  const withCode = (code: string, name = 'RestError') => () => Object.assign(new Error(code), { code, name });

  for (const [label, make] of [
    ['ECONNRESET', withCode('ECONNRESET')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['ESOCKETTIMEDOUT', withCode('ESOCKETTIMEDOUT')],
    ['an abort (request timeout)', () => Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' })],
    ['a send error without a code', () => new Error('socket hang up')],
  ] as const) {
    it(`does not retry ${label}`, async () => {
      const transport = failing(make);
      await assert.rejects(connectorRetryPolicy({ baseDelayMs: 1 }).sendRequest(request(), transport.next));
      assert.equal(transport.calls(), 1);
    });
  }

  it('retries connection failures that happen before sending: ECONNREFUSED, EAI_AGAIN', async () => {
    for (const code of ['ECONNREFUSED', 'EAI_AGAIN']) {
      const transport = failing(withCode(code));
      await assert.rejects(connectorRetryPolicy({ baseDelayMs: 1, maxRetries: 2 }).sendRequest(request(), transport.next));
      assert.equal(transport.calls(), 3, code);
    }
  });

  it('does not replay a streamed body, even after a 503', async () => {
    let calls = 0;
    const next = async () => {
      calls++;
      return { status: 503, headers: { get: () => undefined } };
    };
    const response = await connectorRetryPolicy({ baseDelayMs: 1 }).sendRequest(request(Readable.from(['{}'])), next);
    assert.equal(response.status, 503);
    assert.equal(calls, 1);
  });

  it('stops retrying when the next wait would pass maxElapsedMs', async () => {
    let calls = 0;
    const next = async () => {
      calls++;
      return { status: 429, headers: { get: (n: string) => (n === 'retry-after' ? '5' : undefined) } };
    };
    const started = Date.now();
    const response = await connectorRetryPolicy({ maxDelayMs: 10_000, maxElapsedMs: 2_000 }).sendRequest(request(), next);
    assert.equal(response.status, 429);
    assert.equal(calls, 1, 'a 5 s Retry-After does not fit a 2 s budget: the 429 is returned at once');
    assert.ok(Date.now() - started < 500);
  });
});
