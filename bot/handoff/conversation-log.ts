// The last messages of each conversation, kept so a handoff starts with the conversation so far.
// Bounded (per conversation and in age); anything shaped like a one-time code is redacted before
// it is stored, and card submits are described in words rather than stored as raw JSON.
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { SqlDatabase } from '../storage/sql';
import type { TranscriptAttachment, TranscriptEntry } from './types';
import { MAX_TRANSCRIPT_TEXT } from './handoffs';

/** Messages kept per conversation. */
export const RECENT_MESSAGES = 50;
const KEEP_DAYS = 7;
/** Set on a turn whose sends are relayed agent messages: the handoff transcript records those. */
export const SKIP_CONVERSATION_LOG = Symbol('skipConversationLog');

/** A PIN or phone-code-like message: digits with spaces or dashes, nothing else. */
const CODE_LIKE = /^[\s\d０-９-]{4,16}$/;
const REDACTED_CODE = '[code hidden]';

export function conversationKey(activity: Partial<Activity>): string {
  return `${activity.channelId ?? ''}|${activity.conversation?.id ?? ''}`;
}

/** A six-digit run on its own inside a sentence ("my code is 482913"); request numbers (2026-000123) stay. */
const CODE_IN_TEXT = /(?<![\d-])\d{6}(?![\d-])/g;

export function redact(text: string): string {
  const folded = text.normalize('NFKC');
  if (CODE_LIKE.test(folded.trim()) && /\d{4}/.test(folded.replace(/[\s-]/g, ''))) return REDACTED_CODE;
  return folded.search(CODE_IN_TEXT) >= 0 ? folded.replace(CODE_IN_TEXT, REDACTED_CODE) : text;
}

/** Only web links survive: no javascript:, data: or relative URLs in what agents click. */
export function safeUrl(url: unknown): string | undefined {
  return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) && url.length <= 2000 ? url : undefined;
}

/** Card submits as "field: value" lines; hidden bookkeeping fields are left out. */
export function describeSubmit(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const lines = Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => !['action', 'searchId', 'msteams'].includes(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    .map(([k, v]) => `${k}: ${redact(String(v)).slice(0, 500)}`);
  return lines.length ? lines.join('\n') : undefined;
}

export function attachmentsOf(activity: Partial<Activity>): TranscriptAttachment[] {
  return (activity.attachments ?? [])
    .slice(0, 10)
    .map((a) => ({ contentType: String(a.contentType ?? '').slice(0, 100), ...(a.name ? { name: String(a.name).slice(0, 200) } : {}), ...(safeUrl(a.contentUrl) ? { url: a.contentUrl } : {}) }));
}

/** The readable text of a card: its summary, else the text of its first TextBlocks. */
function cardText(activity: Partial<Activity>): string | undefined {
  const summary = (activity as { summary?: string }).summary;
  if (summary) return summary;
  const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as { body?: unknown[] } | undefined;
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (texts.length >= 5 || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock' && typeof n.text === 'string') texts.push(n.text);
    for (const key of ['body', 'items', 'columns']) if (n[key]) walk(n[key]);
  };
  walk(card?.body);
  return texts.length ? texts.join(' — ') : undefined;
}

/** One log entry for a message activity, or undefined for anything else. */
export function entryFromActivity(activity: Partial<Activity>, role: 'user' | 'bot', at: Date): TranscriptEntry | undefined {
  if (activity.type !== 'message') return undefined;
  const attachments = role === 'user' ? attachmentsOf(activity) : [];
  const text = activity.text?.trim() ? redact(activity.text.trim()) : role === 'user' ? describeSubmit(activity.value) : cardText(activity);
  if (!text && attachments.length === 0) return undefined;
  return {
    at: at.toISOString(),
    role,
    ...(role === 'user' && activity.from?.name ? { name: activity.from.name.slice(0, 200) } : {}),
    text: (text ?? '').slice(0, MAX_TRANSCRIPT_TEXT),
    ...(attachments.length ? { attachments } : {}),
  };
}

export class ConversationLog {
  private inserts = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(key: string, entry: TranscriptEntry): Promise<void> {
    await this.db.run('INSERT INTO conversation_log (conversation_key, at, role, name, text, attachments) VALUES (?, ?, ?, ?, ?, ?)', [
      key,
      entry.at,
      entry.role,
      entry.name ?? null,
      entry.text,
      entry.attachments?.length ? JSON.stringify(entry.attachments) : null,
    ]);
    // Keep the table small: trim this conversation now and then, and everything old.
    if (++this.inserts % 20 === 0) await this.prune(key);
  }

  async recent(key: string, limit = RECENT_MESSAGES): Promise<TranscriptEntry[]> {
    const rows = await this.db.all<{ at: string; role: TranscriptEntry['role']; name: string | null; text: string; attachments: string | null }>(
      'SELECT at, role, name, text, attachments FROM conversation_log WHERE conversation_key = ? ORDER BY id DESC LIMIT ?',
      [key, limit],
    );
    return rows.reverse().map((r) => ({ at: r.at, role: r.role, ...(r.name ? { name: r.name } : {}), text: r.text, ...(r.attachments ? { attachments: JSON.parse(r.attachments) } : {}) }));
  }

  async prune(key: string): Promise<void> {
    await this.db.run(
      'DELETE FROM conversation_log WHERE conversation_key = ? AND id <= (SELECT id FROM conversation_log WHERE conversation_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
      [key, key, RECENT_MESSAGES],
    );
    await this.db.run('DELETE FROM conversation_log WHERE at < ?', [new Date(this.clock().getTime() - KEEP_DAYS * 86_400_000).toISOString()]);
  }

  /**
   * Adapter middleware: logs the incoming message at once and each reply as it is sent (not at the
   * end of the turn, as botbuilder's TranscriptLoggerMiddleware does), so a handoff opened during
   * this turn already sees the message that caused it.
   */
  middleware(): Middleware {
    return {
      onTurn: async (context: TurnContext, next: () => Promise<void>) => {
        const key = conversationKey(context.activity);
        const incoming = entryFromActivity(context.activity, 'user', this.clock());
        if (incoming) await this.record(key, incoming);
        context.onSendActivities(async (ctx, activities, nextSend) => {
          const responses = await nextSend();
          if (!ctx.turnState.get(SKIP_CONVERSATION_LOG)) {
            for (const activity of activities) {
              const entry = entryFromActivity(activity, 'bot', this.clock());
              if (entry) await this.record(key, entry);
            }
          }
          return responses;
        });
        await next();
      },
    };
  }
}
