// The storage backend under crash test, as a parameter: how to prepare it, what environment the bot
// needs to use it, and how to read back what the invariants are checked against. SQLite now. Once
// the stores move behind DATABASE_URL, a PostgreSQL backend implements the same interface: prepare
// starts a server with test/support/postgres.ts and returns { DATABASE_URL }, inspect runs the same
// queries (integrity via amcheck's bt_index_check, foreign keys are enforced by pg itself), and it
// is added to BACKENDS in sigkill.test.ts; the invariants and the driver stay as they are.
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../bot/storage/database';
import { OrganisationInput, OrganisationStore } from '../../bot/orgs/organisations';

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
        db.pragma('synchronous = OFF');
        const store = new OrganisationStore(db);
        db.transaction(() => organisations.forEach((o) => store.save(o)))();
      } finally {
        db.close();
      }
      return { DATA_DIR: dataDir };
    },
    async inspect() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
        const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string; fkid: number }[];
        const requests = (
          db
            .prepare(
              `SELECT r.number AS number, r.idempotency_key AS idempotencyKey, r.organisation_id AS organisationId,
                      (SELECT COUNT(*) FROM request_history h WHERE h.request_id = r.id) AS historyRows
                 FROM requests r ORDER BY r.id`,
            )
            .all() as RequestRow[]
        );
        const numberCounters = db.prepare('SELECT year, last FROM request_numbers ORDER BY year').all() as { year: number; last: number }[];
        const pinSends = db.prepare('SELECT activity_key AS activityKey, COUNT(*) AS rows FROM pin_sends GROUP BY activity_key').all() as { activityKey: string; rows: number }[];
        const unreadableStateDocuments: string[] = [];
        for (const row of db.prepare('SELECT key, document FROM bot_state').iterate() as Iterable<{ key: string; document: string }>) {
          try {
            JSON.parse(row.document);
          } catch {
            unreadableStateDocuments.push(row.key);
          }
        }
        return {
          integrityProblems: integrity.length === 1 && integrity[0] === 'ok' ? [] : integrity,
          foreignKeyViolations: fk.map((v) => `${v.table} rowid ${v.rowid} -> ${v.parent}`),
          requests,
          numberCounters,
          pinSends,
          unreadableStateDocuments,
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
