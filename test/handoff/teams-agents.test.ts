// Teams agents over the wire: the real SupportBot, MainDialog, HandoffService and SQLite on the
// production CloudAdapter, with a loopback Teams connector as the Bot Connector service. Agents
// register their channel, get a card per handoff in a new thread, race to accept it, and talk to
// the user by replying in the thread.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Activity, ConversationReference, InvokeResponse } from 'botbuilder';
import { MemoryStorage, UserState } from 'botbuilder';
import { createAdapter, SupportAdapter } from '../../bot/adapter';
import { parseConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { openDatabase } from '../../bot/storage/database';
import type { SqliteSql } from '../../bot/storage/sql';
import { AgentStore } from '../../bot/agents/agents';
import { ConversationLog } from '../../bot/handoff/conversation-log';
import { ContinueConversation, HandoffService } from '../../bot/handoff/handoff-service';
import { ACCEPT_VERB, ChannelReference, handoffCard, TeamsAgents, teamsThreadCreator } from '../../bot/handoff/teams-agents';
import type { StoredHandoff } from '../../bot/handoff/handoffs';
import * as AC from 'adaptivecards';
import { SupportBot } from '../../bot/support-bot';
import { MainDialog } from '../../dialogs/main-dialog';
import { SupportAnswers } from '../../dialogs/answers';
import { understanderFrom } from '../../dialogs/services';
import { sendWelcome } from '../../dialogs/welcome';
import type { ConversationMemory } from '../../dialogs/memory';
import { handoffService, helpServices, identityServices, knowledge, requestServices } from '../support/dialog-harness';
import { OptimisticConversationState } from '../../bot/storage/optimistic-state';
import { closeServer, listenOnLoopback } from '../support/loopback';

const TENANT = '00000000-0000-4000-8000-00000000c0de';
const TEAM = '19:team-general@thread.tacv2';
const CHANNEL = '19:support-agents@thread.tacv2';
const BOT = { id: '28:support-bot', name: 'Support Bot' };
const MINA = 'aaaaaaaa-0000-4000-8000-00000000000a';
const JOON = 'bbbbbbbb-0000-4000-8000-00000000000b';
const STRANGER = 'cccccccc-0000-4000-8000-00000000000c';

interface Received {
  method: 'POST' | 'PUT';
  conversation: string;
  activityId?: string;
  activity: Partial<Activity>;
}

/** The Bot Connector as Teams runs it: new channel posts (create conversation), replies and card updates. */
class TeamsConnector {
  private readonly server: http.Server;
  readonly received: Received[] = [];
  readonly created: { params: { isGroup?: boolean; channelData?: { channel?: { id?: string } }; activity?: Partial<Activity> }; id: string; activityId: string }[] = [];
  private next = 1000;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        const url = req.url ?? '';
        // Not chained: restify replaces ServerResponse.prototype.writeHead with one that returns nothing.
        const json = (value: unknown) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.method === 'POST' && /^\/v3\/conversations\/?$/.test(url)) {
          const activityId = String(++this.next);
          const id = `${body.channelData?.channel?.id};messageid=${activityId}`;
          this.created.push({ params: body, id, activityId });
          return json({ id, activityId });
        }
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url);
        if (match && (req.method === 'POST' || req.method === 'PUT')) {
          const conversation = decodeURIComponent(match[1]);
          this.received.push({ method: req.method, conversation, activityId: match[2] && decodeURIComponent(match[2]), activity: body });
          return json({ id: req.method === 'PUT' ? decodeURIComponent(match[2]) : String(++this.next) });
        }
        json({});
      });
    });
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  posts(conversation: string): Partial<Activity>[] {
    return this.received.filter((r) => r.method === 'POST' && r.conversation === conversation).map((r) => r.activity);
  }

  updates(conversation: string): Received[] {
    return this.received.filter((r) => r.method === 'PUT' && r.conversation === conversation);
  }

  mark(): number {
    return this.received.length;
  }

  since(mark: number, conversation: string): Received[] {
    return this.received.slice(mark).filter((r) => r.conversation === conversation);
  }
}

const cardOf = (activity: Partial<Activity>) => activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as { body: unknown[]; actions: { type: string; verb?: string; title?: string; data?: { handoffId?: string } }[] };

async function until<T>(what: () => T | undefined, label: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('handoff: Teams agents', function () {
  this.timeout(120_000);

  let connector: TeamsConnector;
  let serviceUrl: string;
  let dir: string;
  let db: SqliteSql;
  let adapter: SupportAdapter;
  let bot: SupportBot;
  let handoffs: HandoffService;
  let agents: AgentStore;
  let teamsAgents: TeamsAgents;
  let identity: ReturnType<typeof identityServices>;
  let sequence = 0;

  before(async () => {
    connector = new TeamsConnector();
    serviceUrl = await connector.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-agents-'));
    db = openDatabase(path.join(dir, 'bot.sqlite'));
    // Every reading of the clock moves it a second, so "before the handoff" is well defined.
    let tick = 0;
    const clock = () => new Date(Date.parse('2026-11-24T03:00:00Z') + tick++ * 1000);
    const config = parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const logger = createLogger('silent');
    const storage = new MemoryStorage();
    const conversationState = new OptimisticConversationState(storage);
    adapter = createAdapter(config, logger, conversationState);
    const log = new ConversationLog(db, clock);
    adapter.use(log.middleware());

    const { directory, understanding } = knowledge();
    const answers = new SupportAnswers({ directory, clock });
    const help = helpServices(clock);
    identity = identityServices(db);
    const requests = requestServices(db, clock);
    agents = new AgentStore(db, clock);
    await agents.add({ name: 'Mina', languages: ['en', 'ko'], aadObjectId: MINA });
    await agents.add({ name: 'Joon', languages: ['en'], aadObjectId: JOON.toUpperCase() });
    const continueConversation: ContinueConversation = (reference, logic) => adapter.continueConversationAsync(config.auth.appId, reference as Partial<ConversationReference>, logic);
    handoffs = handoffService({ db, identity, requests, agents, log, clock }, continueConversation, {}, logger);
    teamsAgents = new TeamsAgents({ db, agents, handoffs, continueConversation, createThread: teamsThreadCreator(adapter, config.auth.appId), logger, clock });
    handoffs.useAgentChannel(teamsAgents);
    await teamsAgents.start();
    const memory = conversationState.createProperty<ConversationMemory>('memory');
    const dialog = new MainDialog({ understanding: understanderFrom(understanding), answers, help, identity, requests, handoff: { service: handoffs, memory }, defaultLocale: 'en' });
    bot = new SupportBot({
      conversationState,
      userState: new UserState(storage),
      dialog,
      welcome: (context) => sendWelcome(context, answers, 'en'),
      handoff: handoffs,
      agentChannel: teamsAgents,
    });
  });

  after(async () => {
    teamsAgents?.close();
    handoffs?.close();
    await connector?.stop();
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const receive = (activity: Partial<Activity>): Promise<InvokeResponse | undefined> =>
    adapter.handleActivity('', { id: `in-${++sequence}`, serviceUrl, locale: 'en-US', timestamp: new Date(), ...activity } as Activity, (context) => bot.run(context));

  /** A message in the agents' Teams channel; `thread` is the root post's id (a reply) or a new post. */
  const inChannel = (aadObjectId: string, name: string, text: string, thread?: string, channel = CHANNEL) =>
    receive({
      type: 'message',
      channelId: 'msteams',
      conversation: { id: `${channel};messageid=${thread ?? String(9000 + sequence)}`, conversationType: 'channel', isGroup: true, tenantId: TENANT, name: '' },
      channelData: { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: channel, name: 'Support agents' }, teamsChannelId: channel, teamsTeamId: TEAM },
      from: { id: `29:${name.toLowerCase()}`, name, aadObjectId } as Activity['from'],
      recipient: BOT,
      text: `<at>${BOT.name}</at> ${text}`,
      entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
    });

  const accept = (aadObjectId: string, name: string, handoffId: string, threadId: string) =>
    receive({
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      conversation: { id: `${CHANNEL};messageid=${threadId}`, conversationType: 'channel', isGroup: true, tenantId: TENANT, name: '' },
      channelData: { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: CHANNEL } },
      from: { id: `29:${name.toLowerCase()}`, name, aadObjectId } as Activity['from'],
      recipient: BOT,
      replyToId: threadId,
      value: { action: { type: 'Action.Execute', verb: ACCEPT_VERB, data: { handoffId } }, trigger: 'manual' },
    });

  const USER_CONVERSATION = 'user-conversation-1';
  const fromUser = (text: string, conversation = USER_CONVERSATION) =>
    receive({
      type: 'message',
      channelId: 'emulator',
      conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: `user-of-${conversation}`, name: 'Kim' },
      recipient: { id: 'bot', name: 'Support Bot' },
      text,
    });

  const registered = () => db.get<{ conversation_reference: string; registered_by: string }>("SELECT conversation_reference, registered_by FROM agent_channels WHERE id = 'default'");
  const lastText = (conversation: string) => connector.posts(conversation).at(-1)?.text ?? '';

  let handoffId = '';
  let threadId = '';
  let threadConversation = '';
  let winner = '';
  let loser = { name: '', aad: '' };

  it('does nothing with a handoff while no agents channel is registered', async () => {
    await fromUser('talk to a person', 'user-conversation-early');
    const early = (await db.get<{ id: string }>("SELECT id FROM handoffs WHERE conversation_key = 'emulator|user-conversation-early'"))!;
    assert.ok(early, 'the handoff opened');
    assert.equal((await handoffs.store.get(early.id))!.teamsThread, undefined);
    assert.equal(connector.created.length, 0);
    await fromUser('cancel', 'user-conversation-early');
  });

  it('refuses to register the channel for someone who is not an agent', async () => {
    await inChannel(STRANGER, 'Stranger', 'agents channel here', '5001');
    assert.equal(await registered(), undefined);
    assert.match(lastText(`${CHANNEL};messageid=5001`), /only registered support agents/i);
  });

  it('registers the channel for an agent, in English or Korean, without the thread part', async () => {
    await inChannel(MINA, 'Mina', '상담원 채널 등록', '5002');
    assert.equal((await registered())?.registered_by, 'Mina');
    await inChannel(JOON, 'Joon', 'agents channel here', '5003');
    const row = (await registered())!;
    assert.equal(row.registered_by, 'Joon');
    const reference = JSON.parse(row.conversation_reference) as ChannelReference;
    assert.equal(reference.conversation?.id, CHANNEL);
    assert.equal(reference.teamsChannelId, CHANNEL);
    assert.equal(reference.teamId, TEAM);
    assert.equal(reference.tenantId, TENANT);
    assert.equal(reference.serviceUrl, serviceUrl);
    assert.match(lastText(`${CHANNEL};messageid=5003`), /Handoff cards will be posted in this channel/);
  });

  it('sets presence from the channel for agents only', async () => {
    await inChannel(MINA, 'Mina', 'online', '5004');
    await inChannel(JOON, 'Joon', 'Online!', '5005');
    assert.equal((await agents.get('Mina'))!.presence, 'online');
    assert.equal((await agents.get('Joon'))!.presence, 'online');
    assert.match(lastText(`${CHANNEL};messageid=5004`), /Mina is now online/);
    await inChannel(STRANGER, 'Stranger', 'offline', '5006');
    assert.match(lastText(`${CHANNEL};messageid=5006`), /only registered support agents/i);
  });

  it('lets messages in other Teams channels go to the dialogs', async () => {
    const other = '19:somewhere-else@thread.tacv2';
    await inChannel(MINA, 'Mina', 'online', '5007', other);
    // Not the agents channel: the support bot answers it as a question, and presence is untouched.
    const reply = lastText(`${other};messageid=5007`);
    assert.doesNotMatch(reply, /is now online/);
  });

  it('posts a new thread with the summary and an Action.Execute accept when a handoff opens', async () => {
    await fromUser('how do I reset a user password');
    await fromUser('no');
    await fromUser('talk to a person');
    const open = (await db.get<{ id: string }>("SELECT id FROM handoffs WHERE conversation_key = ? AND status = 'waiting'", [`emulator|${USER_CONVERSATION}`]))!;
    handoffId = open.id;
    assert.equal(connector.created.length, 1);
    const created = connector.created[0];
    assert.equal(created.params.isGroup, true);
    assert.equal(created.params.channelData?.channel?.id, CHANNEL);
    const card = cardOf(created.params.activity!);
    const text = JSON.stringify(card);
    assert.match(text, /Chat waiting in worldwide:technical:en/);
    assert.match(text, /The answers did not help/);
    assert.match(text, /how do I reset a user password/, 'the search is in the summary');
    assert.match(text, /Articles shown/);
    assert.match(text, /"value":"No"/, 'not verified');
    assert.match(text, /User: talk to a person/);
    assert.deepEqual(card.actions, [{ type: 'Action.Execute', verb: ACCEPT_VERB, title: 'Accept', data: { handoffId }, style: 'positive' }]);
    const stored = (await handoffs.store.get(handoffId))!;
    threadId = created.activityId;
    threadConversation = created.id;
    assert.equal(stored.teamsThread?.activityId, threadId);
    assert.equal((stored.teamsThread?.reference as { conversation: { id: string } }).conversation.id, threadConversation);
    assert.equal((await handoffs.store.byTeamsActivity(threadId))?.id, handoffId);
  });

  it('tells someone who is not an agent that only agents can accept', async () => {
    const response = await accept(STRANGER, 'Stranger', handoffId, threadId);
    const body = response?.body as { statusCode: number; type: string; value: string };
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.activity.message');
    assert.match(body.value, /Only registered support agents can accept/);
    assert.equal((await handoffs.store.get(handoffId))!.status, 'waiting');
  });

  it('gives the chat to exactly one of two agents accepting at once, and tells the other who has it', async () => {
    const mark = connector.mark();
    const [mina, joon] = await Promise.all([accept(MINA, 'Mina', handoffId, threadId), accept(JOON, 'Joon', handoffId, threadId)]);
    const bodies = [mina, joon].map((r) => r?.body as { statusCode: number; type: string; value: { body: unknown[]; actions: unknown[] } });
    for (const b of bodies) {
      assert.equal(b.statusCode, 200);
      assert.equal(b.type, 'application/vnd.microsoft.card.adaptive');
      assert.deepEqual(b.value.actions, [], 'no accept button once taken');
    }
    const stored = (await handoffs.store.get(handoffId))!;
    assert.equal(stored.status, 'active');
    winner = stored.agentName!;
    loser = winner === 'Mina' ? { name: 'Joon', aad: JOON } : { name: 'Mina', aad: MINA };
    const [winnerBody, loserBody] = winner === 'Mina' ? bodies : [bodies[1], bodies[0]];
    assert.match(JSON.stringify(winnerBody.value), new RegExp(`Taken by ${winner}`));
    assert.doesNotMatch(JSON.stringify(winnerBody.value), /Already taken/);
    assert.match(JSON.stringify(loserBody.value), new RegExp(`Already taken: ${winner} accepted this chat a moment before you`));
    // Everyone in the channel sees the card change: the thread's root message is updated once.
    const updates = connector.since(mark, threadConversation).filter((r) => r.method === 'PUT');
    assert.equal(updates.length, 1);
    assert.equal(updates[0].activityId, threadId);
    assert.match(JSON.stringify(cardOf(updates[0].activity)), new RegExp(`Taken by ${winner}`));
    assert.deepEqual(cardOf(updates[0].activity).actions, []);
    assert.match(lastText(USER_CONVERSATION), new RegExp(`${winner} from support has joined`));
  });

  it("posts the user's messages in the thread as plain text", async () => {
    await fromUser('My mailbox shows **error 0x800** <b>since</b> [yesterday](http://evil.example)');
    const posted = await until(() => connector.posts(threadConversation).find((a) => a.text?.startsWith('User: My mailbox')), 'the user message in the thread');
    assert.equal(posted.textFormat, 'plain');
    assert.equal(posted.text, 'User: My mailbox shows **error 0x800** <b>since</b> [yesterday](http://evil.example)');
  });

  it("relays the owner's reply to the user sanitised and does not echo it back into the thread", async () => {
    const mark = connector.mark();
    await inChannel(winner === 'Mina' ? MINA : JOON, winner, 'Try <b>signing out</b> first. <script>alert(1)</script> javascript:alert(2)', threadId);
    const toUser = connector.since(mark, USER_CONVERSATION).map((r) => r.activity);
    assert.equal(toUser.length, 1);
    assert.equal(toUser[0].textFormat, 'plain');
    assert.match(toUser[0].text!, /^Try signing out first\./);
    assert.doesNotMatch(toUser[0].text!, /<b>|<script>|javascript:|Support Bot/);
    assert.deepEqual(connector.since(mark, threadConversation), [], 'nothing echoed into the thread');
    assert.ok((await handoffs.transcript(handoffId)).some((e) => e.role === 'agent' && e.name === winner && e.text.startsWith('Try signing out')));
  });

  it('refuses a reply from an agent who does not own the chat, and from a stranger', async () => {
    const mark = connector.mark();
    await inChannel(loser.aad, loser.name, 'Let me help too', threadId);
    assert.match(lastText(threadConversation), new RegExp(`Only ${winner}, who took this chat, can talk to the user`));
    await inChannel(STRANGER, 'Stranger', 'hello user', threadId);
    assert.match(lastText(threadConversation), new RegExp(`Only ${winner}, who took this chat`));
    assert.deepEqual(connector.since(mark, USER_CONVERSATION), [], 'the user got nothing');
  });

  it('sends a PIN from the thread, shows only the masked destination, then the outcome', async () => {
    await inChannel(winner === 'Mina' ? MINA : JOON, winner, 'pin contoso.example', threadId);
    const reply = lastText(threadConversation);
    assert.match(reply, /^Code sent to \S+/);
    assert.doesNotMatch(reply, /admin@contoso\.example/, 'the agent sees the masked address only');
    const code = identity.sent.at(-1)!.code;
    await fromUser(code);
    const outcome = await until(() => connector.posts(threadConversation).find((a) => /verified/.test(a.text ?? '')), 'the PIN outcome in the thread');
    assert.match(outcome.text!, /The user confirmed the code for Contoso \(demo\): verified/);
    assert.ok(!connector.posts(threadConversation).some((a) => a.text?.includes(code)), 'the code never reaches the thread');
  });

  it('ends the chat when the owner says "end" in the thread', async () => {
    const mark = connector.mark();
    await inChannel(winner === 'Mina' ? MINA : JOON, winner, 'end', threadId);
    const stored = (await handoffs.store.get(handoffId))!;
    assert.equal(stored.status, 'ended');
    assert.equal(stored.endedBy, `agent:${winner}`);
    assert.match(connector.since(mark, USER_CONVERSATION).map((r) => r.activity.text).join('\n'), new RegExp(`${winner} ended the chat`));
    const thread = connector.since(mark, threadConversation);
    const update = thread.find((r) => r.method === 'PUT')!;
    assert.equal(update.activityId, threadId);
    assert.match(JSON.stringify(cardOf(update.activity)), new RegExp(`Ended by ${winner}`));
    assert.ok(thread.some((r) => r.method === 'POST' && r.activity.text === `${winner} ended the chat.`));
    // Afterwards the thread no longer reaches the user.
    await inChannel(winner === 'Mina' ? MINA : JOON, winner, 'are you still there?', threadId);
    assert.match(lastText(threadConversation), /This chat has ended/);
  });

  it('leaves other verbs to the bot', async () => {
    assert.equal(await teamsAgents.onInvoke({} as never, { action: { type: 'Action.Execute', verb: 'requestStatus', data: {} } } as never), undefined);
  });
});

describe('handoff: the Teams agents card', () => {
  const HOSTILE = ['${$root.secret}', '**bold** _it_ [link](javascript:alert(1)) `code` # heading', '<script>alert(1)</script>', 'line one\nline two', 'x'.repeat(5000)];
  const handoff = (status: StoredHandoff['status'], agentName?: string): StoredHandoff => ({
    id: 'h-1',
    queue: 'worldwide:technical:ko',
    status,
    locale: 'ko',
    trigger: 'frustrated',
    mode: 'internal',
    summary: {
      trigger: 'frustrated',
      intent: 'password-reset',
      searches: HOSTILE,
      articles: HOSTILE.map((title) => ({ title, url: 'javascript:alert(1)' })),
      requestNumber: '2026-000123',
      verified: true,
      organisation: { id: 'o', name: '[Contoso](http://evil.example)' },
      locale: 'ko',
      channelId: 'msteams',
      userName: '**Kim**',
    },
    requestNumber: '2026-000123',
    agentName,
    createdAt: '2026-11-24T03:00:10.000Z',
    conversationKey: 'k',
    conversationReference: {},
  });
  const transcript = HOSTILE.map((text, i) => ({ at: `2026-11-24T03:00:0${i}.000Z`, role: i % 2 ? ('bot' as const) : ('user' as const), text }));

  function parseWarnings(content: unknown): string[] {
    const parsed = new AC.AdaptiveCard();
    const context = new AC.SerializationContext();
    parsed.parse(content as never, context);
    const warnings: string[] = [];
    for (let i = 0; i < context.eventCount; i++) warnings.push(`parse: ${context.getEventAt(i).message}`);
    for (const e of parsed.validateProperties().validationEvents) warnings.push(`validate: ${e.message}`);
    return warnings;
  }

  it('parses cleanly in every state and keeps hostile text literal', () => {
    for (const [status, agent] of [['waiting'], ['active', 'Mina_K'], ['ended'], ['cancelled']] as [StoredHandoff['status'], string?][]) {
      const card = handoffCard(handoff(status, agent), transcript, { note: 'note [x](y)' });
      assert.deepEqual(parseWarnings(card.content), [], status);
      const json = JSON.stringify(card.content);
      assert.ok(!/[^\\]\]\(/.test(json), 'no markdown link survives unescaped');
      assert.ok(json.includes('${$root.secret}'), 'template syntax stays literal text');
      assert.ok(!json.includes('javascript:alert(1)"'), 'article links are not turned into actions');
      assert.ok(json.length < 20_000, 'well under the Teams card size limit');
      const actions = (card.content as { actions: unknown[] }).actions;
      assert.equal(actions.length, status === 'waiting' ? 1 : 0);
    }
    assert.match(JSON.stringify(handoffCard(handoff('active', 'Mina_K'), transcript).content), /Taken by Mina\\\\_K/);
  });
});
