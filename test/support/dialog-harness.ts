// Runs the real SupportBot and MainDialog (real directory, understanding and cards) on botbuilder's
// TestAdapter, for transcript tests. State lives in memory here; SQLite is covered by the HTTP tests.
import { Activity, MemoryStorage, TestAdapter, TurnContext, UserState } from 'botbuilder';
import { loadDirectory } from '../../knowledge/directory';
import { LanguageUnderstanding } from '../../knowledge/nlu';
import { MainDialog } from '../../dialogs/main-dialog';
import { SupportAnswers } from '../../dialogs/answers';
import { understanderFrom } from '../../dialogs/services';
import { sendWelcome } from '../../dialogs/welcome';
import { SupportBot } from '../../bot/support-bot';
import { openDatabase } from '../../bot/storage/database';
import { buildIndex, knowledgeSources } from '../../knowledge/search/knowledge-base';
import { SearchLog } from '../../knowledge/search/search-log';
import type { HelpSearch } from '../../knowledge/search/help-search';
import type { HelpSearchServices, IdentityServices } from '../../dialogs/services';
import type { RequestServices } from '../../dialogs/request-dialog';
import { RequestStore } from '../../bot/requests/requests';
import { DEMO_FEED_PATH, ServiceHealthFeed } from '../../bot/health/service-health';
import { DEMO_ORGANISATIONS, OrganisationStore } from '../../bot/orgs/organisations';
import { DEFAULT_PIN_SETTINGS, PinService } from '../../bot/pin/pin-service';
import type { CodeMessage } from '../../bot/pin/delivery';
import { createLogger } from '../../bot/logger';
import { Writable } from 'node:stream';
import { AgentStore } from '../../bot/agents/agents';
import { HandoffStore } from '../../bot/handoff/handoffs';
import { ConversationLog } from '../../bot/handoff/conversation-log';
import { ContinueConversation, HandoffService } from '../../bot/handoff/handoff-service';
import { queueHours } from '../../bot/handoff/queue-hours';
import type { ConversationMemory } from '../../dialogs/memory';
import type { BotMetrics } from '../../bot/metrics';
import { OptimisticConversationState } from '../../bot/storage/optimistic-state';

let shared: { directory: ReturnType<typeof loadDirectory>; understanding: LanguageUnderstanding; search: HelpSearch } | undefined;

/** Loading the model, directory and help index once keeps the transcript tests quick. */
export function knowledge() {
  shared ??= {
    directory: loadDirectory(),
    understanding: LanguageUnderstanding.load(),
    search: buildIndex(knowledgeSources([], 'http://localhost:3978')).search,
  };
  return shared;
}

/** Help search over the bot's own articles, logging to a fresh in-memory SQLite database. */
export function helpServices(clock: () => Date = () => new Date()): HelpSearchServices & { log: SearchLog } {
  const { directory, search } = knowledge();
  return { search, log: new SearchLog(openDatabase(':memory:'), clock), directory };
}

/** Organisations (the demo ones) and a PIN service whose codes are captured instead of mailed. */
export function identityServices(db = openDatabase(':memory:'), metrics?: BotMetrics): IdentityServices & { sent: CodeMessage[]; logs: string[] } {
  const organisations = new OrganisationStore(db);
  // Queued before anything the test does next: SQLite statements wait for open transactions.
  for (const org of DEMO_ORGANISATIONS) void organisations.save(org);
  const sent: CodeMessage[] = [];
  const logs: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }));
  const pins = new PinService(db, organisations, { send: async (m) => void sent.push(m) }, logger, undefined, undefined, undefined, metrics);
  return { organisations, pins, settings: DEFAULT_PIN_SETTINGS, sent, logs };
}

/** Requests in memory with the demo service health feed (read from its file, as the bot does). */
export function requestServices(db = openDatabase(':memory:'), clock: () => Date = () => new Date()): RequestServices & { store: RequestStore } {
  const { directory } = knowledge();
  return { store: new RequestStore(db, clock), health: new ServiceHealthFeed({ source: DEMO_FEED_PATH, clock }), directory, queue: { agentsOnShift: 4, averageHandleMinutes: 12 }, clock };
}

/** The handoff service over the given stores, as bot/app.ts builds it. */
export function handoffService(
  parts: { db: ReturnType<typeof openDatabase>; identity: IdentityServices; requests: RequestServices; agents: AgentStore; log: ConversationLog; clock: () => Date; help?: { log: SearchLog }; metrics?: BotMetrics },
  continueConversation: ContinueConversation,
  settings: { mode?: 'internal' | 'external'; agentTimeoutSeconds?: number } = {},
  logger = createLogger('silent'),
): HandoffService {
  return new HandoffService({
    store: new HandoffStore(parts.db, parts.clock),
    log: parts.log,
    agents: parts.agents,
    pins: parts.identity.pins as PinService,
    organisations: parts.identity.organisations,
    requests: parts.requests.store,
    hoursFor: (queue, organisation) => queueHours(knowledge().directory, queue, organisation),
    continueConversation,
    settings: { mode: settings.mode ?? 'internal', averageHandleMinutes: 12, agentTimeoutSeconds: settings.agentTimeoutSeconds ?? 60 },
    clock: parts.clock,
    logger,
    searchFeedback: parts.help ? (since) => parts.help!.log.feedbackSince(since) : undefined,
    metrics: parts.metrics,
  });
}

export interface Conversation {
  adapter: TestAdapter;
  help: HelpSearchServices & { log: SearchLog };
  identity: ReturnType<typeof identityServices>;
  requests: ReturnType<typeof requestServices>;
  storage: MemoryStorage;
  db: ReturnType<typeof openDatabase>;
  handoffs: HandoffService;
  agents: AgentStore;
}

let conversations = 0;

export function newClient(
  locale: string,
  clock: () => Date = () => new Date('2026-11-24T03:00:00Z'),
  channelId = 'emulator',
  database?: ReturnType<typeof openDatabase>,
  options: { allowedTenants?: string[]; conversationType?: string; handoffMode?: 'internal' | 'external'; agentTimeoutSeconds?: number; metrics?: BotMetrics } = {},
): Conversation {
  const { directory, understanding } = knowledge();
  const answers = new SupportAnswers({ directory, clock });
  const help = helpServices(clock);
  // One database for both: requests refer to organisations. Pass one in to put two conversations on one bot.
  const db = database ?? openDatabase(':memory:');
  const { metrics } = options;
  const identity = identityServices(db, metrics);
  const requests = requestServices(db, clock);
  const storage = new MemoryStorage();
  const conversationState = new OptimisticConversationState(storage);
  const agents = new AgentStore(db, clock);
  const log = new ConversationLog(db, clock);
  let adapter: TestAdapter | undefined;
  const handoffs = handoffService({ db, identity, requests, agents, log, clock, help, metrics }, async (reference, logic) => {
    // TestAdapter has no continueConversation: a context addressed to the conversation does the same.
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'ContinueConversation' }, reference as never, true);
    await logic(new TurnContext(adapter!, activity));
  }, { mode: options.handoffMode ?? 'internal', agentTimeoutSeconds: options.agentTimeoutSeconds ?? 60 });
  const memory = conversationState.createProperty<ConversationMemory>('memory');
  const dialog = new MainDialog({ understanding: understanderFrom(understanding), answers, help, identity, requests, handoff: { service: handoffs, memory }, defaultLocale: 'en', metrics });
  const bot = new SupportBot({
    conversationState,
    userState: new UserState(storage),
    dialog,
    welcome: (context) => sendWelcome(context, answers, 'en'),
    search: help.search as HelpSearch,
    allowedTenants: options.allowedTenants,
    handoff: handoffs,
    metrics,
  });
  // Every activity the test sends carries the conversation's locale, as a channel would.
  // A conversation id of its own, as two real conversations on one bot would have.
  const conversation = { id: `conversation-${++conversations}`, isGroup: false, conversationType: options.conversationType ?? 'personal', name: '' };
  adapter = new TestAdapter((context) => bot.run(context), { channelId, locale, conversation });
  adapter.locale = locale;
  adapter.use(log.middleware());
  return { adapter, help, identity, requests, storage, db, handoffs, agents };
}

export function flatten(reply: Partial<Activity> | undefined): string {
  if (!reply) return '';
  const parts = [reply.text ?? ''];
  for (const a of reply.attachments ?? []) parts.push(JSON.stringify(a.content));
  if (reply.suggestedActions) parts.push(JSON.stringify(reply.suggestedActions));
  return parts.join('\n');
}

/** Sends one message (or activity) and collects every reply the turn produced. */
export async function turn(conversation: Conversation, said: string | Partial<Activity>): Promise<Partial<Activity>[]> {
  const { adapter } = conversation;
  adapter.activeQueue.splice(0);
  await adapter.receiveActivity(said);
  return adapter.activeQueue.splice(0);
}
