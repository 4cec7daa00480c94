// Support agents: who they are (name, languages, queues), how they sign in (a password kept as a
// scrypt hash, and/or their Teams AAD object id), and whether they are online, away or offline.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { isUniqueViolation, SqlDatabase } from '../storage/sql';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const PRESENCES = ['online', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

export const agentSchema = z.object({
  name: z.string().trim().min(1).max(100).regex(/^[\p{L}\p{N} ._'-]+$/u, 'letters, digits, spaces and . _ \' -'),
  languages: z.array(z.enum(['en', 'ko'])).min(1, 'at least one language (en, ko)'),
  /** cloud:category:language queue names, or "*" for every queue. */
  queues: z.array(z.string().regex(/^(\*|(worldwide|21vianet|germany):(technical|billing|subscription|presales):(en|ko))$/, 'a queue is cloud:category:language, e.g. worldwide:technical:en, or *')).default(['*']),
  aadObjectId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i).transform((v) => v.toLowerCase()).optional(),
  password: z.string().min(12, 'a password needs at least 12 characters').max(200).optional(),
});

export type AgentInput = z.input<typeof agentSchema>;

export interface Agent {
  name: string;
  languages: string[];
  queues: string[];
  aadObjectId?: string;
  hasPassword: boolean;
  presence: Presence;
}

export class AgentError extends Error {}

async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return crypto.timingSafeEqual(actual, expected);
}

interface Row {
  name: string;
  languages: string;
  queues: string;
  aad_object_id: string | null;
  password_hash: string | null;
  presence: Presence;
}

const toAgent = (row: Row): Agent => ({
  name: row.name,
  languages: JSON.parse(row.languages) as string[],
  queues: JSON.parse(row.queues) as string[],
  aadObjectId: row.aad_object_id ?? undefined,
  hasPassword: row.password_hash !== null,
  presence: row.presence,
});

export class AgentStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async add(input: unknown): Promise<Agent> {
    const parsed = agentSchema.safeParse(input);
    if (!parsed.success) throw new AgentError(parsed.error.issues.map((i) => `${i.path.join('.') || 'agent'}: ${i.message}`).join('; '));
    const a = parsed.data;
    if (!a.password && !a.aadObjectId) throw new AgentError('an agent needs a console password, a Teams AAD object id, or both');
    const hash = a.password ? await hashPassword(a.password) : null;
    const now = this.clock().toISOString();
    try {
      await this.db.run('INSERT INTO agents (name, languages, queues, aad_object_id, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        a.name,
        JSON.stringify(a.languages),
        JSON.stringify(a.queues),
        a.aadObjectId ?? null,
        hash,
        now,
        now,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AgentError(`an agent named ${a.name} or with that AAD object id already exists`);
      throw error;
    }
    return (await this.get(a.name))!;
  }

  async get(name: string): Promise<Agent | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM agents WHERE name = ?', [name]);
    return row ? toAgent(row) : undefined;
  }

  async list(): Promise<Agent[]> {
    return (await this.db.all<Row>('SELECT * FROM agents ORDER BY name')).map(toAgent);
  }

  async remove(name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM agents WHERE name = ?', [name])).changes === 1;
  }

  async setPresence(name: string, presence: Presence): Promise<void> {
    if (!PRESENCES.includes(presence)) throw new AgentError(`presence is one of ${PRESENCES.join(', ')}`);
    const changed = (await this.db.run('UPDATE agents SET presence = ?, updated_at = ? WHERE name = ?', [presence, this.clock().toISOString(), name])).changes;
    if (changed !== 1) throw new AgentError(`no agent named ${name}`);
  }

  /** The agent when name and password match; the same slow path runs for unknown names. */
  async checkPassword(name: string, password: string): Promise<Agent | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM agents WHERE name = ?', [name]);
    const stored = row?.password_hash ?? `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;
    const ok = await passwordMatches(password.slice(0, 200), stored);
    return ok && row?.password_hash ? toAgent(row) : undefined;
  }

  /** Records that this instance streams these agents' consoles now. */
  async streaming(instanceId: string, names: string[]): Promise<void> {
    const at = this.clock().toISOString();
    for (const name of names) {
      await this.db.run(
        'INSERT INTO agent_console_streams (agent_name, instance_id, seen_at) VALUES (?, ?, ?) ON CONFLICT (agent_name, instance_id) DO UPDATE SET seen_at = excluded.seen_at',
        [name, instanceId, at],
      );
    }
  }

  /** Forgets this instance's stream of the agent's console. */
  async notStreaming(name: string, instanceId: string): Promise<void> {
    await this.db.run('DELETE FROM agent_console_streams WHERE agent_name = ? AND instance_id = ?', [name, instanceId]);
  }

  /** Whether another instance streamed the agent's console after `since`. */
  async streamingElsewhere(name: string, instanceId: string, since: Date): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 AS yes FROM agent_console_streams WHERE agent_name = ? AND instance_id <> ? AND seen_at > ?', [name, instanceId, since.toISOString()]));
  }

  /**
   * Agents whose every recorded console stream is older than `since` (the instances stopped renewing
   * them: they died), forgotten as they are returned, so of several instances asking one gets each.
   */
  async takeVanished(since: Date): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{ agent_name: string }>('SELECT agent_name FROM agent_console_streams GROUP BY agent_name HAVING MAX(seen_at) <= ?', [since.toISOString()]);
      for (const row of rows) await tx.run('DELETE FROM agent_console_streams WHERE agent_name = ?', [row.agent_name]);
      return rows.map((row) => row.agent_name);
    });
  }

  /** Agents online for a queue: they feed the wait model. */
  async onlineFor(queue: string): Promise<Agent[]> {
    return (await this.list()).filter((a) => a.presence === 'online' && (a.queues.includes('*') || a.queues.includes(queue)));
  }
}
