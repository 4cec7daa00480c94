// PIN verification as users meet it, on the real bot and dialogs: the happy path in both languages,
// wrong codes, resends, Teams admins and non-admins, unknown organisations, and the code never
// appearing in bot state or logs.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { flatten, newClient, turn, Conversation } from '../support/dialog-harness';

const text = (replies: Partial<Activity>[]) => replies.map(flatten).join('\n');

async function startVerification(client: Conversation, organisation: string, method = 'Email', start = 'verify'): Promise<string> {
  await turn(client, start);
  await turn(client, organisation);
  return text(await turn(client, method));
}

async function stateDump(client: Conversation): Promise<string> {
  return JSON.stringify((client.storage as unknown as { memory: Record<string, unknown> }).memory);
}

describe('PIN verification dialog', () => {
  it('verifies an admin of a known organisation with the emailed code', async () => {
    const client = newClient('en-US');
    assert.match(text(await turn(client, 'verify me')), /Which organisation/);
    assert.match(text(await turn(client, 'contoso.example')), /email address or to the phone/);
    const sent = text(await turn(client, 'Email'));
    assert.match(sent, /a\u2022\u2022\u2022@contoso\.example/);
    assert.equal(client.identity.sent.length, 1);
    const code = client.identity.sent[0].code;
    const done = text(await turn(client, code));
    assert.match(done, /you're verified/);
    assert.ok(!done.includes(code));
    const state = await stateDump(client);
    assert.ok(!state.includes(code), 'the code is not in bot state');
    assert.ok(!client.identity.logs.join('\n').includes(code), 'the code is not logged');
  });

  it('says the same to an unknown organisation, and fails every code', async () => {
    const known = await startVerification(newClient('en-US'), 'contoso.example');
    const client = newClient('en-US');
    const unknown = await startVerification(client, 'nobody.example');
    const shape = (s: string) => s.replace(/contoso\.example|nobody\.example/g, 'ORG').replace(/[a-z]\u2022\u2022\u2022@ORG/g, 'X');
    assert.equal(shape(unknown), shape(known));
    assert.equal(client.identity.sent.length, 0);
    assert.match(text(await turn(client, '123456')), /didn't work/);
  });

  it('takes a wrong code, then a resend, then the new code; the old one no longer works', async () => {
    const client = newClient('en-US');
    await startVerification(client, 'admin@contoso.example');
    const first = client.identity.sent[0].code;
    assert.match(text(await turn(client, first === '000000' ? '111111' : '000000')), /didn't work/);
    assert.match(text(await turn(client, 'resend')), /on its way/);
    const second = client.identity.sent[1].code;
    if (first !== second) assert.match(text(await turn(client, first)), /didn't work/);
    assert.match(text(await turn(client, second)), /you're verified/);
  });

  it('stops accepting after five wrong tries, with the same words for any organisation', async () => {
    for (const organisation of ['contoso.example', 'nobody.example']) {
      const client = newClient('en-US');
      await startVerification(client, organisation);
      const replies: string[] = [];
      for (let i = 0; i < 6; i++) replies.push(text(await turn(client, '999999')));
      assert.match(replies[3], /didn't work/, organisation);
      assert.match(replies[4], /Too many tries/, organisation);
    }
  });

  it('verifies in Korean with a text message to the registered phone', async () => {
    const client = newClient('ko-KR');
    const sent = await startVerification(client, '00000000-0000-4000-8000-00000000c0de', '문자 메시지', '본인 인증');
    assert.match(sent, /\+1 \u2022\u2022\u2022 \u2022\u2022\u2022 0100/);
    assert.equal(client.identity.sent[0].kind, 'sms');
    assert.match(text(await turn(client, client.identity.sent[0].code)), /확인되었습니다/);
  });

  it('knows a Teams admin by tenant and AAD object id, and answers a non-admin with the non-admin rules', async () => {
    const teamsClient = () => newClient('en-US', undefined, 'msteams');
    const client = teamsClient();
    const org = (await client.identity.organisations.get('contoso-demo'))!;
    await client.identity.organisations.save({ ...org, admins: { ...org.admins, aadObjectIds: ['11111111-1111-4111-8111-111111111111'] } });
    const teams = (aadObjectId: string): Partial<Activity> => ({
      type: 'message',
      text: 'verify',
      channelData: { tenant: { id: '00000000-0000-4000-8000-00000000c0de' } },
      from: { id: `29:${aadObjectId}`, name: 'Admin', aadObjectId },
    });
    assert.match(text(await turn(client, teams('11111111-1111-4111-8111-111111111111'))), /signed in to Teams as an admin of Contoso/);
    const other = teamsClient();
    assert.match(text(await turn(other, teams('22222222-2222-4222-8222-222222222222'))), /admin/i);
    assert.equal(other.identity.sent.length, 0);
  });
});
