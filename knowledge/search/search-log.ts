// Every search the bot answers, with what it showed and whether it helped. The report built from it
// lists what admins asked that the articles did not answer: the articles to write next.
import crypto from 'node:crypto';
import type { SqliteDatabase } from '../../bot/storage/database';

export interface SearchRecord {
  query: string;
  language: string;
  cloud?: string;
  results: { id: string; score: number }[];
}

export interface ReportRow {
  /** The question as most often asked, lower-cased with spacing tidied. */
  query: string;
  language: string;
  asked: number;
  noResults: number;
  unhelpful: number;
  lastAsked: string;
}

/** Queries are stored as asked but capped: the log is not a place for pasted documents. */
export const MAX_LOGGED_QUERY_CHARS = 500;

export function normalizeQuery(query: string): string {
  return query.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s?!.。,？！]+$/u, '');
}

export class SearchLog {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  record(entry: SearchRecord): string {
    const id = crypto.randomUUID();
    this.db
      .prepare(
        `INSERT INTO search_log (id, created_at, query, language, cloud, result_count, results)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        this.clock().toISOString(),
        entry.query.slice(0, MAX_LOGGED_QUERY_CHARS),
        entry.language,
        entry.cloud ?? null,
        entry.results.length,
        JSON.stringify(entry.results.map((r) => ({ id: r.id, score: Math.round(r.score * 1000) / 1000 }))),
      );
    return id;
  }

  /** Yes/no answers given since a time, for the dashboard's self-service line. */
  feedbackSince(since: Date): { at: string; helpful: boolean }[] {
    return (
      this.db.prepare('SELECT feedback_at AS at, helpful FROM search_log WHERE feedback_at >= ? AND helpful IS NOT NULL').all(since.toISOString()) as { at: string; helpful: number }[]
    ).map((r) => ({ at: r.at, helpful: r.helpful === 1 }));
  }

  /** Records yes/no for a search. False when the id is unknown (a stale or forged card). */
  markHelpful(id: string, helpful: boolean): boolean {
    const result = this.db
      .prepare('UPDATE search_log SET helpful = ?, feedback_at = ? WHERE id = ?')
      .run(helpful ? 1 : 0, this.clock().toISOString(), id);
    return result.changes === 1;
  }

  get(id: string): (SearchRecord & { helpful: boolean | null }) | undefined {
    const row = this.db.prepare('SELECT query, language, cloud, results, helpful FROM search_log WHERE id = ?').get(id) as
      | { query: string; language: string; cloud: string | null; results: string; helpful: number | null }
      | undefined;
    if (!row) return undefined;
    return {
      query: row.query,
      language: row.language,
      cloud: row.cloud ?? undefined,
      results: JSON.parse(row.results) as SearchRecord['results'],
      helpful: row.helpful === null ? null : row.helpful === 1,
    };
  }

  /** Searches that found nothing or were marked unhelpful, grouped by question, most frequent first. */
  unanswered(options: { since?: Date; limit?: number } = {}): ReportRow[] {
    const rows = this.db
      .prepare(
        `SELECT query, language, result_count, helpful, created_at FROM search_log
         WHERE (result_count = 0 OR helpful = 0) AND created_at >= ?`,
      )
      .all((options.since ?? new Date(0)).toISOString()) as {
      query: string;
      language: string;
      result_count: number;
      helpful: number | null;
      created_at: string;
    }[];
    const groups = new Map<string, ReportRow>();
    for (const row of rows) {
      const key = `${row.language}\u0000${normalizeQuery(row.query)}`;
      const group = groups.get(key) ?? { query: normalizeQuery(row.query), language: row.language, asked: 0, noResults: 0, unhelpful: 0, lastAsked: row.created_at };
      group.asked += 1;
      if (row.result_count === 0) group.noResults += 1;
      if (row.helpful === 0) group.unhelpful += 1;
      if (row.created_at > group.lastAsked) group.lastAsked = row.created_at;
      groups.set(key, group);
    }
    return [...groups.values()]
      .sort((a, b) => b.asked - a.asked || b.lastAsked.localeCompare(a.lastAsked) || a.query.localeCompare(b.query))
      .slice(0, options.limit ?? 50);
  }

  counts(): { searches: number; noResults: number; helpful: number; unhelpful: number } {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS searches,
                COALESCE(SUM(result_count = 0), 0) AS noResults,
                COALESCE(SUM(helpful = 1), 0) AS helpful,
                COALESCE(SUM(helpful = 0), 0) AS unhelpful
         FROM search_log`,
      )
      .get() as { searches: number; noResults: number; helpful: number; unhelpful: number };
  }
}
