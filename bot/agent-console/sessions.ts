// Agent console sign-in state: login sessions and one-time invite links. The browser holds a random
// 32-byte token; the database keeps only its SHA-256, so a copy of the database signs nobody in.
// Each session has its own CSRF token. Failed password logins are rate limited per agent name, in
// the database, so the limit holds across instances and restarts.
import crypto from 'node:crypto';
import type { SqlDatabase } from '../storage/sql';

export const SESSION_HOURS = 12;
export const INVITE_MINUTES = 60 * 24;
/** Failed logins allowed per agent name within the window before logins for that name are refused. */
export const LOGIN_FAILURES = 10;
export const LOGIN_WINDOW_MINUTES = 15;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const newToken = () => crypto.randomBytes(32).toString('base64url');
const hashOf = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

export interface AgentSession {
  agentName: string;
  csrf: string;
}

const nameKey = (name: string) => name.trim().toLowerCase();

export class AgentSessions {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A new session for the agent; the token goes in the cookie and is never stored. */
  async create(agentName: string): Promise<{ token: string; csrf: string; expiresAt: string }> {
    const now = this.clock();
    const token = newToken();
    const csrf = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
    await this.db.run('DELETE FROM agent_sessions WHERE expires_at <= ?', [now.toISOString()]);
    await this.db.run('INSERT INTO agent_sessions (token_hash, agent_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [hashOf(token), agentName, csrf, now.toISOString(), expiresAt]);
    return { token, csrf, expiresAt };
  }

  /** The live session for a cookie token; undefined when unknown, malformed or expired. */
  async find(token: string | undefined): Promise<AgentSession | undefined> {
    if (!token || !TOKEN.test(token)) return undefined;
    const row = await this.db.get<{ agent_name: string; csrf: string }>('SELECT agent_name, csrf FROM agent_sessions WHERE token_hash = ? AND expires_at > ?', [
      hashOf(token),
      this.clock().toISOString(),
    ]);
    return row ? { agentName: row.agent_name, csrf: row.csrf } : undefined;
  }

  async destroy(token: string | undefined): Promise<boolean> {
    if (!token || !TOKEN.test(token)) return false;
    return (await this.db.run('DELETE FROM agent_sessions WHERE token_hash = ?', [hashOf(token)])).changes === 1;
  }

  /** A one-time invite token for the agent (stored hashed), valid for ttlMinutes. */
  async invite(agentName: string, ttlMinutes = INVITE_MINUTES): Promise<string> {
    if (!Number.isFinite(ttlMinutes) || ttlMinutes <= 0) throw new RangeError('an invite lives a positive number of minutes');
    const now = this.clock();
    const token = newToken();
    await this.db.run('DELETE FROM agent_invites WHERE expires_at <= ?', [now.toISOString()]);
    await this.db.run('INSERT INTO agent_invites (token_hash, agent_name, created_at, expires_at) VALUES (?, ?, ?, ?)', [
      hashOf(token),
      agentName,
      now.toISOString(),
      new Date(now.getTime() + ttlMinutes * 60_000).toISOString(),
    ]);
    return token;
  }

  /** The agent's name the first time a live invite is redeemed; undefined afterwards or once expired. */
  async redeem(token: string | undefined): Promise<string | undefined> {
    if (!token || !TOKEN.test(token)) return undefined;
    const now = this.clock().toISOString();
    // One statement: of two concurrent redeems only one finds used_at still NULL.
    const row = await this.db.get<{ agent_name: string }>('UPDATE agent_invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING agent_name', [
      now,
      hashOf(token),
      now,
    ]);
    return row?.agent_name;
  }

  /** False while the name has had too many failed logins in the window. */
  async loginAllowed(name: string): Promise<boolean> {
    return (await this.recentFailures(this.db, name)) < LOGIN_FAILURES;
  }

  /**
   * Call before checking a password: false when the name is limited; otherwise the attempt counts as
   * a failure until loginSucceeded clears it, so parallel guesses cannot all slip past the limit (on
   * any instance: the count and the insert are one transaction).
   */
  async loginAttempt(name: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM agent_login_attempts WHERE at <= ?', [this.windowStart()]);
      if ((await this.recentFailures(tx, name)) >= LOGIN_FAILURES) return false;
      await this.recordFailure(tx, name);
      return true;
    });
  }

  async loginFailed(name: string): Promise<void> {
    await this.recordFailure(this.db, name);
  }

  /** A right password forgets the name's failures. */
  async loginSucceeded(name: string): Promise<void> {
    await this.db.run('DELETE FROM agent_login_attempts WHERE name_key = ?', [nameKey(name)]);
  }

  private async recordFailure(session: Pick<SqlDatabase, 'run'>, name: string): Promise<void> {
    await session.run('INSERT INTO agent_login_attempts (name_key, at) VALUES (?, ?)', [nameKey(name), this.clock().toISOString()]);
  }

  private windowStart(): string {
    return new Date(this.clock().getTime() - LOGIN_WINDOW_MINUTES * 60_000).toISOString();
  }

  private async recentFailures(session: Pick<SqlDatabase, 'get'>, name: string): Promise<number> {
    const row = await session.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM agent_login_attempts WHERE name_key = ? AND at > ?', [nameKey(name), this.windowStart()]);
    return Number(row?.n ?? 0);
  }
}
