// Handoffs in the database: one open handoff per conversation (a unique index), FIFO per queue, and
// accept as a single conditional UPDATE so two agents accepting at once get one winner.
import crypto from 'node:crypto';
import type { SqlDatabase, SqlSession } from '../storage/sql';
import type { Handoff, HandoffStatus, HandoffSummary, HandoffTrigger, PinStatus, TranscriptAttachment, TranscriptEntry, TranscriptRole } from './types';

/** Transcript text is capped per entry; a chat message fits in far less. */
export const MAX_TRANSCRIPT_TEXT = 4000;

interface Row {
  id: string;
  seq: number;
  conversation_key: string;
  conversation_reference: string;
  queue: string;
  locale: 'en' | 'ko';
  trigger: HandoffTrigger;
  mode: 'internal' | 'external';
  status: HandoffStatus;
  summary: string;
  request_number: string | null;
  agent_name: string | null;
  pin_status: PinStatus | null;
  pin_organisation: string | null;
  queue_card_id: string | null;
  teams_thread: string | null;
  created_at: string;
  accepted_at: string | null;
  ended_at: string | null;
  ended_by: string | null;
}

export interface StoredHandoff extends Handoff {
  conversationKey: string;
  conversationReference: unknown;
  queueCardId?: string;
  /** Where the Teams agents' copy lives: the channel thread's conversation reference and card id. */
  teamsThread?: { reference: unknown; activityId: string };
}

function fromRow(row: Row): StoredHandoff {
  return {
    id: row.id,
    queue: row.queue,
    status: row.status,
    locale: row.locale,
    trigger: row.trigger,
    mode: row.mode,
    summary: JSON.parse(row.summary) as HandoffSummary,
    requestNumber: row.request_number ?? undefined,
    agentName: row.agent_name ?? undefined,
    pin: row.pin_status ? { status: row.pin_status, organisation: row.pin_organisation ?? undefined } : undefined,
    createdAt: row.created_at,
    acceptedAt: row.accepted_at ?? undefined,
    endedAt: row.ended_at ?? undefined,
    endedBy: row.ended_by ?? undefined,
    conversationKey: row.conversation_key,
    conversationReference: JSON.parse(row.conversation_reference) as unknown,
    queueCardId: row.queue_card_id ?? undefined,
    teamsThread: row.teams_thread ? (JSON.parse(row.teams_thread) as StoredHandoff['teamsThread']) : undefined,
  };
}

export interface NewHandoff {
  conversationKey: string;
  conversationReference: unknown;
  queue: string;
  locale: 'en' | 'ko';
  trigger: HandoffTrigger;
  mode?: 'internal' | 'external';
  summary: HandoffSummary;
  requestNumber?: string;
  /** The conversation so far, copied into the handoff's transcript. */
  transcript: TranscriptEntry[];
}

const entryFromRow = (r: { at: string; role: TranscriptRole; name: string | null; text: string; attachments: string | null }): TranscriptEntry => ({
  at: r.at,
  role: r.role,
  ...(r.name ? { name: r.name } : {}),
  text: r.text,
  ...(r.attachments ? { attachments: JSON.parse(r.attachments) as TranscriptAttachment[] } : {}),
});

export class HandoffStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Opens a handoff, or returns the conversation's open one (created: false). */
  open(input: NewHandoff): Promise<{ handoff: StoredHandoff; created: boolean }> {
    const now = this.clock().toISOString();
    return this.db.transaction(async (tx) => {
      const existing = await this.openIn(tx, input.conversationKey);
      if (existing) return { handoff: existing, created: false };
      const id = crypto.randomUUID();
      // seq orders every queue; the transaction makes taking the next one safe across instances.
      const { next } = (await tx.get<{ next: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM handoffs'))!;
      const row = (await tx.get<Row>(
        `INSERT INTO handoffs (id, seq, conversation_key, conversation_reference, queue, locale, trigger, mode, status, summary, request_number, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?) RETURNING *`,
        [id, next, input.conversationKey, JSON.stringify(input.conversationReference ?? null), input.queue, input.locale, input.trigger, input.mode ?? 'internal', JSON.stringify(input.summary), input.requestNumber ?? null, now],
      ))!;
      for (const entry of input.transcript) await this.insertEntry(tx, id, entry);
      return { handoff: fromRow(row), created: true };
    });
  }

  async get(id: string): Promise<StoredHandoff | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM handoffs WHERE id = ?', [id]);
    return row ? fromRow(row) : undefined;
  }

  /** The conversation's waiting or active handoff. */
  openFor(conversationKey: string): Promise<StoredHandoff | undefined> {
    return this.openIn(this.db, conversationKey);
  }

  private async openIn(session: SqlSession, conversationKey: string): Promise<StoredHandoff | undefined> {
    const row = await session.get<Row>("SELECT * FROM handoffs WHERE conversation_key = ? AND status IN ('waiting', 'active')", [conversationKey]);
    return row ? fromRow(row) : undefined;
  }

  /** Waiting handoffs, first come first served; one queue or all. */
  async waiting(queue?: string): Promise<StoredHandoff[]> {
    const rows = queue
      ? await this.db.all<Row>("SELECT * FROM handoffs WHERE status = 'waiting' AND mode = 'internal' AND queue = ? ORDER BY seq", [queue])
      : await this.db.all<Row>("SELECT * FROM handoffs WHERE status = 'waiting' AND mode = 'internal' ORDER BY queue, seq");
    return rows.map(fromRow);
  }

  /** 1 for the next to be taken; 0 when no longer waiting. */
  async position(handoff: Pick<Handoff, 'id' | 'queue'>): Promise<number> {
    const row = await this.db.get<{ position: number | null }>(
      `SELECT CASE WHEN h.status = 'waiting' THEN
                (SELECT COUNT(*) FROM handoffs o WHERE o.queue = h.queue AND o.status = 'waiting' AND o.mode = 'internal' AND o.seq < h.seq) + 1
              ELSE 0 END AS position
       FROM handoffs h WHERE h.id = ?`,
      [handoff.id],
    );
    return row?.position ?? 0;
  }

  async activeFor(agentName: string): Promise<StoredHandoff[]> {
    return (await this.db.all<Row>("SELECT * FROM handoffs WHERE agent_name = ? AND status = 'active' ORDER BY accepted_at", [agentName])).map(fromRow);
  }

  /** Handoffs created since, for the arrival rate of a queue. */
  async arrivals(queue: string, since: Date): Promise<Date[]> {
    return (await this.db.all<{ created_at: string }>('SELECT created_at FROM handoffs WHERE queue = ? AND created_at >= ?', [queue, since.toISOString()])).map((r) => new Date(r.created_at));
  }

  /** Exactly one agent wins: the UPDATE only matches while the handoff is still waiting. */
  async accept(id: string, agentName: string): Promise<{ ok: true; handoff: StoredHandoff } | { ok: false; reason: 'taken'; by: string } | { ok: false; reason: 'gone' }> {
    const won = await this.db.get<Row>("UPDATE handoffs SET status = 'active', agent_name = ?, accepted_at = ? WHERE id = ? AND status = 'waiting' RETURNING *", [
      agentName,
      this.clock().toISOString(),
      id,
    ]);
    if (won) return { ok: true, handoff: fromRow(won) };
    const handoff = await this.get(id);
    if (handoff?.status === 'active' && handoff.agentName) return { ok: false, reason: 'taken', by: handoff.agentName };
    return { ok: false, reason: 'gone' };
  }

  /** Back to the queue (the agent went away); keeps its place by its original order. */
  async requeue(id: string): Promise<boolean> {
    return (await this.db.run("UPDATE handoffs SET status = 'waiting', agent_name = NULL, accepted_at = NULL WHERE id = ? AND status = 'active'", [id])).changes === 1;
  }

  /** Ends an open handoff; false when it was already closed. */
  async close(id: string, status: 'ended' | 'cancelled', by: string): Promise<boolean> {
    const closed = await this.db.run("UPDATE handoffs SET status = ?, ended_at = ?, ended_by = ? WHERE id = ? AND status IN ('waiting', 'active')", [
      status,
      this.clock().toISOString(),
      by.slice(0, 100),
      id,
    ]);
    return closed.changes === 1;
  }

  /** External hub accepted: the handoff is active without one of our agents. */
  async markExternalAccepted(id: string): Promise<boolean> {
    return (await this.db.run("UPDATE handoffs SET status = 'active', accepted_at = ? WHERE id = ? AND status = 'waiting'", [this.clock().toISOString(), id])).changes === 1;
  }

  async setPin(id: string, status: PinStatus, organisation?: string): Promise<void> {
    await this.db.run('UPDATE handoffs SET pin_status = ?, pin_organisation = COALESCE(?, pin_organisation) WHERE id = ?', [status, organisation ?? null, id]);
  }

  async setRequest(id: string, requestNumber: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get<Row>('SELECT * FROM handoffs WHERE id = ?', [id]);
      if (!row) return;
      const summary = { ...fromRow(row).summary, requestNumber };
      await tx.run('UPDATE handoffs SET request_number = ?, summary = ? WHERE id = ?', [requestNumber, JSON.stringify(summary), id]);
    });
  }

  async updateSummary(id: string, summary: HandoffSummary): Promise<void> {
    await this.db.run('UPDATE handoffs SET summary = ? WHERE id = ?', [JSON.stringify(summary), id]);
  }

  /** Handoffs created since, or accepted since, for the dashboard. */
  async since(since: Date): Promise<StoredHandoff[]> {
    const iso = since.toISOString();
    return (await this.db.all<Row>('SELECT * FROM handoffs WHERE created_at >= ? OR accepted_at >= ? ORDER BY seq', [iso, iso])).map(fromRow);
  }

  async setQueueCard(id: string, activityId: string | undefined): Promise<void> {
    await this.db.run('UPDATE handoffs SET queue_card_id = ? WHERE id = ?', [activityId ?? null, id]);
  }

  async setTeamsThread(id: string, thread: StoredHandoff['teamsThread']): Promise<void> {
    await this.db.run('UPDATE handoffs SET teams_thread = ? WHERE id = ?', [thread ? JSON.stringify(thread) : null, id]);
  }

  /** The handoff whose Teams thread this is (agents reply in the card's thread). */
  async byTeamsActivity(activityId: string): Promise<StoredHandoff | undefined> {
    const row = await this.db.get<Row>(`SELECT * FROM handoffs WHERE ${this.db.jsonText('teams_thread', 'activityId')} = ? ORDER BY seq DESC LIMIT 1`, [activityId]);
    return row ? fromRow(row) : undefined;
  }

  async append(id: string, entry: Omit<TranscriptEntry, 'at'> & { at?: string }): Promise<TranscriptEntry> {
    const stored = { ...entry, at: entry.at ?? this.clock().toISOString(), text: entry.text.slice(0, MAX_TRANSCRIPT_TEXT) };
    await this.insertEntry(this.db, id, stored);
    return stored;
  }

  async transcript(id: string): Promise<TranscriptEntry[]> {
    return (await this.db.all<Parameters<typeof entryFromRow>[0]>('SELECT at, role, name, text, attachments FROM handoff_transcript WHERE handoff_id = ? ORDER BY id', [id])).map(entryFromRow);
  }

  /** Handoffs linked to a request, newest first: the request's chats. */
  async forRequest(requestNumber: string): Promise<StoredHandoff[]> {
    return (await this.db.all<Row>('SELECT * FROM handoffs WHERE request_number = ? ORDER BY seq DESC', [requestNumber])).map(fromRow);
  }

  private async insertEntry(session: SqlSession, id: string, entry: TranscriptEntry): Promise<void> {
    await session.run('INSERT INTO handoff_transcript (handoff_id, at, role, name, text, attachments) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      entry.at,
      entry.role,
      entry.name?.slice(0, 200) ?? null,
      entry.text.slice(0, MAX_TRANSCRIPT_TEXT),
      entry.attachments?.length ? JSON.stringify(entry.attachments) : null,
    ]);
  }
}
