// PostgreSQL for running several instances on one database: a connection pool, schema migrations
// serialised across instances by an advisory lock, and botbuilder Storage with the same eTag rules
// as the SQLite storage (a write carrying a stale eTag is refused; all keys of a write or none).
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { Pool, PoolClient } from 'pg';
import { ETagConflictError } from './sqlite-storage';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Append only, like the SQLite list; numbered on their own.
export const PG_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'bot state',
    sql: `
      CREATE TABLE bot_state (
        key        TEXT PRIMARY KEY,
        etag       TEXT NOT NULL,
        document   TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );`,
  },
];

/** Any constant shared by every instance: the lock that makes one of them migrate at a time. */
const MIGRATION_LOCK = 7_200_301;

export function openPool(url: string, max = 10): Pool {
  // Writes are acknowledged only once durable, whatever the server's default.
  return new Pool({ connectionString: url, max, options: '-c synchronous_commit=on' });
}

async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Brings the schema up to date; instances starting together wait for each other. Returns how many ran. */
export async function migratePostgres(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    let count = 0;
    for (const m of [...PG_MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await inTransaction(client, async () => {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [m.version, m.name]);
      });
      count += 1;
    }
    return count;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

export class PostgresStorage implements Storage {
  constructor(private readonly pool: Pool) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const { rows } = await this.pool.query<{ key: string; etag: string; document: string }>('SELECT key, etag, document FROM bot_state WHERE key = ANY($1)', [keys]);
    for (const row of rows) items[row.key] = { ...JSON.parse(row.document), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('changes must be an object');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const client = await this.pool.connect();
    try {
      await inTransaction(client, async () => {
        for (const [key, item] of entries) {
          const incoming = item?.eTag as string | undefined;
          const { eTag: _ignored, ...document } = (item ?? {}) as Record<string, unknown>;
          const etag = randomUUID();
          const json = JSON.stringify(document);
          if (incoming && incoming !== '*') {
            // The row must still carry the eTag that was read; the UPDATE checks and writes atomically.
            const updated = await client.query('UPDATE bot_state SET etag = $2, document = $3, updated_at = now() WHERE key = $1 AND etag = $4', [key, etag, json, incoming]);
            if (updated.rowCount !== 1) throw new ETagConflictError(key);
          } else {
            await client.query(
              `INSERT INTO bot_state (key, etag, document, updated_at) VALUES ($1, $2, $3, now())
               ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document, updated_at = excluded.updated_at`,
              [key, etag, json],
            );
          }
        }
      });
    } finally {
      client.release();
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.pool.query('DELETE FROM bot_state WHERE key = ANY($1)', [keys]);
  }
}
