// MainDialog on its own through botbuilder-testing's DialogTestClient: the multi-turn flows
// (country question, interruptions, hand-back of a new question) in both languages.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { MainDialog } from '../../dialogs/main-dialog';
import { SupportAnswers } from '../../dialogs/answers';
import { understanderFrom } from '../../dialogs/services';
import { flatten, helpServices, identityServices, knowledge, requestServices } from '../support/dialog-harness';

function client(): DialogTestClient {
  const { directory, understanding } = knowledge();
  const answers = new SupportAnswers({ directory, clock: () => new Date('2026-11-24T03:00:00Z') });
  return new DialogTestClient('msteams', new MainDialog({ understanding: understanderFrom(understanding), answers, help: helpServices(), identity: identityServices(), requests: requestServices(), defaultLocale: 'en' }));
}

async function say(c: DialogTestClient, text: string, locale: string): Promise<string> {
  const first = (await c.sendActivity({ type: 'message', text, locale } as Partial<Activity>)) as Partial<Activity> | undefined;
  const replies = [first];
  for (let next = c.getNextReply(); next; next = c.getNextReply()) replies.push(next);
  return replies.map(flatten).join('\n');
}

describe('MainDialog (DialogTestClient)', () => {
  it('en: asks for the country, waits, then answers with that country only', async () => {
    const c = client();
    assert.match(await say(c, 'I need the support number', 'en-US'), /which country or region/i);
    assert.equal(c.dialogTurnResult.status, DialogTurnStatus.waiting);
    const answer = await say(c, 'New Zealand', 'en-US');
    assert.match(answer.replace(/\D/g, ''), /0800194197/);
    assert.doesNotMatch(answer.replace(/\D/g, ''), /18008659408/);
    assert.equal(c.dialogTurnResult.status, DialogTurnStatus.complete);
  });

  it('ko: help in the middle of the country question answers and asks again', async () => {
    const c = client();
    assert.match(await say(c, '지원 전화번호 알려줘', 'ko-KR'), /국가/);
    const help = await say(c, '도움말', 'ko-KR');
    assert.match(help, /도와드릴 수 있는 일/);
    assert.match(help, /어느 국가/, 'the question is asked again');
    assert.equal(c.dialogTurnResult.status, DialogTurnStatus.waiting);
    assert.match((await say(c, '일본', 'ko-KR')).replace(/\D/g, ''), /0120996680/);
  });

  it('ko: cancel ends the question', async () => {
    const c = client();
    await say(c, '전화번호 알려줘', 'ko-KR');
    assert.match(await say(c, '취소', 'ko-KR'), /멈췄/);
    assert.equal(c.dialogTurnResult.status, DialogTurnStatus.complete);
  });

  it('en: a different question instead of a country is answered as a question', async () => {
    const c = client();
    await say(c, 'what number do I call?', 'en-US');
    const answer = await say(c, 'what are the severity levels for 21Vianet?', 'en-US');
    assert.match(answer, /Severity A/);
    assert.equal(c.dialogTurnResult.status, DialogTurnStatus.complete);
  });

  it('en: an unrecognisable place gets a clear message and nothing is guessed', async () => {
    const c = client();
    await say(c, 'phone number for support', 'en-US');
    const answer = await say(c, 'Narnia', 'en-US');
    assert.match(answer, /couldn't tell which country/i);
    assert.doesNotMatch(answer.replace(/\D/g, ''), /18008659408|1800197503/);
  });
});
