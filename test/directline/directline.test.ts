// The embedded Direct Line 3.0 endpoint, driven by Microsoft's botframework-directlinejs client from
// Node (polling), and by hand for the refusals: another conversation's token, an expired token, a
// forged signature, a spoofed from.id.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { postJson, request } from '../support/http-client';
import { RunningBot, startTestBot } from '../support/test-bot';
import { DirectLineTokens } from '../../bot/directline/tokens';

// directlinejs uses rxjs's ajax, which needs XMLHttpRequest; Node 20 has none. It also names the
// WebSocket global even when polling, so a placeholder that refuses to be used stands in.
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest ??= require('xhr2');
(globalThis as { WebSocket?: unknown }).WebSocket ??= class {
  constructor() {
    throw new Error('polling only in this test');
  }
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DirectLine } = require('botframework-directlinejs') as typeof import('botframework-directlinejs');

async function token(bot: RunningBot): Promise<{ conversationId: string; token: string }> {
  const response = await request(`${bot.url}/api/directline/token`, { method: 'POST' });
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body) as { conversationId: string; token: string };
}

async function poll(bot: RunningBot, conversationId: string, bearer: string, until: (a: Partial<Activity>[]) => boolean): Promise<Partial<Activity>[]> {
  for (let i = 0; i < 100; i++) {
    const response = await request(`${bot.url}/v3/directline/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${bearer}` } });
    const { activities } = JSON.parse(response.body) as { activities: Partial<Activity>[] };
    if (until(activities)) return activities;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting for activities');
}

describe('embedded Direct Line 3.0', () => {
  let bot: RunningBot;
  before(async () => {
    bot = await startTestBot();
  });
  after(async () => {
    await bot.stop();
  });

  it('completes a conversation with botframework-directlinejs', async function () {
    const { token: dlToken } = await token(bot);
    const directLine = new DirectLine({ token: dlToken, domain: `${bot.url}/v3/directline`, webSocket: false, pollingInterval: 200 });
    try {
      const reply = new Promise<Partial<Activity>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reply')), 15_000);
        directLine.activity$.subscribe({
          next: (incoming) => {
            // directlinejs has its own Activity type; the fields read here are the same.
            const a = incoming as unknown as Partial<Activity>;
            if (a.from?.role === 'bot' && a.type === 'message' && /1800197503/.test(JSON.stringify(a).replace(/[\s-]/g, ''))) {
              clearTimeout(timer);
              resolve(a);
            }
          },
          // end() closes the stream with an error by design.
          error: () => undefined,
        });
      });
      await new Promise<void>((resolve, reject) =>
        directLine.postActivity({ type: 'message', from: { id: 'ignored', name: 'Admin' }, text: 'support phone number in Australia', locale: 'en-US' } as never).subscribe({ next: () => resolve(), error: reject }),
      );
      const answer = await reply;
      assert.equal(answer.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    } finally {
      directLine.end();
    }
  });

  it('forces from.id to the token user and keeps the history for a reloaded page', async () => {
    const { conversationId, token: dlToken } = await token(bot);
    const posted = await postJson(
      `${bot.url}/v3/directline/conversations/${conversationId}/activities`,
      { type: 'message', text: '호주 지원 전화번호', locale: 'ko-KR', from: { id: 'admin-of-someone-else', name: 'Mallory' } },
      { authorization: `Bearer ${dlToken}` },
    );
    assert.equal(posted.status, 200);
    const activities = await poll(bot, conversationId, dlToken, (a) => a.some((x) => x.from?.role === 'bot'));
    const mine = activities.find((a) => a.from?.role === 'user')!;
    assert.match(mine.from!.id, /^dl_/);
    assert.notEqual(mine.from!.id, 'admin-of-someone-else');
    // On Direct Line the card carries the answer and the plain text moves to the summary.
    const replyText = activities.filter((a) => a.from?.role === 'bot').map((a) => JSON.stringify(a)).join('\n');
    assert.ok(activities.filter((a) => a.attachments?.length).every((a) => !a.text && a.summary), 'no duplicate text beside a card');
    assert.match(replyText, /[\uac00-\ud7a3]/);
    // A reload reconnects with the same token and reads from the start or from a watermark.
    const again = await request(`${bot.url}/v3/directline/conversations/${conversationId}`, { headers: { authorization: `Bearer ${dlToken}` } });
    assert.equal(again.status, 200);
    const get = async (query: string) =>
      JSON.parse((await request(`${bot.url}/v3/directline/conversations/${conversationId}/activities${query}`, { headers: { authorization: `Bearer ${dlToken}` } })).body) as { activities: unknown[]; watermark: string };
    await new Promise((r) => setTimeout(r, 500)); // let the turn finish sending
    const all = await get('');
    const page = await get('?watermark=1');
    assert.equal(page.activities.length, all.activities.length - 1);
    assert.equal(page.watermark, all.watermark);
    assert.deepEqual((await get(`?watermark=${all.watermark}`)).activities, []);
  });

  it("refuses another conversation's token and forged or expired tokens; refresh and generate work as in Azure", async () => {
    const first = await token(bot);
    const second = await token(bot);
    const read = (conversationId: string, bearer: string) => request(`${bot.url}/v3/directline/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${bearer}` } });
    assert.equal((await read(first.conversationId, second.token)).status, 403);
    const [payload, signature] = first.token.split('.');
    assert.equal((await read(first.conversationId, `${payload}.${signature.slice(0, -2)}AA`)).status, 403);
    const forgedPayload = Buffer.from(JSON.stringify({ conv: first.conversationId, user: 'dl_x', exp: 9999999999 })).toString('base64url');
    assert.equal((await read(first.conversationId, `${forgedPayload}.${signature}`)).status, 403);
    assert.equal((await read(first.conversationId, '')).status, 403);
    // A token signed with the right secret but expired.
    const secret = require('node:fs').readFileSync(require('node:path').join(bot.dataDir, 'directline.secret'), 'utf8').trim();
    const past = new DirectLineTokens(Buffer.from(secret), () => new Date(Date.now() - 31 * 60_000)).issue(first.conversationId, 'dl_old').token;
    assert.equal((await read(first.conversationId, past)).status, 403);
    // Refresh gives a new token for the same conversation.
    const refreshed = JSON.parse((await request(`${bot.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${first.token}` } })).body) as { conversationId: string; token: string };
    assert.equal(refreshed.conversationId, first.conversationId);
    assert.equal((await read(first.conversationId, refreshed.token)).status, 200);
    // tokens/generate needs the secret, not a token.
    assert.equal((await request(`${bot.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${first.token}` } })).status, 403);
    assert.equal((await request(`${bot.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } })).status, 200);
  });

  it('sends CORS headers only to configured origins', async () => {
    const withOrigins = await startTestBot({ DIRECT_LINE_ORIGINS: 'https://www.contoso.example' });
    try {
      const allowed = await request(`${withOrigins.url}/api/directline/token`, { method: 'OPTIONS', headers: { origin: 'https://www.contoso.example', 'access-control-request-method': 'POST' } });
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://www.contoso.example');
      const other = await request(`${withOrigins.url}/api/directline/token`, { method: 'POST', headers: { origin: 'https://evil.example' } });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    } finally {
      await withOrigins.stop();
    }
  });
});

describe('Azure Direct Line token exchange', () => {
  it('exchanges DIRECT_LINE_SECRET on the server and hands the browser only a token', async () => {
    const http = await import('node:http');
    const seen: string[] = [];
    const azure = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ conversationId: 'azure-conv', token: 'azure-token', expires_in: 1800, secretEcho: 'never forward this' }));
    });
    await new Promise<void>((resolve) => azure.listen(0, '127.0.0.1', () => resolve()));
    const port = (azure.address() as { port: number }).port;
    const secret = 'azure-direct-line-secret-0123456789';
    const bot = await startTestBot({ DIRECT_LINE_SECRET: secret, DIRECT_LINE_ENDPOINT: `http://127.0.0.1:${port}/v3/directline` });
    try {
      const response = await request(`${bot.url}/api/directline/token`, { method: 'POST' });
      assert.equal(response.status, 200);
      const body = JSON.parse(response.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['conversationId', 'domain', 'expires_in', 'token']);
      assert.equal(body.token, 'azure-token');
      assert.ok(!response.body.includes(secret));
      assert.deepEqual(seen, [`POST /v3/directline/tokens/generate Bearer ${secret}`]);
      assert.equal((await request(`${bot.url}/v3/directline/conversations`, { method: 'POST' })).status, 404, 'no embedded endpoint beside Azure');
      assert.ok(!bot.logs.join('\n').includes(secret), 'the secret is not logged');
    } finally {
      await bot.stop();
      await new Promise<void>((resolve) => azure.close(() => resolve()));
    }
  });
});

