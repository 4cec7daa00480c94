// botbuilder Storage on our database (SQLite or PostgreSQL), with optimistic concurrency: a write
// carrying a stale eTag is refused, and all keys of one write are stored or none. After a write each
// item carries its new eTag.
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { SqlDatabase } from './sql';

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: eTag conflict writing "${key}"`);
    this.name = 'ETagConflictError';
  }
}

/** An eTag meaning "this item must not exist yet": two first writes of one key do not both win. */
export const NEW_ITEM_ETAG = 'new-item';

/** Each item's document as the JSON text it was read from, until the item is dropped. */
const textsAsRead = new WeakMap<object, string>();
/** Text a caller already serialised for the coming write of an item (used once). */
const textsToWrite = new WeakMap<object, string>();

/** The JSON text (without the eTag) an item read from SqlStorage was parsed from. */
export function documentTextAsRead(item: object): string | undefined {
  return textsAsRead.get(item);
}

/** Marks `text` as the item's document (without its eTag) for its next write, to spare a second JSON.stringify. */
export function writeWithDocumentText<T extends object>(item: T, text: string): T {
  textsToWrite.set(item, text);
  return item;
}

/** An item's document as stored: its JSON without the eTag. */
export function documentText(item: unknown): string {
  const { eTag: _ignored, ...document } = (item ?? {}) as Record<string, unknown>;
  return JSON.stringify(document);
}

export class SqlStorage implements Storage {
  constructor(private readonly db: SqlDatabase) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array');
    const items: StoreItems = {};
    for (const key of keys) {
      const row = await this.db.get<{ etag: string; document: string }>('SELECT etag, document FROM bot_state WHERE key = ?', [key]);
      if (row) {
        const item = { ...JSON.parse(row.document), eTag: row.etag };
        textsAsRead.set(item, row.document);
        items[key] = item;
      }
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('changes must be an object');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    // Taken now, used once: a failed write must not leave text behind for a later, changed item.
    const texts = entries.map(([, item]) => {
      if (!item || typeof item !== 'object') return documentText(item);
      const given = textsToWrite.get(item);
      textsToWrite.delete(item);
      return given ?? documentText(item);
    });
    const written = await this.db.transaction(async (tx) => {
      const now = new Date().toISOString();
      const etags: string[] = [];
      for (const [i, [key, item]] of entries.entries()) {
        const incoming = item?.eTag as string | undefined;
        const etag = randomUUID();
        etags.push(etag);
        const json = texts[i];
        if (incoming === NEW_ITEM_ETAG) {
          const inserted = await tx.run('INSERT INTO bot_state (key, etag, document, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING', [key, etag, json, now]);
          if (inserted.changes !== 1) throw new ETagConflictError(key);
        } else if (incoming && incoming !== '*') {
          // The row must still carry the eTag that was read; a deleted row fails the same way.
          const updated = await tx.run('UPDATE bot_state SET etag = ?, document = ?, updated_at = ? WHERE key = ? AND etag = ?', [etag, json, now, key, incoming]);
          if (updated.changes !== 1) throw new ETagConflictError(key);
        } else {
          await tx.run(
            `INSERT INTO bot_state (key, etag, document, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document, updated_at = excluded.updated_at`,
            [key, etag, json, now],
          );
        }
      }
      return etags;
    });
    entries.forEach(([, item], i) => {
      if (item && typeof item === 'object') item.eTag = written[i];
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys) || keys.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const key of keys) await tx.run('DELETE FROM bot_state WHERE key = ?', [key]);
    });
  }
}
