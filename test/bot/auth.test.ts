// Bot Framework authentication on the real server, started WITH an app id and password (channel
// authentication on), entirely offline.
//
// This machine has no internet, so the identity provider is played in-process: every outbound
// http(s) request the process makes is intercepted. Requests for login.botframework.com (the
// channels' OpenID metadata and signing keys) and login.microsoftonline.com (MSAL's metadata and the
// bot's own token) are answered by a loopback fake whose RSA key signs this test's channel tokens;
// loopback goes through untouched; anything else fails at once and is recorded. The fake can also
// refuse connections or accept and never answer, to see what a dead or hanging identity provider
// does to a request.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import type { Activity } from 'botbuilder';
import { CaptureConnector } from '../support/capture-connector';
import { postJson } from '../support/http-client';
import { RunningBot, startTestBot } from '../support/test-bot';

/** botbuilder's process-wide cache of OpenID metadata (signing keys), by metadata URL. */
function openIdMetadataCache(): Map<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('botframework-connector/lib/auth/jwtTokenExtractor') as { JwtTokenExtractor: { openIdMetadataCache: Map<string, unknown> } }).JwtTokenExtractor.openIdMetadataCache;
}

const APP_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const OTHER_APP_ID = '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e';
const CHANNEL_ISSUER = 'https://api.botframework.com';
const KID = 'fake-channel-key';
const IDP_HOSTS = new Set(['login.botframework.com', 'login.microsoftonline.com']);
const UNAUTHORIZED = JSON.stringify({ error: 'Unauthorized.' });

/** hang-aad: all of login.microsoftonline.com hangs; hang-aad-token: only its token endpoint does. */
type IdpMode = 'serve' | 'refuse' | 'hang' | 'hang-aad' | 'hang-aad-token';

interface Outbound {
  host: string;
  path: string;
  authorization?: string;
}

/** Everything the process asks of the network while installed, and the fake identity provider. */
class Network {
  readonly outbound: Outbound[] = [];
  mode: IdpMode = 'serve';
  readonly keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server!: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();
  /** Requests the fake held open whose connection the client has since closed. */
  abandoned = 0;
  private originals!: { httpRequest: typeof http.request; httpGet: typeof http.get; httpsRequest: typeof https.request; httpsGet: typeof https.get };

  async install(): Promise<void> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const port = (this.server.address() as AddressInfo).port;
    this.originals = { httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get };
    const { httpRequest } = this.originals;
    const intercept = (original: (...args: never[]) => http.ClientRequest) =>
      ((...args: unknown[]) => {
        // (url[, options][, callback]) or (options[, callback])
        let options: http.RequestOptions = {};
        let callback: ((res: http.IncomingMessage) => void) | undefined;
        for (const arg of args) {
          if (typeof arg === 'string' || arg instanceof URL) options = { ...urlToHttpOptions(new URL(String(arg))), ...options };
          else if (typeof arg === 'function') callback = arg as typeof callback;
          else if (arg && typeof arg === 'object') options = { ...options, ...(arg as http.RequestOptions) };
        }
        const host = String(options.hostname ?? options.host ?? 'localhost').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
        const headers = (options.headers ?? {}) as Record<string, unknown>;
        const authorization = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
        if (host === '127.0.0.1' || host === 'localhost' || host === '::1') return original(...(args as never[]));
        this.outbound.push({ host, path: String(options.path ?? '/'), authorization: authorization === undefined ? undefined : String(authorization) });
        if (IDP_HOSTS.has(host) && this.mode !== 'refuse') {
          const redirected: http.RequestOptions = { method: options.method ?? 'GET', path: options.path ?? '/', headers: { ...(headers as http.OutgoingHttpHeaders), 'x-original-host': host }, hostname: '127.0.0.1', port, protocol: 'http:' };
          return callback ? httpRequest(redirected, callback) : httpRequest(redirected);
        }
        // Nothing else exists on this network: a connection that is refused at once.
        const refused: http.RequestOptions = { method: 'GET', hostname: '127.0.0.1', port: 1, path: '/', protocol: 'http:' };
        return callback ? httpRequest(refused, callback) : httpRequest(refused);
      }) as never;
    http.request = intercept(this.originals.httpRequest as never);
    https.request = intercept(this.originals.httpsRequest as never);
    http.get = ((...args: unknown[]) => {
      const req = (http.request as (...a: unknown[]) => http.ClientRequest)(...args);
      req.end();
      return req;
    }) as never;
    https.get = ((...args: unknown[]) => {
      const req = (https.request as (...a: unknown[]) => http.ClientRequest)(...args);
      req.end();
      return req;
    }) as never;
  }

  async uninstall(): Promise<void> {
    Object.assign(http, { request: this.originals.httpRequest, get: this.originals.httpGet });
    Object.assign(https, { request: this.originals.httpsRequest, get: this.originals.httpsGet });
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Ends the requests the "hang" mode held open (they fail on the caller's side). */
  release(): void {
    const held = [...this.hanging];
    this.hanging.clear();
    for (const res of held) res.socket?.destroy();
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const host = String(req.headers['x-original-host']);
    const aad = host === 'login.microsoftonline.com';
    if (this.mode === 'hang' || (this.mode === 'hang-aad' && aad) || (this.mode === 'hang-aad-token' && aad && /\/oauth2\/v2\.0\/token(\?|$)/.test(req.url ?? ''))) {
      this.hanging.add(res);
      res.on('close', () => {
        if (this.hanging.delete(res)) this.abandoned++;
      });
      return;
    }
    const url = new URL(req.url ?? '/', `https://${host}`);
    const json = (value: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    req.resume();
    req.on('end', () => {
      const jwk = this.keys.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
      if (host === 'login.botframework.com' && url.pathname === '/v1/.well-known/openidconfiguration') {
        return json({ issuer: CHANNEL_ISSUER, jwks_uri: 'https://login.botframework.com/v1/.well-known/keys', id_token_signing_alg_values_supported: ['RS256'] });
      }
      if (host === 'login.botframework.com' && url.pathname === '/v1/.well-known/keys') {
        return json({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n: jwk.n, e: jwk.e, endorsements: ['msteams', 'webchat', 'directline', 'emulator'] }] });
      }
      // MSAL: instance discovery, the tenant's metadata, and the bot's own token for replies.
      const tenant = url.pathname.split('/')[1] || 'botframework.com';
      const base = `https://login.microsoftonline.com/${tenant}`;
      if (host === 'login.microsoftonline.com' && url.pathname.endsWith('/discovery/instance')) {
        return json({ tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] }] });
      }
      if (host === 'login.microsoftonline.com' && url.pathname.endsWith('/.well-known/openid-configuration')) {
        return json({ token_endpoint: `${base}/oauth2/v2.0/token`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`, end_session_endpoint: `${base}/oauth2/v2.0/logout`, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', jwks_uri: `${base}/discovery/v2.0/keys`, response_types_supported: ['code', 'token'] });
      }
      // The Emulator's signing keys (its tokens are Azure AD tokens): this test's key too.
      if (host === 'login.microsoftonline.com' && url.pathname.endsWith('/discovery/v2.0/keys')) {
        return json({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n: jwk.n, e: jwk.e }] });
      }
      if (host === 'login.microsoftonline.com' && url.pathname.endsWith('/oauth2/v2.0/token')) {
        return json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'fake-aad-access-token-for-the-bot' });
      }
      res.writeHead(404).end();
    });
  }

  /** A JWT signed with `key` (by default the channel key the fake serves). */
  token(claims: Record<string, unknown>, header: Record<string, unknown> = {}, key: crypto.KeyObject = this.keys.privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const head = part({ alg: 'RS256', typ: 'JWT', kid: KID, ...header });
    const body = part({ iss: CHANNEL_ISSUER, aud: APP_ID, iat: now, nbf: now - 10, exp: now + 3600, ...claims });
    const alg = String(header.alg ?? 'RS256');
    const signature = alg === 'none' ? '' : crypto.sign(alg === 'RS512' ? 'sha512' : alg === 'RS384' ? 'sha384' : 'sha256', Buffer.from(`${head}.${body}`), key).toString('base64url');
    return `${head}.${body}.${signature}`;
  }

  idpCalls(): Outbound[] {
    return this.outbound.filter((o) => IDP_HOSTS.has(o.host));
  }

  otherCalls(): Outbound[] {
    return this.outbound.filter((o) => !IDP_HOSTS.has(o.host));
  }
}


/** botbuilder's token extractor console.errors every rejected token (with the public key): keep it out of the output. */
function quietConsoleErrors(): void {
  let consoleError: typeof console.error;
  before(() => {
    consoleError = console.error;
    console.error = () => undefined;
  });
  after(() => {
    console.error = consoleError;
  });
}

describe('Bot Framework authentication (app id configured, offline)', function () {
  this.timeout(60_000);
  let network: Network;
  let bot: RunningBot;
  /** The channel's real service URL for these tests (the token's serviceurl claim names it). */
  let trusted: CaptureConnector;
  /** A service URL no token names: it must never be called. */
  let untrusted: CaptureConnector;
  const untrustedCalls: string[] = [];
  let sequence = 0;

  before(async () => {
    network = new Network();
    await network.install();
    trusted = new CaptureConnector();
    await trusted.start();
    untrusted = new CaptureConnector();
    await untrusted.start();
    bot = await startTestBot({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret-0123456789', LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await bot?.stop();
    await trusted?.stop();
    await untrusted?.stop();
    await network?.uninstall();
  });
  afterEach(() => {
    // The untrusted service URL hears nothing, ever.
    for (const call of untrusted.calls) untrustedCalls.push(`${call.method} ${call.path}`);
    assert.deepEqual(untrustedCalls, [], 'no request reached the untrusted service URL');
    assert.deepEqual(network.otherCalls(), [], 'no outbound call other than the identity provider');
  });

  const activity = (serviceUrl: string, conversation = `auth-${++sequence}`): Partial<Activity> => ({
    type: 'message',
    id: `act-${sequence}`,
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversation, conversationType: 'personal', tenantId: '00000000-0000-4000-8000-00000000c0de' } as Activity['conversation'],
    from: { id: '29:user', name: 'Admin', aadObjectId: '11111111-1111-4111-8111-111111111111' },
    recipient: { id: `28:${APP_ID}`, name: 'Bot' },
    channelData: { tenant: { id: '00000000-0000-4000-8000-00000000c0de' } },
    locale: 'en-US',
    text: 'support phone number in the United States',
  });

  async function post(body: Partial<Activity>, authorization?: string) {
    const started = Date.now();
    const response = await postJson(`${bot.url}/api/messages`, body, authorization === undefined ? {} : { authorization });
    return { ...response, ms: Date.now() - started };
  }

  describe('refused before any network call', () => {
    it('answers 401 to an activity without an Authorization header', async () => {
      const before = network.outbound.length;
      const response = await post(activity(untrusted.url));
      assert.equal(response.status, 401);
      assert.equal(response.body, UNAUTHORIZED);
      assert.equal(network.outbound.length, before, 'nothing was fetched');
    });

    it('answers 401 to an unsigned JWT (alg none), HS256, a missing key id or a non-JWT', async () => {
      const before = network.outbound.length;
      const unsigned = network.token({ serviceurl: untrusted.url }, { alg: 'none' });
      const hs256 = (() => {
        const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        const input = `${part({ alg: 'HS256', typ: 'JWT', kid: KID })}.${part({ iss: CHANNEL_ISSUER, aud: APP_ID, serviceurl: untrusted.url, exp: 9_999_999_999 })}`;
        // "Signed" with the public key as an HMAC secret: the classic RS256/HS256 confusion.
        const secret = network.keys.publicKey.export({ format: 'pem', type: 'spki' });
        return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
      })();
      const noKid = network.token({ serviceurl: untrusted.url }, { kid: undefined });
      for (const authorization of [`Bearer ${unsigned}`, `Bearer ${unsigned}x`, `Bearer ${hs256}`, `Bearer ${noKid}`, 'Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', 'Bearer', `bearer ${network.token({})}`, `Bearer ${'a'.repeat(8000)}.b.c`]) {
        const response = await post(activity(untrusted.url), authorization);
        assert.equal(response.status, 401, authorization.slice(0, 60));
        assert.equal(response.body, UNAUTHORIZED);
      }
      assert.equal(network.outbound.length, before, 'no signing keys were fetched to refuse these');
    });
  });

  describe('with the identity provider unreachable (no internet)', () => {
    // Signing keys fetched by an earlier test would be used from botbuilder's process-wide cache.
    beforeEach(() => openIdMetadataCache().clear());

    it('answers a signed-looking token with 503 (the channel retries) quickly, and runs nothing', async () => {
      network.mode = 'refuse';
      try {
        const response = await post(activity(untrusted.url), `Bearer ${network.token({ serviceurl: untrusted.url })}`);
        assert.equal(response.status, 503);
        assert.equal(response.body, JSON.stringify({ error: 'The service is not available right now. Try again later.' }));
        assert.ok(response.ms < 5000, `answered in ${response.ms} ms`);
        assert.ok(network.idpCalls().some((c) => c.host === 'login.botframework.com'), 'it tried the channel metadata');
      } finally {
        network.mode = 'serve';
      }
    });

    it('gives up on an identity provider that accepts and never answers after a bounded wait (503)', async function () {
      this.timeout(30_000);
      network.mode = 'hang';
      try {
        const response = await post(activity(untrusted.url), `Bearer ${network.token({ serviceurl: untrusted.url })}`);
        assert.equal(response.status, 503);
        assert.ok(response.ms >= 9000 && response.ms < 15_000, `gave up after ${response.ms} ms (the channel's own timeout is 15 s)`);
      } finally {
        network.mode = 'serve';
        network.release();
      }
      // The abandoned authentication fails once released; the activity never runs.
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(untrusted.calls, []);
    });
  });

  describe('with channel tokens signed by the (fake) channel key', () => {
    quietConsoleErrors();

    it('refuses a token signed by another key with the channel key id (forged signature)', async () => {
      const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const response = await post(activity(untrusted.url), `Bearer ${network.token({ serviceurl: untrusted.url }, {}, forger)}`);
      assert.equal(response.status, 401);
      assert.equal(response.body, UNAUTHORIZED);
    });

    it('refuses a token signed by another key under an unknown key id', async () => {
      const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const response = await post(activity(untrusted.url), `Bearer ${network.token({ serviceurl: untrusted.url }, { kid: 'someone-elses-key' }, forger)}`);
      assert.equal(response.status, 401);
    });

    it('refuses a genuine token for another bot (wrong audience), an expired one and a wrong issuer', async () => {
      const now = Math.floor(Date.now() / 1000);
      const cases: [string, Record<string, unknown>][] = [
        ['wrong audience', { aud: OTHER_APP_ID, serviceurl: untrusted.url }],
        ['no audience', { aud: undefined, serviceurl: untrusted.url }],
        ['expired', { serviceurl: untrusted.url, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }],
        ['not yet valid', { serviceurl: untrusted.url, nbf: now + 3600 }],
        ['wrong issuer', { iss: 'https://evil.example', serviceurl: untrusted.url }],
      ];
      for (const [name, claims] of cases) {
        const response = await post(activity(untrusted.url), `Bearer ${network.token(claims)}`);
        assert.equal(response.status, 401, name);
        assert.equal(response.body, UNAUTHORIZED, name);
      }
    });

    it('refuses a genuine token whose serviceurl claim names another service URL: that URL is never called', async () => {
      // Signed for the trusted channel endpoint, replayed with the attacker's serviceUrl.
      const token = network.token({ serviceurl: trusted.url });
      const response = await post(activity(untrusted.url), `Bearer ${token}`);
      assert.equal(response.status, 401);
      assert.equal(response.body, UNAUTHORIZED);
      // Nor does a channel the key is not endorsed for get through.
      const slack = { ...activity(trusted.url), channelId: 'slack' };
      assert.equal((await post(slack, `Bearer ${token}`)).status, 401);
    });

    it('runs a genuine activity and replies to its service URL only, with the bot token from login.microsoftonline.com', async () => {
      const body = activity(trusted.url, 'auth-genuine');
      const response = await post(body, `Bearer ${network.token({ serviceurl: trusted.url })}`);
      assert.equal(response.status, 200, response.body);
      assert.ok(response.ms < 10_000, `answered in ${response.ms} ms`);
      const replies = trusted.activities('auth-genuine').filter((a) => a.type === 'message');
      assert.ok(replies.length > 0, 'the bot answered');
      assert.match(JSON.stringify(replies).replace(/\D/g, ''), /18008659408/);
      // The bot asked the (fake) Azure AD for its own token, and nothing else off the machine.
      assert.ok(network.idpCalls().some((c) => c.host === 'login.microsoftonline.com' && /oauth2\/v2\.0\/token(\?|$)/.test(c.path)), 'a token was requested');
      assert.deepEqual(untrusted.calls, []);
    });

    it('sends its token to the trusted service URL only (checked on the wire)', async () => {
      const seen: string[] = [];
      const server = http.createServer((req, res) => {
        seen.push(String(req.headers.authorization));
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id":"1"}');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        // The token names this URL: replies go there, carrying the bot's bearer token.
        assert.equal((await post(activity(url), `Bearer ${network.token({ serviceurl: url })}`)).status, 200);
        assert.ok(seen.length > 0);
        for (const authorization of seen) assert.equal(authorization, 'Bearer fake-aad-access-token-for-the-bot');
        // Any other URL, whatever the token says about itself, hears nothing.
        const count = seen.length;
        assert.equal((await post(activity(untrusted.url), `Bearer ${network.token({ serviceurl: url })}`)).status, 401);
        assert.equal(seen.length, count);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
  });

  describe('when Azure AD (the bot token for replies) accepts and never answers', () => {
    // MSAL's token requests have no timeout of their own; the adapter's credentials give up after
    // AAD_TOKEN_TIMEOUT_SECONDS (2 s here, 10 s by default) and the channel gets a 503 to retry.
    const TIMEOUT_MS = 2000;
    let fresh: RunningBot | undefined;
    let appId = '';
    let saved: typeof console.error;
    beforeEach(() => {
      saved = console.error;
      console.error = () => undefined;
    });
    afterEach(async () => {
      network.mode = 'serve';
      network.release();
      console.error = saved;
      await fresh?.stop();
      fresh = undefined;
    });

    /** A bot with a new app id: nothing cached by MSAL or botbuilder for it yet. */
    async function freshBot(id: string) {
      appId = id;
      fresh = await startTestBot({ MicrosoftAppId: id, MicrosoftAppPassword: 'another-not-real-secret-0123', LOG_LEVEL: 'error', AAD_TOKEN_TIMEOUT_SECONDS: String(TIMEOUT_MS / 1000) });
      return fresh;
    }

    async function postTo(bot: RunningBot, conversation: string) {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        postJson(`${bot.url}/api/messages`, activity(trusted.url, conversation), { authorization: `Bearer ${network.token({ serviceurl: trusted.url, aud: appId })}` }),
        new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 15_000))),
      ]).finally(() => clearTimeout(timer));
      assert.notEqual(outcome, 'hung', `no answer after ${Date.now() - started} ms (the channel's own timeout is 15 s)`);
      return { ...(outcome as Awaited<ReturnType<typeof postJson>>), ms: Date.now() - started };
    }

    const tokenRequests = () => network.idpCalls().filter((c) => c.host === 'login.microsoftonline.com' && /oauth2\/v2\.0\/token(\?|$)/.test(c.path)).length;

    it('answers 503 within the bound when all of login.microsoftonline.com hangs, and logs why without a stack', async () => {
      const bot = await freshBot('9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a');
      network.mode = 'hang-aad';
      const response = await postTo(bot, 'auth-aad-hang');
      assert.equal(response.status, 503, bot.logs.join(''));
      assert.equal(response.body, JSON.stringify({ error: 'The service is not available right now. Try again later.' }));
      assert.ok(response.ms >= TIMEOUT_MS - 100 && response.ms < TIMEOUT_MS + 4000, `gave up after ${response.ms} ms`);
      assert.deepEqual(trusted.activities('auth-aad-hang'), [], 'nothing reached the channel');
      const failures = bot.logs.filter((line) => line.includes('no bot token from Azure AD'));
      assert.ok(failures.length > 0, bot.logs.join(''));
      for (const line of failures) assert.doesNotMatch(line, /"stack"|\n\s+at /, 'no stack trace');
      assert.match(failures.join(''), /Could not get the bot's token from Azure AD/);
    });

    it('gives up on a token request that never answers, closes its connection, and replies once Azure AD is back', async () => {
      const bot = await freshBot('1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b');
      network.mode = 'hang-aad-token';
      const before = tokenRequests();
      const abandoned = network.abandoned;
      const response = await postTo(bot, 'auth-aad-token-hang');
      assert.equal(response.status, 503, bot.logs.join(''));
      assert.ok(response.ms >= TIMEOUT_MS - 100 && response.ms < TIMEOUT_MS + 4000, `gave up after ${response.ms} ms`);
      // One token request for the turn: no second attempt (an apology) that would wait as long again.
      assert.equal(tokenRequests() - before, 1);
      assert.deepEqual(trusted.activities('auth-aad-token-hang'), []);
      // The abandoned request's connection is closed, not left open until Azure AD gives up.
      for (let i = 0; i < 50 && network.abandoned === abandoned; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(network.abandoned - abandoned, 1, 'the hanging token request was closed by the bot');

      // The channel delivers the same message again once Azure AD answers: it runs normally.
      network.mode = 'serve';
      const retried = await postTo(bot, 'auth-aad-token-hang');
      assert.equal(retried.status, 200, retried.body);
      assert.ok(trusted.activities('auth-aad-token-hang').some((a) => a.type === 'message'), 'the bot answered');
      // The token that came is cached as before: the next turn asks Azure AD for nothing.
      const fetched = tokenRequests();
      assert.equal((await postTo(bot, 'auth-aad-token-hang')).status, 200);
      assert.equal(tokenRequests(), fetched);
    });
  });

  describe("botbuilder's process-wide Emulator issuer list", () => {
    // botbuilder adds the issuers of every new `tid` claim it sees to this list before verifying the
    // token; the adapter cuts it back after each authentication (bot/emulator-issuers.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const issuers = () => (require('botframework-connector') as { ToBotFromBotOrEmulatorTokenValidationParameters: { issuer: string[] } }).ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
    quietConsoleErrors();

    const randomTenant = () => crypto.randomUUID();

    it('does not grow with the tenant ids of unauthenticated tokens', async () => {
      const count = issuers().length;
      for (let i = 0; i < 25; i++) {
        // Signed and well-formed, but for another bot: refused.
        const response = await post(activity(untrusted.url), `Bearer ${network.token({ serviceurl: untrusted.url, aud: OTHER_APP_ID, tid: randomTenant() })}`);
        assert.equal(response.status, 401);
      }
      // Emulator-shaped tokens for new tenants, signed by a key Azure AD does not have.
      const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      for (let i = 0; i < 5; i++) {
        const tid = randomTenant();
        const response = await post(activity(untrusted.url), `Bearer ${network.token({ iss: `https://login.microsoftonline.com/${tid}/v2.0`, ver: '2.0', azp: APP_ID, tid }, {}, forger)}`);
        assert.equal(response.status, 401);
      }
      assert.equal(issuers().length, count);
    });

    it('still accepts an Emulator token from a tenant first seen with it, amid forged ones', async () => {
      const count = issuers().length;
      const tid = randomTenant();
      const genuine = network.token({ iss: `https://login.microsoftonline.com/${tid}/v2.0`, ver: '2.0', azp: APP_ID, tid });
      const forged = Array.from({ length: 10 }, () => post(activity(untrusted.url), `Bearer ${network.token({ serviceurl: untrusted.url, aud: OTHER_APP_ID, tid: randomTenant() })}`));
      const [response, ...others] = await Promise.all([post(activity(trusted.url, 'auth-emulator'), `Bearer ${genuine}`), ...forged]);
      assert.equal(response.status, 200, response.body);
      assert.ok(trusted.activities('auth-emulator').some((a) => a.type === 'message'), 'the bot answered');
      for (const other of others) assert.equal(other.status, 401);
      assert.equal(issuers().length, count);
    });
  });
});
