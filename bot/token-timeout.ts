// The bot's own token for replies (Azure AD, client credentials), fetched within a bounded time.
//
// botframework-connector gets it through MSAL, whose token POST has no timeout, and botbuilder sets
// none: when login.microsoftonline.com accepts the connection and never answers, sendActivity waits
// forever, and so does the channel's request. Here password credentials get the same MSAL client
// botbuilder would build (same authority, client id, secret, scope, token cache) with two bounds:
//   - a network client whose every request is destroyed after `timeoutMs` (no socket left hanging);
//   - a deadline on the whole token fetch (metadata discovery and token POST are several requests).
// A fetch that fails either way raises BotTokenError. Other credentials (managed identity) pass as they are.
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { MicrosoftAppCredentials, MsalAppCredentials, ServiceClientCredentialsFactory } from 'botframework-connector';
import type { ServiceClientCredentials } from 'botframework-connector';
// Types only (botframework-connector's own declarations use them); the code is loaded below.
import type { AuthError as MsalAuthError, ConfidentialClientApplication, Configuration, INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** How long fetching the bot's token may take before the send fails. */
export const BOT_TOKEN_TIMEOUT_MS = 10_000;

/** The bot could not get its token from Azure AD, so nothing can be sent to the channel. */
export class BotTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BotTokenError';
  }
}

/**
 * The BotTokenError in `err`, also when another error wraps it: as its `cause`, or as the `error`
 * of botbuilder-dialogs' DialogContextError (a send that failed inside a dialog).
 */
export function botTokenErrorIn(err: unknown): BotTokenError | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    if (e instanceof BotTokenError) return e;
    const wrapper = e as { cause?: unknown; error?: unknown };
    e = wrapper.cause ?? wrapper.error;
  }
  return undefined;
}

interface MsalModule {
  ConfidentialClientApplication: new (configuration: Configuration) => ConfidentialClientApplication;
  AuthError: new (errorCode?: string, errorMessage?: string) => MsalAuthError;
}

/** The very MSAL botframework-connector loads (MSAL passes its own AuthError through unchanged). */
const msal = createRequire(require.resolve('botframework-connector'))('@azure/msal-node') as MsalModule;

/** MSAL's response shape: the body parsed as JSON, or an OAuth-style error when it is not JSON. */
function parseBody(status: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'unknown_error', error_description: `Azure AD answered ${status} with a body that is not JSON.` };
  }
}

/** MSAL's INetworkModule over node:http(s), each request given at most `timeoutMs` from start to last byte. */
export class TimeoutNetworkClient implements INetworkModule {
  constructor(private readonly timeoutMs: number) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, Math.min(timeout || this.timeoutMs, this.timeoutMs));
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options, this.timeoutMs);
  }

  private send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}, timeoutMs: number): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const body = method === 'POST' ? (options.body ?? '') : undefined;
      const headers: Record<string, string | number> = { ...options.headers };
      if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      // Errors are MSAL's own AuthError so MSAL rethrows them as they are, message included.
      const fail = (errorCode: string, message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new msal.AuthError(errorCode, `${method} ${target.origin}${target.pathname}: ${message}`));
      };
      // `https.request` is looked up per call, as MSAL's own client does.
      const request = (target.protocol === 'http:' ? http : https).request(target, { method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (err) => fail('network_error', err.message));
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          resolve({ headers: response.headers as Record<string, string>, body: parseBody(status, Buffer.concat(chunks).toString('utf8')) as T, status });
        });
      });
      timer = setTimeout(() => {
        fail('request_timeout', `no answer within ${timeoutMs} ms`);
        request.destroy();
      }, timeoutMs);
      timer.unref();
      request.on('error', (err: NodeJS.ErrnoException) => fail('network_error', err.code ?? err.message));
      request.end(body);
    });
  }
}

/** MsalAppCredentials as MicrosoftAppCredentials builds them, on a bounded network and with a deadline. */
class TimeBoundMsalCredentials extends MsalAppCredentials {
  constructor(
    original: MicrosoftAppCredentials,
    private readonly timeoutMs: number,
  ) {
    const app = new msal.ConfidentialClientApplication({
      auth: { clientId: original.appId, clientSecret: original.appPassword, authority: original.oAuthEndpoint },
      system: { networkClient: new TimeoutNetworkClient(timeoutMs) },
    });
    super(app, original.appId, original.oAuthEndpoint, original.oAuthScope);
    this.oAuthEndpoint = original.oAuthEndpoint;
  }

  // Only a fetch is bounded: a token still valid in AppCredentials' cache is returned as before.
  protected override async refreshToken(): ReturnType<MsalAppCredentials['refreshToken']> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no token within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([super.refreshToken(), deadline]);
    } catch (err) {
      // The reason in the message, for a log line without the stack; MSAL's error (codes, correlation id) as its cause.
      const reason = err instanceof Error ? err.message : String(err);
      throw new BotTokenError(`Could not get the bot's token from Azure AD (${this.oAuthEndpoint}): ${reason}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Wraps a credentials factory so the password credentials it makes fetch their token within `timeoutMs`. */
export class TokenTimeoutCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly inner: ServiceClientCredentialsFactory,
    private readonly timeoutMs: number = BOT_TOKEN_TIMEOUT_MS,
  ) {
    super();
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('token timeout must be a positive number of milliseconds');
  }

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string, validateAuthority: boolean): Promise<ServiceClientCredentials> {
    const credentials = await this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
    // Empty credentials (no app id) fetch nothing; managed identity goes through @azure/identity instead.
    if (!(credentials instanceof MicrosoftAppCredentials) || !credentials.appId || !credentials.appPassword) return credentials;
    return new TimeBoundMsalCredentials(credentials, this.timeoutMs);
  }
}
