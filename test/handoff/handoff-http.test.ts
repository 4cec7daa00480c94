// The handoff on the real app over HTTP: a user on the embedded Direct Line asks for a person, two
// agents signed in to the console accept at once (one 200, one 409), the queue card is replaced in
// place under the same activity id, and the console refuses missing sessions and CSRF tokens.
import assert from 'node:assert/strict';
import { RunningBot, startTestBot } from '../support/test-bot';
import { postJson, request } from '../support/http-client';
import { AgentStore } from '../../bot/agents/agents';

const PASSWORD = 'a long console password';

async function poll(bot: RunningBot, conversationId: string, token: string, until: (activities: { id: string; text?: string; summary?: string; from: { id: string } }[]) => boolean) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await request(`${bot.url}/v3/directline/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } });
    const { activities } = JSON.parse(response.body) as { activities: { id: string; text?: string; summary?: string; from: { id: string } }[] };
    if (until(activities)) return activities;
    if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(activities.map((a) => a.summary ?? a.text))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function signIn(bot: RunningBot, name: string): Promise<{ cookie: string; csrf: string }> {
  const response = await postJson(`${bot.url}/agent/api/login`, { name, password: PASSWORD });
  assert.equal(response.status, 200);
  const cookie = String(response.headers['set-cookie']).split(';')[0];
  return { cookie, csrf: (JSON.parse(response.body) as { csrf: string }).csrf };
}

describe('handoff over HTTP on the real app', function () {
  this.timeout(60_000);
  let bot: RunningBot;

  before(async () => {
    bot = await startTestBot();
    const agents = new AgentStore(bot.app.db);
    for (const name of ['Mina', 'Jun']) await agents.add({ name, languages: ['en'], password: PASSWORD });
  });
  after(() => bot?.stop());

  it('refuses the console without a session, with a forged cookie, and without CSRF', async () => {
    assert.equal((await request(`${bot.url}/agent/api/queues`)).status, 401);
    assert.equal((await request(`${bot.url}/agent/api/queues`, { headers: { cookie: `agent_session=${'A'.repeat(43)}` } })).status, 401);
    const { cookie } = await signIn(bot, 'Mina');
    assert.equal((await postJson(`${bot.url}/agent/api/presence`, { presence: 'online' }, { cookie })).status, 403);
    assert.equal((await request(`${bot.url}/agent/api/queues`, { headers: { cookie } })).status, 200);
  });

  it('queues a Direct Line user, gives one of two simultaneous accepts, and updates the card in place', async () => {
    const { conversationId, token } = JSON.parse((await request(`${bot.url}/api/directline/token`, { method: 'POST' })).body) as { conversationId: string; token: string };
    const send = (text: string) =>
      postJson(`${bot.url}/v3/directline/conversations/${conversationId}/activities`, { type: 'message', from: { id: 'x' }, text, locale: 'en-US' }, { authorization: `Bearer ${token}` });
    await send('connect me to a human agent please');
    const queued = await poll(bot, conversationId, token, (a) => a.some((x) => /You're in the queue/.test(x.summary ?? '')));
    const card = queued.find((x) => /You're in the queue/.test(x.summary ?? ''))!;

    const mina = await signIn(bot, 'Mina');
    const jun = await signIn(bot, 'Jun');
    const queues = JSON.parse((await request(`${bot.url}/agent/api/queues`, { headers: { cookie: mina.cookie } })).body) as { queues: { queue: string; waiting: { handoff: { id: string }; position: number }[] }[] };
    const waiting = queues.queues.find((q) => q.queue === 'worldwide:technical:en')!.waiting;
    assert.equal(waiting.length, 1);
    const id = waiting[0].handoff.id;
    const accept = (who: { cookie: string; csrf: string }) => postJson(`${bot.url}/agent/api/handoffs/${id}/accept`, {}, { cookie: who.cookie, 'x-csrf-token': who.csrf });
    const results = await Promise.all([accept(mina), accept(jun)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    assert.match(results.find((r) => r.status === 409)!.body, /already taken by (Mina|Jun)/);

    const after = await poll(bot, conversationId, token, (a) => a.some((x) => /from support has joined/.test(x.text ?? '')));
    const versions = after.filter((x) => x.id === card.id);
    assert.equal(versions.length, 2, 'the queue card was sent again under its own id');
    assert.match(versions[1].summary ?? '', /from support is with you/);
  });
});
