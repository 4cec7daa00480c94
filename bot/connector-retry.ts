// Outbound retries for the Bot Framework Connector (replies, proactive messages, card updates).
//
// botframework-connector 4.23 builds each ConnectorClient on @azure/core-client, whose pipeline
// carries core-rest-pipeline's `defaultRetryPolicy`. That policy re-sends a request after ECONNRESET
// or a timeout (the channel may already have delivered the reply: the user sees it twice), waits as
// long as any Retry-After says (a turn can hang for an hour), and does not retry 429 without one.
// This module swaps it for a policy with stricter rules:
//   - retry when the server answered and said it did not process the request: 429, 500, 502, 503,
//     504 (configurable), up to `maxRetries` times, with exponential backoff and jitter;
//   - honour Retry-After (delay-seconds or an HTTP date; also retry-after-ms / x-ms-retry-after-ms),
//     capped at `maxDelayMs`;
//   - retry a network failure only when nothing can have reached the server (the connection was
//     never made: ECONNREFUSED, DNS EAI_AGAIN, unreachable network/host); never after ECONNRESET,
//     a timeout or an abort, which are ambiguous;
//   - never replay a body that cannot be replayed (a stream).
//
// ConnectorFactoryImpl overwrites `requestPolicyFactories` from ConnectorClientOptions, so the policy
// cannot go in through the options: `withConnectorRetry` wraps the BotFrameworkAuthentication
// instead, so every ConnectorClient the CloudAdapter gets (inbound turns, continueConversationAsync,
// createConversationAsync) has the policy in its pipeline.
import { BotFrameworkAuthentication, ConnectorFactory } from 'botframework-connector';
import { WrappingBotFrameworkAuthentication } from './wrapping-authentication';
import type { ConnectorClient } from 'botframework-connector';

export const CONNECTOR_RETRY_POLICY_NAME = 'connectorRetryPolicy';
/** The name core-rest-pipeline gives the retry policy it adds to every client pipeline. */
const DEFAULT_RETRY_POLICY_NAME = 'defaultRetryPolicy';

export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status that caused the retry, or the network error code. */
  status?: number;
  code?: string;
  /** Retry-After as the server sent it, when it did. */
  retryAfterMs?: number;
  method: string;
  host: string;
}

export interface ConnectorRetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff step; doubles per retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Cap on any single wait, Retry-After included. Default 10 s. */
  maxDelayMs?: number;
  /** No retry is started when it would end later than this after the first attempt. Default 30 s. */
  maxElapsedMs?: number;
  /** Responses that mean "not processed, try again". Default 429, 500, 502, 503, 504. */
  retryStatuses?: readonly number[];
  /** Network error codes raised before any byte was sent. Default ECONNREFUSED, EAI_AGAIN, ENETUNREACH, EHOSTUNREACH. */
  preSendErrorCodes?: readonly string[];
  /** Told before each wait; for logging. */
  onRetry?: (event: RetryEvent) => void;
  /** Seams for tests. */
  random?: () => number;
  now?: () => number;
}

interface Settings {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs: number;
  retryStatuses: ReadonlySet<number>;
  preSendErrorCodes: ReadonlySet<string>;
  onRetry?: (event: RetryEvent) => void;
  random: () => number;
  now: () => number;
}

function settingsOf(options: ConnectorRetryOptions): Settings {
  const nonNegative = (value: number | undefined, fallback: number, name: string) => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`connector retry: ${name} must be a non-negative number`);
    return v;
  };
  return {
    maxRetries: Math.floor(nonNegative(options.maxRetries, 3, 'maxRetries')),
    baseDelayMs: nonNegative(options.baseDelayMs, 500, 'baseDelayMs'),
    maxDelayMs: nonNegative(options.maxDelayMs, 10_000, 'maxDelayMs'),
    maxElapsedMs: nonNegative(options.maxElapsedMs, 30_000, 'maxElapsedMs'),
    retryStatuses: new Set(options.retryStatuses ?? [429, 500, 502, 503, 504]),
    preSendErrorCodes: new Set(options.preSendErrorCodes ?? ['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']),
    onRetry: options.onRetry,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
}

// The slice of core-rest-pipeline's types this module touches, declared here so the bot does not
// import a package it does not list as a dependency. They match @azure/core-rest-pipeline 1.x.
interface HeadersLike {
  get(name: string): string | undefined;
}
export interface PipelineRequestLike {
  url: string;
  method: string;
  body?: unknown;
  abortSignal?: { aborted: boolean; addEventListener(type: 'abort', listener: () => void): void; removeEventListener(type: 'abort', listener: () => void): void };
}
export interface PipelineResponseLike {
  status: number;
  headers: HeadersLike;
}
export type SendRequestLike = (request: PipelineRequestLike) => Promise<PipelineResponseLike>;
export interface PipelinePolicyLike {
  name: string;
  sendRequest(request: PipelineRequestLike, next: SendRequestLike): Promise<PipelineResponseLike>;
}
interface PipelineLike {
  addPolicy(policy: PipelinePolicyLike, options?: { phase?: 'Serialize' | 'Deserialize' | 'Retry' | 'Sign' }): void;
  removePolicy(options: { name?: string }): PipelinePolicyLike[];
}

/**
 * Milliseconds the server asked to wait: `retry-after-ms`, `x-ms-retry-after-ms`, or `Retry-After`
 * as delay-seconds or an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: HeadersLike, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const raw = headers.get(name)?.trim();
    if (raw && /^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  }
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  // An HTTP date names its day and month ("Sun, 01 Mar 2026 10:00:30 GMT"); "-3" is no date.
  if (!/[a-z]{3}/i.test(raw)) return undefined;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The wait before retry number `attempt` (1-based): Retry-After when given, else exponential with jitter; capped. */
export function retryDelayMs(attempt: number, serverAskedMs: number | undefined, options: Pick<ConnectorRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  if (serverAskedMs !== undefined) {
    // Never earlier than asked (unless the cap says so); a little jitter so throttled callers spread out.
    const jitter = Math.min(250, serverAskedMs * 0.1) * random();
    return Math.min(cap, serverAskedMs + jitter);
  }
  // "Equal jitter": half the step fixed, half random, so the backoff still grows.
  const step = Math.min(cap, base * 2 ** (attempt - 1));
  return step / 2 + (step / 2) * random();
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isReplayable(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return true;
  // Streams, stream factories, FormData, Blobs: sent once only.
  return false;
}

function sleep(ms: number, signal?: PipelineRequestLike['abortSignal']): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort);
  });
}

function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** The retry policy, for any core-rest-pipeline pipeline (phase "Retry"). */
export function connectorRetryPolicy(options: ConnectorRetryOptions = {}): PipelinePolicyLike {
  const s = settingsOf(options);
  return {
    name: CONNECTOR_RETRY_POLICY_NAME,
    async sendRequest(request, next) {
      const started = s.now();
      const replayable = isReplayable(request.body);
      for (let attempt = 1; ; attempt++) {
        let response: PipelineResponseLike | undefined;
        let failure: unknown;
        try {
          response = await next(request);
        } catch (error) {
          failure = error;
        }
        const code = failure === undefined ? undefined : errorCode(failure);
        // Retry only what the server refused, or a connection that was never made.
        const retryable =
          attempt <= s.maxRetries &&
          replayable &&
          !request.abortSignal?.aborted &&
          (response ? s.retryStatuses.has(response.status) : code !== undefined && s.preSendErrorCodes.has(code) && (failure as Error).name !== 'AbortError');
        if (!retryable) {
          if (response) return response;
          throw failure;
        }
        const asked = response ? retryAfterMs(response.headers, s.now()) : undefined;
        const delayMs = Math.round(retryDelayMs(attempt, asked, s));
        if (s.now() + delayMs - started > s.maxElapsedMs) {
          if (response) return response;
          throw failure;
        }
        s.onRetry?.({ attempt, delayMs, status: response?.status, code, retryAfterMs: asked, method: request.method, host: hostOf(request.url) });
        await sleep(delayMs, request.abortSignal);
      }
    },
  };
}

function pipelineOf(client: ConnectorClient): PipelineLike {
  // ServiceClientContext keeps the core-client ServiceClient in a private `client` field.
  const pipeline = (client as unknown as { client?: { pipeline?: Partial<PipelineLike> } }).client?.pipeline;
  if (!pipeline || typeof pipeline.addPolicy !== 'function' || typeof pipeline.removePolicy !== 'function') {
    throw new Error('connector retry: this ConnectorClient has no core-rest-pipeline pipeline (botframework-connector changed?)');
  }
  return pipeline as PipelineLike;
}

/** Replaces the client's stock retry policy with ours. Idempotent; returns the same client. */
export function useConnectorRetry<T extends ConnectorClient>(client: T, options: ConnectorRetryOptions = {}): T {
  const pipeline = pipelineOf(client);
  pipeline.removePolicy({ name: DEFAULT_RETRY_POLICY_NAME });
  pipeline.removePolicy({ name: CONNECTOR_RETRY_POLICY_NAME });
  pipeline.addPolicy(connectorRetryPolicy(options), { phase: 'Retry' });
  return client;
}

/** A ConnectorFactory whose clients use the retry policy. */
export class RetryingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly options: ConnectorRetryOptions = {},
  ) {
    super();
  }

  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return useConnectorRetry(await this.inner.create(serviceUrl, audience), this.options);
  }
}

/** Delegates everything to the wrapped authentication; only the connector factories it hands out change. */
export class RetryingBotFrameworkAuthentication extends WrappingBotFrameworkAuthentication {
  constructor(
    inner: BotFrameworkAuthentication,
    private readonly options: ConnectorRetryOptions = {},
  ) {
    super(inner);
  }

  protected wrapFactory(factory: ConnectorFactory): ConnectorFactory {
    return new RetryingConnectorFactory(factory, this.options);
  }
}

/** Wraps the adapter's authentication so every ConnectorClient it creates retries by these rules. */
export function withConnectorRetry(auth: BotFrameworkAuthentication, options: ConnectorRetryOptions = {}): BotFrameworkAuthentication {
  // Validate once at startup rather than on the first reply.
  settingsOf(options);
  return new RetryingBotFrameworkAuthentication(auth, options);
}
