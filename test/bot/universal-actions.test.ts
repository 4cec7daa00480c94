// Universal Actions over the wire: in Teams the request confirmation refreshes itself for the
// requester (Action.Execute), the adaptiveCard/action invoke answers with the current card, and
// anyone else gets the same words as for a number that doesn't exist.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { postJson } from '../support/http-client';
import { useBotWithConnector } from '../support/test-bot';
import { OrganisationStore } from '../../bot/orgs/organisations';

const TENANT = '00000000-0000-4000-8000-00000000c0de';
const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000001';

describe('Universal Actions for request cards in Teams', () => {
  const { bot, connector } = useBotWithConnector();
  let id = 0;

  before(async () => {
    const orgs = new OrganisationStore(bot.app.db);
    const org = (await orgs.get('contoso-demo'))!;
    await orgs.save({ ...org, admins: { ...org.admins, aadObjectIds: [ADMIN] } });
  });

  const post = (fields: Partial<Activity>, userId = '29:admin') =>
    postJson(`${bot.url}/api/messages`, {
      type: 'message',
      id: `ua-${++id}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: 'teams-personal', conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      from: { id: userId, aadObjectId: ADMIN },
      recipient: { id: 'bot' },
      locale: 'en-US',
      ...fields,
    });

  it('refreshes for the requester and answers the invoke with the live status', async () => {
    await post({ text: 'new request' });
    await post({ text: 'None of these' });
    const before = connector.activities('teams-personal').length;
    await post({ value: { action: 'requestForm', description: 'Mailbox migration stalled at 60 percent.', category: 'technical', severity: 'C', phone: '+1 425 555 0100', email: 'admin@contoso.example', method: 'teams' } });
    const confirmation = connector.activities('teams-personal').slice(before).find((a) => a.attachments?.length)!;
    const card = confirmation.attachments![0].content as { refresh: { action: { verb: string; data: { number: string } }; userIds: string[] }; actions: { type: string }[] };
    assert.equal(card.refresh.action.verb, 'requestStatus');
    assert.deepEqual(card.refresh.userIds, ['29:admin']);
    assert.ok(card.actions.some((a) => a.type === 'Action.Execute'));
    const number = card.refresh.action.data.number;

    const invoke = await post({ type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'requestStatus', data: { number } } } });
    assert.equal(invoke.status, 200);
    const body = JSON.parse(invoke.body) as { statusCode: number; type: string; value: { body: unknown[]; refresh: unknown } };
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(body.value), /New/);
    assert.ok(body.value.refresh);

    const stranger = await post({ type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'requestStatus', data: { number } } } }, '29:someone-else');
    const strangerBody = JSON.parse(stranger.body) as { type: string; value: string };
    assert.equal(strangerBody.type, 'application/vnd.microsoft.activity.message');
    const missing = JSON.parse((await post({ type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'requestStatus', data: { number: '2026-999999' } } } })).body) as { value: string };
    assert.equal(strangerBody.value.replace(number, 'N'), missing.value.replace('2026-999999', 'N'));

    const unknown = JSON.parse((await post({ type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'launchRockets', data: {} } } })).body) as { statusCode: number; type: string };
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.type, 'application/vnd.microsoft.error');
  });
});
