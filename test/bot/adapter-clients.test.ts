// The adapter keeps one ConnectorClient per (app id, service URL, audience) instead of building one,
// with its whole HTTP pipeline, on every turn; replies still reach the channel.
import assert from 'node:assert/strict';
import { ActivityTypes, ConfigurationBotFrameworkAuthentication, ConversationState, MemoryStorage, TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';
import { BotFrameworkAuthentication, ClaimsIdentity } from 'botframework-connector';
import { createAdapter, MAX_CACHED_CLIENTS, ReusingBotFrameworkAuthentication } from '../../bot/adapter';
import { parseConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { CaptureConnector } from '../support/capture-connector';

const anonymous = () => new ClaimsIdentity([], 'anonymous');

describe('adapter: connector clients', () => {
  it('reuses one client per service URL across turns, and replies still arrive', async () => {
    const connector = new CaptureConnector();
    const other = new CaptureConnector();
    await connector.start();
    await other.start();
    try {
      const adapter = createAdapter(parseConfig({ LOG_LEVEL: 'silent' }), createLogger('silent'), new ConversationState(new MemoryStorage()));
      const clients: unknown[] = [];
      const turn = (serviceUrl: string, i: number) =>
        adapter.handleActivity(
          '',
          { type: ActivityTypes.Message, id: `a${i}`, channelId: 'webchat', serviceUrl, conversation: { id: `c${i}` }, from: { id: 'u' }, recipient: { id: 'bot' }, text: `hello ${i}` } as Activity,
          async (context: TurnContext) => {
            clients.push(context.turnState.get(adapter.ConnectorClientKey));
            await context.sendActivity(`echo ${context.activity.text}`);
          },
        );
      await turn(connector.url, 1);
      await turn(connector.url, 2);
      await turn(other.url, 3);
      assert.ok(clients[0], 'the turn has a connector client');
      assert.equal(clients[0], clients[1], 'same service URL, same client');
      assert.notEqual(clients[0], clients[2], 'another service URL gets its own client');
      assert.equal(connector.activities('c1')[0]?.text, 'echo hello 1');
      assert.equal(connector.activities('c2')[0]?.text, 'echo hello 2');
      assert.equal(other.activities('c3')[0]?.text, 'echo hello 3');
    } finally {
      await connector.stop();
      await other.stop();
    }
  });

  it('keeps at most MAX_CACHED_CLIENTS, dropping the least recently used', async () => {
    const auth = new ReusingBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const factory = auth.createConnectorFactory(anonymous());
    const first = await factory.create('https://first.example/', undefined);
    for (let i = 0; i < MAX_CACHED_CLIENTS + 10; i++) {
      await factory.create(`https://s${i}.example/`, undefined);
      // Keep "first" in use: it must survive while others are dropped.
      if (i % 50 === 0) assert.equal(await factory.create('https://first.example/', undefined), first);
    }
    assert.equal(auth.cachedConnectors, MAX_CACHED_CLIENTS);
    assert.equal(await factory.create('https://first.example/', undefined), first);
    assert.notEqual(await factory.create('https://s0.example/', undefined), await factory.create('https://s1.example/', undefined));
  });

  it('keys clients by audience as well, and reuses the user token client', async () => {
    const auth = new ReusingBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const factory = auth.createConnectorFactory(anonymous());
    const a = await factory.create('https://svc.example/', 'audience-a');
    assert.equal(await auth.createConnectorFactory(anonymous()).create('https://svc.example/', 'audience-a'), a);
    assert.notEqual(await factory.create('https://svc.example/', 'audience-b'), a);
    assert.equal(await auth.createUserTokenClient(anonymous()), await auth.createUserTokenClient(anonymous()));
  });

  it('forgets a client whose creation failed, so the next turn tries again', async () => {
    let calls = 0;
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const flaky = Object.create(inner) as BotFrameworkAuthentication;
    flaky.createConnectorFactory = (claims) => {
      const real = inner.createConnectorFactory(claims);
      return {
        create: async (serviceUrl: string, audience?: string) => {
          calls += 1;
          if (calls === 1) throw new Error('credentials unavailable');
          return real.create(serviceUrl, audience);
        },
      } as ReturnType<BotFrameworkAuthentication['createConnectorFactory']>;
    };
    const auth = new ReusingBotFrameworkAuthentication(flaky);
    const factory = auth.createConnectorFactory(anonymous());
    await assert.rejects(factory.create('https://svc.example/', undefined), /credentials unavailable/);
    await new Promise((r) => setImmediate(r));
    const client = await factory.create('https://svc.example/', undefined);
    assert.ok(client);
    assert.equal(await factory.create('https://svc.example/', undefined), client);
    assert.equal(calls, 2);
  });
});
