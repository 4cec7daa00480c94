// The embedded Direct Line's conversations: who owns each, and every activity in order. The
// sequence number doubles as the Direct Line watermark, so a reloaded page picks up where it was.
import type { Activity } from 'botbuilder';
import type { SqlDatabase, SqlSession } from '../storage/sql';

/** Activities returned per poll; the client asks again from the new watermark. */
const PAGE = 100;

export class DirectLineConversations {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(id: string, userId: string): Promise<void> {
    await this.db.run('INSERT INTO directline_conversations (id, user_id, created_at) VALUES (?, ?, ?)', [id, userId, this.clock().toISOString()]);
  }

  async exists(id: string): Promise<boolean> {
    return Boolean(await this.db.get('SELECT 1 AS found FROM directline_conversations WHERE id = ?', [id]));
  }

  /** Appends an activity, giving it an id and timestamp; returns the id. */
  append(conversationId: string, activity: Partial<Activity>): Promise<string> {
    return this.db.transaction(async (tx) => {
      const next = await this.nextSeq(tx, conversationId);
      const id = `${conversationId}|${String(next).padStart(7, '0')}`;
      const stored = { ...activity, id, timestamp: this.clock().toISOString(), conversation: { id: conversationId } };
      await tx.run('INSERT INTO directline_activities (conversation_id, seq, activity) VALUES (?, ?, ?)', [conversationId, next, JSON.stringify(stored)]);
      return id;
    });
  }

  /**
   * A new version of an activity the bot sent: stored after everything else under the same id, so
   * polling clients receive it again and Web Chat replaces the one on screen. False if unknown.
   */
  replace(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const known = await tx.get(`SELECT 1 AS found FROM directline_activities WHERE conversation_id = ? AND ${this.db.jsonText('activity', 'id')} = ? LIMIT 1`, [conversationId, activityId]);
      if (!known) return false;
      const next = await this.nextSeq(tx, conversationId);
      const stored = { ...activity, id: activityId, timestamp: this.clock().toISOString(), conversation: { id: conversationId } };
      await tx.run('INSERT INTO directline_activities (conversation_id, seq, activity) VALUES (?, ?, ?)', [conversationId, next, JSON.stringify(stored)]);
      return true;
    });
  }

  private async nextSeq(tx: SqlSession, conversationId: string): Promise<number> {
    return (await tx.get<{ next: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM directline_activities WHERE conversation_id = ?', [conversationId]))!.next;
  }

  /** Activities after the watermark, and the new watermark. */
  async since(conversationId: string, watermark: number): Promise<{ activities: Partial<Activity>[]; watermark: string }> {
    const rows = await this.db.all<{ seq: number; activity: string }>('SELECT seq, activity FROM directline_activities WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?', [
      conversationId,
      watermark,
      PAGE,
    ]);
    const last = rows.length ? rows[rows.length - 1].seq : watermark;
    return { activities: rows.map((r) => JSON.parse(r.activity) as Partial<Activity>), watermark: String(last) };
  }
}
