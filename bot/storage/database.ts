// Opens the SQLite file and brings its schema up to date. Every table the bot owns is created here.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Migration, SqlDatabase, SqliteSql } from './sql';
import { openPostgres } from './postgres';

export type SqliteDatabase = Database.Database;

// Append only: a migration that has shipped is never edited.
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'bot state',
    sql: `
      CREATE TABLE bot_state (
        key        TEXT PRIMARY KEY,
        etag       TEXT NOT NULL,
        document   TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );`,
  },
  {
    version: 2,
    name: 'search log',
    // No user or conversation ids: the log is for improving articles, not for tracing people.
    sql: `
      CREATE TABLE search_log (
        id           TEXT PRIMARY KEY,
        created_at   TEXT NOT NULL,
        query        TEXT NOT NULL,
        language     TEXT NOT NULL,
        cloud        TEXT,
        result_count INTEGER NOT NULL,
        results      TEXT NOT NULL,
        helpful      INTEGER,
        feedback_at  TEXT
      );
      CREATE INDEX search_log_created ON search_log (created_at);`,
  },
  {
    version: 3,
    name: 'organisations and PIN verification',
    sql: `
      CREATE TABLE organisations (
        id               TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        cloud            TEXT NOT NULL,
        country          TEXT NOT NULL,
        profile          TEXT NOT NULL,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );
      -- Tenant ids and verified domains: each names exactly one organisation.
      CREATE TABLE organisation_identifiers (
        kind             TEXT NOT NULL CHECK (kind IN ('tenant', 'domain')),
        value            TEXT NOT NULL,
        organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        PRIMARY KEY (kind, value)
      );
      -- One live code per (conversation, user, organisation, purpose); only a salted hash is kept.
      CREATE TABLE pin_codes (
        scope            TEXT PRIMARY KEY,
        salt             BLOB NOT NULL,
        hash             BLOB NOT NULL,
        created_at       TEXT NOT NULL,
        expires_at       TEXT NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        used_at          TEXT
      );
      -- Every send, for the rate limit; a redelivered activity finds its send and sends nothing.
      CREATE TABLE pin_sends (
        limit_key        TEXT NOT NULL,
        activity_key     TEXT NOT NULL UNIQUE,
        sent_at          TEXT NOT NULL
      );
      CREATE INDEX pin_sends_limit ON pin_sends (limit_key, sent_at);
      CREATE TABLE verifications (
        scope            TEXT PRIMARY KEY,
        -- Hash of channel, conversation and user: which organisations this person proved they act for here.
        conversation_key TEXT NOT NULL,
        organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        verified_at      TEXT NOT NULL,
        expires_at       TEXT NOT NULL
      );
      CREATE INDEX verifications_conversation ON verifications (conversation_key, expires_at);`,
  },
  {
    version: 4,
    name: 'service requests',
    sql: `
      CREATE TABLE requests (
        id                     INTEGER PRIMARY KEY AUTOINCREMENT,
        number                 TEXT NOT NULL UNIQUE,
        -- Channel, conversation and activity id: a redelivered activity finds its request.
        idempotency_key        TEXT NOT NULL UNIQUE,
        organisation_id        TEXT NOT NULL REFERENCES organisations (id),
        requester              TEXT NOT NULL,
        category               TEXT NOT NULL CHECK (category IN ('technical', 'billing', 'subscription', 'presales')),
        severity               TEXT NOT NULL CHECK (severity IN ('A', 'B', 'C')),
        description            TEXT NOT NULL,
        phone                  TEXT NOT NULL,
        email                  TEXT NOT NULL,
        method                 TEXT NOT NULL CHECK (method IN ('phone', 'email', 'teams')),
        language               TEXT NOT NULL,
        queue                  TEXT NOT NULL,
        status                 TEXT NOT NULL CHECK (status IN ('new', 'queued', 'in_progress', 'resolved', 'cancelled')),
        created_at             TEXT NOT NULL,
        updated_at             TEXT NOT NULL,
        first_response_due     TEXT NOT NULL,
        conversation_reference TEXT NOT NULL
      );
      CREATE INDEX requests_organisation ON requests (organisation_id, id);
      CREATE INDEX requests_queue ON requests (queue, status, created_at);
      CREATE TABLE request_history (
        request_id             INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
        at                     TEXT NOT NULL,
        actor                  TEXT NOT NULL,
        change                 TEXT NOT NULL
      );
      CREATE INDEX request_history_request ON request_history (request_id);
      CREATE TABLE request_numbers (
        year                   INTEGER PRIMARY KEY,
        last                   INTEGER NOT NULL
      );`,
  },
  {
    version: 5,
    name: 'embedded Direct Line',
    sql: `
      CREATE TABLE directline_conversations (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL,
        created_at  TEXT NOT NULL
      );
      -- Every activity in a conversation, both directions; the watermark is the sequence number.
      CREATE TABLE directline_activities (
        conversation_id TEXT NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL,
        activity        TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );`,
  },
  {
    version: 6,
    name: 'support agents',
    sql: `
      CREATE TABLE agents (
        name            TEXT PRIMARY KEY,
        languages       TEXT NOT NULL,
        queues          TEXT NOT NULL,
        aad_object_id   TEXT UNIQUE,
        -- scrypt: "scrypt$N$r$p$salt$hash" (base64url); NULL when the agent signs in only through Teams.
        password_hash   TEXT,
        presence        TEXT NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );`,
  },
  {
    version: 7,
    name: 'human handoff',
    sql: `
      -- The last messages of each conversation, so a handoff starts with what was said (PIN-like text redacted).
      CREATE TABLE conversation_log (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_key TEXT NOT NULL,
        at               TEXT NOT NULL,
        role             TEXT NOT NULL CHECK (role IN ('user', 'bot', 'agent', 'system')),
        name             TEXT,
        text             TEXT NOT NULL,
        attachments      TEXT
      );
      CREATE INDEX conversation_log_key ON conversation_log (conversation_key, id);
      CREATE INDEX conversation_log_at ON conversation_log (at);

      CREATE TABLE handoffs (
        id                     TEXT PRIMARY KEY,
        seq                    INTEGER NOT NULL UNIQUE,
        conversation_key       TEXT NOT NULL,
        conversation_reference TEXT NOT NULL,
        queue                  TEXT NOT NULL,
        locale                 TEXT NOT NULL,
        trigger                TEXT NOT NULL,
        mode                   TEXT NOT NULL DEFAULT 'internal' CHECK (mode IN ('internal', 'external')),
        status                 TEXT NOT NULL CHECK (status IN ('waiting', 'active', 'ended', 'cancelled')),
        summary                TEXT NOT NULL,
        request_number         TEXT,
        agent_name             TEXT,
        pin_status             TEXT,
        pin_organisation       TEXT,
        queue_card_id          TEXT,
        teams_thread           TEXT,
        created_at             TEXT NOT NULL,
        accepted_at            TEXT,
        ended_at               TEXT,
        ended_by               TEXT
      );
      -- At most one open handoff per conversation, enforced by the database.
      CREATE UNIQUE INDEX handoffs_open_conversation ON handoffs (conversation_key) WHERE status IN ('waiting', 'active');
      CREATE INDEX handoffs_queue ON handoffs (queue, status, seq);
      CREATE INDEX handoffs_agent ON handoffs (agent_name, status);
      CREATE INDEX handoffs_created ON handoffs (created_at);

      CREATE TABLE handoff_transcript (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        handoff_id  TEXT NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('user', 'bot', 'agent', 'system')),
        name        TEXT,
        text        TEXT NOT NULL,
        attachments TEXT
      );
      CREATE INDEX handoff_transcript_handoff ON handoff_transcript (handoff_id, id);

      -- Console sessions and one-time invites: only SHA-256 hashes of the tokens are kept.
      CREATE TABLE agent_sessions (
        token_hash  TEXT PRIMARY KEY,
        agent_name  TEXT NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
        csrf        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      );
      CREATE TABLE agent_invites (
        token_hash  TEXT PRIMARY KEY,
        agent_name  TEXT NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL,
        used_at     TEXT
      );
      -- Where handoff cards for Teams agents go: a channel registered by an agent.
      CREATE TABLE agent_channels (
        id                     TEXT PRIMARY KEY,
        conversation_reference TEXT NOT NULL,
        registered_by          TEXT NOT NULL,
        registered_at          TEXT NOT NULL
      );`,
  },
  {
    version: 8,
    name: 'PIN sends and checks survive redelivery',
    sql: `
      -- A send is recorded before its message goes out and marked delivered after. A redelivered
      -- activity whose send never completed (the process died in between) sends it instead of nothing.
      ALTER TABLE pin_sends ADD COLUMN delivered_at TEXT;
      -- The process (instance id) delivering it; another process's claim means that one died.
      ALTER TABLE pin_sends ADD COLUMN claimed_by TEXT;
      UPDATE pin_sends SET delivered_at = sent_at;
      -- The activity whose code check used the code: the same activity delivered again gets the same answer.
      ALTER TABLE pin_codes ADD COLUMN used_by TEXT;`,
  },
  {
    version: 9,
    name: 'console login attempts',
    sql: `
      -- Password logins to the agent console by agent name (trimmed, lower-cased), counted here rather
      -- than in one process so the limit holds across instances and restarts.
      CREATE TABLE agent_login_attempts (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        name_key  TEXT NOT NULL,
        at        TEXT NOT NULL
      );
      CREATE INDEX agent_login_attempts_name ON agent_login_attempts (name_key, at);
      CREATE INDEX agent_login_attempts_at ON agent_login_attempts (at);`,
  },
  {
    version: 10,
    name: 'agent console streams by instance',
    sql: `
      -- Which instance streams an agent's console, renewed while it does: when an instance dies, its
      -- rows go stale and any other instance puts that agent's chats back in the queue.
      CREATE TABLE agent_console_streams (
        agent_name   TEXT NOT NULL,
        instance_id  TEXT NOT NULL,
        seen_at      TEXT NOT NULL,
        PRIMARY KEY (agent_name, instance_id)
      );`,
  },
];

/** The bot's SQLite file, migrated, behind the interface the stores use (`.raw` for the file itself). */
export function openDatabase(file: string): SqliteSql {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteSql(db);
}

/** PostgreSQL when a URL is given (several instances share it), else the SQLite file in the data directory. */
export async function openConfiguredDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<SqlDatabase> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openDatabase(path.join(options.dataDir, 'bot.sqlite'));
}

export function migrate(db: SqliteDatabase): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const apply = db.transaction((m: Migration) => {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
  });
  let count = 0;
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    // IMMEDIATE: a second process migrating at the same moment waits instead of half-applying.
    apply.immediate(m);
    count += 1;
  }
  return count;
}
