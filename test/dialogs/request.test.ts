// The request flow on the real bot: verification first, the partner note, known issues, the form
// with server-side checks and the seed's severity rules, and the confirmation.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { flatten, newClient, turn, Conversation } from '../support/dialog-harness';

const text = (replies: Partial<Activity>[]) => replies.map(flatten).join('\n');
const FORM = { action: 'requestForm', description: 'External mail bounces with 550 5.7.1 since this morning.', category: 'technical', severity: 'B', phone: '+1 425 555 0100', email: 'admin@contoso.example', method: 'phone' };

async function verified(client: Conversation, organisation: string, locale = 'en'): Promise<void> {
  await turn(client, locale === 'ko' ? '본인 인증' : 'verify');
  await turn(client, organisation);
  await turn(client, locale === 'ko' ? '메일' : 'Email');
  const code = client.identity.sent[client.identity.sent.length - 1].code;
  assert.match(text(await turn(client, code)), locale === 'ko' ? /확인되었습니다/ : /verified/);
}

async function toForm(client: Conversation): Promise<string> {
  const health = text(await turn(client, 'new request'));
  assert.match(health, /known issues/);
  const form = text(await turn(client, 'None of these'));
  assert.match(form, /Open a support request/);
  return form;
}

describe('request flow', () => {
  it('asks an unverified user to verify first, then goes on to known issues', async () => {
    const client = newClient('en-US');
    assert.match(text(await turn(client, 'new request')), /Which organisation/);
    await turn(client, 'contoso.example');
    await turn(client, 'Email');
    const afterCode = text(await turn(client, client.identity.sent[0].code));
    assert.match(afterCode, /verified/);
    assert.match(afterCode, /Exchange Online/, 'worldwide issues shown');
    assert.doesNotMatch(afterCode, /MO204341|Licence assignment/, 'a 21Vianet-only issue is not shown to a worldwide tenant');
  });

  it('creates a request from the form and confirms number, due time, wait and phone', async () => {
    const client = newClient('en-US');
    await verified(client, 'contoso.example');
    const form = await toForm(client);
    assert.match(form, /admin@contoso\.example/, 'contacts prefilled from the profile');
    const done = text(await turn(client, { type: 'message', value: FORM }));
    assert.match(done, /Request 2026-000001 is open/);
    assert.match(done, /First response by/);
    assert.match(done, /Expected wait/);
    assert.match(done.replace(/\D/g, ''), /18008659408/);
    const request = (await client.requests.store.get('2026-000001', 'contoso-demo'))!;
    assert.equal(request.severity, 'B');
    assert.equal(request.phone, '+14255550100');
    assert.equal(request.status, 'new');
  });

  it('ends at a matching known issue without creating a request', async () => {
    const client = newClient('en-US');
    await verified(client, 'contoso.example');
    await turn(client, 'new request');
    assert.match(text(await turn(client, '#issue EX204311')), /Status: serviceDegradation/);
    assert.equal((await client.requests.store.list()).length, 0);
  });

  it('refuses severity A without an agreement and a forged 100 KB description, keeping the form', async () => {
    const client = newClient('en-US');
    await verified(client, 'contoso.example');
    await toForm(client);
    assert.match(text(await turn(client, { type: 'message', value: { ...FORM, severity: 'A' } })), /advanced support agreement/);
    assert.match(text(await turn(client, { type: 'message', value: { ...FORM, description: 'x'.repeat(100 * 1024) } })), /under 4,000 characters/);
    assert.match(text(await turn(client, { type: 'message', value: { ...FORM, severity: 'Z', organisationId: 'fabrikam-demo' } })), /Choose a severity/);
    assert.equal((await client.requests.store.list()).length, 0);
    assert.match(text(await turn(client, { type: 'message', value: FORM })), /is open/);
    assert.equal((await client.requests.store.list())[0].organisationId, 'contoso-demo', 'the organisation comes from verification, not the card');
  });

  it('shows a partner-bought organisation its partner first, and caps billing at B', async () => {
    const client = newClient('en-US');
    await verified(client, 'fabrikam.example');
    assert.match(text(await turn(client, 'new request')), /Northwind Cloud Partners/);
    assert.match(text(await turn(client, 'Open a request anyway')), /Licence assignment/, 'the 21Vianet issue is shown to a 21Vianet tenant');
    await turn(client, 'None of these');
    const refused = text(await turn(client, { type: 'message', value: { ...FORM, category: 'billing', severity: 'A', email: 'it@fabrikam.example' } }));
    assert.match(refused, /technical support only/);
    const done = text(await turn(client, { type: 'message', value: { ...FORM, category: 'technical', severity: 'A', email: 'it@fabrikam.example' } }));
    assert.match(done, /is open/);
    assert.match(done.replace(/\D/g, ''), /4000890365/, 'the 21Vianet number');
  });

  it('lets the partner handle it when the admin says so', async () => {
    const client = newClient('en-US');
    await verified(client, 'fabrikam.example');
    await turn(client, 'new request');
    assert.match(text(await turn(client, "I'll contact the partner")), /partner can't help/);
  });

  it('runs in Korean', async () => {
    const client = newClient('ko-KR');
    await verified(client, 'contoso.example', 'ko');
    assert.match(text(await turn(client, '새 요청')), /알려진 문제/);
    assert.match(text(await turn(client, '해당 없음')), /지원 요청 열기/);
    const done = text(await turn(client, { type: 'message', value: FORM }));
    assert.match(done, /접수되었습니다/);
    assert.match(done, /예상 대기 시간/);
  });
});

describe('my requests', () => {
  async function withRequest(organisation: string, email: string): Promise<{ client: Conversation; number: string }> {
    const client = newClient('en-US');
    await verified(client, organisation);
    await turn(client, 'new request');
    if (organisation.startsWith('fabrikam')) await turn(client, 'Open a request anyway');
    await turn(client, 'None of these');
    const done = text(await turn(client, { type: 'message', value: { ...FORM, email } }));
    return { client, number: /Request (\d{4}-\d{6})/.exec(done)![1] };
  }

  it('lists, shows, notes and cancels a request of the verified organisation', async () => {
    const { client, number } = await withRequest('contoso.example', 'admin@contoso.example');
    assert.match(text(await turn(client, 'my requests')), new RegExp(number));
    assert.match(text(await turn(client, `status of ${number}`)), /New/);
    assert.match(text(await turn(client, `add a note to ${number}: it started after the DNS change`)), /note is added/);
    assert.match(text(await turn(client, `cancel request ${number}`)), /cancelled/);
    assert.match(text(await turn(client, `cancel request ${number}`)), /can't be changed/);
    assert.deepEqual((await client.requests.store.historyOf(number)).map((h) => h.change.status ?? 'note'), ['new', 'note', 'cancelled']);
  });

  it("answers another organisation's number exactly like a number that doesn't exist", async () => {
    const { client, number } = await withRequest('contoso.example', 'admin@contoso.example');
    // The same bot, a different conversation, verified for Fabrikam.
    const other = newClient('en-US', undefined, 'emulator', client.db);
    await verified(other, 'fabrikam.example');
    assert.ok(await other.requests.store.get(number), 'the request is in the shared database');
    const theirs = text(await turn(other, `status of ${number}`)).replace(number, 'N');
    const missing = text(await turn(other, 'status of 2026-999999')).replace('2026-999999', 'N');
    assert.equal(theirs, missing);
  });
});

describe('request form without cards', () => {
  it('asks one question at a time on a channel without Adaptive Cards, with the same checks', async () => {
    const client = newClient('en-US', undefined, 'sms');
    await verified(client, 'contoso.example');
    await turn(client, 'new request');
    assert.match(text(await turn(client, 'None of these')), /What's the problem/);
    assert.match(text(await turn(client, 'Shared mailbox permissions vanished overnight.')), /1\. Technical support/);
    assert.match(text(await turn(client, '1')), /Severity/);
    assert.match(text(await turn(client, 'a')), /Contact phone/);
    await turn(client, 'ok');
    await turn(client, 'ok');
    const refused = text(await turn(client, 'Email'));
    assert.match(refused, /advanced support agreement/, 'severity A refused as on the card');
    for (const answer of ['Shared mailbox permissions vanished overnight.', '1', 'c', 'ok', 'ok']) await turn(client, answer);
    const done = text(await turn(client, '2'));
    assert.match(done, /is open/);
    const [request] = await client.requests.store.list();
    assert.deepEqual([request.category, request.severity, request.method, request.phone], ['technical', 'C', 'email', '+14255550100']);
  });
});

describe('my requests in Korean', () => {
  it('lists and shows requests in Korean', async () => {
    const client = newClient('ko-KR');
    await verified(client, 'contoso.example', 'ko');
    await turn(client, '새 요청');
    await turn(client, '해당 없음');
    const done = text(await turn(client, { type: 'message', value: FORM }));
    const number = /요청 (\d{4}-\d{6})/.exec(done)![1];
    assert.match(text(await turn(client, '내 요청')), new RegExp(`${number}.*새 요청`));
    assert.match(text(await turn(client, `${number} 상태 알려줘`)), /상태/);
    assert.match(text(await turn(client, `요청 ${number} 취소`)), /취소되었습니다/);
  });
});
