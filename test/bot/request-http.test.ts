// A request made over the wire, then changed by support through the request API: the requester
// hears about it in the same conversation. The API refuses a missing or wrong token.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { readable } from '../support/capture-connector';
import { postJson, request } from '../support/http-client';
import { startTestBot, useBotWithConnector } from '../support/test-bot';
import { codeFromMail } from '../support/mail';

const TOKEN = 'test-token-0123456789-abcdefghij';

describe('requests over HTTP and the request API', () => {
  const { bot, connector } = useBotWithConnector({ REQUEST_API_TOKEN: TOKEN });
  let id = 0;

  async function say(fields: Partial<Activity>): Promise<string> {
    const before = connector.activities('req-1').length;
    const response = await postJson(`${bot.url}/api/messages`, {
      type: 'message',
      id: `req-${++id}`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation: { id: 'req-1' },
      from: { id: 'user-1' },
      recipient: { id: 'bot' },
      locale: 'en-US',
      ...fields,
    });
    assert.equal(response.status, 200);
    return connector.activities('req-1').slice(before).filter((a) => a.type === 'message').map(readable).join('\n');
  }

  it('creates a request, and a status change from support reaches the requester', async () => {
    await say({ text: 'verify' });
    await say({ text: 'contoso.example' });
    await say({ text: 'Email' });
    const outbox = path.join(bot.dataDir, 'outbox');
    const eml = fs.readFileSync(path.join(outbox, fs.readdirSync(outbox)[0]), 'utf8');
    const code = codeFromMail(eml);
    await say({ text: code });
    await say({ text: 'new request' });
    assert.match(await say({ text: 'None of these' }), /Open a support request/);
    const created = await say({ value: { action: 'requestForm', description: 'Teams calls drop after two minutes for everyone.', category: 'technical', severity: 'B', phone: '+1 425 555 0100', email: 'admin@contoso.example', method: 'teams' } });
    const number = /Request (\d{4}-\d{6}) is open/.exec(created)?.[1];
    assert.ok(number, created.slice(0, 400));

    const auth = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await request(`${bot.url}/api/requests`)).status, 401);
    assert.equal((await request(`${bot.url}/api/requests`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const listed = JSON.parse((await request(`${bot.url}/api/requests`, { headers: auth })).body) as { requests: { number: string }[] };
    assert.deepEqual(listed.requests.map((r) => r.number), [number]);
    assert.ok(!JSON.stringify(listed).includes('serviceUrl'), 'conversation references stay inside');

    const before = connector.activities('req-1').length;
    const changed = await postJson(`${bot.url}/api/requests/${number}/status`, { status: 'in_progress', note: 'An engineer is looking at the call logs.' }, auth);
    assert.equal(changed.status, 200);
    const told = connector.activities('req-1').slice(before).map(readable).join('\n');
    assert.match(told, new RegExp(`Update on request ${number}: it is now In progress\\. Support wrote: An engineer`));

    assert.equal((await postJson(`${bot.url}/api/requests/2026-999999/status`, { status: 'resolved' }, auth)).status, 404);
    assert.equal((await postJson(`${bot.url}/api/requests/${number}/status`, { status: 'teleported' }, auth)).status, 400);
    await postJson(`${bot.url}/api/requests/${number}/status`, { status: 'resolved' }, auth);
    assert.equal((await postJson(`${bot.url}/api/requests/${number}/status`, { status: 'queued' }, auth)).status, 409);
    const shown = JSON.parse((await request(`${bot.url}/api/requests/${number}`, { headers: auth })).body) as { history: { change: { status?: string } }[] };
    assert.deepEqual(shown.history.map((h) => h.change.status), ['new', 'in_progress', 'resolved']);

    assert.match(await say({ text: 'my requests' }), new RegExp(number!));
    assert.match(await say({ text: `status of ${number}` }), /Resolved/);
  });

  it('sends one code and creates one request when the channel delivers the same activity twice', async () => {
    const post = (activityId: string, fields: Partial<Activity>) =>
      postJson(`${bot.url}/api/messages`, {
        type: 'message',
        id: activityId,
        channelId: 'emulator',
        serviceUrl: connector.url,
        conversation: { id: 'req-twice' },
        from: { id: 'user-2' },
        recipient: { id: 'bot' },
        locale: 'en-US',
        ...fields,
      });
    const outbox = path.join(bot.dataDir, 'outbox');
    const mails = () => (fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).length : 0);
    await post('t-1', { text: 'verify' });
    await post('t-2', { text: 'fabrikam.example' });
    const before = mails();
    await post('t-3', { text: 'Email' });
    await post('t-3', { text: 'Email' });
    assert.equal(mails(), before + 1, 'one code for a redelivered activity');
    const newest = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort().pop()!;
    const code = codeFromMail(fs.readFileSync(path.join(outbox, newest), 'utf8'));
    await post('t-4', { text: code });
    await post('t-5', { text: 'new request' });
    await post('t-6', { text: 'Open a request anyway' });
    await post('t-7', { text: 'None of these' });
    const form = { action: 'requestForm', description: 'Licence assignment fails for new users.', category: 'subscription', severity: 'B', phone: '+86 10 5555 0100', email: 'it@fabrikam.example', method: 'email' };
    const count = async () => (await bot.app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM requests WHERE organisation_id = 'fabrikam-demo'"))!.n;
    await post('t-8', { value: form });
    await post('t-8', { value: form });
    assert.equal(await count(), 1, 'one request for a redelivered submit');
  });

  it('has no request API without a token', async () => {
    const plain = await startTestBot();
    try {
      assert.equal((await request(`${plain.url}/api/requests`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
    } finally {
      await plain.stop();
    }
  });
});
