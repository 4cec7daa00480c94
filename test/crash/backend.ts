// The storage backend under crash test, as a parameter: how to prepare it, what environment the bot
// needs to use it, and how to read back what the invariants are checked against. SQLite reads its
// file directly; PostgreSQL runs a throwaway server (test/support/postgres.ts), checks its indexes
// with amcheck and relies on the server's own foreign key enforcement.
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../bot/storage/database';
import { openPostgres } from '../../bot/storage/postgres';
import { SqlDatabase, SqliteSql } from '../../bot/storage/sql';
import { OrganisationInput, OrganisationStore } from '../../bot/orgs/organisations';
import { RunningPostgres, startPostgres } from '../support/postgres';

export interface RequestRow {
  number: string | null;
  idempotencyKey: string;
  organisationId: string;
  /** Rows in request_history for this request. */
  historyRows: number;
}

/** What the bot left on disk, read by the test between runs. */
export interface Inspection {
  /** Empty when the storage engine's own consistency check passes. */
  integrityProblems: string[];
  /** Rows violating a foreign key. */
  foreignKeyViolations: string[];
  requests: RequestRow[];
  /** The per-year request number counters. */
  numberCounters: { year: number; last: number }[];
  /** pin_sends rows per activity key. */
  pinSends: { activityKey: string; rows: number }[];
  /** Conversation/user state documents that do not parse. */
  unreadableStateDocuments: string[];
}

export interface CrashBackend {
  name: string;
  /** Numbers come from a counter updated in the request's own transaction, so they have no gaps. */
  gaplessNumbers: boolean;
  /** Creates the store with these organisations before the bot first starts; returns the bot's environment. */
  prepare(dataDir: string, organisations: OrganisationInput[]): Promise<Record<string, string>>;
  /** Reads the store (the bot may be running: read-only, no locks held afterwards). */
  inspect(): Promise<Inspection>;
  dispose(): Promise<void>;
}

async function saveAll(db: SqlDatabase, organisations: OrganisationInput[]): Promise<void> {
  const store = new OrganisationStore(db);
  for (const o of organisations) await store.save(o);
}

/** The same queries on either engine (through the stores' own interface). */
async function readBack(db: SqlDatabase): Promise<Omit<Inspection, 'integrityProblems' | 'foreignKeyViolations'>> {
  const requests = await db.all<RequestRow>(
    `SELECT r.number AS number, r.idempotency_key AS "idempotencyKey", r.organisation_id AS "organisationId",
            (SELECT COUNT(*) FROM request_history h WHERE h.request_id = r.id) AS "historyRows"
       FROM requests r ORDER BY r.id`,
  );
  const numberCounters = await db.all<{ year: number; last: number }>('SELECT year, last FROM request_numbers ORDER BY year');
  const pinSends = await db.all<{ activityKey: string; rows: number }>('SELECT activity_key AS "activityKey", COUNT(*) AS rows FROM pin_sends GROUP BY activity_key');
  const unreadableStateDocuments: string[] = [];
  for (const row of await db.all<{ key: string; document: string }>('SELECT key, document FROM bot_state')) {
    try {
      JSON.parse(row.document);
    } catch {
      unreadableStateDocuments.push(row.key);
    }
  }
  return { requests, numberCounters, pinSends, unreadableStateDocuments };
}

export function postgresBackend(context: Mocha.Context): CrashBackend {
  let server: RunningPostgres | undefined;
  let db: SqlDatabase | undefined;
  return {
    name: 'postgres',
    // Identity values and the number counter are taken inside the request's transaction: no gaps either.
    gaplessNumbers: true,
    async prepare(dataDir, organisations) {
      server = await startPostgres(context);
      const url = await server.createDatabase('crash');
      db = await openPostgres(url, 2);
      await saveAll(db, organisations);
      await db.run('CREATE EXTENSION IF NOT EXISTS amcheck');
      return { DATA_DIR: dataDir, DATABASE_URL: url };
    },
    async inspect() {
      // Every B-tree index checked against its heap (amcheck): a torn write would show here.
      const indexes = await db!.all<{ name: string }>(
        `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')`,
      );
      const integrityProblems: string[] = [];
      for (const { name } of indexes) {
        try {
          await db!.get('SELECT bt_index_check(index => ?::regclass, heapallindexed => true) AS checked', [name]);
        } catch (error) {
          integrityProblems.push(`${name}: ${(error as Error).message}`);
        }
      }
      return { integrityProblems, foreignKeyViolations: [], ...(await readBack(db!)) };
    },
    async dispose() {
      await db?.close();
      await server?.stop();
    },
  };
}

export function sqliteBackend(): CrashBackend {
  let file = '';
  return {
    name: 'sqlite',
    gaplessNumbers: true,
    async prepare(dataDir, organisations) {
      file = path.join(dataDir, 'bot.sqlite');
      // The bot's own migrations and organisation store, so the schema is exactly the bot's.
      const db = openDatabase(file);
      try {
        db.raw.pragma('synchronous = OFF');
        await saveAll(db, organisations);
      } finally {
        await db.close();
      }
      return { DATA_DIR: dataDir };
    },
    async inspect() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
        const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string; fkid: number }[];
        return {
          integrityProblems: integrity.length === 1 && integrity[0] === 'ok' ? [] : integrity,
          foreignKeyViolations: fk.map((v) => `${v.table} rowid ${v.rowid} -> ${v.parent}`),
          ...(await readBack(new SqliteSql(db))),
        };
      } finally {
        db.close();
      }
    },
    async dispose() {
      /* the data directory is removed by the test */
    },
  };
}
