// Direct Line 3.0 served by the bot itself (polling), so Web Chat and botframework-directlinejs work
// with no cloud account. A user's activity goes through the same adapter and middleware as
// /api/messages; the bot's replies come back through the connector path (serviceUrl points at the
// loopback routes below), and both land in the conversation's log that clients poll.
import crypto from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { SupportAdapter } from '../adapter';
import type { Logger } from '../logger';
import type { Route } from '../server';
import { sendError } from '../server';
import { DirectLineConversations } from './conversations';
import { DirectLineTokens, newConversationId, newUserId, TokenClaims } from './tokens';

export const CONNECTOR_PATH = '/.directline';
const CHANNEL_ID = 'directline';
const BOT = { id: 'support-bot', name: 'Microsoft 365 admin support', role: 'bot' };
const USER_ACTIVITY_TYPES = new Set(['message', 'event', 'typing', 'conversationUpdate']);

export interface DirectLineOptions {
  adapter: SupportAdapter;
  logic: (context: TurnContext) => Promise<void>;
  conversations: DirectLineConversations;
  tokens: DirectLineTokens;
  /** The secret a server-side client may use instead of a token (as with Azure's Direct Line). */
  secret: string;
  /** Where this process listens, for the bot's replies (known once listening). */
  internalUrl: () => string;
  /** Origins allowed to call the API from a browser; empty = same origin only. */
  allowedOrigins: string[];
  logger: Logger;
}

function bearer(req: Request): string | undefined {
  return /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
}

function isLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Only what a user may set travels into the bot; identity and routing are the server's. */
export function userActivity(body: Record<string, unknown>, claims: TokenClaims, serviceUrl: string): Partial<Activity> {
  const from = body.from as { name?: unknown } | undefined;
  const channelData = body.channelData as { clientActivityID?: unknown } | undefined;
  const text = typeof body.text === 'string' ? body.text.slice(0, 20_000) : undefined;
  return {
    type: String(body.type),
    text,
    textFormat: 'plain',
    value: body.value,
    name: typeof body.name === 'string' ? body.name.slice(0, 200) : undefined,
    locale: typeof body.locale === 'string' ? body.locale.slice(0, 20) : undefined,
    localTimezone: typeof body.localTimezone === 'string' ? body.localTimezone.slice(0, 64) : undefined,
    channelData: typeof channelData?.clientActivityID === 'string' ? { clientActivityID: channelData.clientActivityID.slice(0, 100) } : undefined,
    channelId: CHANNEL_ID,
    serviceUrl,
    from: { id: claims.user, name: typeof from?.name === 'string' ? from.name.slice(0, 100) : '', role: 'user' },
    recipient: BOT,
    conversation: { id: claims.conv } as Activity['conversation'],
  } as Partial<Activity>;
}

export function directLineRoutes(options: DirectLineOptions): Route[] {
  const { conversations, tokens, logger } = options;

  const cors = (req: Request, res: Response): void => {
    const origin = req.headers.origin;
    if (origin && options.allowedOrigins.includes(origin)) {
      res.header('Access-Control-Allow-Origin', origin);
      res.header('Vary', 'Origin');
      res.header('Access-Control-Allow-Headers', 'authorization, content-type, x-ms-bot-agent');
      res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.header('Access-Control-Max-Age', '600');
    }
  };

  /** The token's claims when it is valid for this conversation (or any, when none is named). */
  const authorise = (req: Request, res: Response, conversationId?: string): TokenClaims | undefined => {
    cors(req, res);
    const claims = tokens.verify(bearer(req));
    if (!claims || (conversationId && claims.conv !== conversationId)) {
      res.status(403);
      res.json({ error: { code: 'TokenInvalid', message: 'The token is not valid for this conversation.' } });
      return undefined;
    }
    return claims;
  };

  const startConversation = async (): Promise<{ conversationId: string; token: string; expires_in: number }> => {
    const conversationId = newConversationId();
    const user = newUserId();
    await conversations.create(conversationId, user);
    const { token, expiresIn } = tokens.issue(conversationId, user);
    return { conversationId, token, expires_in: expiresIn };
  };

  const isSecret = (req: Request) => {
    const given = Buffer.from(bearer(req) ?? '');
    const secret = Buffer.from(options.secret);
    return given.length === secret.length && crypto.timingSafeEqual(given, secret);
  };

  const preflight = (path: string): Route => ({
    method: 'opts',
    path,
    handler: async (req, res) => {
      cors(req, res);
      res.status(204);
      res.end();
    },
  });

  return [
    preflight('/v3/directline/*'),
    preflight('/api/directline/token'),
    {
      // The widget's way in: a fresh conversation and its token; the secret stays on the server.
      method: 'post',
      path: '/api/directline/token',
      handler: async (req, res) => {
        cors(req, res);
        res.json({ ...(await startConversation()), domain: '/v3/directline' });
      },
    },
    {
      method: 'post',
      path: '/v3/directline/tokens/generate',
      handler: async (req, res) => {
        cors(req, res);
        if (!isSecret(req)) return void (res.status(403), res.json({ error: { code: 'BadArgument', message: 'A Direct Line secret is required.' } }));
        res.json(startConversation());
      },
    },
    {
      method: 'post',
      path: '/v3/directline/tokens/refresh',
      handler: async (req, res) => {
        const claims = authorise(req, res);
        if (!claims) return;
        const { token, expiresIn } = tokens.issue(claims.conv, claims.user);
        res.json({ conversationId: claims.conv, token, expires_in: expiresIn });
      },
    },
    {
      method: 'post',
      path: '/v3/directline/conversations',
      handler: async (req, res) => {
        cors(req, res);
        if (isSecret(req)) return void res.json(await startConversation());
        const claims = authorise(req, res);
        if (!claims) return;
        if (!(await conversations.exists(claims.conv))) await conversations.create(claims.conv, claims.user);
        res.status(201);
        res.json({ conversationId: claims.conv, token: bearer(req), expires_in: Math.max(0, claims.exp - Math.floor(Date.now() / 1000)) });
      },
    },
    {
      method: 'get',
      path: '/v3/directline/conversations/:conversationId',
      handler: async (req, res) => {
        const claims = authorise(req, res, String(req.params.conversationId));
        if (!claims) return;
        res.json({ conversationId: claims.conv, token: bearer(req), expires_in: Math.max(0, claims.exp - Math.floor(Date.now() / 1000)) });
      },
    },
    {
      method: 'get',
      path: '/v3/directline/conversations/:conversationId/activities',
      handler: async (req, res) => {
        const claims = authorise(req, res, String(req.params.conversationId));
        if (!claims) return;
        // No query parser is installed: read the watermark from the raw query string.
        const watermark = Number.parseInt(new URLSearchParams(String(req.getQuery() ?? '')).get('watermark') ?? '0', 10);
        res.json(await conversations.since(claims.conv, Number.isFinite(watermark) && watermark > 0 ? watermark : 0));
      },
    },
    {
      method: 'post',
      path: '/v3/directline/conversations/:conversationId/activities',
      handler: async (req, res) => {
        const claims = authorise(req, res, String(req.params.conversationId));
        if (!claims) return;
        const body = req.body as Record<string, unknown> | undefined;
        if (!body || typeof body !== 'object' || !USER_ACTIVITY_TYPES.has(String(body.type))) return sendError(res, 400);
        if (!(await conversations.exists(claims.conv))) await conversations.create(claims.conv, claims.user);
        const activity = userActivity(body, claims, `${options.internalUrl()}${CONNECTOR_PATH}/`);
        const id = await conversations.append(claims.conv, activity);
        res.json({ id });
        // Into the bot through the adapter, as a channel would; replies arrive via the connector routes.
        options.adapter
          .handleActivity('', { ...activity, id } as Activity, options.logic)
          .catch((err: unknown) => logger.error({ err }, 'direct line turn failed'));
      },
    },
    // The bot's replies (connector API) — only from this machine, since they write into conversations.
    ...['/v3/conversations/:conversationId/activities', '/v3/conversations/:conversationId/activities/:activityId'].map(
      (path): Route => ({
        method: 'post',
        path: `${CONNECTOR_PATH}${path}`,
        handler: async (req, res) => {
          if (!isLoopback(req)) return sendError(res, 404);
          const conversationId = String(req.params.conversationId);
          const body = req.body as Partial<Activity> | undefined;
          if (!body || typeof body !== 'object' || !(await conversations.exists(conversationId))) return sendError(res, 404);
          const id = await conversations.append(conversationId, { ...body, from: BOT, channelId: CHANNEL_ID });
          res.json({ id });
        },
      }),
    ),
    // updateActivity (the queue card keeping itself current).
    {
      method: 'put',
      path: `${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:activityId`,
      handler: async (req, res) => {
        if (!isLoopback(req)) return sendError(res, 404);
        const body = req.body as Partial<Activity> | undefined;
        if (!body || typeof body !== 'object') return sendError(res, 400);
        const activityId = String(req.params.activityId);
        if (!(await conversations.replace(String(req.params.conversationId), activityId, { ...body, from: BOT, channelId: CHANNEL_ID }))) return sendError(res, 404);
        res.json({ id: activityId });
      },
    },
  ];
}
