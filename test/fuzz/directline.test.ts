// Random calls to the embedded Direct Line (bot/directline/routes.ts) from an attacker who has a token
// for a conversation of their own, while a victim has a conversation with a private message in it.
//
// Properties, per call: never a 5xx; every 4xx carries one of the fixed bodies; no answer carries the
// victim's text (the attacker is assumed to know the victim's conversation and user ids). After the storm: the victim's conversation holds only
// the victim's own activities and the bot's replies to them, every user activity in the attacker's
// conversation is from the attacker's token user (whatever from.id was posted), and both still work.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fc from 'fast-check';
import type { Activity } from 'botbuilder';
import { request, RawResponse } from '../support/http-client';
import { RunningBot, startTestBot } from '../support/test-bot';
import { DirectLineTokens } from '../../bot/directline/tokens';
import { publicMessage } from '../../bot/server';
import { fuzzParameters, hostileJson, hostileString, INTERNALS } from './helpers';

interface Session {
  conversationId: string;
  token: string;
  user: string;
}

const DIRECT_LINE_BODIES = [
  JSON.stringify({ error: { code: 'TokenInvalid', message: 'The token is not valid for this conversation.' } }),
  JSON.stringify({ error: { code: 'BadArgument', message: 'A Direct Line secret is required.' } }),
];

/** Percent-encoded for a URL; lone surrogates (which encodeURIComponent refuses) dropped first. */
const encode = (text: string) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, ''));

function claimsOf(token: string): { conv: string; user: string } {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { conv: string; user: string };
}

async function session(bot: RunningBot): Promise<Session> {
  const response = await request(`${bot.url}/api/directline/token`, { method: 'POST' });
  assert.equal(response.status, 200);
  const { conversationId, token } = JSON.parse(response.body) as { conversationId: string; token: string };
  return { conversationId, token, user: claimsOf(token).user };
}

async function activities(bot: RunningBot, s: Session): Promise<Partial<Activity>[]> {
  const response = await request(`${bot.url}/v3/directline/conversations/${s.conversationId}/activities`, { headers: { authorization: `Bearer ${s.token}` } });
  assert.equal(response.status, 200, response.body);
  return (JSON.parse(response.body) as { activities: Partial<Activity>[] }).activities;
}

async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('fuzz: embedded Direct Line', function () {
  let bot: RunningBot;
  let victim: Session;
  let attacker: Session;
  const VICTIM_TEXT = `victim-private-${crypto.randomBytes(6).toString('hex')} support phone number in Australia`;
  const statuses = new Map<number, number>();

  before(async () => {
    bot = await startTestBot({ LOG_LEVEL: 'warn' });
    victim = await session(bot);
    attacker = await session(bot);
    const posted = await request(`${bot.url}/v3/directline/conversations/${victim.conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${victim.token}` },
      body: JSON.stringify({ type: 'message', text: VICTIM_TEXT, locale: 'en-US', from: { id: 'whoever' } }),
    });
    assert.equal(posted.status, 200);
    await until(async () => ((await activities(bot, victim)).some((a) => a.from?.role === 'bot') ? true : undefined), 'the reply to the victim');
  });
  after(async () => {
    console.log(`      statuses: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')}`);
    await bot.stop();
  });

  // --- what the attacker can send ---------------------------------------------------------------

  const conversationRef = () =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(victim.conversationId) },
      { weight: 3, arbitrary: fc.constant(attacker.conversationId) },
      { weight: 1, arbitrary: fc.constantFrom('%00', '..%2F..%2Fhealthz', '%E0%A4%A', '%2e%2e', victim.conversationId.toUpperCase(), `${victim.conversationId}%20`, `${victim.conversationId}/`, encodeURIComponent(`${victim.conversationId}|0000001`), 'a'.repeat(3000)) },
      { weight: 1, arbitrary: hostileString(12).map(encode) },
    );

  const watermark = fc.oneof(fc.constant(''), fc.constantFrom('?watermark=-1', '?watermark=0', '?watermark=1', '?watermark=99999999999999999999', '?watermark=NaN', '?watermark=1e3', '?watermark=1&watermark=2', '?watermark=%00', '?watermark[]=1', '?'), hostileString(8).map((q) => `?watermark=${encode(q)}`));

  /** A path and the methods that route serves (a wrong method now and then is chosen in call()). */
  const path = (): fc.Arbitrary<[string, string[]]> =>
    fc.oneof(
      { weight: 6, arbitrary: fc.tuple(conversationRef(), watermark).map(([c, w]): [string, string[]] => [`/v3/directline/conversations/${c}/activities${w}`, ['GET', 'POST']]) },
      { weight: 2, arbitrary: conversationRef().map((c): [string, string[]] => [`/v3/directline/conversations/${c}`, ['GET']]) },
      { weight: 2, arbitrary: fc.constantFrom<[string, string[]]>(['/v3/directline/conversations', ['POST']], ['/v3/directline/tokens/refresh', ['POST']], ['/v3/directline/tokens/generate', ['POST']], ['/api/directline/token', ['POST']], ['/v3/directline/', ['GET']], ['/v3/directline/conversations/', ['GET', 'POST']], ['/v3/directline//conversations', ['POST']]) },
      { weight: 1, arbitrary: conversationRef().map((c): [string, string[]] => [`/v3/directline/conversations/${c}/upload`, ['POST']]) },
      { weight: 1, arbitrary: fc.tuple(conversationRef(), hostileString(6).map(encode)).map(([c, id]): [string, string[]] => [`/v3/directline/conversations/${c}/activities/${id}`, ['GET', 'PUT']]) },
      // The bot's own connector routes: loopback only by design (so this loopback client reaches them),
      // named here with conversations that are not the victim's.
      { weight: 1, arbitrary: fc.oneof(fc.constant(attacker.conversationId), hostileString(8).map(encode)).map((c): [string, string[]] => [`/.directline/v3/conversations/${c}/activities`, ['POST', 'PUT']]) },
    );

  const bearer = () => {
    const [payload, signature] = attacker.token.split('.');
    const victimPayload = Buffer.from(JSON.stringify({ conv: victim.conversationId, user: victim.user, exp: 9_999_999_999 })).toString('base64url');
    const wrongSecret = new DirectLineTokens(crypto.randomBytes(32)).issue(victim.conversationId, victim.user).token;
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant(`Bearer ${attacker.token}`) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          `Bearer ${victimPayload}.${signature}`,
          `Bearer ${wrongSecret}`,
          `Bearer ${payload}.${signature}.extra`,
          `Bearer ${payload}`,
          `Bearer .${signature}`,
          `bearer ${attacker.token}`,
          `Bearer  ${attacker.token}`,
          `Bearer ${attacker.token} `,
          `Basic ${Buffer.from('user:pass').toString('base64')}`,
          'Bearer',
          'Bearer ',
          `Bearer ${'A'.repeat(5000)}.${signature}`,
          `Bearer ${payload.slice(0, -1)}${payload.endsWith('A') ? 'B' : 'A'}.${signature}`,
          `Bearer ${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
        ),
      },
      { weight: 1, arbitrary: hostileString(30).map((t) => `Bearer ${t}`.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')) },
    );
  };

  const body = () =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      {
        weight: 4,
        arbitrary: fc
          .record(
            {
              type: fc.oneof(fc.constantFrom('message', 'event', 'typing', 'conversationUpdate', 'invoke', 'endOfConversation'), hostileJson),
              text: fc.oneof(hostileString(40), hostileJson),
              from: fc.constantFrom({ id: victim.user, name: 'Victim', role: 'user' }, { id: 'bot', role: 'bot' }, { id: 'dl_x' }),
              conversation: fc.constant({ id: victim.conversationId }),
              recipient: fc.constant({ id: victim.user }),
              serviceUrl: fc.constantFrom('http://127.0.0.1:1/', 'https://evil.example/'),
              channelId: fc.constantFrom('msteams', 'emulator', 'directline'),
              name: fc.oneof(fc.constantFrom('handoff.status', 'adaptiveCard/action'), hostileString(6)),
              value: hostileJson,
              locale: fc.oneof(fc.constantFrom('ko-KR', 'en-US'), hostileJson),
              channelData: hostileJson,
              membersAdded: fc.constant([{ id: victim.user }]),
            },
            { requiredKeys: ['type'] },
          )
          .map((b) => JSON.stringify({ ...b, text: typeof b.text === 'string' ? `attacker: ${b.text}` : b.text })),
      },
      { weight: 1, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? 'null') },
      { weight: 1, arbitrary: fc.constantFrom('{', '[]', 'null', '"x"', '{"type":', '\u0000', '{"type":"message"}{"type":"message"}') },
    );

  const call = () =>
    fc.record({
      route: path(),
      pick: fc.nat(),
      otherMethod: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD') }),
      authorization: bearer(),
      contentType: fc.constantFrom(undefined, 'application/json', 'application/json', 'text/plain', 'application/json; charset=utf-16', 'application/vnd.api+json', 'multipart/form-data; boundary=x'),
      origin: fc.constantFrom(undefined, 'https://evil.example', 'null', 'http://127.0.0.1'),
      body: body(),
    }).map(({ route: [path, methods], pick, otherMethod, ...rest }) => ({ method: otherMethod ?? methods[pick % methods.length], path, ...rest }));

  function assertFixed(response: RawResponse, context: string): void {
    if (response.status < 400) return;
    const fixed = [JSON.stringify({ error: publicMessage(response.status) }), ...DIRECT_LINE_BODIES, ''];
    assert.ok(fixed.includes(response.body), `a fixed body for ${response.status}: ${response.body.slice(0, 200)} — ${context}`);
  }

  it('4xx with fixed bodies, no 5xx, nothing of the victim leaks (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(call(), async (c) => {
        const headers: Record<string, string> = {};
        if (c.authorization !== undefined) headers.authorization = c.authorization;
        if (c.contentType !== undefined && c.body !== undefined) headers['content-type'] = c.contentType;
        if (c.origin !== undefined) headers.origin = c.origin;
        const sendsBody = c.body !== undefined && c.method !== 'GET' && c.method !== 'OPTIONS' && c.method !== 'HEAD';
        const response = await request(`${bot.url}${c.path}`, { method: c.method, headers, body: sendsBody ? c.body : undefined });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const context = `${c.method} ${c.path.slice(0, 200)} auth=${String(c.authorization).slice(0, 60)} body=${String(c.body).slice(0, 200)}`;
        assert.ok(response.status < 500, `status ${response.status} (${response.body.slice(0, 200)}) for ${context}`);
        assertFixed(response, context);
        assert.doesNotMatch(response.body, INTERNALS, context);
        // The attacker is assumed to know the victim's conversation and user ids (they are tried
        // everywhere above); what must never come back is the conversation's content.
        assert.ok(!response.body.includes('victim-private-'), `the victim's text leaked: ${context}`);
        // CORS is for configured origins only (none here).
        assert.equal(response.headers['access-control-allow-origin'], undefined, context);
      }),
      fuzzParameters(300),
    );

    // Let the turns the storm started finish, then look at both conversations.
    await new Promise((r) => setTimeout(r, 1000));
    const victimActivities = await activities(bot, victim);
    for (const a of victimActivities) {
      const text = JSON.stringify(a);
      assert.ok(!text.includes('attacker: '), `nothing the attacker wrote reached the victim: ${text.slice(0, 300)}`);
      if (a.from?.role === 'user') {
        assert.equal(a.from.id, victim.user);
        assert.equal(a.text, VICTIM_TEXT);
      } else assert.equal(a.from?.role, 'bot', text.slice(0, 200));
    }
    assert.equal(victimActivities.filter((a) => a.from?.role === 'user').length, 1, 'the victim posted once');
    const attackerActivities = await activities(bot, attacker);
    for (const a of attackerActivities) if (a.from?.role !== 'bot') assert.equal(a.from?.id, attacker.user, 'from.id is always the token user');
    for (const a of attackerActivities) assert.equal(a.channelId, 'directline', 'the channel is always directline');

    // Both still work after the storm.
    const posted = await request(`${bot.url}/v3/directline/conversations/${victim.conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${victim.token}` },
      body: JSON.stringify({ type: 'message', text: 'support hours in Korea', locale: 'en-US' }),
    });
    assert.equal(posted.status, 200);
    const before = victimActivities.filter((a) => a.from?.role === 'bot').length;
    await until(async () => ((await activities(bot, victim)).filter((a) => a.from?.role === 'bot').length > before ? true : undefined), 'a reply after the storm');
  });

  it('a token verifies only unchanged: any one-character change is refused (200 runs)', async () => {
    const tokens = new DirectLineTokens(crypto.randomBytes(32));
    const { token } = tokens.issue('conversation-1', 'dl_user');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), fc.oneof(fc.constant(''), hostileString(4)), async (at, replacement, extra) => {
        const changed = token.slice(0, at) + replacement + token.slice(at + 1) + extra;
        const claims = tokens.verify(changed);
        if (changed === token) assert.ok(claims);
        else assert.equal(claims, undefined, `accepted a changed token (position ${at} → ${replacement}${extra})`);
      }),
      fuzzParameters(200),
    );
    // And anything at all verifies to nothing, without throwing.
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileString(60), fc.string({ unit: 'binary', maxLength: 3000 })), async (anything) => {
        assert.equal(tokens.verify(anything), undefined);
      }),
      fuzzParameters(200),
    );
  });
});
