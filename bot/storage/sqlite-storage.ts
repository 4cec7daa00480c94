// botbuilder Storage on SQLite, with optimistic concurrency: a write carrying a stale eTag is refused.
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { SqliteDatabase } from './database';

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: eTag conflict writing "${key}"`);
    this.name = 'ETagConflictError';
  }
}

export class SqliteStorage implements Storage {
  private readonly selectOne;
  private readonly upsert;
  private readonly remove;
  private readonly writeAll;

  constructor(private readonly db: SqliteDatabase) {
    this.selectOne = db.prepare('SELECT etag, document FROM bot_state WHERE key = ?');
    this.upsert = db.prepare(
      `INSERT INTO bot_state (key, etag, document, updated_at) VALUES (@key, @etag, @document, @now)
       ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, document = excluded.document, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM bot_state WHERE key = ?');
    // All keys of one write succeed or none do; IMMEDIATE takes the write lock before the eTag check.
    this.writeAll = db.transaction((changes: StoreItems) => {
      const now = new Date().toISOString();
      for (const [key, item] of Object.entries(changes)) {
        const incoming = item?.eTag as string | undefined;
        if (incoming && incoming !== '*') {
          const current = this.selectOne.get(key) as { etag: string } | undefined;
          // A missing row with a concrete eTag means someone deleted it since it was read.
          if (!current || current.etag !== incoming) throw new ETagConflictError(key);
        }
        const { eTag: _ignored, ...document } = (item ?? {}) as Record<string, unknown>;
        this.upsert.run({ key, etag: randomUUID(), document: JSON.stringify(document), now });
      }
    });
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array');
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key) as { etag: string; document: string } | undefined;
      if (row) items[key] = { ...JSON.parse(row.document), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('changes must be an object');
    this.writeAll.immediate(changes);
  }

  async delete(keys: string[]): Promise<void> {
    const removeAll = this.db.transaction((ks: string[]) => ks.forEach((k) => this.remove.run(k)));
    removeAll(keys);
  }
}
