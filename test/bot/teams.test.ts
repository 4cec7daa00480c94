// Teams behaviour on the real bot: the @mention is stripped in channels and group chats, a tenant
// allowlist refuses other tenants, and the messaging extension finds help and inserts a card.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { flatten, newClient, turn } from '../support/dialog-harness';

const TENANT = '00000000-0000-4000-8000-00000000c0de';
const teams = (fields: Partial<Activity>): Partial<Activity> => ({ channelData: { tenant: { id: TENANT } }, ...fields });

describe('Teams behaviour', () => {
  it('strips the bot @mention in a channel before understanding the question', async () => {
    const client = newClient('en-US', undefined, 'msteams', undefined, { conversationType: 'channel' });
    const replies = await turn(
      client,
      teams({
        type: 'message',
        text: '<at>Support Bot</at> support phone number in Australia',
        entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Support Bot' }, text: '<at>Support Bot</at>' }],
        recipient: { id: 'bot', name: 'Support Bot' },
      }),
    );
    assert.match(replies.map(flatten).join('\n').replace(/\D/g, ''), /1800197503/);
  });

  it('refuses a tenant outside ALLOWED_TENANTS and answers an allowed one', async () => {
    const allowed = newClient('en-US', undefined, 'msteams', undefined, { allowedTenants: [TENANT] });
    assert.match((await turn(allowed, teams({ type: 'message', text: 'support hours in Australia' }))).map(flatten).join('\n'), /Australia/i);
    const other = newClient('en-US', undefined, 'msteams', undefined, { allowedTenants: [TENANT] });
    const refused = await turn(other, { type: 'message', text: 'support hours in Australia', channelData: { tenant: { id: '99999999-0000-4000-8000-000000000000' } } });
    assert.equal(refused.length, 1);
    assert.match(flatten(refused[0]), /isn't available for your organisation/);
  });

  it('answers composeExtension/query with help sections and selectItem with a card to insert', async () => {
    const client = newClient('en-US', undefined, 'msteams');
    const query = await turn(client, teams({ type: 'invoke', name: 'composeExtension/query', value: { commandId: 'searchHelp', parameters: [{ name: 'query', value: 'shared mailbox' }] } }));
    const body = (query[0].value as { body: { composeExtension: { attachments: { content: { title: string; tap: { value: { sectionId: string } } } }[] } } }).body;
    assert.ok(body.composeExtension.attachments.length >= 1);
    assert.match(body.composeExtension.attachments[0].content.title, /mailbox/i);
    const sectionId = body.composeExtension.attachments[0].content.tap.value.sectionId;
    const selected = await turn(client, teams({ type: 'invoke', name: 'composeExtension/selectItem', value: { sectionId } }));
    const card = (selected[0].value as { body: { composeExtension: { attachments: { contentType: string; content: unknown }[] } } }).body.composeExtension.attachments[0];
    assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(card.content), /mailbox/i);
  });

  it('turns card buttons into Action.Execute in Teams and runs them like the submits they replace', async () => {
    const client = newClient('en-US', undefined, 'msteams');
    const results = await turn(client, teams({ type: 'message', text: 'how do I create a shared mailbox?' }));
    const card = results.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')!;
    const actions = (card.content as { actions: { type: string; verb?: string; data: { action: string; helpful?: string; searchId: string } }[] }).actions;
    assert.ok(actions.length > 0 && actions.every((a) => a.type === 'Action.Execute' && a.verb === 'submit'), JSON.stringify(actions));
    assert.ok(!JSON.stringify(card.content).includes('Action.Submit'));
    const yes = actions.find((a) => a.data.helpful === 'yes')!;
    const replies = await turn(client, teams({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'submit', data: yes.data } } }));
    const invokeResponse = replies.find((r) => r.type === 'invokeResponse');
    assert.equal((invokeResponse?.value as { status: number }).status, 200);
    assert.match(replies.filter((r) => r.type === 'message').map(flatten).join('\n'), /Glad that helped/);
    assert.equal((await client.help.log.get(yes.data.searchId))!.helpful, true);
  });
});
