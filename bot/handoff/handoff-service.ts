// Human handoff: opens a handoff with its summary and transcript, keeps the user's queue card
// current (position and Erlang C wait from the agents actually online), relays messages both ways
// while an agent owns the conversation, and gives the conversation back to the bot at the end.
import crypto from 'node:crypto';
import { Activity, ActivityTypes, EventFactory, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import type { Agent, AgentStore, Presence } from '../agents/agents';
import type { PinService } from '../pin/pin-service';
import type { OrganisationStore, Organisation } from '../orgs/organisations';
import type { RequestStatus, RequestStore, ServiceRequest } from '../requests/requests';
import { arrivalRate, expectedWait, WaitEstimate } from '../requests/wait-time';
import type { Hours } from '../../knowledge/directory/types';
import type { Locale } from '../../knowledge/i18n';
import { t } from '../../knowledge/i18n';
import * as replies from '../../dialogs/answers/handoff-answers';
import { attachmentsOf, conversationKey, ConversationLog, describeSubmit, redact, SKIP_CONVERSATION_LOG } from './conversation-log';
import { HandoffStore, StoredHandoff } from './handoffs';
import { plainAgentText } from './sanitize';
import { whenDelivered } from '../turn-buffer';
import { HandoffEvents, LocalHandoffEvents } from './events';
import {
  AcceptResult,
  ConsoleBackend,
  ConsoleEvent,
  Dashboard,
  DashboardHour,
  Handoff,
  HandoffError,
  HandoffSummary,
  HandoffTrigger,
  QueueView,
  TranscriptEntry,
} from './types';

/** Typed by the user while handed off, these go to the bot instead of the agent. */
const END_WORDS = /^\s*(end|cancel|stop|quit|end chat|leave( the)? queue|종료|취소|그만|끝|대화 종료|대기 취소)\s*[.!]?\s*$/i;
const CODE_TYPED = /^[\s\d０-９]{6,12}$/;

/** Runs logic in a user's conversation from outside a turn (adapter.continueConversationAsync). */
export type ContinueConversation = (reference: unknown, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

/** Teams agents' side (cards in the agents' channel), when configured. */
export interface AgentChannel {
  opened(handoff: StoredHandoff): Promise<void>;
  changed(handoff: StoredHandoff): Promise<void>;
  message(handoff: StoredHandoff, entry: TranscriptEntry): Promise<void>;
}

export interface HandoffSettings {
  mode: 'internal' | 'external';
  averageHandleMinutes: number;
  /** Seconds an agent's console may be gone before their conversations go back to the queue. */
  agentTimeoutSeconds: number;
}

/** What the service counts (bot/metrics.ts): triggers and outcomes, never who or what was said. */
export interface HandoffMetrics {
  handoffOpened(trigger: HandoffTrigger): void;
  handoffAccepted(): void;
  handoffEnded(by: 'user' | 'agent' | 'external', status: 'ended' | 'cancelled'): void;
}

/** One queue now: who waits, and the wait for someone joining (null when no agent can take it). */
export interface QueueNow {
  queue: string;
  waiting: number;
  onlineAgents: number;
  expectedWaitMinutes: number | null;
}

export interface HandoffServiceOptions {
  store: HandoffStore;
  log: ConversationLog;
  agents: AgentStore;
  pins: Pick<PinService, 'request' | 'verify' | 'verifiedOrganisation'>;
  organisations: Pick<OrganisationStore, 'get' | 'find'>;
  requests: RequestStore;
  /** The hours a queue is staffed (the organisation's, when known). */
  hoursFor: (queue: string, organisation?: Organisation) => Hours;
  continueConversation: ContinueConversation;
  settings: HandoffSettings;
  clock: () => Date;
  logger: Logger;
  /** Counts of helpful / unhelpful searches per hour for the dashboard. */
  searchFeedback?: (since: Date) => Promise<{ at: string; helpful: boolean }[]>;
  metrics?: HandoffMetrics;
  /** How console events reach other instances; one process needs nothing more than the default. */
  events?: HandoffEvents;
}

export interface StartInput {
  trigger: HandoffTrigger;
  intent?: string;
  searches?: string[];
  articles?: { title: string; url?: string }[];
  requestNumber?: string;
}

export interface QueueStatus {
  position: number;
  wait: WaitEstimate;
  onlineAgents: number;
}

const scopeOf = (reference: Partial<Activity> & { user?: { id?: string } }) => ({
  channelId: reference.channelId ?? '',
  conversationId: reference.conversation?.id ?? '',
  userId: reference.user?.id ?? '',
});

/** Strips what only the server needs (references, card ids) from what consoles see. */
function publicView(h: StoredHandoff): Handoff {
  const { conversationKey: _k, conversationReference: _r, queueCardId: _q, teamsThread: _t, ...rest } = h;
  return rest;
}

export class HandoffService implements ConsoleBackend {
  private readonly events: HandoffEvents;
  /** Console streams open per agent, and the timers that requeue a vanished agent's chats. */
  private readonly connections = new Map<string, number>();
  private readonly disconnectTimers = new Map<string, NodeJS.Timeout>();
  /** This process among the instances, in the record of who streams which agent's console. */
  private readonly instanceId = crypto.randomUUID();
  /** Renews this instance's console streams and looks for agents whose instance died. */
  private streamsTimer?: NodeJS.Timeout;
  /** What each waiting user's card last said, so an unchanged card is not rewritten. */
  private readonly shownCards = new Map<string, string>();
  private agentChannel?: AgentChannel;

  constructor(private readonly o: HandoffServiceOptions) {
    this.events = o.events ?? new LocalHandoffEvents();
  }

  /** Teams agents are wired after construction: their channel needs the service for accepts. */
  useAgentChannel(channel: AgentChannel): void {
    this.agentChannel = channel;
  }

  get store(): HandoffStore {
    return this.o.store;
  }

  openFor(context: TurnContext): Promise<StoredHandoff | undefined> {
    return this.o.store.openFor(conversationKey(context.activity));
  }

  /** The queue this conversation would join: cloud × category × language. */
  async queueFor(context: TurnContext, locale: Locale, request?: ServiceRequest): Promise<{ queue: string; organisation?: Organisation }> {
    const orgId = request?.organisationId ?? await this.o.pins.verifiedOrganisation(scopeOf(TurnContext.getConversationReference(context.activity) as never));
    const organisation = orgId ? await this.o.organisations.get(orgId) : undefined;
    const category = request?.category ?? 'technical';
    return { queue: `${organisation?.cloud ?? 'worldwide'}:${category}:${locale}`, organisation };
  }

  /** Whether the queue is staffed now, and when it opens if not. */
  async queueOpen(queue: string, organisation?: Organisation): Promise<{ open: boolean; opensAt?: Date; zone?: string }> {
    const wait = await this.estimate(queue, 0, organisation);
    const hours = this.o.hoursFor(queue, organisation);
    const zone = hours.kind === 'weekly' ? hours.timeZone : undefined;
    return wait.reason === 'closed' ? { open: false, opensAt: wait.opensAt, zone } : { open: true };
  }

  async onlineAgents(queue: string): Promise<Agent[]> {
    const language = queue.split(':')[2];
    return (await this.o.agents.onlineFor(queue)).filter((a) => a.languages.includes(language));
  }

  /** Erlang C over the agents online for the queue and the last hour's arrivals, with `ahead` people in front. */
  async estimate(queue: string, ahead: number, organisation?: Organisation): Promise<WaitEstimate> {
    const now = this.o.clock();
    return expectedWait({
      queueLength: ahead,
      agentsOnShift: (await this.onlineAgents(queue)).length,
      averageHandleMinutes: this.o.settings.averageHandleMinutes,
      arrivalsPerHour: arrivalRate(await this.o.store.arrivals(queue, new Date(now.getTime() - 3_600_000)), now),
      hours: this.o.hoursFor(queue, organisation),
      now,
    });
  }

  async status(handoff: StoredHandoff): Promise<QueueStatus> {
    const position = await this.o.store.position(handoff);
    const organisation = handoff.summary.organisation ? await this.o.organisations.get(handoff.summary.organisation.id) : undefined;
    return { position, wait: await this.estimate(handoff.queue, Math.max(0, position - 1), organisation), onlineAgents: (await this.onlineAgents(handoff.queue)).length };
  }

  /** Opens the handoff for this conversation (or returns the open one) and shows the queue card. */
  async start(context: TurnContext, locale: Locale, input: StartInput): Promise<StoredHandoff> {
    const activity = context.activity;
    const request = input.requestNumber ? await this.o.requests.get(input.requestNumber) : undefined;
    const { queue, organisation } = await this.queueFor(context, locale, request);
    const key = conversationKey(activity);
    const summary: HandoffSummary = {
      trigger: input.trigger,
      intent: input.intent,
      searches: (input.searches ?? []).slice(-5),
      articles: (input.articles ?? []).slice(-5),
      requestNumber: request?.number,
      verified: Boolean(organisation),
      organisation: organisation ? { id: organisation.id, name: organisation.name } : undefined,
      locale,
      channelId: activity.channelId ?? '',
      userName: activity.from?.name?.slice(0, 200),
    };
    const reference = TurnContext.getConversationReference(activity);
    const mode = this.o.settings.mode;
    const { handoff, created } = await this.o.store.open({
      conversationKey: key,
      conversationReference: { ...reference, locale: activity.locale },
      queue,
      locale,
      trigger: input.trigger,
      mode,
      summary,
      requestNumber: request?.number,
      transcript: await this.o.log.recent(key),
    });
    if (!created) {
      await this.showQueueCard(context, handoff, true);
      return handoff;
    }
    this.o.logger.info({ event: 'handoff.opened', handoff: handoff.id, queue, trigger: input.trigger, mode }, 'handoff opened');
    this.o.metrics?.handoffOpened(input.trigger);
    if (mode === 'external') {
      await this.initiateExternal(context, handoff, locale);
      return handoff;
    }
    await this.showQueueCard(context, handoff, true);
    this.emit({ type: 'queues' });
    await this.agentChannel?.opened(handoff).catch((err: unknown) => this.o.logger.warn({ err }, 'could not post the handoff to the agents channel'));
    // Someone joining the queue changes everyone's arrival rate.
    void this.refreshQueue(queue, handoff.id);
    return handoff;
  }

  /** Bot Framework's handoff.initiate with the transcript, for an external agent hub. */
  private async initiateExternal(context: TurnContext, handoff: StoredHandoff, locale: Locale): Promise<void> {
    const transcript = (await this.o.store.transcript(handoff.id)).map(
      (e, i) =>
        ({
          type: ActivityTypes.Message,
          id: `${handoff.id}-${i}`,
          timestamp: new Date(e.at),
          from: { id: e.role, name: e.name ?? e.role, role: e.role === 'user' ? 'user' : 'bot' },
          text: e.text,
        }) as Activity,
    );
    const event = EventFactory.createHandoffInitiation(context, { handoffId: handoff.id, queue: handoff.queue, summary: handoff.summary }, { activities: transcript });
    await context.sendActivity(replies.handoffNote('handoff.external.connecting', locale));
    await context.sendActivity(event);
  }

  /** handoff.status from an external hub: accepted, failed or completed. */
  async externalStatus(context: TurnContext): Promise<void> {
    const handoff = await this.openFor(context);
    const value = context.activity.value as { state?: unknown; message?: unknown } | undefined;
    const state = typeof value?.state === 'string' ? value.state : '';
    if (!handoff || handoff.mode !== 'external') return;
    const locale = handoff.locale;
    if (state === 'accepted') {
      await this.o.store.markExternalAccepted(handoff.id);
      this.o.metrics?.handoffAccepted();
      await this.o.store.append(handoff.id, { role: 'system', text: 'accepted by the external agent hub' });
    } else if (state === 'failed' || state === 'completed') {
      if (await this.o.store.close(handoff.id, state === 'failed' ? 'cancelled' : 'ended', 'external')) this.o.metrics?.handoffEnded('external', state === 'failed' ? 'cancelled' : 'ended');
      await this.o.store.append(handoff.id, { role: 'system', text: `external agent hub: ${state}` });
      await context.sendActivity(replies.handoffNote(state === 'failed' ? 'handoff.external.failed' : 'handoff.backToBot', locale));
    }
    this.o.logger.info({ event: 'handoff.external_status', handoff: handoff.id, state }, 'external handoff status');
  }

  /** Shows or updates the user's queue card in the current turn. */
  private async showQueueCard(context: TurnContext, handoff: StoredHandoff, forceNew = false): Promise<void> {
    const status = await this.status(handoff);
    const view = this.cardView(handoff, status);
    const organisation = handoff.summary.organisation ? await this.o.organisations.get(handoff.summary.organisation.id) : undefined;
    const hours = this.o.hoursFor(handoff.queue, organisation);
    // A closed queue's opening time is told in the queue's own zone (the user's is not known here).
    const reply = replies.queueCardReply(view, handoff.locale, hours.kind === 'weekly' ? hours.timeZone : 'UTC');
    this.shownCards.set(handoff.id, JSON.stringify([view.position, view.waitMinutes]));
    if (!forceNew && handoff.queueCardId) {
      try {
        await context.updateActivity({ ...reply, id: handoff.queueCardId });
        return;
      } catch (err) {
        // A channel that cannot update (or a card gone from the client): send a new one.
        this.o.logger.debug({ err, handoff: handoff.id }, 'queue card update failed; sending a new card');
      }
    }
    const sent = await context.sendActivity(reply);
    // Inside a turn the card is held until the turn's state is saved: its id comes then.
    whenDelivered(context, sent, (id) => void this.o.store.setQueueCard(handoff.id, id).catch((err: unknown) => this.o.logger.warn({ err, handoff: handoff.id }, 'could not keep the queue card id')));
  }

  private cardView(handoff: StoredHandoff, status: QueueStatus): replies.QueueCardView {
    return {
      position: status.position,
      waitMinutes: status.wait.minutes,
      opensAt: status.wait.reason === 'closed' ? status.wait.opensAt : undefined,
      queueLabel: replies.queueLabel(handoff.queue, handoff.locale),
      requestNumber: handoff.requestNumber,
    };
  }

  /** Rewrites the cards of everyone waiting in the queue whose position or wait changed. */
  async refreshQueue(queue: string, except?: string): Promise<void> {
    for (const handoff of await this.o.store.waiting(queue)) {
      if (handoff.id === except) continue;
      const status = await this.status(handoff);
      const shown = JSON.stringify([status.position, status.wait.minutes]);
      if (this.shownCards.get(handoff.id) === shown) continue;
      await this.toUser(handoff, (context) => this.showQueueCard(context, handoff)).catch((err: unknown) =>
        this.o.logger.warn({ err, handoff: handoff.id }, 'could not update a queue card'),
      );
    }
  }

  private async refreshAllQueues(): Promise<void> {
    const queues = new Set((await this.o.store.waiting()).map((h) => h.queue));
    for (const queue of queues) await this.refreshQueue(queue);
  }

  private toUser(handoff: StoredHandoff, logic: (context: TurnContext) => Promise<void>, skipLog = false): Promise<void> {
    return this.o.continueConversation(handoff.conversationReference, async (context) => {
      if (skipLog) context.turnState.set(SKIP_CONVERSATION_LOG, true);
      await logic(context);
    });
  }

  /**
   * Called for every incoming activity before the dialogs. True when the handoff took it: the bot
   * stays quiet and the message goes to the agent (or waits for one).
   */
  async relayFromUser(context: TurnContext): Promise<boolean> {
    const handoff = await this.openFor(context);
    if (!handoff) return false;
    const activity = context.activity;
    if (activity.type === ActivityTypes.Typing) {
      if (handoff.status === 'active' && handoff.agentName) this.emit({ type: 'typing', handoffId: handoff.id }, handoff.agentName);
      return true;
    }
    if (activity.type !== ActivityTypes.Message) return false;
    const text = (activity.text ?? '').trim();
    if (END_WORDS.test(text)) {
      await this.endByUser(context, handoff);
      return true;
    }
    if (handoff.mode === 'external') return handoff.status === 'active';
    if (handoff.pin?.status === 'sent' && CODE_TYPED.test(text)) {
      await this.checkPin(context, handoff, text.replace(/\s/g, ''));
      return true;
    }
    const entry = await this.o.store.append(handoff.id, {
      role: 'user',
      name: activity.from?.name?.slice(0, 200),
      text: text ? redact(text) : (describeSubmit(activity.value) ?? ''),
      attachments: attachmentsOf(activity),
    });
    if (handoff.status === 'active' && handoff.agentName) {
      this.emit({ type: 'message', handoffId: handoff.id, entry }, handoff.agentName);
      await this.agentChannel?.message(handoff, entry).catch((err: unknown) => this.o.logger.warn({ err }, 'could not relay to the Teams thread'));
    }
    return true;
  }

  private async checkPin(context: TurnContext, handoff: StoredHandoff, code: string): Promise<void> {
    const organisation = handoff.pin?.organisation ?? '';
    const scope = { ...scopeOf(handoff.conversationReference as never), purpose: 'act-for-organisation' as const };
    const check = await this.o.pins.verify(scope, organisation, code);
    const status = check.ok ? 'verified' : 'not-verified';
    // A wrong code may be retried while the code lives; only a right one ends the check.
    await this.o.store.setPin(handoff.id, check.ok ? 'verified' : check.reason === 'wrong' ? 'sent' : 'not-verified');
    await this.o.store.append(handoff.id, { role: 'user', text: '[code hidden]' });
    await this.o.store.append(handoff.id, { role: 'system', text: check.ok ? 'PIN verified' : `PIN not verified (${check.reason})` });
    if (check.ok) {
      const org = await this.o.organisations.get(check.organisationId);
      const summary = { ...handoff.summary, verified: true, organisation: org ? { id: org.id, name: org.name } : undefined };
      await this.o.store.updateSummary(handoff.id, summary);
    }
    await context.sendActivity(replies.handoffNote(check.ok ? 'handoff.pin.verified' : check.reason === 'wrong' ? 'handoff.pin.wrong' : 'handoff.pin.failed', handoff.locale));
    if (handoff.agentName) {
      this.emit({ type: 'pin', handoffId: handoff.id, status }, handoff.agentName);
      await this.emitHandoff(handoff.id);
    }
  }

  private async endByUser(context: TurnContext, handoff: StoredHandoff): Promise<void> {
    const cancelled = handoff.status === 'waiting';
    if (!await this.o.store.close(handoff.id, cancelled ? 'cancelled' : 'ended', 'user')) return;
    this.o.metrics?.handoffEnded('user', cancelled ? 'cancelled' : 'ended');
    await this.o.store.append(handoff.id, { role: 'system', text: cancelled ? 'the user left the queue' : 'the user ended the chat' });
    this.o.logger.info({ event: cancelled ? 'handoff.cancelled' : 'handoff.ended', handoff: handoff.id, by: 'user' }, 'handoff closed by the user');
    if (cancelled && handoff.queueCardId) await context.updateActivity({ ...replies.leftQueueCardReply(handoff.locale), id: handoff.queueCardId }).catch(() => undefined);
    await context.sendActivity(replies.handoffNote(cancelled ? 'handoff.cancelled' : 'handoff.backToBot', handoff.locale));
    await this.keepWithRequest(handoff);
    this.shownCards.delete(handoff.id);
    await this.emitHandoff(handoff.id);
    this.emit({ type: 'queues' });
    await this.agentChannel?.changed((await this.o.store.get(handoff.id))!).catch(() => undefined);
    if (cancelled) await this.refreshQueue(handoff.queue);
  }

  // ---- the agent's side (console and Teams) ----

  async queuesFor(agent: Agent): Promise<QueueView[]> {
    const waiting = await this.o.store.waiting();
    const names = new Set(waiting.map((h) => h.queue));
    for (const q of agent.queues) if (q !== '*') names.add(q);
    const now = this.o.clock().getTime();
    const views: QueueView[] = [];
    for (const queue of [...names].sort()) {
      if (!(agent.queues.includes('*') || agent.queues.includes(queue)) || !agent.languages.includes(queue.split(':')[2])) continue;
      const entries = waiting.filter((h) => h.queue === queue);
      const next = await this.estimate(queue, entries.length);
      views.push({
        queue,
        waiting: entries.map((h, i) => ({ handoff: publicView(h), position: i + 1, waitedSeconds: Math.max(0, Math.round((now - Date.parse(h.createdAt)) / 1000)) })),
        onlineAgents: (await this.onlineAgents(queue)).length,
        expectedWaitMinutes: Number.isFinite(next.minutes) ? next.minutes : null,
      });
    }
    return views;
  }

  async mine(agentName: string): Promise<Handoff[]> {
    return (await this.o.store.activeFor(agentName)).map(publicView);
  }

  async get(id: string): Promise<Handoff | undefined> {
    const h = await this.o.store.get(id);
    return h ? publicView(h) : undefined;
  }

  transcript(id: string): Promise<TranscriptEntry[]> {
    return this.o.store.transcript(id);
  }

  async accept(id: string, agentName: string): Promise<AcceptResult> {
    const before = await this.o.store.get(id);
    if (!before || before.mode !== 'internal') return { ok: false, reason: 'gone' };
    const result = await this.o.store.accept(id, agentName);
    if (!result.ok) return result;
    const handoff = result.handoff;
    this.o.logger.info({ event: 'handoff.accepted', handoff: id, agent: agentName }, 'handoff accepted');
    this.o.metrics?.handoffAccepted();
    await this.o.store.append(id, { role: 'system', text: `${agentName} joined` });
    this.shownCards.delete(id);
    await this.toUser(handoff, async (context) => {
      if (handoff.queueCardId) await context.updateActivity({ ...replies.connectedCardReply(agentName, handoff.locale), id: handoff.queueCardId }).catch(() => undefined);
      await context.sendActivity(replies.handoffNote('handoff.joined', handoff.locale, { agent: agentName }));
    }, true).catch((err: unknown) => this.o.logger.warn({ err, handoff: id }, 'could not tell the user an agent joined'));
    if (handoff.requestNumber) {
      const request = await this.o.requests.get(handoff.requestNumber);
      if (request && (request.status === 'new' || request.status === 'queued')) await this.o.requests.setStatus(request.number, 'in_progress', `agent:${agentName}`, 'chat accepted');
    }
    await this.emitHandoff(id);
    this.emit({ type: 'queues' });
    await this.agentChannel?.changed(handoff).catch(() => undefined);
    await this.refreshQueue(handoff.queue);
    return { ok: true, handoff: publicView(handoff) };
  }

  private async owned(id: string, agentName: string): Promise<StoredHandoff> {
    const handoff = await this.o.store.get(id);
    if (!handoff) throw new HandoffError('not-found', 'no such handoff');
    if (handoff.agentName !== agentName) throw new HandoffError('not-yours', 'another agent owns this conversation');
    if (handoff.status !== 'active') throw new HandoffError('not-active', 'the conversation is not active');
    return handoff;
  }

  async send(id: string, agentName: string, raw: string): Promise<void> {
    const handoff = await this.owned(id, agentName);
    const text = plainAgentText(raw);
    if (!text) throw new HandoffError('invalid', 'the message is empty');
    const entry = await this.o.store.append(id, { role: 'agent', name: agentName, text });
    await this.toUser(
      handoff,
      async (context) => {
        // The adapter re-addresses outgoing activities from the bot; name the agent after that.
        context.onSendActivities((_ctx, activities, next) => {
          for (const a of activities) a.from = { ...a.from, name: agentName } as never;
          return next();
        });
        await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'plain' });
      },
      true,
    );
    this.emit({ type: 'message', handoffId: id, entry }, agentName);
    await this.agentChannel?.message(handoff, entry).catch(() => undefined);
  }

  async typing(id: string, agentName: string): Promise<void> {
    const handoff = await this.owned(id, agentName);
    await this.toUser(handoff, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Typing });
    }, true);
  }

  async sendPin(id: string, agentName: string, input: { organisation: string; via: 'email' | 'phone' }): Promise<{ outcome: 'sent' | 'rate-limited'; destination: string }> {
    const handoff = await this.owned(id, agentName);
    const organisation = input.organisation.trim().slice(0, 254);
    if (!organisation) throw new HandoffError('invalid', 'name the organisation');
    const scope = { ...scopeOf(handoff.conversationReference as never), purpose: 'act-for-organisation' as const };
    const result = await this.o.pins.request({ scope, organisation, via: input.via, activityKey: `handoff|${id}|${crypto.randomUUID()}`, locale: handoff.locale });
    if (result.outcome === 'sent') {
      await this.o.store.setPin(id, 'sent', organisation);
      await this.o.store.append(id, { role: 'system', text: `${agentName} sent a verification code to ${result.destination}` });
      await this.toUser(handoff, (context) => context.sendActivity(replies.handoffNote('handoff.pin.sent', handoff.locale, { destination: result.destination })).then(() => undefined), true);
      this.emit({ type: 'pin', handoffId: id, status: 'sent' }, agentName);
    }
    return result;
  }

  async updateRequest(id: string, agentName: string, change: { status?: RequestStatus; note?: string }): Promise<ServiceRequest> {
    const handoff = await this.owned(id, agentName);
    if (!handoff.requestNumber) throw new HandoffError('no-request', 'no request is linked to this conversation');
    const actor = `agent:${agentName}`;
    const note = change.note?.trim().slice(0, 2000);
    let request = (await this.o.requests.get(handoff.requestNumber))!;
    if (change.status && change.status !== request.status) request = await this.o.requests.setStatus(request.number, change.status, actor, note || undefined);
    else if (note) await this.o.requests.addNote(request.number, actor, note);
    await this.o.store.append(id, { role: 'system', text: `request ${request.number}: ${request.status}${note ? ` — ${note}` : ''}` });
    const status = t(handoff.locale, `requests.status.${request.status}`);
    await this.toUser(handoff, (context) => context.sendActivity(replies.handoffNote('requests.update', handoff.locale, { number: request.number, status })).then(() => undefined), true);
    return request;
  }

  async end(id: string, agentName: string): Promise<void> {
    const handoff = await this.owned(id, agentName);
    if (!await this.o.store.close(id, 'ended', `agent:${agentName}`)) throw new HandoffError('not-active', 'already ended');
    this.o.metrics?.handoffEnded('agent', 'ended');
    await this.o.store.append(id, { role: 'system', text: `${agentName} ended the chat` });
    this.o.logger.info({ event: 'handoff.ended', handoff: id, by: 'agent' }, 'handoff ended by the agent');
    await this.keepWithRequest(handoff);
    await this.toUser(handoff, (context) => context.sendActivity(replies.handoffNote('handoff.ended', handoff.locale, { agent: agentName })).then(() => undefined), true).catch(
      (err: unknown) => this.o.logger.warn({ err, handoff: id }, 'could not tell the user the chat ended'),
    );
    await this.emitHandoff(id);
    this.emit({ type: 'queues' });
    await this.agentChannel?.changed((await this.o.store.get(id))!).catch(() => undefined);
  }

  /** A linked request's history says where its chat transcript is. */
  private async keepWithRequest(handoff: StoredHandoff): Promise<void> {
    if (!handoff.requestNumber) return;
    const count = (await this.o.store.transcript(handoff.id)).length;
    try {
      await this.o.requests.addNote(handoff.requestNumber, 'handoff', `chat ${handoff.id} closed; transcript of ${count} messages kept with the request`);
    } catch (err) {
      this.o.logger.warn({ err, handoff: handoff.id }, 'could not note the transcript on the request');
    }
  }

  async setPresence(agentName: string, presence: Presence): Promise<void> {
    await this.o.agents.setPresence(agentName, presence);
    this.o.logger.info({ event: 'agent.presence', agent: agentName, presence }, 'agent presence changed');
    this.emit({ type: 'queues' });
    // More or fewer agents online changes every wait.
    void this.refreshAllQueues();
  }

  /**
   * Starts renewing, every third of the agent timeout (20 s at most), the record of the consoles this
   * instance streams, and putting back in the queue the chats of agents whose instance stopped
   * renewing theirs: a disconnect timer dies with its process, the record does not.
   */
  watchConsoleStreams(): void {
    if (this.streamsTimer) return;
    const every = Math.min(20_000, Math.max(50, (this.o.settings.agentTimeoutSeconds * 1000) / 3));
    this.streamsTimer = setInterval(() => {
      this.renewStreams().catch((err: unknown) => this.o.logger.warn({ err }, 'could not renew the agent console streams'));
    }, every);
    this.streamsTimer.unref();
  }

  /** One renewal: this instance's streams, then the agents whose instance stopped renewing theirs. */
  async renewStreams(): Promise<void> {
    const here = [...this.connections].filter(([, open]) => open > 0).map(([name]) => name);
    if (here.length) await this.o.agents.streaming(this.instanceId, here);
    for (const name of await this.o.agents.takeVanished(this.streamsStaleBefore())) {
      // Streamed or waiting out its timer here: this instance handles it itself.
      if ((this.connections.get(name) ?? 0) > 0 || this.disconnectTimers.has(name)) continue;
      this.o.logger.info({ event: 'agent.vanished', agent: name }, "the instance streaming an agent's console stopped; their chats go back to the queue");
      await this.agentGone(name);
    }
  }

  connected(agentName: string): () => void {
    this.watchConsoleStreams();
    this.connections.set(agentName, (this.connections.get(agentName) ?? 0) + 1);
    this.recordStream(agentName);
    const timer = this.disconnectTimers.get(agentName);
    if (timer) {
      clearTimeout(timer);
      this.disconnectTimers.delete(agentName);
    }
    void this.o.agents
      .get(agentName)
      .then((agent) => (agent?.presence === 'offline' ? this.setPresence(agentName, 'online') : undefined))
      .catch((err: unknown) => this.o.logger.warn({ err, agent: agentName }, 'could not mark the agent online'));
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.connections.get(agentName) ?? 1) - 1;
      this.connections.set(agentName, left);
      if (left > 0) return;
      // Seen until now: other instances wait the full timeout from here, as this one does.
      this.recordStream(agentName);
      const wait = setTimeout(() => void this.agentGone(agentName), this.o.settings.agentTimeoutSeconds * 1000);
      wait.unref();
      this.disconnectTimers.set(agentName, wait);
    };
  }

  /** A console stream last renewed before this is gone: its agent has been away the whole timeout. */
  private streamsStaleBefore(): Date {
    return new Date(this.o.clock().getTime() - this.o.settings.agentTimeoutSeconds * 1000);
  }

  private recordStream(agentName: string): void {
    this.o.agents.streaming(this.instanceId, [agentName]).catch((err: unknown) => this.o.logger.warn({ err, agent: agentName }, 'could not record the console stream'));
  }

  /** The agent's console has been gone past the timeout: their chats go back to the queue. */
  async agentGone(agentName: string): Promise<void> {
    this.disconnectTimers.delete(agentName);
    if ((this.connections.get(agentName) ?? 0) > 0) return;
    await this.o.agents.notStreaming(agentName, this.instanceId);
    // The console came back on another instance within the timeout: the chats stay with the agent.
    if (await this.o.agents.streamingElsewhere(agentName, this.instanceId, this.streamsStaleBefore())) return;
    if (await this.o.agents.get(agentName)) await this.o.agents.setPresence(agentName, 'offline');
    for (const handoff of await this.o.store.activeFor(agentName)) {
      if (!await this.o.store.requeue(handoff.id)) continue;
      await this.o.store.append(handoff.id, { role: 'system', text: `${agentName} disconnected; back in the queue` });
      this.o.logger.info({ event: 'handoff.requeued', handoff: handoff.id, agent: agentName }, 'agent disconnected; handoff back in the queue');
      const back = (await this.o.store.get(handoff.id))!;
      await this.toUser(back, async (context) => {
        await context.sendActivity(replies.handoffNote('handoff.agentLeft', back.locale, { agent: agentName }));
        await this.showQueueCard(context, back, true);
      }, true).catch((err: unknown) => this.o.logger.warn({ err, handoff: handoff.id }, 'could not tell the user the agent left'));
      await this.agentChannel?.changed(back).catch(() => undefined);
    }
    this.emit({ type: 'queues' });
    await this.refreshAllQueues();
  }

  /** `here`: only events raised by this instance, for reactions that must happen once (Teams posts). */
  subscribe(agentName: string, listener: (event: ConsoleEvent) => void, scope: 'everywhere' | 'here' = 'everywhere'): () => void {
    const offAll = this.events.subscribe('all', listener, scope);
    const offOwn = this.events.subscribe(`agent:${agentName}`, listener, scope);
    return () => {
      offAll();
      offOwn();
    };
  }

  /** Queue-wide events go to every console; a conversation's events only to its agent. */
  private emit(event: ConsoleEvent, agentName?: string): void {
    this.events.publish(agentName ? `agent:${agentName}` : 'all', event);
  }

  private async emitHandoff(id: string): Promise<void> {
    const handoff = await this.o.store.get(id);
    if (handoff) this.emit({ type: 'handoff', handoff: publicView(handoff) }, handoff.agentName);
  }

  async dashboard(hours: number): Promise<Dashboard> {
    const now = this.o.clock();
    const startHour = Math.floor(now.getTime() / 3_600_000) - (hours - 1);
    const since = new Date(startHour * 3_600_000);
    const rows = await this.o.store.since(since);
    const feedback = (await this.o.searchFeedback?.(since)) ?? [];
    const series: DashboardHour[] = Array.from({ length: hours }, (_, i) => ({
      start: new Date((startHour + i) * 3_600_000).toISOString(),
      handoffs: 0,
      selfService: 0,
      notHelped: 0,
      averageWaitSeconds: null,
    }));
    const waits = series.map(() => [] as number[]);
    const slot = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000) - startHour;
    for (const h of rows) {
      const i = slot(h.createdAt);
      if (series[i]) series[i].handoffs += 1;
      if (h.acceptedAt) {
        const j = slot(h.acceptedAt);
        if (waits[j]) waits[j].push((Date.parse(h.acceptedAt) - Date.parse(h.createdAt)) / 1000);
      }
    }
    for (const f of feedback) {
      const i = slot(f.at);
      if (series[i]) series[i][f.helpful ? 'selfService' : 'notHelped'] += 1;
    }
    series.forEach((s, i) => (s.averageWaitSeconds = waits[i].length ? Math.round(waits[i].reduce((a, b) => a + b, 0) / waits[i].length) : null));
    return { hours: series, queues: await this.queueSnapshot(rows.map((h) => h.queue)) };
  }

  /** Queues with people waiting, queues agents are assigned to, and any `also` named: the dashboard's and the metrics' view. */
  async queueSnapshot(also: string[] = []): Promise<QueueNow[]> {
    const names = new Set([...(await this.o.store.waiting()).map((h) => h.queue), ...(await this.o.agents.list()).flatMap((a) => a.queues.filter((q) => q !== '*')), ...also]);
    const snapshot: QueueNow[] = [];
    for (const queue of [...names].sort()) {
      const waiting = (await this.o.store.waiting(queue)).length;
      const next = await this.estimate(queue, waiting);
      snapshot.push({ queue, waiting, onlineAgents: (await this.onlineAgents(queue)).length, expectedWaitMinutes: Number.isFinite(next.minutes) ? next.minutes : null });
    }
    return snapshot;
  }

  /** Stops the disconnect timers and the stream renewal (shutdown). */
  close(): void {
    for (const timer of this.disconnectTimers.values()) clearTimeout(timer);
    this.disconnectTimers.clear();
    clearInterval(this.streamsTimer);
    this.streamsTimer = undefined;
  }
}
