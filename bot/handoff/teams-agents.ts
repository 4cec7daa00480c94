// Teams agents: handoff cards in a Teams channel that an agent registered. Each handoff is a new
// thread whose root is a card with an Accept button (Action.Execute); the agent who wins the accept
// talks to the user by replying in that thread (mentioning the bot), and the user's messages appear
// there as plain text. Bot Framework calls sit behind two injected functions (continueConversation,
// createThread) so app.ts wires them to the CloudAdapter and tests to a loopback connector.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Activity,
  ActivityTypes,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  Attachment,
  CardFactory,
  CloudAdapter,
  ConversationReference,
  TurnContext,
} from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Logger } from '../logger';
import type { Agent, AgentStore, Presence } from '../agents/agents';
import type { SqlDatabase } from '../storage/sql';
import { CARD_VERSION, escapeMarkdown } from '../../cards/render';
import { SKIP_CONVERSATION_LOG } from './conversation-log';
import type { ContinueConversation, AgentChannel, HandoffService } from './handoff-service';
import type { StoredHandoff } from './handoffs';
import { ConsoleEvent, HandoffError, TranscriptEntry } from './types';

export const ACCEPT_VERB = 'handoffAccept';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
/** How many lines of the conversation before the handoff the card shows. */
const CARD_TRANSCRIPT_LINES = 6;
const CARD_LINE_CHARS = 300;

/** The agents' surface is English; every string they see is here. */
export const AGENT_STRINGS = {
  registered: (channel: string) =>
    `Handoff cards will be posted in this channel${channel ? ` (${channel})` : ''}. Say "online", "away" or "offline" here (mentioning me) to set your status. Accept a card to take the chat, then reply in its thread, mentioning me, to talk to the user.`,
  notAgentRegister: 'Sorry, only registered support agents can choose the agents channel. Ask an administrator to add your Teams account: npm run agent -- add --name NAME --languages en --aad-object-id YOUR-ID',
  notAgent: 'Sorry, only registered support agents can do that here. Ask an administrator to add your Teams account as an agent.',
  notAgentAccept: 'Only registered support agents can accept handoffs. Ask an administrator to add your Teams account as an agent.',
  presence: (name: string, presence: Presence) => `${name} is now ${presence}.`,
  help: 'This is the agents channel. Mention me with "online", "away" or "offline" to set your status. Handoff cards arrive here as new posts: accept one, then reply in its thread (mentioning me) to talk to the user. In a thread: "end" ends the chat, "pin <organisation domain or tenant id> [phone]" sends the user a verification code.',
  // The card
  cardTitle: (queue: string) => `Chat waiting in ${queue}`,
  trigger: {
    asked: 'The user asked for a person',
    'not-helped': 'The answers did not help',
    repeated: 'The user repeated the question',
    frustrated: 'The user seemed frustrated',
    'severity-a': 'Severity A (critical impact)',
  } as Record<string, string>,
  facts: { trigger: 'Why', queue: 'Queue', language: 'Language', verified: 'Verified', request: 'Request', intent: 'Intent', user: 'User', channel: 'Channel' },
  languages: { en: 'English', ko: 'Korean' } as Record<string, string>,
  verifiedAs: (org: string) => `Yes: ${org}`,
  notVerified: 'No',
  searches: 'Searched for',
  articles: 'Articles shown',
  conversation: 'Last messages before the handoff',
  roles: { user: 'User', bot: 'Bot', agent: 'Agent', system: 'Note' } as Record<string, string>,
  accept: 'Accept',
  statusWaiting: 'Waiting for an agent.',
  statusTaken: (name: string) => `Taken by ${name}`,
  statusEnded: (by: string | undefined) => (by === 'user' ? 'Ended by the user' : by?.startsWith('agent:') ? `Ended by ${by.slice(6)}` : 'Ended'),
  statusCancelled: 'Cancelled: the user left the queue',
  howToReply: 'Reply in this thread, mentioning me, to talk to the user. "end" ends the chat; "pin <organisation domain or tenant id> [phone]" sends the user a verification code.',
  tooLate: (name: string) => `Already taken: ${name} accepted this chat a moment before you.`,
  gone: 'This chat is no longer waiting.',
  notYourQueue: (queue: string) => `This chat is in ${queue}, which you don't serve.`,
  // The thread
  userSaid: (text: string) => `User: ${text}`,
  agentSaid: (name: string, text: string) => `${name} (agent console): ${text}`,
  note: (text: string) => `— ${text}`,
  attachment: (name: string, url?: string) => `[attachment: ${name}${url ? ` ${url}` : ''}]`,
  ownerOnly: (name: string) => `Only ${name}, who took this chat, can talk to the user.`,
  acceptFirst: 'No one has taken this chat yet: use Accept on the card first.',
  chatClosed: 'This chat has ended; messages here no longer reach the user.',
  empty: 'There was nothing to send: write your message after mentioning me.',
  notDelivered: (reason: string) => `Not delivered: ${reason}`,
  pinSent: (destination: string) => `Code sent to ${destination}. You'll see here whether the user confirms it.`,
  pinRateLimited: 'Too many codes have been sent for this organisation just now; try again later.',
  pinVerified: (org?: string) => `The user confirmed the code${org ? ` for ${org}` : ''}: verified.`,
  pinNotVerified: 'The code the user typed was not verified.',
  endedNote: (by: string | undefined) => (by === 'user' ? 'The user ended the chat.' : by?.startsWith('agent:') ? `${by.slice(6)} ended the chat.` : 'The chat ended.'),
  cancelledNote: 'The user left the queue.',
  requeuedNote: 'Back in the queue: anyone can accept it again from the card.',
};

const REGISTER = /^(agents?[' ]*channel here|상담원\s*채널\s*등록)\s*[.!]?$/i;
const PRESENCE = /^(online|away|offline)\s*[.!]?$/i;
const END = /^(end|end chat|종료)\s*[.!]?$/i;
const PIN = /^pin\s+(.+?)(?:\s+(phone|email))?\s*$/i;

/** Where the registered channel is: a conversation reference to the channel itself (no thread). */
export interface ChannelReference extends Partial<ConversationReference> {
  teamsChannelId: string;
  teamId?: string;
  tenantId?: string;
}

export interface ThreadReference {
  reference: Partial<ConversationReference>;
  /** The thread's root message: the handoff card. */
  activityId: string;
}

/** Starts a new thread in a Teams channel with `activity` as its root. */
export type CreateThread = (channel: ChannelReference, activity: Partial<Activity>) => Promise<ThreadReference>;

export interface TeamsAgentsOptions {
  db: SqlDatabase;
  agents: Pick<AgentStore, 'list'>;
  handoffs: Pick<HandoffService, 'store' | 'accept' | 'send' | 'end' | 'sendPin' | 'setPresence' | 'subscribe'>;
  continueConversation: ContinueConversation;
  createThread: CreateThread;
  logger: Logger;
  clock?: () => Date;
}

/** What the current Teams turn is: so updates reuse its context and the agent's own words are not echoed. */
interface TurnScope {
  context: TurnContext;
  /** The handoff whose agent message this turn is relaying (skip it in message()). */
  relaying?: string;
}

/** The channel part of a Teams conversation id: "19:x@thread.tacv2;messageid=1" → "19:x@thread.tacv2". */
export function channelConversationId(id: string): string {
  return id.split(';messageid=')[0];
}

function threadRootId(id: string): string | undefined {
  return /;messageid=([^;]+)/.exec(id)?.[1];
}

const lit = (value: string, max = CARD_LINE_CHARS) => escapeMarkdown(value.replace(/\s+/g, ' ').trim().slice(0, max));
const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text, wrap: true, ...extra });

/**
 * The handoff card the agents see. Every value is data placed in a TextBlock or fact; everything
 * that came from a user, an organisation or an article is escaped so it cannot become a link or markup.
 */
export function handoffCard(handoff: StoredHandoff, transcript: TranscriptEntry[], extra?: { note?: string }): Attachment {
  const s = AGENT_STRINGS;
  const summary = handoff.summary;
  const facts = [
    { title: s.facts.trigger, value: s.trigger[handoff.trigger] ?? handoff.trigger },
    { title: s.facts.queue, value: handoff.queue },
    { title: s.facts.language, value: s.languages[handoff.locale] ?? handoff.locale },
    { title: s.facts.verified, value: summary.verified ? s.verifiedAs(summary.organisation?.name ?? '?') : s.notVerified },
    ...(handoff.requestNumber ?? summary.requestNumber ? [{ title: s.facts.request, value: (handoff.requestNumber ?? summary.requestNumber)! }] : []),
    ...(summary.intent ? [{ title: s.facts.intent, value: summary.intent }] : []),
    ...(summary.userName ? [{ title: s.facts.user, value: summary.userName }] : []),
    ...(summary.channelId ? [{ title: s.facts.channel, value: summary.channelId }] : []),
  ].map((f) => ({ title: f.title, value: lit(f.value, 200) }));
  const list = (title: string, items: string[]) =>
    items.length ? [textBlock(title, { weight: 'Bolder', spacing: 'Medium' }), ...items.map((i) => textBlock(`• ${lit(i)}`, { spacing: 'None' }))] : [];
  // What was said before the handoff (user and bot), the last few lines.
  const before = transcript.filter((e) => (e.role === 'user' || e.role === 'bot') && e.at <= handoff.createdAt).slice(-CARD_TRANSCRIPT_LINES);
  const lines = before.map((e) => textBlock(`${s.roles[e.role]}: ${lit(e.text || (e.attachments?.length ? s.attachment(e.attachments[0].name ?? e.attachments[0].contentType) : ''))}`, { spacing: 'None', isSubtle: e.role === 'bot' }));
  const status =
    handoff.status === 'waiting'
      ? s.statusWaiting
      : handoff.status === 'active'
        ? s.statusTaken(handoff.agentName ?? '?')
        : handoff.status === 'ended'
          ? s.statusEnded(handoff.endedBy)
          : s.statusCancelled;
  const statusColor = handoff.status === 'waiting' ? 'Attention' : handoff.status === 'active' ? 'Good' : 'Default';
  const card = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body: [
      textBlock(lit(s.cardTitle(handoff.queue)), { weight: 'Bolder', size: 'Medium', style: 'heading' }),
      textBlock(lit(status), { weight: 'Bolder', color: statusColor, spacing: 'Small' }),
      { type: 'FactSet', facts },
      ...list(s.searches, summary.searches ?? []),
      ...list(s.articles, (summary.articles ?? []).map((a) => a.title)),
      ...(lines.length ? [textBlock(s.conversation, { weight: 'Bolder', spacing: 'Medium' }), ...lines] : []),
      ...(handoff.status === 'active' ? [textBlock(lit(s.howToReply), { isSubtle: true, size: 'Small', spacing: 'Medium' })] : []),
      ...(extra?.note ? [textBlock(lit(extra.note), { color: 'Warning', weight: 'Bolder', spacing: 'Medium' })] : []),
    ],
    actions: handoff.status === 'waiting' ? [{ type: 'Action.Execute', verb: ACCEPT_VERB, title: s.accept, data: { handoffId: handoff.id }, style: 'positive' }] : [],
  };
  return CardFactory.adaptiveCard(card);
}

export class TeamsAgents implements AgentChannel {
  private readonly turn = new AsyncLocalStorage<TurnScope>();
  private readonly subscriptions = new Map<string, () => void>();

  constructor(private readonly o: TeamsAgentsOptions) {}

  /** PIN outcomes reach agents as console events; follow every Teams agent's. */
  async start(): Promise<void> {
    for (const agent of await this.o.agents.list()) if (agent.aadObjectId) this.follow(agent.name);
  }

  // ---- the registered channel ----

  /** The registered agents' channel, if any. */
  async channel(): Promise<ChannelReference | undefined> {
    const row = await this.o.db.get<{ conversation_reference: string }>("SELECT conversation_reference FROM agent_channels WHERE id = 'default'");
    return row ? (JSON.parse(row.conversation_reference) as ChannelReference) : undefined;
  }

  private async register(activity: Activity, agent: Agent): Promise<ChannelReference> {
    const channelData = (activity.channelData ?? {}) as { channel?: { id?: string; name?: string }; team?: { id?: string }; teamsChannelId?: string; teamsTeamId?: string; tenant?: { id?: string } };
    const conversationId = channelConversationId(activity.conversation.id);
    const tenantId = activity.conversation.tenantId ?? channelData.tenant?.id;
    const reference: ChannelReference = {
      channelId: activity.channelId,
      serviceUrl: activity.serviceUrl,
      bot: activity.recipient ? { id: activity.recipient.id, name: activity.recipient.name } : undefined,
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId, name: '' },
      teamsChannelId: channelData.channel?.id ?? channelData.teamsChannelId ?? conversationId,
      teamId: channelData.team?.id ?? channelData.teamsTeamId,
      tenantId,
    };
    await this.o.db.run(
      `INSERT INTO agent_channels (id, conversation_reference, registered_by, registered_at) VALUES ('default', ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET conversation_reference = excluded.conversation_reference, registered_by = excluded.registered_by, registered_at = excluded.registered_at`,
      [JSON.stringify(reference), agent.name, (this.o.clock ?? (() => new Date()))().toISOString()],
    );
    this.o.logger.info({ event: 'agents.channel_registered', agent: agent.name, channel: reference.teamsChannelId }, 'agents channel registered');
    return reference;
  }

  /** Teams identities only count from Teams: another channel could put any aadObjectId in `from`. */
  private async agentOf(activity: Activity): Promise<Agent | undefined> {
    if (activity.channelId !== 'msteams') return undefined;
    const id = activity.from?.aadObjectId?.toLowerCase();
    return id ? (await this.o.agents.list()).find((a) => a.aadObjectId === id) : undefined;
  }

  private inRegisteredChannel(activity: Activity, channel: ChannelReference | undefined): boolean {
    if (!channel?.conversation?.id) return false;
    if (channelConversationId(activity.conversation?.id ?? '') !== channel.conversation.id) return false;
    const tenant = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    return !channel.tenantId || !tenant || tenant === channel.tenantId;
  }

  // ---- AgentChannel: called by HandoffService ----

  async opened(handoff: StoredHandoff): Promise<void> {
    const channel = await this.channel();
    if (!channel) return;
    const card = handoffCard(handoff, await this.o.handoffs.store.transcript(handoff.id));
    const thread = await this.o.createThread(channel, { type: ActivityTypes.Message, summary: AGENT_STRINGS.cardTitle(handoff.queue), attachments: [card] } as Partial<Activity>);
    await this.o.handoffs.store.setTeamsThread(handoff.id, thread);
    this.o.logger.info({ event: 'handoff.teams_posted', handoff: handoff.id }, 'handoff card posted to the agents channel');
  }

  async changed(handoff: StoredHandoff): Promise<void> {
    const current = (await this.o.handoffs.store.get(handoff.id)) ?? handoff;
    const thread = current.teamsThread;
    if (!thread) return;
    if (current.status === 'active' && current.agentName) this.follow(current.agentName);
    const note =
      current.status === 'ended' ? AGENT_STRINGS.endedNote(current.endedBy) : current.status === 'cancelled' ? AGENT_STRINGS.cancelledNote : current.status === 'waiting' ? AGENT_STRINGS.requeuedNote : undefined;
    await this.inThread(thread, async (context) => {
      await context.updateActivity({ type: ActivityTypes.Message, id: thread.activityId, attachments: [await this.cardFor(current)] });
      if (note) await context.sendActivity({ type: ActivityTypes.Message, text: note, textFormat: 'plain' });
    });
  }

  async message(handoff: StoredHandoff, entry: TranscriptEntry): Promise<void> {
    const thread = (await this.o.handoffs.store.get(handoff.id))?.teamsThread ?? handoff.teamsThread;
    if (!thread) return;
    // The agent's own words from this thread: Teams already shows them.
    if (entry.role === 'agent' && this.turn.getStore()?.relaying === handoff.id) return;
    const files = (entry.attachments ?? []).map((a) => AGENT_STRINGS.attachment(a.name ?? a.contentType, a.url));
    const body = [entry.text, ...files].filter(Boolean).join('\n');
    const text =
      entry.role === 'user' ? AGENT_STRINGS.userSaid(body) : entry.role === 'agent' ? AGENT_STRINGS.agentSaid(entry.name ?? '?', body) : entry.role === 'system' ? AGENT_STRINGS.note(body) : `${AGENT_STRINGS.roles.bot}: ${body}`;
    await this.inThread(thread, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'plain' });
    });
  }

  // ---- SupportBot hooks ----

  async onMessage(context: TurnContext): Promise<boolean> {
    const activity = context.activity;
    if (activity.channelId !== 'msteams' || activity.conversation?.conversationType !== 'channel') return false;
    // SupportBot has usually removed the bot's mention already; this is for callers that have not.
    const raw = ((activity.text && activity.recipient ? TurnContext.removeRecipientMention(activity) : activity.text) ?? '').trim();
    const command = raw.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/\s+/g, ' ').trim();
    const agent = await this.agentOf(activity);
    const channel = await this.channel();

    if (REGISTER.test(command)) {
      return this.scoped(context, async () => {
        if (!agent) {
          await this.reply(context, AGENT_STRINGS.notAgentRegister);
          return;
        }
        const registered = await this.register(activity, agent);
        const name = (activity.channelData as { channel?: { name?: string } } | undefined)?.channel?.name ?? '';
        await this.reply(context, AGENT_STRINGS.registered(name || (registered.teamsChannelId === registered.teamId ? 'General' : '')));
      });
    }

    const rootId = threadRootId(activity.conversation.id);
    const handoff = rootId ? await this.o.handoffs.store.byTeamsActivity(rootId) : undefined;
    const threadConversation = (handoff?.teamsThread?.reference as Partial<ConversationReference> | undefined)?.conversation?.id;
    // The root id alone could repeat across channels: the thread must be in the card's channel too.
    if (handoff && threadConversation && channelConversationId(threadConversation) === channelConversationId(activity.conversation.id)) {
      return this.scoped(context, () => this.inHandoffThread(context, handoff, agent, raw, command));
    }

    if (!this.inRegisteredChannel(activity, channel)) return false;
    return this.scoped(context, async () => {
      const presence = PRESENCE.exec(command)?.[1]?.toLowerCase() as Presence | undefined;
      if (presence && agent) {
        await this.o.handoffs.setPresence(agent.name, presence);
        await this.reply(context, AGENT_STRINGS.presence(agent.name, presence));
      } else if (presence) {
        await this.reply(context, AGENT_STRINGS.notAgent);
      } else {
        await this.reply(context, AGENT_STRINGS.help);
      }
    });
  }

  private async inHandoffThread(context: TurnContext, handoff: StoredHandoff, agent: Agent | undefined, raw: string, command: string): Promise<void> {
    if (!agent) return this.reply(context, handoff.status === 'active' && handoff.agentName ? AGENT_STRINGS.ownerOnly(handoff.agentName) : AGENT_STRINGS.notAgent);
    const presence = PRESENCE.exec(command)?.[1]?.toLowerCase() as Presence | undefined;
    if (presence) {
      await this.o.handoffs.setPresence(agent.name, presence);
      return this.reply(context, AGENT_STRINGS.presence(agent.name, presence));
    }
    if (handoff.status === 'waiting') return this.reply(context, AGENT_STRINGS.acceptFirst);
    if (handoff.status !== 'active') return this.reply(context, AGENT_STRINGS.chatClosed);
    if (handoff.agentName !== agent.name) return this.reply(context, AGENT_STRINGS.ownerOnly(handoff.agentName ?? '?'));
    try {
      if (END.test(command)) {
        // changed() updates the card and notes the end in this thread.
        await this.o.handoffs.end(handoff.id, agent.name);
        return;
      }
      const pin = PIN.exec(command);
      if (pin) {
        const result = await this.o.handoffs.sendPin(handoff.id, agent.name, { organisation: pin[1], via: pin[2]?.toLowerCase() === 'phone' ? 'phone' : 'email' });
        return this.reply(context, result.outcome === 'sent' ? AGENT_STRINGS.pinSent(result.destination) : AGENT_STRINGS.pinRateLimited);
      }
      if (!command) return this.reply(context, AGENT_STRINGS.empty);
      const scope = this.turn.getStore();
      if (scope) scope.relaying = handoff.id;
      await this.o.handoffs.send(handoff.id, agent.name, raw);
    } catch (err) {
      if (err instanceof HandoffError) return this.reply(context, AGENT_STRINGS.notDelivered(err.message));
      this.o.logger.warn({ err, handoff: handoff.id }, 'could not relay the agent message from Teams');
      return this.reply(context, AGENT_STRINGS.notDelivered('the user could not be reached'));
    }
  }

  async onInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse | undefined> {
    if (invoke?.action?.verb !== ACCEPT_VERB) return undefined;
    const data = invoke.action.data as { handoffId?: unknown } | undefined;
    const id = typeof data?.handoffId === 'string' ? data.handoffId.slice(0, 100) : '';
    return this.within(context, async () => {
      const handoff = id ? await this.o.handoffs.store.get(id) : undefined;
      if (!handoff) return this.messageResponse(AGENT_STRINGS.gone);
      const agent = await this.agentOf(context.activity);
      if (!agent) return this.messageResponse(AGENT_STRINGS.notAgentAccept);
      if (!(agent.queues.includes('*') || agent.queues.includes(handoff.queue)) || !agent.languages.includes(handoff.locale)) {
        return this.cardResponse(handoff, AGENT_STRINGS.notYourQueue(handoff.queue));
      }
      // On success HandoffService calls changed(), which updates the card for everyone through this turn.
      const result = await this.o.handoffs.accept(id, agent.name);
      const now = (await this.o.handoffs.store.get(id)) ?? handoff;
      if (result.ok) {
        this.o.logger.info({ event: 'handoff.teams_accepted', handoff: id, agent: agent.name }, 'handoff accepted in Teams');
        return this.cardResponse(now);
      }
      return this.cardResponse(now, result.reason === 'taken' ? AGENT_STRINGS.tooLate(result.by) : AGENT_STRINGS.gone);
    });
  }

  /** Stops following agents' console events (shutdown). */
  close(): void {
    for (const off of this.subscriptions.values()) off();
    this.subscriptions.clear();
  }

  // ---- helpers ----

  private async cardFor(handoff: StoredHandoff, note?: string): Promise<Attachment> {
    return handoffCard(handoff, await this.o.handoffs.store.transcript(handoff.id), { note });
  }

  private async cardResponse(handoff: StoredHandoff, note?: string): Promise<AdaptiveCardInvokeResponse> {
    return { statusCode: 200, type: ADAPTIVE, value: (await this.cardFor(handoff, note)).content };
  }

  private messageResponse(text: string): AdaptiveCardInvokeResponse {
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as never };
  }

  private async reply(context: TurnContext, text: string): Promise<void> {
    await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'plain' });
  }

  /** Runs a Teams agents' turn (its sends stay out of the user conversation log); true: it was ours. */
  private async scoped(context: TurnContext, work: () => Promise<void>): Promise<true> {
    await this.within(context, work);
    return true;
  }

  private within<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
    context.turnState.set(SKIP_CONVERSATION_LOG, true);
    return this.turn.run({ context }, work);
  }

  /** In the thread's own turn, use it; otherwise reach the thread proactively. */
  private async inThread(thread: NonNullable<StoredHandoff['teamsThread']>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const current = this.turn.getStore()?.context;
    const threadId = (thread.reference as Partial<ConversationReference> | undefined)?.conversation?.id;
    if (current && threadId && current.activity.conversation?.id === threadId) return logic(current);
    await this.o.continueConversation(thread.reference, async (context) => {
      context.turnState.set(SKIP_CONVERSATION_LOG, true);
      await logic(context);
    });
  }

  /** PIN outcomes for an agent's chats, posted in the chat's thread by the instance that checked the code. */
  private follow(agentName: string): void {
    if (this.subscriptions.has(agentName)) return;
    const off = this.o.handoffs.subscribe(agentName, (event: ConsoleEvent) => {
      if (event.type !== 'pin' || event.status === 'sent') return;
      const post = async () => {
        const handoff = await this.o.handoffs.store.get(event.handoffId);
        if (!handoff?.teamsThread) return;
        const text = event.status === 'verified' ? AGENT_STRINGS.pinVerified(handoff.summary.organisation?.name) : AGENT_STRINGS.pinNotVerified;
        await this.inThread(handoff.teamsThread, async (context) => {
          await context.sendActivity({ type: ActivityTypes.Message, text: AGENT_STRINGS.note(text), textFormat: 'plain' });
        });
      };
      void post().catch((err: unknown) => this.o.logger.warn({ err, handoff: event.handoffId }, 'could not post the PIN outcome to the Teams thread'));
    }, 'here');
    this.subscriptions.set(agentName, off);
  }
}

/**
 * CreateThread on the CloudAdapter: a new conversation in the channel (what Teams calls a new post).
 * TeamsInfo.sendMessageToTeamsChannel on a CloudAdapter returns the new conversation id where the
 * activity id belongs (createConversationAsync drops `activityId`), so this calls the connector
 * directly and keeps both; the root id falls back to the ";messageid=" part of the conversation id.
 */
export function teamsThreadCreator(adapter: CloudAdapter, appId: string): CreateThread {
  return async (channel, activity) => {
    let thread: ThreadReference | undefined;
    await adapter.continueConversationAsync(appId, channel, async (context) => {
      const client = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: channel.bot as never,
        tenantId: channel.tenantId,
        channelData: { channel: { id: channel.teamsChannelId }, ...(channel.tenantId ? { tenant: { id: channel.tenantId } } : {}) },
        activity: activity as Activity,
      });
      const activityId = created.activityId || threadRootId(created.id ?? '');
      if (!created.id || !activityId) throw new Error('Teams did not return the new thread');
      const { teamsChannelId: _c, teamId: _t, tenantId: _n, ...reference } = channel;
      thread = { reference: { ...reference, conversation: { ...channel.conversation!, id: created.id } }, activityId };
    });
    return thread!;
  };
}
