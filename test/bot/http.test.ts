// The wire, as the Emulator and channels use it: a real server on loopback, replies captured by a
// loopback Connector.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { readable } from '../support/capture-connector';
import { postJson, request } from '../support/http-client';
import { useBotWithConnector, withBotAndConnector } from '../support/test-bot';

const STACK_TRACE = /\bat\s+\S+\s+\(|node_modules|\.ts:\d+|Error:/;

describe('HTTP host', () => {
  const { bot, connector } = useBotWithConnector();
  let sequence = 0;

  function activity(conversation: string, fields: Partial<Activity>): Partial<Activity> {
    return {
      type: 'message',
      id: `act-${++sequence}`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      timestamp: new Date().toISOString() as unknown as Date,
      conversation: { id: conversation } as Activity['conversation'],
      from: { id: 'user-1', name: 'Admin' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: 'en-US',
      ...fields,
    };
  }

  async function say(conversation: string, fields: Partial<Activity>): Promise<{ status: number; replies: Partial<Activity>[] }> {
    const before = connector.activities(conversation).length;
    const response = await postJson(`${bot.url}/api/messages`, activity(conversation, fields));
    // Users only see messages: leave out anything else the Emulator channel might be sent (traces).
    const replies = connector.activities(conversation).slice(before).filter((a) => a.type === 'message');
    return { status: response.status, replies };
  }

  describe('health', () => {
    it('answers /healthz and /readyz', async () => {
      const health = await request(`${bot.url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
      const ready = await request(`${bot.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal(JSON.parse(ready.body).storage, 'ok');
    });
  });

  describe('wire limits', () => {
    const endpoint = () => `${bot.url}/api/messages`;

    it('refuses a body that is not JSON with 415', async () => {
      const r = await request(endpoint(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      assert.equal(r.status, 415);
    });

    it('refuses an oversized body with 413', async () => {
      const big = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
      const r = await request(endpoint(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      assert.equal(r.status, 413);
      assert.doesNotMatch(r.body, STACK_TRACE);
    });

    it('refuses malformed JSON with 400 and no parser internals', async () => {
      const r = await request(endpoint(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message",' });
      assert.equal(r.status, 400);
      assert.deepEqual(JSON.parse(r.body), { error: 'The request body is not valid JSON.' });
    });

    it('refuses JSON that is not an activity with 400', async () => {
      for (const body of ['[]', '{}', '"text"', '{"type": 5}']) {
        const r = await request(endpoint(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        assert.equal(r.status, 400, body);
      }
    });

    it('answers a wrong method with 405 and an unknown path with 404', async () => {
      assert.equal((await request(endpoint())).status, 405);
      assert.equal((await request(endpoint(), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 405);
      assert.equal((await request(`${bot.url}/nope`)).status, 404);
    });
  });

  describe('turns', () => {
    it('welcomes a new member in the activity language', async () => {
      const { status, replies } = await say('welcome-ko', {
        type: 'conversationUpdate',
        locale: 'ko-KR',
        membersAdded: [{ id: 'bot', name: 'Bot' }, { id: 'user-1', name: 'Admin' }],
      });
      assert.equal(status, 200);
      assert.equal(replies.length, 1);
      assert.match(readable(replies[0]), /[\uac00-\ud7a3]/);
    });

    it('answers a phone question with a card carrying a tel: link and the same facts as text', async () => {
      const { status, replies } = await say('phone-us', { text: 'support phone number in the United States' });
      assert.equal(status, 200);
      const withCard = replies.find((r) => r.attachments?.length);
      assert.ok(withCard, 'a card reply');
      assert.equal(withCard.attachments![0].contentType, 'application/vnd.microsoft.card.adaptive');
      assert.match(JSON.stringify(withCard.attachments![0].content), /tel:\+18008659408/);
      assert.match((withCard.text ?? '').replace(/\D/g, ''), /18008659408/);
    });

    const hostile: [string, Partial<Activity>][] = [
      ['empty text', { text: '' }],
      ['20,000 characters', { text: 'phone '.repeat(3334).slice(0, 20000) }],
      ['emoji only', { text: '🙂🔥📞🇰🇷' }],
      ['HTML', { text: '<script>alert(1)</script><b>call</b> support' }],
      ['markdown', { text: '**bold** [link](javascript:alert(1)) `code` # heading' }],
      ['template expressions', { text: '${$root.secret} ${if(true,"a","b")} {{x}}' }],
      ['an unknown locale', { text: 'support hours', locale: 'xx-YY' }],
      ['a card submit with no text', { text: undefined, value: { action: 'ask' } }],
      ['a card submit carrying text', { text: undefined, value: { action: 'ask', text: 'support hours' } }],
      ['an unknown activity type', { type: 'somethingNew' as Activity['type'], text: 'hi' }],
      ['a typing indicator', { type: 'typing', text: undefined }],
      ['a null locale and no from name', { text: 'hello', locale: null as unknown as string, from: { id: 'u-2', name: '' } }],
    ];
    for (const [name, fields] of hostile) {
      it(`stays up and never leaks internals on ${name}`, async () => {
        const conversation = `hostile-${name.replace(/\W+/g, '-')}`;
        const { status, replies } = await say(conversation, fields);
        assert.ok(status >= 200 && status < 300, `status ${status}`);
        for (const reply of replies) {
          const text = readable(reply);
          assert.doesNotMatch(text, STACK_TRACE);
          assert.ok(!text.includes('alert(1)</script>') || reply.attachments === undefined || !JSON.stringify(reply.attachments).includes('<script>alert'), 'user HTML is not echoed into a card');
        }
        const health = await request(`${bot.url}/healthz`);
        assert.equal(health.status, 200);
      });
    }

    it('answers an unknown locale in English', async () => {
      const { replies } = await say('locale-xx', { text: 'when is billing support open?', locale: 'xx-YY' });
      assert.ok(replies.length > 0);
      assert.doesNotMatch(replies.map(readable).join('\n'), /[\uac00-\ud7a3]/);
    });

    it('replies entirely in Korean to a Korean activity', async () => {
      const { replies } = await say('locale-ko', { text: '미국 지원 전화번호 알려줘', locale: 'ko-KR' });
      assert.ok(replies.length > 0);
      for (const reply of replies) assert.match(reply.text ?? '', /[\uac00-\ud7a3]/, JSON.stringify(reply).slice(0, 400));
      assert.match(replies.map(readable).join('').replace(/\D/g, ''), /18008659408/);
    });
  });
});

describe('HTTP host: turn errors', () => {
  it('logs the failure and tells the user in their language, without internals', async () => {
    const failing = {
      threshold: 0.5,
      understand: () => {
        throw new Error('secret internal detail at module.ts:42');
      },
    };
    await withBotAndConnector({}, { understanding: failing }, async (bot, connector) => {
      const response = await postJson(`${bot.url}/api/messages`, {
        type: 'message',
        id: 'boom-1',
        channelId: 'emulator',
        serviceUrl: connector.url,
        conversation: { id: 'boom' },
        from: { id: 'u' },
        recipient: { id: 'bot' },
        locale: 'ko-KR',
        text: 'anything',
      });
      assert.equal(response.status, 200);
      assert.doesNotMatch(response.body, /secret internal detail/);
      const replies = connector.activities('boom');
      assert.equal(replies.length, 1);
      assert.match(replies[0].text ?? '', /[\uac00-\ud7a3]/);
      assert.doesNotMatch(replies[0].text ?? '', /secret internal detail|module\.ts/);
      assert.ok(bot.logs.some((line) => line.includes('turn failed') && line.includes('secret internal detail')), 'the failure is logged');
    });
  });
});
