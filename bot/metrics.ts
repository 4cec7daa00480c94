// Prometheus metrics for one app: turns and their latency, understanding, help search and its
// feedback, PIN sends and checks, requests, and the handoff queues. Each app owns its registry (tests
// run several apps in one process). Labels come from small fixed sets: never user text, ids, emails or codes.
import crypto from 'node:crypto';
import { sendError } from './server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Route } from './server';
import { CATEGORIES } from './requests/requests';

/** One queue as the gauges show it at scrape time. */
export interface QueueSnapshot {
  queue: string;
  waiting: number;
  /** Erlang C wait for someone joining now; null when nobody online could ever take it. */
  expectedWaitMinutes: number | null;
}

const CHANNELS = new Set(['msteams', 'directline', 'webchat', 'emulator', 'test', 'slack', 'facebook', 'email', 'sms', 'telegram', 'line', 'kik', 'skype', 'groupme', 'omnichannel']);
const ACTIVITY_TYPES = new Set([
  'message',
  'conversationUpdate',
  'typing',
  'endOfConversation',
  'event',
  'invoke',
  'invokeResponse',
  'installationUpdate',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'contactRelationUpdate',
  'deleteUserData',
  'suggestion',
  'trace',
  'handoff',
  'command',
  'commandResult',
]);
const LOCALES = new Set(['en', 'ko']);
const SEVERITIES = new Set(['A', 'B', 'C']);
const CATEGORY_NAMES = new Set<string>(CATEGORIES);
const PIN_CHECKS = new Set(['ok', 'wrong', 'expired', 'locked', 'none']);
const TRIGGERS = new Set(['asked', 'not-helped', 'repeated', 'frustrated', 'severity-a']);
const ENDED_BY = new Set(['user', 'agent', 'external']);
/** Intent names are the model's labels: short snake-case words. */
const WORD = /^[a-z][a-z0-9_]{0,39}$/;
/** cloud:category:language, e.g. worldwide:technical:en. */
const QUEUE = /^[a-z0-9-]{1,20}:[a-z_-]{1,20}:[a-z]{2}$/;

const oneOf = (allowed: Set<string>, value: string | undefined): string => (value !== undefined && allowed.has(value) ? value : 'other');
const word = (value: string | undefined): string => (value !== undefined && WORD.test(value) ? value : 'other');

/** Seconds, from 1 ms to 2 s (and the +Inf bucket above). */
export const TURN_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];

export interface BotMetricsOptions {
  /** Node.js process metrics (CPU, memory, event loop, GC); on by default. */
  processMetrics?: boolean;
}

export class BotMetrics {
  readonly registry = new Registry();
  private queues: () => Promise<QueueSnapshot[]> = async () => [];

  private readonly turns: Counter<'channel' | 'type'>;
  private readonly turnSeconds: Histogram<'channel' | 'type'>;
  private readonly intents: Counter<'intent' | 'locale'>;
  private readonly searches: Counter<'language' | 'outcome'>;
  private readonly feedback: Counter<'helpful'>;
  private readonly pinSends: Counter<'outcome'>;
  private readonly pinChecks: Counter<'result'>;
  private readonly requests: Counter<'severity' | 'category'>;
  private readonly opened: Counter<'trigger'>;
  private readonly accepted: Counter<string>;
  private readonly ended: Counter<'by' | 'status'>;

  constructor(options: BotMetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.turns = new Counter({ name: 'supportbot_turns_total', help: 'Activities handled, by channel and activity type.', labelNames: ['channel', 'type'], registers });
    this.turnSeconds = new Histogram({
      name: 'supportbot_turn_duration_seconds',
      help: 'Time to handle one activity (dialogs, replies, state saved), by channel and activity type.',
      labelNames: ['channel', 'type'],
      buckets: TURN_BUCKETS,
      registers,
    });
    this.intents = new Counter({ name: 'supportbot_intents_total', help: 'Questions understood, by intent ("unsure" below the confidence threshold) and locale.', labelNames: ['intent', 'locale'], registers });
    this.searches = new Counter({ name: 'supportbot_help_searches_total', help: 'Help searches, by language asked and outcome (hit: sections shown, miss: nothing fits).', labelNames: ['language', 'outcome'], registers });
    this.feedback = new Counter({ name: 'supportbot_help_feedback_total', help: '"Did this help?" answers, by helpful yes or no.', labelNames: ['helpful'], registers });
    this.pinSends = new Counter({ name: 'supportbot_pin_sends_total', help: 'PIN send requests, by outcome (sent, rate-limited); redelivered activities are not counted.', labelNames: ['outcome'], registers });
    this.pinChecks = new Counter({ name: 'supportbot_pin_checks_total', help: 'PIN checks, by result (ok, wrong, expired, locked, none).', labelNames: ['result'], registers });
    this.requests = new Counter({ name: 'supportbot_requests_created_total', help: 'Service requests created, by severity and category.', labelNames: ['severity', 'category'], registers });
    this.opened = new Counter({ name: 'supportbot_handoffs_opened_total', help: 'Conversations handed to a person, by trigger.', labelNames: ['trigger'], registers });
    this.accepted = new Counter({ name: 'supportbot_handoffs_accepted_total', help: 'Handoffs an agent (or an external hub) accepted.', registers });
    this.ended = new Counter({ name: 'supportbot_handoffs_ended_total', help: 'Handoffs closed, by who closed them (user, agent, external) and status (ended, cancelled).', labelNames: ['by', 'status'], registers });

    // Zero series from the start, so rates (hit rate, helpful rate, PIN failures) exist before the first event.
    for (const language of LOCALES) for (const outcome of ['hit', 'miss']) this.searches.inc({ language, outcome }, 0);
    for (const helpful of ['yes', 'no']) this.feedback.inc({ helpful }, 0);
    for (const outcome of ['sent', 'rate-limited']) this.pinSends.inc({ outcome }, 0);
    for (const result of PIN_CHECKS) this.pinChecks.inc({ result }, 0);

    // The queue gauges are read from the handoff service when scraped, never kept up to date by hand.
    const metrics = this;
    new Gauge({
      name: 'supportbot_handoff_queue_length',
      help: 'People waiting for a person, per queue (cloud:category:language).',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const q of await metrics.snapshot()) this.set({ queue: q.queue }, q.waiting);
      },
    });
    new Gauge({
      name: 'supportbot_handoff_expected_wait_seconds',
      help: 'Expected wait (Erlang C) for someone joining the queue now; +Inf when no agent can take it.',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const q of await metrics.snapshot()) this.set({ queue: q.queue }, q.expectedWaitMinutes === null ? Infinity : q.expectedWaitMinutes * 60);
      },
    });
  }

  /** Where the queue gauges come from (the handoff service's queueSnapshot). */
  watchQueues(snapshot: () => Promise<QueueSnapshot[]>): void {
    this.queues = snapshot;
  }

  private async snapshot(): Promise<QueueSnapshot[]> {
    try {
      return (await this.queues()).filter((q) => QUEUE.test(q.queue));
    } catch {
      // A scrape during shutdown (database closed) shows no queues rather than failing.
      return [];
    }
  }

  turn(activity: { channelId?: string; type?: string }, seconds: number): void {
    const labels = { channel: oneOf(CHANNELS, activity.channelId), type: oneOf(ACTIVITY_TYPES, activity.type) };
    this.turns.inc(labels);
    this.turnSeconds.observe(labels, seconds);
  }

  intentUnderstood(intent: string, locale: string): void {
    this.intents.inc({ intent: word(intent), locale: oneOf(LOCALES, locale) });
  }

  helpSearched(language: string, hit: boolean): void {
    this.searches.inc({ language: oneOf(LOCALES, language), outcome: hit ? 'hit' : 'miss' });
  }

  helpFeedback(helpful: boolean): void {
    this.feedback.inc({ helpful: helpful ? 'yes' : 'no' });
  }

  pinSent(outcome: 'sent' | 'rate-limited'): void {
    this.pinSends.inc({ outcome: outcome === 'rate-limited' ? 'rate-limited' : 'sent' });
  }

  pinChecked(result: 'ok' | 'wrong' | 'expired' | 'locked' | 'none'): void {
    this.pinChecks.inc({ result: oneOf(PIN_CHECKS, result) });
  }

  requestCreated(severity: string, category: string): void {
    this.requests.inc({ severity: oneOf(SEVERITIES, severity), category: oneOf(CATEGORY_NAMES, category) });
  }

  handoffOpened(trigger: string): void {
    this.opened.inc({ trigger: oneOf(TRIGGERS, trigger) });
  }

  handoffAccepted(): void {
    this.accepted.inc();
  }

  handoffEnded(by: 'user' | 'agent' | 'external', status: 'ended' | 'cancelled'): void {
    this.ended.inc({ by: oneOf(ENDED_BY, by), status: status === 'cancelled' ? 'cancelled' : 'ended' });
  }

  /** The Prometheus text exposition of everything above. */
  expose(): Promise<string> {
    return this.registry.metrics();
  }
}

/** GET /metrics in Prometheus text format. */
/**
 * GET /metrics. With a token, only a scraper presenting it as a bearer token; without one, only
 * callers on this machine (a sidecar or a local scraper), so queue sizes don't leak to the internet.
 */
export function metricsRoute(metrics: BotMetrics, token?: string): Route {
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return {
    method: 'get',
    path: '/metrics',
    handler: async (req, res) => {
      const address = req.socket.remoteAddress ?? '';
      const loopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const allowed = token ? crypto.timingSafeEqual(digest(given), digest(token)) : loopback;
      if (!allowed) return sendError(res, token ? 401 : 404);
      const body = await metrics.expose();
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
    },
  };
}
