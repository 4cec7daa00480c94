// Direct Line tokens for the embedded endpoint: HMAC-SHA256-signed, bound to one conversation and
// one user id, valid for 30 minutes and refreshable. The signing secret comes from the environment
// or is generated once into DATA_DIR, so tokens survive a restart.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const TOKEN_SECONDS = 30 * 60;

export interface TokenClaims {
  /** Conversation id. */
  conv: string;
  /** User id (dl_…); every activity the token posts is from this user. */
  user: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** The configured secret, or one generated and kept in DATA_DIR (readable by the owner only). */
export function tokenSecret(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, 'directline.secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
}

export class DirectLineTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private sign(payload: string): string {
    return crypto.createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  issue(conv: string, user: string): { token: string; expiresIn: number } {
    const claims: TokenClaims = { conv, user, exp: Math.floor(this.clock().getTime() / 1000) + TOKEN_SECONDS };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, expiresIn: TOKEN_SECONDS };
  }

  /** The claims of a valid, unexpired token; undefined for anything else. */
  verify(token: string | undefined): TokenClaims | undefined {
    if (!token || token.length > 2048) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
      if (typeof claims.conv !== 'string' || typeof claims.user !== 'string' || typeof claims.exp !== 'number') return undefined;
      return claims.exp * 1000 > this.clock().getTime() ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}

export function newConversationId(): string {
  return crypto.randomBytes(16).toString('base64url');
}

export function newUserId(): string {
  return `dl_${crypto.randomBytes(12).toString('base64url')}`;
}
