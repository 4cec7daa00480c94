// Handoffs in the database: one open handoff per conversation (a unique index), FIFO per queue, and
// accept as a single conditional UPDATE so two agents accepting at once get one winner.
import crypto from 'node:crypto';
import type { SqliteDatabase } from '../storage/database';
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
    private readonly db: SqliteDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Opens a handoff, or returns the conversation's open one (created: false). */
  open(input: NewHandoff): { handoff: StoredHandoff; created: boolean } {
    const now = this.clock().toISOString();
    const open = this.db.transaction(() => {
      const existing = this.openFor(input.conversationKey);
      if (existing) return { handoff: existing, created: false };
      const id = crypto.randomUUID();
      const { next } = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM handoffs').get() as { next: number };
      this.db
        .prepare(
          `INSERT INTO handoffs (id, seq, conversation_key, conversation_reference, queue, locale, trigger, mode, status, summary, request_number, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)`,
        )
        .run(id, next, input.conversationKey, JSON.stringify(input.conversationReference ?? null), input.queue, input.locale, input.trigger, input.mode ?? 'internal', JSON.stringify(input.summary), input.requestNumber ?? null, now);
      for (const entry of input.transcript) this.insertEntry(id, entry);
      return { handoff: this.get(id)!, created: true };
    });
    return open.immediate();
  }

  get(id: string): StoredHandoff | undefined {
    const row = this.db.prepare('SELECT * FROM handoffs WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** The conversation's waiting or active handoff. */
  openFor(conversationKey: string): StoredHandoff | undefined {
    const row = this.db.prepare("SELECT * FROM handoffs WHERE conversation_key = ? AND status IN ('waiting', 'active')").get(conversationKey) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Waiting handoffs, first come first served; one queue or all. */
  waiting(queue?: string): StoredHandoff[] {
    const rows = queue
      ? this.db.prepare("SELECT * FROM handoffs WHERE status = 'waiting' AND mode = 'internal' AND queue = ? ORDER BY seq").all(queue)
      : this.db.prepare("SELECT * FROM handoffs WHERE status = 'waiting' AND mode = 'internal' ORDER BY queue, seq").all();
    return (rows as Row[]).map(fromRow);
  }

  /** 1 for the next to be taken; 0 when no longer waiting. */
  position(handoff: Pick<Handoff, 'id' | 'queue'>): number {
    const row = this.db.prepare("SELECT seq, status FROM handoffs WHERE id = ?").get(handoff.id) as { seq: number; status: HandoffStatus } | undefined;
    if (!row || row.status !== 'waiting') return 0;
    const { ahead } = this.db.prepare("SELECT COUNT(*) AS ahead FROM handoffs WHERE queue = ? AND status = 'waiting' AND mode = 'internal' AND seq < ?").get(handoff.queue, row.seq) as { ahead: number };
    return ahead + 1;
  }

  activeFor(agentName: string): StoredHandoff[] {
    return (this.db.prepare("SELECT * FROM handoffs WHERE agent_name = ? AND status = 'active' ORDER BY accepted_at").all(agentName) as Row[]).map(fromRow);
  }

  /** Handoffs created since, for the arrival rate of a queue. */
  arrivals(queue: string, since: Date): Date[] {
    return (this.db.prepare('SELECT created_at FROM handoffs WHERE queue = ? AND created_at >= ?').all(queue, since.toISOString()) as { created_at: string }[]).map((r) => new Date(r.created_at));
  }

  /** Exactly one agent wins: the UPDATE only matches while the handoff is still waiting. */
  accept(id: string, agentName: string): { ok: true; handoff: StoredHandoff } | { ok: false; reason: 'taken'; by: string } | { ok: false; reason: 'gone' } {
    const changed = this.db
      .prepare("UPDATE handoffs SET status = 'active', agent_name = ?, accepted_at = ? WHERE id = ? AND status = 'waiting'")
      .run(agentName, this.clock().toISOString(), id).changes;
    const handoff = this.get(id);
    if (changed === 1 && handoff) return { ok: true, handoff };
    if (handoff?.status === 'active' && handoff.agentName) return { ok: false, reason: 'taken', by: handoff.agentName };
    return { ok: false, reason: 'gone' };
  }

  /** Back to the queue (the agent went away); keeps its place by its original order. */
  requeue(id: string): boolean {
    return this.db.prepare("UPDATE handoffs SET status = 'waiting', agent_name = NULL, accepted_at = NULL WHERE id = ? AND status = 'active'").run(id).changes === 1;
  }

  /** Ends an open handoff; false when it was already closed. */
  close(id: string, status: 'ended' | 'cancelled', by: string): boolean {
    return (
      this.db.prepare("UPDATE handoffs SET status = ?, ended_at = ?, ended_by = ? WHERE id = ? AND status IN ('waiting', 'active')").run(status, this.clock().toISOString(), by.slice(0, 100), id)
        .changes === 1
    );
  }

  /** External hub accepted: the handoff is active without one of our agents. */
  markExternalAccepted(id: string): boolean {
    return this.db.prepare("UPDATE handoffs SET status = 'active', accepted_at = ? WHERE id = ? AND status = 'waiting'").run(this.clock().toISOString(), id).changes === 1;
  }

  setPin(id: string, status: PinStatus, organisation?: string): void {
    this.db.prepare('UPDATE handoffs SET pin_status = ?, pin_organisation = COALESCE(?, pin_organisation) WHERE id = ?').run(status, organisation ?? null, id);
  }

  setRequest(id: string, requestNumber: string): void {
    const handoff = this.get(id);
    if (!handoff) return;
    const summary = { ...handoff.summary, requestNumber };
    this.db.prepare('UPDATE handoffs SET request_number = ?, summary = ? WHERE id = ?').run(requestNumber, JSON.stringify(summary), id);
  }

  updateSummary(id: string, summary: HandoffSummary): void {
    this.db.prepare('UPDATE handoffs SET summary = ? WHERE id = ?').run(JSON.stringify(summary), id);
  }

  /** Handoffs created since, or accepted since, for the dashboard. */
  since(since: Date): StoredHandoff[] {
    const iso = since.toISOString();
    return (this.db.prepare('SELECT * FROM handoffs WHERE created_at >= ? OR accepted_at >= ? ORDER BY seq').all(iso, iso) as Row[]).map(fromRow);
  }

  setQueueCard(id: string, activityId: string | undefined): void {
    this.db.prepare('UPDATE handoffs SET queue_card_id = ? WHERE id = ?').run(activityId ?? null, id);
  }

  setTeamsThread(id: string, thread: StoredHandoff['teamsThread']): void {
    this.db.prepare('UPDATE handoffs SET teams_thread = ? WHERE id = ?').run(thread ? JSON.stringify(thread) : null, id);
  }

  /** The handoff whose Teams thread this is (agents reply in the card's thread). */
  byTeamsActivity(activityId: string): StoredHandoff | undefined {
    const row = this.db.prepare("SELECT * FROM handoffs WHERE json_extract(teams_thread, '$.activityId') = ? ORDER BY seq DESC LIMIT 1").get(activityId) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  append(id: string, entry: Omit<TranscriptEntry, 'at'> & { at?: string }): TranscriptEntry {
    const stored = { ...entry, at: entry.at ?? this.clock().toISOString(), text: entry.text.slice(0, MAX_TRANSCRIPT_TEXT) };
    this.insertEntry(id, stored);
    return stored;
  }

  transcript(id: string): TranscriptEntry[] {
    return (this.db.prepare('SELECT at, role, name, text, attachments FROM handoff_transcript WHERE handoff_id = ? ORDER BY id').all(id) as Parameters<typeof entryFromRow>[0][]).map(entryFromRow);
  }

  /** Handoffs linked to a request, newest first: the request's chats. */
  forRequest(requestNumber: string): StoredHandoff[] {
    return (this.db.prepare('SELECT * FROM handoffs WHERE request_number = ? ORDER BY seq DESC').all(requestNumber) as Row[]).map(fromRow);
  }

  private insertEntry(id: string, entry: TranscriptEntry): void {
    this.db
      .prepare('INSERT INTO handoff_transcript (handoff_id, at, role, name, text, attachments) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, entry.at, entry.role, entry.name?.slice(0, 200) ?? null, entry.text.slice(0, MAX_TRANSCRIPT_TEXT), entry.attachments?.length ? JSON.stringify(entry.attachments) : null);
  }
}
