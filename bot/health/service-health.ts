// Active incidents and advisories from a feed shaped like Microsoft Graph's service announcement
// API (GET /admin/serviceAnnouncement/issues), read from a file or an http(s) URL. The request flow
// shows them before a support request is opened; a feed that is down means "no known issues".
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CloudId } from '../../knowledge/directory/types';

export type { CloudId };

const DEMO_FEED_RELATIVE = path.join('bot', 'health', 'demo-service-health.json');

// Walk up to the project root so the path is the same from source (tsx) and from dist/.
function findDemoFeed(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, DEMO_FEED_RELATIVE);
    if (path.dirname(dir) === dir) return path.join(start, 'demo-service-health.json');
  }
}

export const DEMO_FEED_PATH: string = findDemoFeed(__dirname);

export const FETCH_TIMEOUT_MS = 5000;

export interface ServiceIssue {
  id: string;
  title: string;
  titleKo?: string;
  service: string;
  classification: 'incident' | 'advisory';
  /** Graph serviceHealthStatus; kept as text because Graph adds values over time. */
  status: string;
  start: Date;
  end?: Date;
  resolved: boolean;
  impact: string;
  impactKo?: string;
  /** null: the issue applies to every cloud. */
  clouds: CloudId[] | null;
}

export class FeedError extends Error {
  override name = 'FeedError';
}

const dateTime = z.iso.datetime({ offset: true });

// Unknown keys (feature, featureGroup, posts, @odata.*) are stripped, not rejected; fields the bot
// doesn't use are not validated so a Graph change there can't hide an issue.
const issueSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string().min(1).max(1000),
  titleKo: z.string().min(1).max(1000).optional(),
  service: z.string().min(1).max(200),
  classification: z.enum(['incident', 'advisory']),
  status: z.string().min(1).max(64),
  startDateTime: dateTime,
  endDateTime: dateTime.nullable().optional(),
  isResolved: z.boolean(),
  impactDescription: z.string().max(4000).nullable().optional(),
  impactDescriptionKo: z.string().max(4000).nullable().optional(),
  clouds: z.array(z.enum(['worldwide', '21vianet', 'germany'])).optional(),
});

function describe(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  if (typeof json === 'object') return `an object with keys [${Object.keys(json).slice(0, 5).join(', ')}]`;
  return typeof json;
}

/** Keeps valid entries and reports bad ones by index; a document that isn't a feed throws FeedError. */
export function parseFeed(json: unknown): { issues: ServiceIssue[]; rejected: { index: number; reason: string }[] } {
  const value = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { value?: unknown }).value : undefined;
  if (!Array.isArray(value)) {
    throw new FeedError(`not a service health feed: expected an object like {"value": [...]}, got ${describe(json)}`);
  }
  const issues: ServiceIssue[] = [];
  const rejected: { index: number; reason: string }[] = [];
  value.forEach((entry, index) => {
    const parsed = issueSchema.safeParse(entry);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ');
      rejected.push({ index, reason });
      return;
    }
    const e = parsed.data;
    issues.push({
      id: e.id,
      title: e.title,
      ...(e.titleKo ? { titleKo: e.titleKo } : {}),
      service: e.service,
      classification: e.classification,
      status: e.status,
      start: new Date(e.startDateTime),
      ...(e.endDateTime ? { end: new Date(e.endDateTime) } : {}),
      resolved: e.isResolved,
      impact: e.impactDescription ?? '',
      ...(e.impactDescriptionKo ? { impactKo: e.impactDescriptionKo } : {}),
      clouds: e.clouds ?? null,
    });
  });
  return { issues, rejected };
}

/** The subset of a pino logger the feed uses. */
export interface FeedLogger {
  warn(details: object, message: string): void;
}

export interface ServiceHealthFeedOptions {
  /** A file path or an http(s) URL. */
  source: string;
  fetch?: typeof fetch;
  clock?: () => Date;
  /** Default 60. */
  cacheSeconds?: number;
  logger?: FeedLogger;
}

export class ServiceHealthFeed {
  /** Why the last read failed; cleared by the next successful read. */
  lastError?: string;
  private cached?: { at: number; issues: ServiceIssue[] };
  // Concurrent turns share one read instead of each hitting the source.
  private pending?: Promise<ServiceIssue[]>;
  private readonly options: ServiceHealthFeedOptions;

  constructor(options: ServiceHealthFeedOptions) {
    this.options = options;
  }

  private clock(): Date {
    return this.options.clock?.() ?? new Date();
  }

  /** Unresolved issues for a cloud (every cloud when undefined): incidents first, then newest first. */
  async active(cloud: CloudId | undefined, now: Date = this.clock()): Promise<ServiceIssue[]> {
    const issues = await this.issues();
    const t = now.getTime();
    return issues
      .filter((i) => !i.resolved && !(i.end && i.end.getTime() <= t))
      .filter((i) => !cloud || i.clouds === null || i.clouds.includes(cloud))
      .sort(
        (a, b) =>
          Number(b.classification === 'incident') - Number(a.classification === 'incident') ||
          b.start.getTime() - a.start.getTime(),
      );
  }

  private async issues(): Promise<ServiceIssue[]> {
    const at = this.clock().getTime();
    const ttl = (this.options.cacheSeconds ?? 60) * 1000;
    if (this.cached && at - this.cached.at >= 0 && at - this.cached.at < ttl) return this.cached.issues;
    this.pending ??= this.load(at).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  // Failures aren't cached, so a recovered feed shows on the next turn.
  private async load(at: number): Promise<ServiceIssue[]> {
    try {
      const { issues, rejected } = parseFeed(await this.readSource());
      if (rejected.length) this.options.logger?.warn({ source: this.options.source, rejected }, 'service health feed: entries skipped');
      this.cached = { at, issues };
      this.lastError = undefined;
      return issues;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn({ source: this.options.source, err: this.lastError }, 'service health feed unreadable: showing no known issues');
      return [];
    }
  }

  private async readSource(): Promise<unknown> {
    const { source } = this.options;
    let text: string;
    if (/^https?:\/\//i.test(source)) {
      const doFetch = this.options.fetch ?? fetch;
      const response = await doFetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!response.ok) throw new FeedError(`service health feed answered HTTP ${response.status}`);
      text = await response.text();
    } else {
      text = await fs.promises.readFile(source, 'utf8');
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new FeedError(`service health feed is not valid JSON: ${(error as Error).message}`);
    }
  }
}

// Words too common in issue text to say anything about a match.
const EN_STOP = new Set([
  'the', 'and', 'are', 'for', 'not', 'but', 'was', 'were', 'has', 'have', 'had', 'can', 'cannot', 'cant',
  'our', 'out', 'you', 'your', 'they', 'their', 'them', 'this', 'that', 'with', 'from', 'into', 'some',
  'all', 'any', 'may', 'when', 'what', 'who', 'why', 'how', 'its', 'too', 'very', 'since', 'after',
  'user', 'users', 'issue', 'problem', 'working', 'work', 'doesn', 'don', 'isn', 'won',
]);

// Crude suffix stripping so "emails"/"email" and "delayed"/"delays" meet.
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function englishWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const w of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
    if (!EN_STOP.has(w)) words.add(stem(w));
  }
  return words;
}

// Endings and particles that most Korean sentences share.
const KO_STOP = new Set(['니다', '습니', '합니', '됩니', '있습', '없습', '해요', '어요', '아요', '세요', '에서', '으로', '하고', '하는', '있는', '없는', '수가', '있어', '않아', '않습']);

function koreanBigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const run of text.match(/[\uAC00-\uD7A3]{2,}/g) ?? []) {
    for (let i = 0; i + 2 <= run.length; i++) {
      const g = run.slice(i, i + 2);
      if (!KO_STOP.has(g)) grams.add(g);
    }
  }
  return grams;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/**
 * Orders issues by how many words they share with the user's description (a hint for the list
 * order only; every issue is returned). Korean compares the Korean title/impact by 2-syllable
 * substrings, plus any Latin words (product names) against the English fields.
 */
export function matchIssues(issues: ServiceIssue[], text: string, language: 'en' | 'ko'): ServiceIssue[] {
  const words = englishWords(text);
  const grams = language === 'ko' ? koreanBigrams(text) : new Set<string>();
  const scored = issues.map((issue, order) => {
    let score = overlap(words, englishWords(`${issue.service} ${issue.title} ${issue.impact}`));
    if (language === 'ko') score += overlap(grams, koreanBigrams(`${issue.titleKo ?? ''} ${issue.impactKo ?? ''}`));
    return { issue, score, order };
  });
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).map((s) => s.issue);
}
