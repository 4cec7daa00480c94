// The embedded Direct Line's conversations: who owns each, and every activity in order. The
// sequence number doubles as the Direct Line watermark, so a reloaded page picks up where it was.
import type { Activity } from 'botbuilder';
import type { SqliteDatabase } from '../storage/database';

/** Activities returned per poll; the client asks again from the new watermark. */
const PAGE = 100;

export class DirectLineConversations {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  create(id: string, userId: string): void {
    this.db.prepare('INSERT INTO directline_conversations (id, user_id, created_at) VALUES (?, ?, ?)').run(id, userId, this.clock().toISOString());
  }

  exists(id: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM directline_conversations WHERE id = ?').get(id));
  }

  /** Appends an activity, giving it an id and timestamp; returns the id. */
  append(conversationId: string, activity: Partial<Activity>): string {
    const add = this.db.transaction(() => {
      const { next } = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM directline_activities WHERE conversation_id = ?').get(conversationId) as { next: number };
      const id = `${conversationId}|${String(next).padStart(7, '0')}`;
      const stored = { ...activity, id, timestamp: this.clock().toISOString(), conversation: { id: conversationId } };
      this.db.prepare('INSERT INTO directline_activities (conversation_id, seq, activity) VALUES (?, ?, ?)').run(conversationId, next, JSON.stringify(stored));
      return id;
    });
    return add.immediate();
  }

  /**
   * A new version of an activity the bot sent: stored after everything else under the same id, so
   * polling clients receive it again and Web Chat replaces the one on screen. False if unknown.
   */
  replace(conversationId: string, activityId: string, activity: Partial<Activity>): boolean {
    const add = this.db.transaction(() => {
      const known = this.db
        .prepare("SELECT 1 FROM directline_activities WHERE conversation_id = ? AND json_extract(activity, '$.id') = ? LIMIT 1")
        .get(conversationId, activityId);
      if (!known) return false;
      const { next } = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM directline_activities WHERE conversation_id = ?').get(conversationId) as { next: number };
      const stored = { ...activity, id: activityId, timestamp: this.clock().toISOString(), conversation: { id: conversationId } };
      this.db.prepare('INSERT INTO directline_activities (conversation_id, seq, activity) VALUES (?, ?, ?)').run(conversationId, next, JSON.stringify(stored));
      return true;
    });
    return add.immediate();
  }

  /** Activities after the watermark, and the new watermark. */
  since(conversationId: string, watermark: number): { activities: Partial<Activity>[]; watermark: string } {
    const rows = this.db
      .prepare('SELECT seq, activity FROM directline_activities WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(conversationId, watermark, PAGE) as { seq: number; activity: string }[];
    const last = rows.length ? rows[rows.length - 1].seq : watermark;
    return { activities: rows.map((r) => JSON.parse(r.activity) as Partial<Activity>), watermark: String(last) };
  }
}
