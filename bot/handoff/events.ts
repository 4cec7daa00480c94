// Console events (queue changes, messages, typing, PIN outcomes) reach agents whichever instance
// raised them: in one process through an EventEmitter, across instances through PostgreSQL
// LISTEN/NOTIFY. Events can be bigger than NOTIFY's 8000-byte payload, so the payload goes in a
// table and the notification carries its id.
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Client, Pool } from 'pg';
import type { Logger } from '../logger';
import type { ConsoleEvent } from './types';

const CHANNEL = 'handoff_events';
/** Events older than this are deleted now and then; a listener fetches within milliseconds. */
const KEEP_SECONDS = 300;

export interface HandoffEvents {
  publish(topic: string, event: ConsoleEvent): void;
  /** `everywhere`: also events raised by other instances (consoles); `here`: only this one's (Teams posts, made once). */
  subscribe(topic: string, listener: (event: ConsoleEvent) => void, scope?: 'everywhere' | 'here'): () => void;
  close(): Promise<void>;
}

export class LocalHandoffEvents implements HandoffEvents {
  private readonly here = new EventEmitter();
  private readonly everywhere = new EventEmitter();

  constructor() {
    this.here.setMaxListeners(0);
    this.everywhere.setMaxListeners(0);
  }

  publish(topic: string, event: ConsoleEvent): void {
    this.here.emit(topic, event);
    this.everywhere.emit(topic, event);
  }

  /** An event another instance raised. */
  protected deliverRemote(topic: string, event: ConsoleEvent): void {
    this.everywhere.emit(topic, event);
  }

  subscribe(topic: string, listener: (event: ConsoleEvent) => void, scope: 'everywhere' | 'here' = 'everywhere'): () => void {
    const emitter = scope === 'here' ? this.here : this.everywhere;
    emitter.on(topic, listener);
    return () => void emitter.off(topic, listener);
  }

  async close(): Promise<void> {
    this.here.removeAllListeners();
    this.everywhere.removeAllListeners();
  }
}

export class PostgresHandoffEvents extends LocalHandoffEvents {
  private readonly origin = crypto.randomUUID();
  private listener?: Client;
  private closed = false;
  private published = 0;

  private constructor(
    private readonly pool: Pool,
    private readonly url: string,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Listening before it returns, so nothing published after start is missed. */
  static async start(pool: Pool, url: string, logger: Logger): Promise<PostgresHandoffEvents> {
    const events = new PostgresHandoffEvents(pool, url, logger);
    await events.listen();
    return events;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (message) => void this.received(message.payload ?? ''));
    client.on('error', (err) => {
      this.logger.warn({ err }, 'handoff event listener lost its connection; reconnecting');
      void client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.listen().catch((e: unknown) => this.logger.error({ err: e }, 'handoff event listener could not reconnect')), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  override publish(topic: string, event: ConsoleEvent): void {
    super.publish(topic, event);
    const payload = JSON.stringify({ topic, event });
    void this.pool
      .query(
        `WITH e AS (INSERT INTO handoff_events (payload, created_at) VALUES ($1, now()) RETURNING id)
         SELECT pg_notify('${CHANNEL}', e.id::text || ':' || $2) FROM e`,
        [payload, this.origin],
      )
      .then(() => {
        if (++this.published % 200 === 0) return this.pool.query(`DELETE FROM handoff_events WHERE created_at < now() - interval '${KEEP_SECONDS} seconds'`);
      })
      .catch((err: unknown) => this.logger.warn({ err, topic }, 'could not publish a handoff event to other instances'));
  }

  private async received(notification: string): Promise<void> {
    const [id, origin] = notification.split(':');
    if (origin === this.origin || !/^\d+$/.test(id ?? '')) return;
    try {
      const { rows } = await this.pool.query<{ payload: string }>('SELECT payload FROM handoff_events WHERE id = $1', [id]);
      if (!rows[0]) return;
      const { topic, event } = JSON.parse(rows[0].payload) as { topic: string; event: ConsoleEvent };
      this.deliverRemote(topic, event);
    } catch (err) {
      this.logger.warn({ err }, 'could not read a handoff event from another instance');
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
    await super.close();
    await this.listener?.end().catch(() => undefined);
  }
}
