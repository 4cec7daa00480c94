// The activity handler: runs the main dialog for messages, welcomes new members, saves state every turn.
import {
  Activity,
  ActivityTypes,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  Attachment,
  CardFactory,
  MessagingExtensionQuery,
  MessagingExtensionResponse,
  StatePropertyAccessor,
  TeamsActivityHandler,
  TurnContext,
  UserState,
} from 'botbuilder';
import { Dialog, DialogState } from '../dialogs/botbuilder-dialogs-parts';
import { localeOf, t } from '../knowledge/i18n';
import type { HelpSearch } from '../knowledge/search/help-search';
import { sectionText } from '../knowledge/search/types';
import { infoCard, REQUEST_STATUS_VERB } from '../cards';
import { tenantOf } from '../dialogs/services';
import { DialogRunner } from './dialog-runner';
import type { HandoffService } from './handoff/handoff-service';
import type { Logger } from './logger';
import { ETagConflictError } from './storage/sql-storage';
import type { OptimisticConversationState } from './storage/optimistic-state';
import { discardReplies, heldReplies, holdReplies, releaseReplies } from './turn-buffer';

export interface SupportBotOptions {
  conversationState: OptimisticConversationState;
  userState: UserState;
  dialog: Dialog;
  /** Sends the welcome message in the activity's language. */
  welcome: (context: TurnContext) => Promise<void>;
  /** Help articles for the Teams messaging extension. */
  search?: Pick<HelpSearch, 'search' | 'section'>;
  /** Teams tenants allowed to use the bot; empty allows every tenant. */
  allowedTenants?: string[];
  /** The current status card of a request, if this user may see it (Action.Execute refresh). */
  requestStatusCard?: (context: TurnContext, number: string) => Promise<Attachment | undefined>;
  /** While a conversation is handed off, its messages go to the agent instead of the dialogs. */
  handoff?: Pick<HandoffService, 'relayFromUser' | 'externalStatus'>;
  /** Handoff cards in the Teams agents' channel: accept, relay in the thread. Answers true when it took the activity. */
  agentChannel?: { onMessage(context: TurnContext): Promise<boolean>; onInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse | undefined> };
  logger?: Pick<Logger, 'info'>;
  /** Counts every turn and how long it took (bot/metrics.ts). */
  metrics?: { turn(activity: { channelId?: string; type?: string }, seconds: number): void };
}


const MAX_EXTENSION_RESULTS = 8;
/** Message ids remembered per conversation to recognise a redelivery of a completed turn. */
const PROCESSED_IDS_KEPT = 20;
/**
 * The replies of the latest messages, to say again when one is delivered again: kept in two slots
 * beside the conversation state, written with it, and read only on a redelivery (as part of the
 * state they cost every turn a parse, a comparison and a save of every card node).
 */
const REPLY_SLOTS = ['replies/0', 'replies/1'];

interface KeptReplies {
  activityId: string;
  replies: readonly Partial<Activity>[];
}

/** Runs of one turn when its state save keeps meeting a newer eTag. */
const TURN_ATTEMPTS = 5;
/** Channels whose clients always render Adaptive Cards. */
const CARD_CHANNELS = new Set(['directline', 'webchat', 'msteams']);
/** Verb of the Action.Execute buttons Teams gets in place of Action.Submit. */
export const SUBMIT_VERB = 'submit';

/**
 * Teams supports Universal Actions; Web Chat does not (BotFramework-WebChat#3844), so cards are built
 * with Action.Submit and their buttons become Action.Execute on the way to Teams.
 */
export function executeInsteadOfSubmit(content: unknown): unknown {
  if (Array.isArray(content)) return content.map(executeInsteadOfSubmit);
  if (!content || typeof content !== 'object') return content;
  const node = Object.fromEntries(Object.entries(content).map(([k, v]) => [k, k === 'data' ? v : executeInsteadOfSubmit(v)]));
  if (node.type === 'Action.Submit') return { ...node, type: 'Action.Execute', verb: SUBMIT_VERB };
  return node;
}

/** Card buttons submit `{ text }` with no message text; treat that as if the user had typed it. */
export function textFromSubmit(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const text = (value as { text?: unknown }).text;
  return typeof text === 'string' && text.trim() ? text.slice(0, 2000) : undefined;
}

/**
 * Web Chat and Teams draw the card; its plain-text twin would repeat it above, so there the text
 * becomes the summary (notifications, screen readers) and only channels without cards show it.
 * Teams buttons become Action.Execute. Applies to sends and updates, in turns and proactive ones.
 */
export function presentForChannel(context: TurnContext): void {
  if (!CARD_CHANNELS.has(context.activity.channelId)) return;
  const teams = context.activity.channelId === 'msteams';
  const present = (a: Partial<Activity>) => {
    if (a.text && a.attachments?.some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')) {
      a.summary = a.text.slice(0, 500);
      a.text = undefined;
    }
    if (teams && a.attachments) {
      a.attachments = a.attachments.map((x) => (x.contentType === 'application/vnd.microsoft.card.adaptive' ? { ...x, content: executeInsteadOfSubmit(x.content) } : x));
    }
  };
  context.onSendActivities(async (_ctx, activities, next) => {
    activities.forEach(present);
    return next();
  });
  context.onUpdateActivity(async (_ctx, activity, next) => {
    present(activity);
    return next();
  });
}

export class SupportBot extends TeamsActivityHandler {
  private readonly dialogs: DialogRunner;
  private readonly processed: StatePropertyAccessor<string[]>;
  /** Which reply slot the next message's replies go to. */
  private readonly replySlot: StatePropertyAccessor<number>;
  /** Where states saved before the slots kept replies, by message id. */
  private readonly legacyReplies: StatePropertyAccessor<Record<string, Partial<Activity>[]>>;

  constructor(private readonly options: SupportBotOptions) {
    super();
    this.dialogs = new DialogRunner(options.dialog, options.conversationState.createProperty<DialogState>('dialogState'));
    this.processed = options.conversationState.createProperty<string[]>('processedActivityIds');
    this.replySlot = options.conversationState.createProperty<number>('replySlot');
    this.legacyReplies = options.conversationState.createProperty<Record<string, Partial<Activity>[]>>('repliesByActivity');

    this.onMessage(async (context, next) => {
      const activity = context.activity;
      // In channels and group chats the text starts with "<at>Bot</at>": the question is the rest.
      if (activity.channelId === 'msteams' && activity.conversation?.conversationType !== 'personal' && activity.text) {
        activity.text = TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text;
      }
      if (await options.agentChannel?.onMessage(context)) return next();
      // Handed off: the agent gets the message as sent (card submits included); the bot stays quiet.
      if (await options.handoff?.relayFromUser(context)) return next();
      if (!activity.text?.trim()) {
        const submitted = textFromSubmit(activity.value);
        if (submitted) activity.text = submitted;
      }
      await this.dialogs.run(context);
      await next();
    });

    this.onTyping(async (context, next) => {
      await options.handoff?.relayFromUser(context);
      await next();
    });

    this.onEvent(async (context, next) => {
      if (context.activity.name === 'handoff.status') await options.handoff?.externalStatus(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      if (newcomers.length > 0) await options.welcome(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const started = performance.now();
    try {
      await this.runTurn(context);
    } finally {
      this.options.metrics?.turn(context.activity, (performance.now() - started) / 1000);
    }
  }

  private async runTurn(context: TurnContext): Promise<void> {
    const allowed = this.options.allowedTenants ?? [];
    if (context.activity.channelId === 'msteams' && allowed.length > 0 && !allowed.includes(tenantOf(context) ?? '')) {
      // Another organisation's tenant: say so once per message, do nothing else, keep no state.
      if (context.activity.type === ActivityTypes.Message) await context.sendActivity(t(localeOf(context.activity), 'teams.tenantRefused'));
      return;
    }
    presentForChannel(context);
    const id = context.activity.type === ActivityTypes.Message ? context.activity.id : undefined;
    // Replies wait until the state they came from is saved (the adapter's reply buffer, when installed).
    const holding = holdReplies(context);
    for (let attempt = 1; ; attempt++) {
      const processed = id ? await this.processed.get(context, []) : [];
      if (id && processed.includes(id)) {
        // Delivered again after its state was saved (the channel never got the 200, or the process
        // died before sending): the saved replies again, never a second run of the turn.
        const replies = await this.keptReplies(context, id);
        if (replies.length) await context.sendActivities(replies);
        await releaseReplies(context);
        return;
      }
      try {
        await super.run(context);
      } catch (error) {
        // What was said before the failure still goes out, as it would have without the buffer.
        await releaseReplies(context);
        throw error;
      }
      if (id) {
        await this.processed.set(context, [...processed, id].slice(-PROCESSED_IDS_KEPT));
        if (holding) {
          const slot = ((await this.replySlot.get(context, 0)) + 1) % REPLY_SLOTS.length;
          await this.replySlot.set(context, slot);
          this.options.conversationState.writeBeside(context, REPLY_SLOTS[slot], { activityId: id, replies: heldReplies(context) } satisfies KeptReplies);
          await this.legacyReplies.delete(context);
        }
      }
      try {
        await this.options.conversationState.saveChanges(context, false);
        await this.options.userState.saveChanges(context, false);
      } catch (error) {
        if (!(error instanceof ETagConflictError) || !holding || attempt >= TURN_ATTEMPTS) {
          discardReplies(context);
          throw error;
        }
        // Another instance saved a turn of this conversation first: run this one again on its state.
        this.options.logger?.info({ event: 'turn.retry', attempt }, 'conversation state changed meanwhile; running the turn again');
        discardReplies(context);
        await this.options.conversationState.load(context, true);
        continue;
      }
      await releaseReplies(context);
      return;
    }
  }

  private async keptReplies(context: TurnContext, id: string): Promise<Partial<Activity>[]> {
    const slots = Object.values(await this.options.conversationState.readBeside(context, REPLY_SLOTS)) as Partial<KeptReplies>[];
    const kept = slots.find((slot) => slot.activityId === id);
    if (Array.isArray(kept?.replies)) return kept.replies;
    return (await this.legacyReplies.get(context, {}))[id] ?? [];
  }

  /** Search help from the compose box: the best sections as a list to pick from. */
  protected override async handleTeamsMessagingExtensionQuery(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    const locale = localeOf(context.activity);
    const text = String(query.parameters?.find((p) => p.name === 'query')?.value ?? '').slice(0, 500).trim();
    const hits = text && this.options.search ? this.options.search.search({ text, language: locale, limit: MAX_EXTENSION_RESULTS }).hits : [];
    return {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: hits.map((hit) => {
          const snippet = sectionText(hit.section).slice(0, 160);
          const preview = CardFactory.heroCard(hit.section.heading, `${hit.section.articleTitle} · ${snippet}`);
          preview.content.tap = { type: 'invoke', value: { sectionId: hit.section.id } };
          return { ...preview, preview };
        }),
      },
    };
  }

  /** The picked section as a card to insert into the conversation. */
  protected override async handleTeamsMessagingExtensionSelectItem(context: TurnContext, item: unknown): Promise<MessagingExtensionResponse> {
    const locale = localeOf(context.activity);
    const id = typeof (item as { sectionId?: unknown })?.sectionId === 'string' ? (item as { sectionId: string }).sectionId : '';
    const section = this.options.search?.section(id);
    const card = section
      ? infoCard({ title: section.heading, paragraphs: [sectionText(section).slice(0, 1500)], footer: section.articleTitle, links: /^https?:/.test(section.url) ? [{ title: t(locale, 'search.readMore'), url: section.url }] : [] })
      : infoCard({ title: t(locale, 'search.sectionGone'), paragraphs: [] });
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [{ ...card.card, preview: CardFactory.thumbnailCard(section?.heading ?? '', section?.articleTitle ?? '') }] } };
  }

  /** Universal Actions: the request card's refresh and its button (adaptiveCard/action invokes). */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const taken = await this.options.agentChannel?.onInvoke(context, invoke);
    if (taken) return taken;
    if (invoke.action?.verb === SUBMIT_VERB) return this.submitFromExecute(context, invoke.action.data);
    const number = (invoke.action?.data as { number?: unknown } | undefined)?.number;
    if (invoke.action?.verb !== REQUEST_STATUS_VERB || typeof number !== 'string') {
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Unknown action.' } as never };
    }
    const card = await this.options.requestStatusCard?.(context, number.slice(0, 20));
    if (!card) return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: t(localeOf(context.activity), 'requests.notFound', { number: number.slice(0, 20) }) as never };
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card.content };
  }

  /**
   * A Teams card button (Action.Execute, verb "submit") carries what Action.Submit would: run it
   * through the dialogs as that message would be, and acknowledge the invoke. The dialogs' replies
   * arrive as ordinary messages.
   */
  private async submitFromExecute(context: TurnContext, data: unknown): Promise<AdaptiveCardInvokeResponse> {
    const activity = context.activity;
    const value = data && typeof data === 'object' ? data : {};
    activity.type = ActivityTypes.Message;
    activity.value = value;
    activity.text = textFromSubmit(value) ?? '';
    try {
      if (!(await this.options.handoff?.relayFromUser(context))) await this.dialogs.run(context);
    } finally {
      // The adapter answers invokes by the activity's type: give it back.
      activity.type = ActivityTypes.Invoke;
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' as never };
  }
}
