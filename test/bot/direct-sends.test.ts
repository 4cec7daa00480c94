// Direct sends (bot/direct-sends.ts) against the stock ConnectorClient path: the same body, URL and
// headers on the wire, the same answers and errors, and the same retry policy in between.
import assert from 'node:assert/strict';
import http from 'node:http';
import fc from 'fast-check';
import { createSerializer } from '@azure/core-client';
import type { Mapper } from '@azure/core-client';
import type { Activity } from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';
import * as Mappers from 'botframework-connector/lib/connectorApi/models/mappers';
import { compiledActivityBody, serializeActivity, useDirectSends } from '../../bot/direct-sends';
import { useConnectorRetry } from '../../bot/connector-retry';
import { closeServer, listenOnLoopback } from '../support/loopback';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: unknown;
}

type Answer = (res: http.ServerResponse, index: number) => void;

/** Records every request; answers the n-th one by `script[n]`, else 200 with an id. */
class RecordingChannel {
  readonly seen: Seen[] = [];
  script: Answer[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const pick = (name: string) => req.headers[name] as string | undefined;
      this.seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: {
          'content-type': pick('content-type'),
          'x-ms-conversation-id': pick('x-ms-conversation-id'),
          authorization: pick('authorization'),
          'user-agent': pick('user-agent'),
          accept: pick('accept'),
        },
        body: text ? JSON.parse(text) : undefined,
      });
      const index = this.seen.length - 1;
      const scripted = this.script[index];
      if (scripted) return scripted(res, index);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${index}` }));
    });
  });

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

/** Answers with a status, headers and body (restify, loaded by other tests, changes what writeHead returns). */
function answer(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders = {}, body = ''): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** Credentials that sign like the bot's, without Azure AD. */
const signing = {
  signRequest: async <T extends { headers: { set(name: string, value: string): void } }>(request: T) => {
    request.headers.set('authorization', 'Bearer test-token');
    return request;
  },
};

const clientFor = (baseUri: string) => new ConnectorClient(signing as never, { baseUri });

const stock = createSerializer(Mappers as Record<string, Mapper>, false);
const activityMapper = { ...(Mappers as Record<string, Mapper>).Activity, required: true } as Mapper;
const stockBody = (activity: unknown) => stock.serialize(activityMapper, activity, 'activity');

/** Either the value, or the message of what it threw. */
function outcome(run: () => unknown): { value?: unknown; threw?: string } {
  try {
    return { value: JSON.parse(JSON.stringify(run()) ?? 'null') };
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

const account = fc.record(
  { id: fc.string(), name: fc.string(), role: fc.constantFrom('user', 'bot'), aadObjectId: fc.string(), extra: fc.anything() },
  { requiredKeys: [] },
);
/** Activities as the bot builds them: every value of its mapper's type. */
const wellTypedActivity = fc.record(
  {
    type: fc.constantFrom('message', 'event', 'typing'),
    id: fc.string(),
    text: fc.oneof(fc.string(), fc.constant(null)),
    locale: fc.constantFrom('en-US', 'ko-KR'),
    timestamp: fc.date({ noInvalidDate: true }),
    localTimestamp: fc.date({ noInvalidDate: true }),
    from: account,
    recipient: account,
    conversation: fc.record({ id: fc.string(), isGroup: fc.boolean(), tenantId: fc.string(), unknown: fc.string() }, { requiredKeys: [] }),
    replyToId: fc.string(),
    inputHint: fc.constantFrom('acceptingInput', 'expectingInput', 'ignoringInput'),
    attachments: fc.array(fc.record({ contentType: fc.string(), content: fc.jsonValue(), name: fc.string(), other: fc.string() }, { requiredKeys: [] })),
    entities: fc.array(fc.record({ type: fc.string(), text: fc.string(), mentioned: account, locale: fc.string() }, { requiredKeys: [] })),
    suggestedActions: fc.record(
      { to: fc.array(fc.string()), actions: fc.array(fc.record({ type: fc.string(), title: fc.string(), value: fc.jsonValue() }, { requiredKeys: [] })) },
      { requiredKeys: [] },
    ),
    channelData: fc.jsonValue(),
    value: fc.anything(),
    importance: fc.constantFrom('low', 'normal', 'high', 'urgent'),
    rawTimestamp: fc.string(),
    notAWireField: fc.anything(),
  },
  { requiredKeys: [] },
);
/** Anything else a caller might pass: wrong types, dates as text, dictionaries. */
const oddActivity = fc.record(
  {
    type: fc.anything(),
    text: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    timestamp: fc.oneof(fc.string(), fc.date()),
    from: fc.oneof(account, fc.string()),
    attachments: fc.oneof(fc.array(fc.anything()), fc.anything()),
    semanticAction: fc.record({ id: fc.string(), state: fc.string(), entities: fc.dictionary(fc.string(), fc.record({ type: fc.string() })) }, { requiredKeys: [] }),
    expiration: fc.oneof(fc.date(), fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
);
const activityArbitrary = fc.oneof(wellTypedActivity, oddActivity, fc.tuple(wellTypedActivity, oddActivity).map(([a, b]) => ({ ...a, ...b })));

describe('direct sends', () => {
  it('serialises every activity exactly as the stock serializer does, or fails the same way', () => {
    let compiled = 0;
    const runs = 2000;
    fc.assert(
      fc.property(activityArbitrary, (activity) => {
        if (compiledActivityBody(activity as Partial<Activity>) !== undefined) compiled += 1;
        assert.deepEqual(outcome(() => serializeActivity(activity as Partial<Activity>)), outcome(() => stockBody(activity)));
      }),
      { numRuns: runs },
    );
    // Both paths must have been compared, not only the fallback.
    assert.ok(compiled > runs / 5 && compiled < runs, `compiled path taken ${compiled} times of ${runs}`);
  });

  describe('on the wire', () => {
    const channel = new RecordingChannel();
    let base = '';
    before(async () => (base = await channel.start()));
    after(() => channel.stop());
    beforeEach(() => {
      channel.seen.length = 0;
      channel.script = [];
    });

    const card = {
      type: 'message',
      text: '전화 지원 — Support',
      locale: 'ko-KR',
      timestamp: new Date('2026-11-26T10:00:00Z'),
      from: { id: 'bot', name: 'Bot', extra: 'dropped' },
      recipient: { id: 'user 1', name: 'User' },
      conversation: { id: 'a:b|c/d?e#f %' },
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'x' }] } }],
      entities: [{ type: 'clientInfo', locale: 'ko-KR' }],
      replyToId: 'in/1?',
    } as unknown as Partial<Activity>;

    for (const path of ['', '/', '/amer/', '/amer', '/emea/v?x=1']) {
      it(`sends the stock request, to a service URL ending "${path}"`, async () => {
        const serviceUrl = base + path;
        const viaStock = await clientFor(serviceUrl).conversations.replyToActivity('a:b|c/d?e#f %', 'in/1?', card as Activity);
        const viaDirect = await useDirectSends(clientFor(serviceUrl)).conversations.replyToActivity('a:b|c/d?e#f %', 'in/1?', card as Activity);
        const stockSent = await clientFor(serviceUrl).conversations.sendToConversation('conv 2', card as Activity);
        const directSent = await useDirectSends(clientFor(serviceUrl)).conversations.sendToConversation('conv 2', card as Activity);
        assert.equal(channel.seen.length, 4);
        const [a, b, c, d] = channel.seen;
        assert.deepEqual(b, a);
        assert.deepEqual(d, c);
        assert.equal(a.headers.authorization, 'Bearer test-token');
        assert.equal(a.headers['x-ms-conversation-id'], 'a:b|c/d?e#f %');
        assert.deepEqual((a.body as { from: unknown }).from, { id: 'bot', name: 'Bot' });
        assert.equal(viaStock.id, 'reply-0');
        assert.equal(viaDirect.id, 'reply-1');
        assert.equal(stockSent.id, 'reply-2');
        assert.equal(directSent.id, 'reply-3');
      });
    }

    const refusals: [string, Answer][] = [
      ['404 with an error body', (res) => answer(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'ConversationNotFound', message: 'no such conversation' } }))],
      ['403 with a plain text body', (res) => answer(res, 403, { 'content-type': 'text/plain' }, 'forbidden')],
      ['204 with no body', (res) => answer(res, 204)],
      ['400 with an empty JSON body', (res) => answer(res, 400, { 'content-type': 'application/json' }, '')],
    ];
    for (const [name, refusal] of refusals) {
      it(`fails as the stock client does on ${name}`, async () => {
        channel.script = [refusal, refusal];
        const failure = async (client: ConnectorClient) => {
          const error = (await client.conversations.replyToActivity('c', 'r', card as Activity).then(
            () => assert.fail('expected a failure'),
            (e: unknown) => e,
          )) as { name: string; statusCode?: number; code?: string; message: string };
          return { name: error.name, statusCode: error.statusCode, code: error.code, message: error.message };
        };
        assert.deepEqual(await failure(useDirectSends(clientFor(base))), await failure(clientFor(base)));
      });
    }

    it('keeps the client retry policy: a 503 with Retry-After is retried, then the reply lands once', async () => {
      channel.script = [(res) => answer(res, 503, { 'retry-after': '0', 'content-type': 'application/json' }, '{}')];
      const client = useDirectSends(useConnectorRetry(clientFor(base), { baseDelayMs: 1 }));
      const sent = await client.conversations.replyToActivity('c', 'r', card as Activity);
      assert.equal(channel.seen.length, 2);
      assert.deepEqual(channel.seen[1].body, channel.seen[0].body);
      assert.equal(sent.id, 'reply-1');
    });

    it('keeps the policy on an ambiguous failure: a reset after the body was sent is not sent again', async () => {
      channel.script = [(res) => res.socket?.resetAndDestroy()];
      const client = useDirectSends(useConnectorRetry(clientFor(base), { baseDelayMs: 1 }));
      await assert.rejects(client.conversations.replyToActivity('c', 'r', card as Activity), (err: { code?: string }) => err.code === 'ECONNRESET');
      // Let a (wrong) second attempt arrive before counting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(channel.seen.length, 1);
    });

    it('leaves calls with options or a callback to the stock path', async () => {
      const client = useDirectSends(clientFor(base));
      const sent = await client.conversations.replyToActivity('c', 'r', card as Activity, { customHeaders: { 'x-extra': '1' } } as never);
      assert.equal(sent.id, 'reply-0');
      assert.equal(channel.seen.length, 1);
    });
  });
});
