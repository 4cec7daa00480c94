// The help-search flow through the real bot on botbuilder's TestAdapter: results card buttons
// pressed later, "Did you mean" choices, forged or stale card data, and what the search log keeps.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { flatten, newClient, turn } from '../support/dialog-harness';

function submitData(replies: Partial<Activity>[]): Record<string, string>[] {
  const card = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  assert.ok(card, 'a results card');
  return ((card.content as { actions?: { type: string; data?: Record<string, string> }[] }).actions ?? [])
    .filter((a) => a.type === 'Action.Submit')
    .map((a) => a.data ?? {});
}

describe('help search flow', () => {
  it('records the search, then the No pressed on its card two turns later', async () => {
    const client = newClient('en-US');
    const results = await turn(client, 'how do I add a custom domain?');
    const [yes, no] = submitData(results);
    assert.equal(yes.action, 'searchFeedback');
    assert.equal(yes.helpful, 'yes');
    assert.equal(no.helpful, 'no');
    assert.equal(yes.searchId, no.searchId);

    const logged = await client.help.log.get(no.searchId);
    assert.ok(logged);
    assert.equal(logged.query, 'how do I add a custom domain?');
    assert.equal(logged.language, 'en');
    assert.ok(logged.results.length >= 1 && logged.results.every((r) => r.id.includes('#') && r.score > 0));
    assert.equal(logged.helpful, null);

    await turn(client, 'what are the support hours?');
    const next = await turn(client, { type: 'message', value: no });
    const text = next.map(flatten).join('\n');
    assert.match(text, /service health/i);
    assert.equal((await client.help.log.get(no.searchId))!.helpful, false);
  });

  it('thanks a Yes in Korean and records it', async () => {
    const client = newClient('ko-KR');
    const results = await turn(client, '도메인을 추가하려면 어떻게 하나요?');
    const [yes] = submitData(results);
    const thanks = await turn(client, { type: 'message', value: yes });
    assert.match(thanks.map(flatten).join('\n'), /다행/);
    assert.equal((await client.help.log.get(yes.searchId))!.helpful, true);
  });

  it('shows a section in full when a "Did you mean" choice is pressed', async () => {
    const client = newClient('en-US');
    const results = await turn(client, 'shared mailbox');
    const searchId = submitData(results)[0].searchId;
    const sectionId = client.help.search.section('en/shared-mailboxes.md#create-a-shared-mailbox')
      ? 'en/shared-mailboxes.md#create-a-shared-mailbox'
      : (await client.help.log.get(searchId))!.results[0].id;
    const shown = await turn(client, { type: 'message', value: { action: 'showSection', searchId, sectionId } });
    const text = shown.map(flatten).join('\n');
    assert.match(text, /shared mailbox/i);
    assert.match(text, /Did this help\?/);
  });

  it('answers forged or stale card data without failing or touching the log', async () => {
    const client = newClient('en-US');
    const before = await client.help.log.counts();
    const gone = await turn(client, { type: 'message', value: { action: 'showSection', searchId: 'x', sectionId: 'no/such.md#x' } });
    assert.match(gone.map(flatten).join('\n'), /no longer/i);
    const forged = await turn(client, { type: 'message', value: { action: 'searchFeedback', searchId: 'not-a-real-id', helpful: 'no' } });
    assert.ok(forged.length > 0);
    const odd = await turn(client, { type: 'message', value: { action: 'searchFeedback', searchId: 'x'.repeat(500), helpful: 'maybe' } });
    assert.ok(Array.isArray(odd));
    assert.deepEqual(await client.help.log.counts(), before);
  });

  it('treats a new question after the results as a question, not feedback', async () => {
    const client = newClient('en-US');
    const results = await turn(client, 'block sign-in for a user who left');
    const searchId = submitData(results)[0].searchId;
    const next = await turn(client, 'no idea, but what is the phone number in Australia?');
    assert.match(next.map(flatten).join('\n').replace(/\D/g, ''), /1800197503/);
    assert.equal((await client.help.log.get(searchId))!.helpful, null);
  });
});
