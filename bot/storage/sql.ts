// The one database interface every store uses, with a SQLite and a PostgreSQL implementation, so the
// same store code runs on a local file or on a shared server (DATABASE_URL). Statements are written
// once, with `?` placeholders and SQL both engines accept.
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';

export type SqlValue = string | number | boolean | null | Buffer;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface SqlSession {
  /** The first row, or undefined. */
  get<T>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Rows changed. */
  run(sql: string, params?: SqlValue[]): Promise<{ changes: number }>;
}

export interface SqlDatabase extends SqlSession {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * All of `work` or none of it, serialised against every other transaction on the same data, on
   * either engine. `work` may run more than once (PostgreSQL retries a serialisation failure), so it
   * must only talk to the database: no mail, no network, no counters outside it.
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** A text field of a JSON column, as SQL. `column` and `field` are identifiers written in code. */
  jsonText(column: string, field: string): string;
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Finds a statement issued on the database instead of its transaction's session, inside the
 * transaction: on SQLite it would wait for that transaction forever, on PostgreSQL it would run
 * outside it. AsyncLocalStorage puts a hook on every promise in the process (4% of a turn's
 * allocations under load, with the CPU to match), so the check runs where such mistakes are made:
 * in the tests (test/support/setup.ts) and wherever SQL_SESSION_CHECK=1 is set.
 */
function sessionCheck(): AsyncLocalStorage<true> | undefined {
  return process.env.SQL_SESSION_CHECK === '1' ? new AsyncLocalStorage<true>() : undefined;
}

const OUTSIDE_SESSION = 'a statement outside the transaction session, inside the transaction';

/** Runs a transaction's work marked as inside it, when the check is on. */
function markedInside<T>(check: AsyncLocalStorage<true> | undefined, work: () => Promise<T>): Promise<T> {
  return check ? check.run(true, work) : work();
}

/** A unique or primary key refused a row. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;

function checkIdentifiers(...names: string[]): void {
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`not an identifier: ${name}`);
}

/** better-sqlite3 takes no booleans. */
const sqliteParams = (params: SqlValue[]) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/** Whose turn it is on one SQLite file in this process, and the writes waiting for one commit. */
interface Turns {
  pending: number;
  tail: Promise<void>;
  batch?: { owner: SqliteSql; waiters: { resolve: () => void; reject: (error: unknown) => void }[] };
  /** A transaction's savepoint is open: the group commits when it ends. */
  inTransaction: boolean;
  commitDeferred: boolean;
}

/** Shared by every connection to the same file: a second connection's busy wait would block the thread the first needs to finish. */
const turnsByFile = new Map<string, Turns>();

/**
 * better-sqlite3 is synchronous and has one connection, so a transaction whose work awaits would let
 * other statements slip into it. Transactions take turns; while one is open or waiting, every other
 * statement queues behind it. With none, a statement runs at once.
 *
 * Group commit: with synchronous=FULL every commit waits for the disk, so the writes and transactions
 * of one tick (many conversations' turns) share one commit on the next tick; a transaction is a
 * savepoint in it, all or nothing on its own. Every caller's promise resolves only after the commit,
 * so an acknowledged write is durable.
 */
export class SqliteSql implements SqlDatabase {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Database.Statement>();
  private readonly turns: Turns;
  private readonly inside = sessionCheck();

  constructor(readonly raw: Database.Database) {
    const file = raw.memory ? undefined : raw.name;
    this.turns = (file && turnsByFile.get(file)) || { pending: 0, tail: Promise.resolve(), inTransaction: false, commitDeferred: false };
    if (file) turnsByFile.set(file, this.turns);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Outside transactions: reads at once, writes into the current group commit. */
  private readonly grouped: SqlSession = {
    get: async <T>(sql: string, params: SqlValue[] = []) => {
      const s = this.statement(sql);
      if (s.readonly) return s.get(...sqliteParams(params)) as T | undefined;
      return this.write(() => (s.reader ? s.get(...sqliteParams(params)) : (s.run(...sqliteParams(params)), undefined)) as T | undefined);
    },
    all: async <T>(sql: string, params: SqlValue[] = []) => {
      const s = this.statement(sql);
      return s.readonly ? (s.all(...sqliteParams(params)) as T[]) : this.write(() => s.all(...sqliteParams(params)) as T[]);
    },
    run: async (sql: string, params: SqlValue[] = []) => {
      const s = this.statement(sql);
      return this.write(() => ({ changes: s.run(...sqliteParams(params)).changes }));
    },
  };

  private openGroup(): NonNullable<Turns['batch']> {
    const turns = this.turns;
    // Another connection's open group holds the write lock, and its commit needs this thread.
    if (turns.batch && turns.batch.owner !== this) turns.batch.owner.commitGroup();
    if (!turns.batch) {
      this.raw.exec('BEGIN IMMEDIATE');
      turns.batch = { owner: this, waiters: [] };
      setImmediate(() => this.commitGroup());
    }
    return turns.batch;
  }

  /** Resolves once the group the caller wrote into is committed. */
  private committed(batch: NonNullable<Turns['batch']>): Promise<void> {
    return new Promise((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }

  private write<T>(run: () => T): Promise<T> {
    const batch = this.openGroup();
    let value: T;
    try {
      value = run();
    } catch (error) {
      // Most failures undo only their statement; one that ended the transaction failed the whole group.
      if (!this.raw.inTransaction) this.failGroup(error);
      return Promise.reject(error);
    }
    return this.committed(batch).then(() => value);
  }

  private commitGroup(): void {
    const batch = this.turns.batch;
    if (!batch || batch.owner !== this) return;
    if (this.turns.inTransaction) {
      this.turns.commitDeferred = true;
      return;
    }
    try {
      this.raw.exec('COMMIT');
    } catch (error) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
      this.failGroup(error);
      return;
    }
    this.turns.batch = undefined;
    for (const waiter of batch.waiters) waiter.resolve();
  }

  private failGroup(error: unknown): void {
    const batch = this.turns.batch;
    this.turns.batch = undefined;
    for (const waiter of batch?.waiters ?? []) waiter.reject(error);
  }

  private readonly direct: SqlSession = {
    get: async <T>(sql: string, params: SqlValue[] = []) => {
      const s = this.statement(sql);
      return (s.reader ? s.get(...sqliteParams(params)) : (s.run(...sqliteParams(params)), undefined)) as T | undefined;
    },
    all: async <T>(sql: string, params: SqlValue[] = []) => this.statement(sql).all(...sqliteParams(params)) as T[],
    run: async (sql: string, params: SqlValue[] = []) => ({ changes: this.statement(sql).run(...sqliteParams(params)).changes }),
  };

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    // Waiting for our own transaction would never end: inside one, use its session.
    if (this.inside?.getStore()) throw new Error(OUTSIDE_SESSION);
    const turns = this.turns;
    turns.pending += 1;
    const previous = turns.tail;
    let release!: () => void;
    turns.tail = new Promise((resolve) => (release = resolve));
    try {
      await previous;
      return await work();
    } finally {
      turns.pending -= 1;
      release();
    }
  }

  get<T>(sql: string, params?: SqlValue[]): Promise<T | undefined> {
    return this.turns.pending ? this.exclusive(() => this.grouped.get<T>(sql, params)) : this.grouped.get<T>(sql, params);
  }

  all<T>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.turns.pending ? this.exclusive(() => this.grouped.all<T>(sql, params)) : this.grouped.all<T>(sql, params);
  }

  run(sql: string, params?: SqlValue[]): Promise<{ changes: number }> {
    return this.turns.pending ? this.exclusive(() => this.grouped.run(sql, params)) : this.grouped.run(sql, params);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    const { result, committed } = await this.exclusive(() =>
      markedInside(this.inside, async () => {
        const batch = this.openGroup();
        this.raw.exec('SAVEPOINT work');
        this.turns.inTransaction = true;
        try {
          const result = await work(this.direct);
          this.raw.exec('RELEASE work');
          return { result, committed: this.committed(batch) };
        } catch (error) {
          if (this.raw.inTransaction) {
            this.raw.exec('ROLLBACK TO work');
            this.raw.exec('RELEASE work');
          } else {
            this.failGroup(error);
          }
          throw error;
        } finally {
          this.turns.inTransaction = false;
          if (this.turns.commitDeferred) {
            this.turns.commitDeferred = false;
            this.commitGroup();
          }
        }
      }),
    );
    // Outside the turn-taking: the next transaction may join the same commit.
    await committed;
    return result;
  }

  jsonText(column: string, field: string): string {
    checkIdentifiers(column, field);
    return `json_extract(${column}, '$.${field}')`;
  }

  async isReachable(): Promise<boolean> {
    try {
      return (this.raw.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.commitGroup();
    if (this.raw.open) this.raw.close();
  }
}

/** `?` to `$1, $2, …`; our statements keep question marks out of their string literals. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock
const MAX_TRIES = 20;

export class PostgresSql implements SqlDatabase {
  readonly dialect = 'postgres';
  private readonly texts = new Map<string, string>();
  private readonly inside = sessionCheck();

  constructor(readonly pool: Pool) {
    this.direct = this.session(pool);
  }

  private text(sql: string): string {
    let text = this.texts.get(sql);
    if (text === undefined) {
      text = numbered(sql);
      if (this.texts.size > 500) this.texts.clear();
      this.texts.set(sql, text);
    }
    return text;
  }

  private session(runner: Pool | PoolClient): SqlSession {
    return {
      get: async <T>(sql: string, params: SqlValue[] = []) => (await runner.query(this.text(sql), params)).rows[0] as T | undefined,
      all: async <T>(sql: string, params: SqlValue[] = []) => (await runner.query(this.text(sql), params)).rows as T[],
      run: async (sql: string, params: SqlValue[] = []) => ({ changes: (await runner.query(this.text(sql), params)).rowCount ?? 0 }),
    };
  }

  private readonly direct: SqlSession;

  private outside(): void {
    // Inside a transaction a statement on the pool would run on another connection, outside it.
    if (this.inside?.getStore()) throw new Error(OUTSIDE_SESSION);
  }

  get<T>(sql: string, params?: SqlValue[]): Promise<T | undefined> {
    this.outside();
    return this.direct.get<T>(sql, params);
  }

  all<T>(sql: string, params?: SqlValue[]): Promise<T[]> {
    this.outside();
    return this.direct.all<T>(sql, params);
  }

  run(sql: string, params?: SqlValue[]): Promise<{ changes: number }> {
    this.outside();
    return this.direct.run(sql, params);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        // SERIALIZABLE: the same all-or-one-at-a-time outcome as SQLite's single writer, across instances.
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        try {
          const result = await markedInside(this.inside, () => work(this.session(client)));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          const code = (error as { code?: string }).code;
          if (!code || !RETRYABLE.has(code) || attempt >= MAX_TRIES) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        }
      }
    } finally {
      client.release();
    }
  }

  jsonText(column: string, field: string): string {
    checkIdentifiers(column, field);
    return `(${column}::jsonb ->> '${field}')`;
  }

  async isReachable(): Promise<boolean> {
    try {
      return (await this.pool.query('SELECT 1 AS ok')).rows[0]?.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
