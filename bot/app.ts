// Builds the whole bot from a Config: storage, knowledge, dialogs, adapter and HTTP server.
import path from 'node:path';
import type { Server } from 'restify';
import { UserState } from 'botbuilder';
import type { Config } from './config';
import type { Logger } from './logger';
import { openConfiguredDatabase } from './storage/database';
import { PostgresSql, SqlDatabase } from './storage/sql';
import { LocalHandoffEvents, PostgresHandoffEvents } from './handoff/events';
import { SqlStorage } from './storage/sql-storage';
import { OptimisticConversationState } from './storage/optimistic-state';
import { replyBufferMiddleware } from './turn-buffer';
import { createAdapter } from './adapter';
import { createServer } from './server';
import { messagesRoute } from './messages-route';
import { healthRoutes } from './health-routes';
import { helpRoutes } from './help-routes';
import { BotMetrics, metricsRoute } from './metrics';
import { presentForChannel, SupportBot } from './support-bot';
import { loadDirectory } from '../knowledge/directory';
import { LanguageUnderstanding } from '../knowledge/nlu';
import { MainDialog } from '../dialogs/main-dialog';
import { sendWelcome } from '../dialogs/welcome';
import { SupportAnswers } from '../dialogs/answers';
import type { Understander } from '../dialogs/services';
import { knowledgeSources, loadKnowledge, LoadedKnowledge } from '../knowledge/search/knowledge-base';
import { SearchLog } from '../knowledge/search/search-log';
import { OrganisationStore, seedDemoOrganisations } from './orgs/organisations';
import { PinService } from './pin/pin-service';
import { createDelivery } from './pin/delivery';
import { RequestStore, ServiceRequest } from './requests/requests';
import { requestRoutes } from './requests/request-routes';
import { directLineRoutes } from './directline/routes';
import { azureTokenRoute } from './directline/azure-token';
import { webRoutes } from './web/routes';
import { tabRoutes } from './tab/routes';
import { DirectLineConversations } from './directline/conversations';
import { DirectLineTokens, tokenSecret } from './directline/tokens';
import type { ConversationReference } from 'botbuilder';
import { localeOf, t } from '../knowledge/i18n';
import { statusReply } from '../dialogs/my-requests-dialog';
import { withStatusRefresh } from '../cards';
import { DEMO_FEED_PATH, ServiceHealthFeed } from './health/service-health';
import { AgentStore } from './agents/agents';
import { HandoffStore } from './handoff/handoffs';
import { ConversationLog } from './handoff/conversation-log';
import { HandoffService } from './handoff/handoff-service';
import { queueHours } from './handoff/queue-hours';
import { agentConsoleRoutes } from './agent-console/routes';
import { TeamsAgents, teamsThreadCreator } from './handoff/teams-agents';
import { AgentSessions } from './agent-console/sessions';
import type { ConversationMemory } from '../dialogs/memory';

export interface App {
  server: Server;
  /** SQLite in DATA_DIR, or PostgreSQL with DATABASE_URL. */
  db: SqlDatabase;
  knowledge: LoadedKnowledge;
  /** Resolves with the bound address once listening. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting connections, waits for in-flight requests, closes the database. */
  close(): Promise<void>;
}

/** Seams for tests: a fixed clock, or an understanding layer that fails on purpose. */
export interface AppOverrides {
  clock?: () => Date;
  understanding?: Understander;
}

export async function buildApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const db = await openConfiguredDatabase(config);
  const metrics = new BotMetrics();
  const storage = new SqlStorage(db);
  const conversationState = new OptimisticConversationState(storage);
  const userState = new UserState(storage);

  const directory = loadDirectory();
  const understanding = overrides.understanding ?? LanguageUnderstanding.load();
  const clock = overrides.clock ?? (() => new Date());
  const answers = new SupportAnswers({ directory, clock });
  const knowledge = loadKnowledge(knowledgeSources(config.knowledgeDirs, config.publicUrl), config.dataDir);
  // Build the typo-lookup trees before the first question rather than during it.
  knowledge.search.warm();
  logger.info(
    { file: knowledge.file, built: knowledge.built, sections: knowledge.search.sectionCount, ms: Math.round(knowledge.millis), skipped: knowledge.ingest?.skipped },
    knowledge.built ? 'help index built' : 'help index loaded',
  );
  const help = { search: knowledge.search, log: new SearchLog(db, clock), directory };
  const organisations = new OrganisationStore(db, clock);
  if (config.seedDemo) {
    const seeded = await seedDemoOrganisations(organisations);
    if (seeded) logger.info({ organisations: seeded }, 'demo organisations added (see README)');
  }
  const delivery = createDelivery({ dataDir: config.dataDir, smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const pins = new PinService(db, organisations, delivery, logger, config.pin, clock, undefined, metrics);
  const identity = { organisations, pins, settings: config.pin };
  const health = new ServiceHealthFeed({ source: config.serviceHealthFeed ?? DEMO_FEED_PATH, clock, logger });
  const requests = { store: new RequestStore(db, clock), health, directory, queue: config.queue, clock };
  const adapter = createAdapter(config, logger, conversationState);
  const conversationLog = new ConversationLog(db, clock);
  // First: replies it holds back have been neither logged nor sent.
  adapter.use(replyBufferMiddleware());
  adapter.use(conversationLog.middleware());
  const agents = new AgentStore(db, clock);
  // Several instances on one PostgreSQL: an agent's console may be connected to any of them.
  const events = db instanceof PostgresSql && config.databaseUrl ? await PostgresHandoffEvents.start(db.pool, config.databaseUrl, logger) : new LocalHandoffEvents();
  const handoffs = new HandoffService({
    store: new HandoffStore(db, clock),
    log: conversationLog,
    agents,
    pins,
    organisations,
    requests: requests.store,
    hoursFor: (queue, organisation) => queueHours(directory, queue, organisation),
    continueConversation: (reference, logic) =>
      adapter.continueConversationAsync(config.auth.appId, reference as Partial<ConversationReference>, async (context) => {
        presentForChannel(context);
        await logic(context);
      }),
    settings: { mode: config.handoff.mode, averageHandleMinutes: config.queue.averageHandleMinutes, agentTimeoutSeconds: config.handoff.agentTimeoutSeconds },
    clock,
    logger,
    searchFeedback: (since) => help.log.feedbackSince(since),
    metrics,
    events,
  });
  metrics.watchQueues(() => handoffs.queueSnapshot());
  const teamsAgents = new TeamsAgents({
    db,
    agents,
    handoffs,
    continueConversation: (reference, logic) => adapter.continueConversationAsync(config.auth.appId, reference as Partial<ConversationReference>, logic),
    createThread: teamsThreadCreator(adapter, config.auth.appId),
    logger,
    clock,
  });
  handoffs.useAgentChannel(teamsAgents);
  await teamsAgents.start();
  // Every instance watches for agents whose console instance died, not only those with agents on it.
  handoffs.watchConsoleStreams();
  const memory = conversationState.createProperty<ConversationMemory>('memory');
  const dialog = new MainDialog({ understanding, answers, help, identity, requests, handoff: { service: handoffs, memory }, defaultLocale: config.defaultLocale, metrics });
  const bot = new SupportBot({
    conversationState,
    userState,
    dialog,
    welcome: (context) => sendWelcome(context, answers, config.defaultLocale),
    search: knowledge.search,
    allowedTenants: config.allowedTenants,
    // Only the requester sees the live card; anyone else gets "not found", as for a wrong number.
    requestStatusCard: async (context, number) => {
      const request = await requests.store.get(number);
      if (!request || request.requester.userId !== context.activity.from?.id) return undefined;
      const locale = localeOf(context.activity, config.defaultLocale);
      const [reply] = statusReply(request, t(locale, 'requests.statusOf', { number }), locale, 'UTC');
      const card = reply.attachments![0];
      return withStatusRefresh(card, number, [request.requester.userId], t(locale, 'requests.refresh'));
    },
    handoff: handoffs,
    agentChannel: teamsAgents,
    logger,
    metrics,
  });
  // A status change reaches the requester in the conversation where the request was made.
  const notify = async (request: ServiceRequest, note?: string) => {
    const locale = request.language === 'ko' ? 'ko' : 'en';
    const status = t(locale, `requests.status.${request.status}`);
    const message = note ? t(locale, 'requests.updateNote', { number: request.number, status, note }) : t(locale, 'requests.update', { number: request.number, status });
    try {
      await adapter.continueConversationAsync(config.auth.appId, request.conversationReference as Partial<ConversationReference>, async (context) => {
        await context.sendActivity(message);
      });
    } catch (err) {
      logger.warn({ err, request: request.number }, 'could not tell the requester about a status change');
    }
  };

  // The embedded Direct Line needs the adapter without channel authentication: local mode only.
  let internalUrl = `http://127.0.0.1:${config.port}`;
  const directLineSecret = tokenSecret(config.directLine.tokenSecret, config.dataDir);
  const directLine = config.directLine.azureSecret
    ? [azureTokenRoute({ secret: config.directLine.azureSecret, endpoint: config.directLine.azureEndpoint, logger })]
    : config.localMode
    ? directLineRoutes({
        adapter,
        logic: (context) => bot.run(context),
        conversations: new DirectLineConversations(db, clock),
        tokens: new DirectLineTokens(directLineSecret, clock),
        secret: directLineSecret.toString('utf8'),
        internalUrl: () => internalUrl,
        allowedOrigins: config.directLine.allowedOrigins,
        logger,
      })
    : [];

  const server = createServer({
    maxBodyBytes: config.maxBodyBytes,
    logger,
    routes: [
      messagesRoute(adapter, (context) => bot.run(context), logger),
      ...healthRoutes(() => db.isReachable()),
      metricsRoute(metrics, config.metricsToken),
      ...helpRoutes((articlePath) => knowledge.search.articleSections(articlePath)),
      ...requestRoutes({
        token: config.requestApiToken,
        store: requests.store,
        notify,
        chats: async (number) =>
          Promise.all((await handoffs.store.forRequest(number)).map(async (h) => ({ handoff: await handoffs.get(h.id), transcript: await handoffs.transcript(h.id) }))),
      }),
      ...directLine,
      ...webRoutes(config.publicUrl),
      ...tabRoutes({
        pins,
        requests: requests.store,
        secureCookies: config.publicUrl.startsWith('https:'),
        // The queue's current wait; hours are unknown here, so it counts as open.
        waitMinutes: async (queue) => {
          const wait = await requests.store.queueWait(queue, config.queue, { kind: 'always' }, clock());
          return Number.isFinite(wait.minutes) ? wait.minutes : undefined;
        },
      }),
      ...agentConsoleRoutes({
        backend: handoffs,
        agents,
        sessions: new AgentSessions(db, clock),
        secureCookies: config.publicUrl.startsWith('https:'),
        logger,
        publicUrl: config.publicUrl,
      }),
    ],
  });

  return {
    server,
    db,
    knowledge,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address();
          internalUrl = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? '127.0.0.1' : config.host}:${address.port}`;
          const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
          resolve({ host, port: address.port, url: `http://${host}:${address.port}` });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        handoffs.close();
        teamsAgents.close();
        server.close(() => {
          void events
            .close()
            .then(() => db.close())
            .then(resolve, resolve);
        });
        // Idle keep-alive sockets would hold close() open.
        (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}

