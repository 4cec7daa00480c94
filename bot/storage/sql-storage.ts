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

export class SqlStorage implements Storage {
  constructor(private readonly db: SqlDatabase) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array');
    const items: StoreItems = {};
    for (const key of keys) {
      const row = await this.db.get<{ etag: string; document: string }>('SELECT etag, document FROM bot_state WHERE key = ?', [key]);
      if (row) items[key] = { ...JSON.parse(row.document), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('changes must be an object');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const written = await this.db.transaction(async (tx) => {
      const now = new Date().toISOString();
      const etags: string[] = [];
      for (const [key, item] of entries) {
        const incoming = item?.eTag as string | undefined;
        const { eTag: _ignored, ...document } = (item ?? {}) as Record<string, unknown>;
        const etag = randomUUID();
        etags.push(etag);
        const json = JSON.stringify(document);
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
