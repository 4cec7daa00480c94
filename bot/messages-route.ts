// POST /api/messages: the Bot Framework entry point (Teams, the Emulator, Azure Bot Service channels).
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { SupportAdapter } from './adapter';
import type { Logger } from './logger';
import { sendError, Route } from './server';
import { botTokenErrorIn } from './token-timeout';

const NOT_AN_ACTIVITY = 'The request body is not a Bot Framework activity.';

/** Activity fields that are strings in the Bot Framework schema (absent or null is fine too). */
const STRING_FIELDS = [
  'id', 'text', 'textFormat', 'locale', 'localTimezone', 'name', 'replyToId', 'timestamp', 'localTimestamp', 'speak',
  'inputHint', 'summary', 'topicName', 'action', 'deliveryMode', 'callerId', 'label', 'valueType', 'importance', 'expiration',
  'attachmentLayout', 'code',
] as const;
const ACCOUNT_STRINGS = ['id', 'name', 'role', 'aadObjectId'] as const;
const LIST_FIELDS = ['attachments', 'entities', 'membersAdded', 'membersRemoved', 'reactionsAdded', 'reactionsRemoved', 'textHighlights'] as const;
const OBJECT_FIELDS = ['channelData', 'relatesTo', 'semanticAction', 'suggestedActions', 'conversation', 'from', 'recipient'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Half of a UTF-16 surrogate pair with no partner: encodeURIComponent throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (v: unknown) => typeof v !== 'string' || !LONE_SURROGATE.test(v);
/** The conversation id travels in an HTTP header (x-ms-conversation-id) on every reply. */
const HEADER_SAFE = /^[\x20-\x7e]{1,1024}$/;
const absent = (v: unknown) => v === undefined || v === null;
const stringOrAbsent = (v: unknown) => absent(v) || typeof v === 'string';

/**
 * Why a parsed body is not an activity a channel would send, or undefined when it is one. Channels
 * always send these fields with these types; a body that doesn't would only fail deeper down (in
 * botbuilder, the middleware or a dialog) as a TypeError and a 500, so it is refused here with a 400.
 */
export function activityProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'not an object';
  if (typeof body.type !== 'string' || !body.type) return 'type';
  if (typeof body.channelId !== 'string' || !body.channelId) return 'channelId';
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\/[^\s/?#]+/i.test(body.serviceUrl) || !URL.canParse(body.serviceUrl)) return 'serviceUrl';
  for (const field of STRING_FIELDS) if (!stringOrAbsent(body[field])) return field;
  for (const field of OBJECT_FIELDS) if (!absent(body[field]) && !isObject(body[field])) return field;
  const conversation = body.conversation;
  if (!isObject(conversation) || typeof conversation.id !== 'string' || !HEADER_SAFE.test(conversation.id)) return 'conversation.id';
  // Ids end up in reply URLs.
  if (!wellFormed(body.id) || !wellFormed(body.replyToId)) return 'id';
  for (const field of ['conversationType', 'tenantId', 'name', 'role'] as const) if (!stringOrAbsent(conversation[field])) return `conversation.${field}`;
  if (!absent(conversation.isGroup) && typeof conversation.isGroup !== 'boolean') return 'conversation.isGroup';
  for (const side of ['from', 'recipient'] as const) {
    const account = body[side];
    if (!isObject(account) || typeof account.id !== 'string' || !wellFormed(account.id)) return `${side}.id`;
    for (const field of ACCOUNT_STRINGS) if (!stringOrAbsent(account[field])) return `${side}.${field}`;
  }
  for (const field of LIST_FIELDS) {
    const list = body[field];
    if (absent(list)) continue;
    if (!Array.isArray(list) || !list.every(isObject)) return field;
  }
  for (const field of ['membersAdded', 'membersRemoved'] as const) {
    for (const member of (body[field] as Record<string, unknown>[] | undefined) ?? []) {
      if (typeof member.id !== 'string' || !wellFormed(member.id)) return `${field}.id`;
      for (const key of ACCOUNT_STRINGS) if (!stringOrAbsent(member[key])) return `${field}.${key}`;
    }
  }
  for (const attachment of (body.attachments as Record<string, unknown>[] | undefined) ?? []) {
    for (const key of ['contentType', 'contentUrl', 'name', 'thumbnailUrl'] as const) if (!stringOrAbsent(attachment[key])) return `attachments.${key}`;
  }
  for (const entity of (body.entities as Record<string, unknown>[] | undefined) ?? []) if (!stringOrAbsent(entity.type)) return 'entities.type';
  // Teams always sends channelData (tenant, event type); botbuilder's Teams handler reads it unguarded.
  if (body.channelId === 'msteams' && !isObject(body.channelData)) return 'channelData';
  // Invokes whose value botbuilder reads without checking: a card action, a messaging-extension query.
  if (body.type === 'invoke' && body.name === 'adaptiveCard/action' && !(isObject(body.value) && isObject(body.value.action))) return 'value.action';
  if (body.type === 'invoke' && body.name === 'composeExtension/query' && !isObject(body.value)) return 'value';
  return undefined;
}

/**
 * Failures of the channel's token itself (missing, unsigned, forged, expired, wrong audience or
 * service URL): botbuilder raises its AuthenticationError with a 401 for most, and passes
 * jsonwebtoken's own errors through for a bad signature or algorithm. All are the caller's fault: 401.
 */
function isTokenRejection(err: unknown): boolean {
  const e = (err ?? {}) as { statusCode?: unknown; name?: unknown };
  return e.statusCode === 401 || e.statusCode === 403 || e.name === 'JsonWebTokenError' || e.name === 'TokenExpiredError' || e.name === 'NotBeforeError';
}

/** The signing keys could not be fetched (login.botframework.com unreachable): the channel may retry. */
function isKeyFetchFailure(err: unknown): boolean {
  const e = (err ?? {}) as { statusCode?: unknown; name?: unknown; message?: unknown };
  return (e.statusCode === 500 && /^Failed to load (openID config|Keys)/.test(String(e.message))) || e.name === 'FetchError';
}

/**
 * Channel and Emulator tokens are RS256/384/512 JWTs naming their signing key. Anything else (no
 * signature, alg "none" or HS256, no key id, not a JWT at all) is refused here, before botbuilder
 * would fetch the signing keys from login.botframework.com to find that out. (Without an app id
 * botbuilder ignores the header; a client sending a malformed one gets the same 401 then.)
 */
export function bearerProblem(authorization: string): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!match) return 'not a bearer JWT';
  try {
    const header = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    if (typeof header !== 'object' || header === null) return 'header';
    if (header.alg !== 'RS256' && header.alg !== 'RS384' && header.alg !== 'RS512') return `alg ${String(header.alg).slice(0, 20)}`;
    if (typeof header.kid !== 'string' || !header.kid) return 'no kid';
    const payload = JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8')) as unknown;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'payload';
  } catch {
    return 'not JSON';
  }
  return undefined;
}

export interface MessagesRouteOptions {
  /**
   * How long authentication (before the turn starts) may take. botbuilder fetches the channel's
   * signing keys without a timeout; when that hangs, the channel gets a 503 and retries instead of
   * waiting forever, and the activity is dropped if authentication completes later.
   */
  authTimeoutMs?: number;
}

export function messagesRoute(adapter: SupportAdapter, logic: (context: TurnContext) => Promise<void>, logger: Logger, options: MessagesRouteOptions = {}): Route {
  const authTimeoutMs = options.authTimeoutMs ?? 10_000;
  return {
    method: 'post',
    path: '/api/messages',
    handler: async (req: Request, res: Response) => {
      const body: unknown = req.body;
      if (!isObject(body) || typeof body.type !== 'string') return sendError(res, 400);
      const problem = activityProblem(body);
      if (problem) {
        logger.debug({ path: '/api/messages', field: problem }, 'refused a malformed activity');
        res.status(400);
        res.json({ error: NOT_AN_ACTIVITY });
        return;
      }
      const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      const tokenProblem = authHeader ? bearerProblem(authHeader) : undefined;
      if (tokenProblem) {
        logger.warn({ path: '/api/messages', reason: tokenProblem }, 'rejected an unauthenticated activity');
        res.status(401);
        res.json({ error: 'Unauthorized.' });
        return;
      }
      // The adapter calls the logic only once the request is authenticated.
      let started = false;
      let abandoned = false;
      /** The turn could not reply for want of the bot's token (the turn error handler logged it). */
      let noBotToken = false;
      let timer: NodeJS.Timeout | undefined;
      const turn = adapter.handleActivity(authHeader, body as unknown as Activity, async (context) => {
        if (abandoned) return;
        started = true;
        try {
          await logic(context);
        } catch (err) {
          noBotToken = botTokenErrorIn(err) !== undefined;
          throw err;
        }
      });
      const authDeadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), authTimeoutMs);
        timer.unref();
      });
      try {
        // Past the deadline a turn that has started is waited for; one still authenticating is not.
        const afterDeadline = async (): Promise<InvokeResponse | undefined | 'timeout'> => (started ? turn : authDeadline);
        const outcome = await Promise.race<InvokeResponse | undefined | 'timeout'>([turn, authDeadline.then(afterDeadline)]);
        if (outcome === 'timeout') {
          abandoned = true;
          turn.catch((err: unknown) => logger.warn({ err: (err as Error)?.message }, 'authentication finished after the request was given up'));
          logger.error({ path: '/api/messages', ms: authTimeoutMs }, 'authentication did not finish in time');
          return sendError(res, 503);
        }
        // The reply could not be sent: a 503 has the channel deliver the activity again, which replays it.
        if (noBotToken) return sendError(res, 503);
        const invokeResponse = outcome;
        res.status(invokeResponse?.status ?? 200);
        if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
        else res.end();
      } catch (err) {
        // Only authentication fails before the turn starts; a turn's own failures are 500s.
        if (!started && isTokenRejection(err)) {
          logger.warn({ path: '/api/messages', reason: (err as Error)?.message }, 'rejected an unauthenticated activity');
          res.status(401);
          res.json({ error: 'Unauthorized.' });
        } else if (!started && isKeyFetchFailure(err)) {
          logger.error({ err }, 'could not fetch the channel signing keys');
          sendError(res, 503);
        } else if (noBotToken || botTokenErrorIn(err)) {
          logger.error({ reason: botTokenErrorIn(err)?.message }, 'activity failed: no bot token from Azure AD');
          sendError(res, 503);
        } else {
          logger.error({ err }, 'activity processing failed');
          sendError(res, 500);
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
