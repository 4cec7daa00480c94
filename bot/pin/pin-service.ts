// One-time PIN verification: a 6-digit code sent to a contact registered in the organisation's
// profile proves who is asking. Only a salted scrypt hash is stored, bound to the conversation, user,
// organisation and purpose it was issued for; counters live in the database and change atomically.
// The code itself is never logged, stored in clear, or returned to a caller.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Logger } from '../logger';
import type { SqlDatabase, SqlSession } from '../storage/sql';
import type { Organisation, OrganisationStore } from '../orgs/organisations';
import { maskEmail, maskPhone } from './mask';
import type { PinDelivery } from './delivery';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;
// 16 MB of memory per hash: slow enough to make guessing a stolen table expensive, quick for one check.
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const CODE = /^[0-9]{6}$/;

export interface PinSettings {
  /** Minutes a code stays valid. */
  ttlMinutes: number;
  /** Wrong tries after which a code is dead. */
  maxAttempts: number;
  /** Sends allowed per user and organisation within `sendWindowMinutes`. */
  maxSends: number;
  sendWindowMinutes: number;
  /** Minutes a verified conversation stays verified for that organisation. */
  verifiedForMinutes: number;
}

export const DEFAULT_PIN_SETTINGS: PinSettings = { ttlMinutes: 10, maxAttempts: 5, maxSends: 3, sendWindowMinutes: 15, verifiedForMinutes: 60 };

/** Who asks, where, for what: a code only works in the place it was issued for. */
export interface PinScope {
  channelId: string;
  conversationId: string;
  userId: string;
  purpose: 'act-for-organisation' | 'agent-check';
}

export interface PinRequest {
  scope: PinScope;
  /** What the user typed to name the organisation: a domain, an email at one, or a tenant id. */
  organisation: string;
  /** Where to send: the registered email (default) or phone. */
  via?: 'email' | 'phone';
  /** Channel, conversation and activity id: a redelivered activity must not send a second code. */
  activityKey: string;
  locale: 'en' | 'ko';
}

export interface PinRequestResult {
  /** 'sent' also for unknown organisations and redelivered activities: the reply must not differ. */
  outcome: 'sent' | 'rate-limited';
  /** Masked destination (j•••@contoso.com, +1 ••• ••• 4567), shaped the same for unknown organisations. */
  destination: string;
}

export type PinCheck = { ok: true; organisationId: string } | { ok: false; reason: 'wrong' | 'expired' | 'locked' | 'none' };

/** What the service counts (bot/metrics.ts): outcomes only, never who, where or the code. */
export interface PinMetrics {
  pinSent(outcome: PinRequestResult['outcome']): void;
  pinChecked(result: 'ok' | Extract<PinCheck, { ok: false }>['reason']): void;
}

function key(...parts: string[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export class PinService {
  /** Marks the sends this process is delivering (see pin_sends.claimed_by). */
  private readonly instanceId = crypto.randomUUID();

  constructor(
    private readonly db: SqlDatabase,
    private readonly organisations: OrganisationStore,
    private readonly delivery: PinDelivery,
    private readonly logger: Logger,
    private readonly settings: PinSettings = DEFAULT_PIN_SETTINGS,
    private readonly clock: () => Date = () => new Date(),
    /** Seam for tests only: the code generator. */
    private readonly newCode: () => string = () => crypto.randomInt(0, 1_000_000).toString().padStart(6, '0'),
    private readonly metrics?: PinMetrics,
  ) {}

  private orgKey(named: string, org: Organisation | undefined): string {
    return org ? `org:${org.id}` : `unknown:${named.trim().toLowerCase().slice(0, 254)}`;
  }

  private codeScope(scope: PinScope, orgKey: string): string {
    return key('code', scope.channelId, scope.conversationId, scope.userId, orgKey, scope.purpose);
  }

  private verificationScope(scope: Pick<PinScope, 'channelId' | 'conversationId' | 'userId'>, organisationId: string): string {
    return key('verified', scope.channelId, scope.conversationId, scope.userId, organisationId);
  }

  async request(request: PinRequest): Promise<PinRequestResult> {
    const org = await this.organisations.find(request.organisation);
    const orgKey = this.orgKey(request.organisation, org);
    const destination = this.destinationFor(org, request);
    const now = this.clock();
    const code = this.newCode();
    const salt = crypto.randomBytes(16);
    // Hashed for unknown organisations too, so both take the same time.
    const hash = await scrypt(code, salt, 32, SCRYPT);

    const limitKey = key('sends', request.scope.channelId, request.scope.userId, orgKey);
    const windowStart = new Date(now.getTime() - this.settings.sendWindowMinutes * 60_000).toISOString();
    const deliverable = Boolean(org && destination.real);
    const sendId = key('send', request.activityKey).slice(0, 24);
    // Recorded by another process (one that died while sending, or another instance sending now): if
    // its message did go out, that send stands.
    const unfinished = await this.db.get<{ delivered_at: string | null; claimed_by: string | null }>('SELECT delivered_at, claimed_by FROM pin_sends WHERE activity_key = ?', [request.activityKey]);
    const wentOut = unfinished && !unfinished.delivered_at && unfinished.claimed_by !== this.instanceId ? await this.delivery.delivered?.(sendId) : undefined;
    if (wentOut === true) {
      await this.db.run('UPDATE pin_sends SET delivered_at = ? WHERE activity_key = ? AND delivered_at IS NULL', [now.toISOString(), request.activityKey]);
      return { outcome: 'sent', destination: destination.masked };
    }
    const decision = await this.db.transaction(async (tx): Promise<'send' | 'duplicate' | 'rate-limited'> => {
      const seen = await tx.get<{ delivered_at: string | null; claimed_by: string | null }>('SELECT delivered_at, claimed_by FROM pin_sends WHERE activity_key = ?', [request.activityKey]);
      // Delivered, or being delivered by this process right now: nothing more to send.
      if (seen && (seen.delivered_at || seen.claimed_by === this.instanceId)) return 'duplicate';
      if (seen) {
        // Another process's send. Only when its message is known not to have gone out (the outbox
        // has no file for it) is it sent now, with a new code. Over SMTP nobody can tell, and another
        // instance may be handing it over right now: one code per activity comes first, and the user
        // can ask for another.
        if (wentOut !== false) return 'duplicate';
        await tx.run('UPDATE pin_sends SET claimed_by = ? WHERE activity_key = ?', [this.instanceId, request.activityKey]);
      } else {
        const { n } = (await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM pin_sends WHERE limit_key = ? AND sent_at > ?', [limitKey, windowStart]))!;
        if (n >= this.settings.maxSends) return 'rate-limited';
        await tx.run('INSERT INTO pin_sends (limit_key, activity_key, sent_at, claimed_by, delivered_at) VALUES (?, ?, ?, ?, ?)', [
          limitKey,
          request.activityKey,
          now.toISOString(),
          this.instanceId,
          deliverable ? null : now.toISOString(),
        ]);
      }
      if (deliverable) {
        // A resend replaces the old code: one live code per scope.
        await tx.run(
          `INSERT INTO pin_codes (scope, salt, hash, created_at, expires_at, attempts, used_at) VALUES (?, ?, ?, ?, ?, 0, NULL)
           ON CONFLICT (scope) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, created_at = excluded.created_at,
             expires_at = excluded.expires_at, attempts = 0, used_at = NULL`,
          [this.codeScope(request.scope, orgKey), salt, hash, now.toISOString(), new Date(now.getTime() + this.settings.ttlMinutes * 60_000).toISOString()],
        );
      }
      return 'send';
    });
    if (decision !== 'duplicate') this.metrics?.pinSent(decision === 'rate-limited' ? 'rate-limited' : 'sent');
    if (decision === 'rate-limited') {
      this.logger.info({ event: 'pin.rate_limited' }, 'PIN send refused: too many sends');
      return { outcome: 'rate-limited', destination: destination.masked };
    }
    if (decision === 'send' && org && destination.real) {
      await this.delivery.send({ kind: destination.kind, to: destination.real, code, locale: request.locale, ttlMinutes: this.settings.ttlMinutes, organisationName: org.name, sendId });
      await this.db.run('UPDATE pin_sends SET delivered_at = ? WHERE activity_key = ?', [this.clock().toISOString(), request.activityKey]);
      this.logger.info({ event: 'pin.sent', organisation: org.id, to: destination.masked }, 'PIN code sent');
    }
    return { outcome: 'sent', destination: destination.masked };
  }

  /** Checks a code typed in the same conversation, by the same user, for the same organisation and purpose. */
  async verify(scope: PinScope, organisation: string, typed: string, activityKey?: string): Promise<PinCheck> {
    const result = await this.check(scope, organisation, typed, activityKey);
    this.metrics?.pinChecked(result.ok ? 'ok' : result.reason);
    return result;
  }

  private async check(scope: PinScope, organisation: string, typed: string, activityKey?: string): Promise<PinCheck> {
    const org = await this.organisations.find(organisation);
    const codeScope = this.codeScope(scope, this.orgKey(organisation, org));
    const now = this.clock();
    // Count the try first, atomically: parallel guesses each take one of the allowed tries.
    const counted = await this.db.get<{ attempts: number; expires_at: string; used_at: string | null; used_by: string | null; salt: Buffer; hash: Buffer }>(
      'UPDATE pin_codes SET attempts = attempts + 1 WHERE scope = ? RETURNING attempts, expires_at, used_at, used_by, salt, hash',
      [codeScope],
    );
    if (!counted || !org) return { ok: false, reason: 'none' };
    if (counted.used_at) {
      // The activity that used the code, delivered again after its turn died before the dialog state
      // was saved: the same answer again. Any other use of a used code fails.
      return activityKey && counted.used_by === activityKey ? { ok: true, organisationId: org.id } : { ok: false, reason: 'none' };
    }
    if (counted.attempts > this.settings.maxAttempts) return { ok: false, reason: 'locked' };
    if (now.toISOString() >= counted.expires_at) return { ok: false, reason: 'expired' };
    const candidate = CODE.test(typed) ? typed : 'x';
    const hash = await scrypt(candidate, counted.salt, 32, SCRYPT);
    if (!crypto.timingSafeEqual(hash, counted.hash)) return { ok: false, reason: 'wrong' };
    // Only one of several simultaneous right answers may use the code; using it and recording the
    // verification commit together, so a crash cannot leave a used code that verified nothing.
    const used = await this.db.transaction(async (tx): Promise<boolean> => {
      const changed = await tx.run('UPDATE pin_codes SET used_at = ?, used_by = ? WHERE scope = ? AND used_at IS NULL AND hash = ?', [
        now.toISOString(),
        activityKey ?? null,
        codeScope,
        counted.hash,
      ]);
      if (changed.changes !== 1) return false;
      await this.recordVerifiedIn(tx, scope, org.id);
      return true;
    });
    if (!used) return { ok: false, reason: 'none' };
    this.logger.info({ event: 'pin.verified', organisation: org.id }, 'PIN verified');
    return { ok: true, organisationId: org.id };
  }

  /** Marks the conversation verified: after a PIN, or when Teams has authenticated one of the admins. */
  recordVerified(scope: Pick<PinScope, 'channelId' | 'conversationId' | 'userId'>, organisationId: string): Promise<void> {
    return this.recordVerifiedIn(this.db, scope, organisationId);
  }

  private async recordVerifiedIn(session: SqlSession, scope: Pick<PinScope, 'channelId' | 'conversationId' | 'userId'>, organisationId: string): Promise<void> {
    const now = this.clock();
    const expires = new Date(now.getTime() + this.settings.verifiedForMinutes * 60_000).toISOString();
    await session.run(
      `INSERT INTO verifications (scope, conversation_key, organisation_id, verified_at, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET verified_at = excluded.verified_at, expires_at = excluded.expires_at`,
      [this.verificationScope(scope, organisationId), this.conversationKey(scope), organisationId, now.toISOString(), expires],
    );
  }

  private conversationKey(scope: Pick<PinScope, 'channelId' | 'conversationId' | 'userId'>): string {
    return key('conversation', scope.channelId, scope.conversationId, scope.userId);
  }

  /** The organisation this user most recently verified for in this conversation, while it lasts. */
  async verifiedOrganisation(scope: Pick<PinScope, 'channelId' | 'conversationId' | 'userId'>): Promise<string | undefined> {
    const row = await this.db.get<{ id: string }>(
      'SELECT organisation_id AS id FROM verifications WHERE conversation_key = ? AND expires_at > ? ORDER BY verified_at DESC LIMIT 1',
      [this.conversationKey(scope), this.clock().toISOString()],
    );
    return row?.id;
  }

  /** Whether this user in this conversation proved, recently enough, that they act for the organisation. */
  async isVerified(scope: Pick<PinScope, 'channelId' | 'conversationId' | 'userId'>, organisationId: string): Promise<boolean> {
    const row = await this.db.get<{ expires_at: string }>('SELECT expires_at FROM verifications WHERE scope = ?', [this.verificationScope(scope, organisationId)]);
    return Boolean(row && row.expires_at > this.clock().toISOString());
  }

  private destinationFor(org: Organisation | undefined, request: PinRequest): { kind: 'email' | 'sms'; real?: string; masked: string } {
    const wantsPhone = request.via === 'phone';
    if (org) {
      const phone = org.contacts.phones[0];
      const email = org.contacts.emails[0];
      if (wantsPhone && phone) return { kind: 'sms', real: phone, masked: maskPhone(phone) };
      if (email) return { kind: 'email', real: email, masked: maskEmail(email) };
      if (phone) return { kind: 'sms', real: phone, masked: maskPhone(phone) };
    }
    // Nothing to send to: an invented address shaped like a real one, stable for the name typed.
    const seed = key('decoy', request.organisation.trim().toLowerCase());
    if (wantsPhone) return { kind: 'sms', masked: maskPhone(`+1425555${parseInt(seed.slice(0, 6), 16) % 10_000}`.padEnd(12, '0')) };
    const domain = request.organisation.trim().toLowerCase().split('@').pop() ?? '';
    const looksLikeDomain = /^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain);
    return { kind: 'email', masked: maskEmail(`${'abcdefghijklmnopqrstuvwxyz'[parseInt(seed.slice(0, 2), 16) % 26]}x@${looksLikeDomain ? domain : 'example.com'}`) };
  }
}
