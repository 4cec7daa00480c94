// Every search the bot answers, with what it showed and whether it helped. The report built from it
// lists what admins asked that the articles did not answer: the articles to write next.
import crypto from 'node:crypto';
import type { SqlDatabase } from '../../bot/storage/sql';

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
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(entry: SearchRecord): Promise<string> {
    const id = crypto.randomUUID();
    await this.db.run(
      `INSERT INTO search_log (id, created_at, query, language, cloud, result_count, results)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        this.clock().toISOString(),
        entry.query.slice(0, MAX_LOGGED_QUERY_CHARS),
        entry.language,
        entry.cloud ?? null,
        entry.results.length,
        JSON.stringify(entry.results.map((r) => ({ id: r.id, score: Math.round(r.score * 1000) / 1000 }))),
      ],
    );
    return id;
  }

  /** Yes/no answers given since a time, for the dashboard's self-service line. */
  async feedbackSince(since: Date): Promise<{ at: string; helpful: boolean }[]> {
    const rows = await this.db.all<{ at: string; helpful: number }>('SELECT feedback_at AS at, helpful FROM search_log WHERE feedback_at >= ? AND helpful IS NOT NULL', [since.toISOString()]);
    return rows.map((r) => ({ at: r.at, helpful: r.helpful === 1 }));
  }

  /** Records yes/no for a search. False when the id is unknown (a stale or forged card). */
  async markHelpful(id: string, helpful: boolean): Promise<boolean> {
    const result = await this.db.run('UPDATE search_log SET helpful = ?, feedback_at = ? WHERE id = ?', [helpful ? 1 : 0, this.clock().toISOString(), id]);
    return result.changes === 1;
  }

  async get(id: string): Promise<(SearchRecord & { helpful: boolean | null }) | undefined> {
    const row = await this.db.get<{ query: string; language: string; cloud: string | null; results: string; helpful: number | null }>(
      'SELECT query, language, cloud, results, helpful FROM search_log WHERE id = ?',
      [id],
    );
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
  async unanswered(options: { since?: Date; limit?: number } = {}): Promise<ReportRow[]> {
    const rows = await this.db.all<{ query: string; language: string; result_count: number; helpful: number | null; created_at: string }>(
      `SELECT query, language, result_count, helpful, created_at FROM search_log
       WHERE (result_count = 0 OR helpful = 0) AND created_at >= ?`,
      [(options.since ?? new Date(0)).toISOString()],
    );
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

  async counts(): Promise<{ searches: number; noResults: number; helpful: number; unhelpful: number }> {
    return (await this.db.get<{ searches: number; noResults: number; helpful: number; unhelpful: number }>(
      `SELECT COUNT(*) AS searches,
              COUNT(CASE WHEN result_count = 0 THEN 1 END) AS "noResults",
              COUNT(CASE WHEN helpful = 1 THEN 1 END) AS helpful,
              COUNT(CASE WHEN helpful = 0 THEN 1 END) AS unhelpful
       FROM search_log`,
    ))!;
  }
}
