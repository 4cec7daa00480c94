// The agent console: a page where support agents take over conversations the bot hands off, and its
// same-origin API. Agents sign in with their password or a one-time invite link; the session is an
// HttpOnly, SameSite=Strict cookie scoped to /agent, and every state-changing call also carries the
// session's CSRF token in a header. Live updates come over one Server-Sent Events stream.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Route } from '../server';
import type { Logger } from '../logger';
import { PRESENCES } from '../agents/agents';
import type { Agent, AgentStore } from '../agents/agents';
import { STATUSES } from '../requests/requests';
import { HandoffError } from '../handoff/types';
import type { ConsoleBackend, ConsoleEvent, Handoff } from '../handoff/types';
import type { AgentSessions } from './sessions';
import { LOGIN_WINDOW_MINUTES, SESSION_HOURS } from './sessions';

const COOKIE = 'agent_session';
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' };

export interface AgentConsoleOptions {
  backend: ConsoleBackend;
  agents: AgentStore;
  sessions: AgentSessions;
  secureCookies: boolean;
  logger: Logger;
  publicUrl: string;
  /** Seconds between SSE heartbeat comments (tests shorten it). */
  heartbeatSeconds?: number;
}

/** Fixed messages: nothing from an exception ever reaches the page. */
const MESSAGES = {
  badRequest: 'The request is not valid.',
  signIn: 'Sign in to continue.',
  wrongLogin: 'The name or password is not right.',
  badInvite: 'This invite link is not valid, has expired or was already used.',
  tooMany: 'Too many failed sign-ins for this name. Wait a few minutes and try again.',
  csrf: 'The request is missing its security token. Reload the page.',
  forbidden: 'This conversation is not yours.',
  notFound: 'There is no such conversation.',
  notActive: 'This conversation is not active.',
  noRequest: 'No request is linked to this conversation.',
  invalid: 'That change is not allowed.',
  gone: 'This conversation is no longer waiting.',
} as const;

const HANDOFF_ERRORS: Record<HandoffError['reason'], [number, string]> = {
  'not-yours': [403, MESSAGES.forbidden],
  'not-found': [404, MESSAGES.notFound],
  'not-active': [409, MESSAGES.notActive],
  'no-request': [400, MESSAGES.noRequest],
  invalid: [400, MESSAGES.invalid],
};

const loginBody = z.object({ name: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) });
const inviteBody = z.object({ token: z.string().min(1).max(100) });
const presenceBody = z.object({ presence: z.enum(PRESENCES) });
const messageBody = z.object({ text: z.string().trim().min(1).max(4000) });
const pinBody = z.object({ organisation: z.string().trim().min(1).max(254), via: z.enum(['email', 'phone']) });
const requestBody = z
  .object({ status: z.enum(STATUSES).optional(), note: z.string().trim().min(1).max(2000).optional() })
  .refine((b) => b.status !== undefined || b.note !== undefined);
const dashboardQuery = z.object({ hours: z.coerce.number().int().min(1).max(168).default(24) });
const handoffId = z.string().min(1).max(100);

function consoleDir(): string {
  const here = __dirname;
  return fs.existsSync(path.join(here, 'console.html')) ? here : path.resolve(here, '../../../bot/agent-console');
}

function cookieToken(req: Request): string | undefined {
  return /(?:^|;\s*)agent_session=([A-Za-z0-9_-]{43})(?:;|$)/.exec(String(req.headers.cookie ?? ''))?.[1];
}

/** Compares digests, so neither length nor content leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const digest = (v: string) => crypto.createHash('sha256').update(v, 'utf8').digest();
  return crypto.timingSafeEqual(digest(a), digest(b));
}

function reply(res: Response, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.header('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.header(name, value);
  res.status(status);
  res.json(body);
}

const fail = (res: Response, status: number, message: string) => reply(res, status, { error: message });

interface Signed {
  agent: Agent;
  token: string;
  csrf: string;
}

type SignedHandler = (req: Request, res: Response, who: Signed) => Promise<void> | void;

export function agentConsoleRoutes(options: AgentConsoleOptions): Route[] {
  const { backend, agents, sessions, logger } = options;
  const dir = consoleDir();
  const heartbeatMs = (options.heartbeatSeconds ?? 15) * 1000;
  // chart.js's package exports hide its UMD build; it sits next to the CommonJS entry.
  const chartJs = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  /** Open event streams by session token, so logout closes them. */
  const streams = new Map<string, Set<() => void>>();

  const setCookie = (res: Response, token: string) =>
    res.header('Set-Cookie', `${COOKIE}=${token}; Path=/agent; Max-Age=${SESSION_HOURS * 3600}; HttpOnly; SameSite=Strict${options.secureCookies ? '; Secure' : ''}`);
  const clearCookie = (res: Response) =>
    res.header('Set-Cookie', `${COOKIE}=; Path=/agent; Max-Age=0; HttpOnly; SameSite=Strict${options.secureCookies ? '; Secure' : ''}`);

  const signIn = async (req: Request, res: Response, agent: Agent) => {
    await sessions.destroy(cookieToken(req));
    const session = await sessions.create(agent.name);
    setCookie(res, session.token);
    reply(res, 200, { name: agent.name, csrf: session.csrf });
  };

  /** Who is calling: a live session of an existing agent, and for POSTs the session's CSRF token. */
  const signed = (handler: SignedHandler, checkCsrf: boolean) => async (req: Request, res: Response) => {
    const token = cookieToken(req);
    const session = await sessions.find(token);
    const agent = session && (await agents.get(session.agentName));
    if (!token || !session || !agent) return fail(res, 401, MESSAGES.signIn);
    if (checkCsrf) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameSecret(header, session.csrf)) return fail(res, 403, MESSAGES.csrf);
    }
    try {
      await handler(req, res, { agent, token, csrf: session.csrf });
    } catch (error) {
      if (error instanceof HandoffError) {
        const [status, message] = HANDOFF_ERRORS[error.reason] ?? [400, MESSAGES.invalid];
        logger.debug({ reason: error.reason, path: req.path(), agent: agent.name }, 'console action refused');
        return fail(res, status, message);
      }
      throw error;
    }
  };
  const get = (p: string, handler: SignedHandler): Route => ({ method: 'get', path: p, handler: signed(handler, false) });
  const post = (p: string, handler: SignedHandler): Route => ({ method: 'post', path: p, handler: signed(handler, true) });

  const servesQueue = async (agent: Agent, queue: string) => (await backend.queuesFor(agent)).some((q) => q.queue === queue);
  /** Readable by its agent, or by anyone serving its queue while it waits. */
  const mayRead = async (agent: Agent, handoff: Handoff) =>
    handoff.agentName === agent.name || (handoff.status === 'waiting' && (await servesQueue(agent, handoff.queue)));

  /** Runs an action on one handoff after parsing its body; unknown ids are 404 before the backend sees them. */
  const onHandoff = <T>(schema: z.ZodType<T> | undefined, action: (id: string, body: T, who: Signed, res: Response) => Promise<void>): SignedHandler =>
    async (req, res, who) => {
      const id = handoffId.safeParse(req.params?.id);
      if (!id.success || !(await backend.get(id.data))) return fail(res, 404, MESSAGES.notFound);
      let body = undefined as T;
      if (schema) {
        const parsed = schema.safeParse(req.body ?? {});
        if (!parsed.success) return fail(res, 400, MESSAGES.badRequest);
        body = parsed.data;
      }
      await action(id.data, body, who, res);
    };

  const files: Record<string, [string, string]> = {
    '/agent': ['console.html', 'text/html; charset=utf-8'],
    '/agent/console.js': ['console.js', 'application/javascript; charset=utf-8'],
    '/agent/console.css': ['console.css', 'text/css; charset=utf-8'],
  };
  const staticRoutes: Route[] = Object.entries(files).map(([route, [file, type]]) => ({
    method: 'get',
    path: route,
    handler: (_req, res) => {
      const body = fs.readFileSync(path.join(dir, file));
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': body.length,
        'Cache-Control': 'no-cache',
        ...SECURITY_HEADERS,
        ...(type.startsWith('text/html') ? { 'Content-Security-Policy': PAGE_POLICY } : {}),
      });
      res.end(body);
    },
  }));

  return [
    ...staticRoutes,
    {
      method: 'get',
      path: '/agent/chart.js',
      handler: (_req, res) => {
        const body = fs.readFileSync(chartJs);
        res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' });
        res.end(body);
      },
    },
    {
      method: 'post',
      path: '/agent/api/login',
      handler: async (req, res) => {
        const body = loginBody.safeParse(req.body);
        if (!body.success) return fail(res, 400, MESSAGES.badRequest);
        const { name, password } = body.data;
        // Counted before the (slow) check, so concurrent guesses hit the limit too.
        if (!(await sessions.loginAttempt(name))) {
          logger.warn({ agent: name }, 'console login rate limited');
          res.header('Retry-After', String(LOGIN_WINDOW_MINUTES * 60));
          return fail(res, 429, MESSAGES.tooMany);
        }
        const agent = await agents.checkPassword(name, password);
        if (!agent) {
          logger.info({ agent: name }, 'console login refused');
          return fail(res, 401, MESSAGES.wrongLogin);
        }
        await sessions.loginSucceeded(name);
        logger.info({ agent: agent.name }, 'console login');
        await signIn(req, res, agent);
      },
    },
    {
      method: 'post',
      path: '/agent/api/invite',
      handler: async (req, res) => {
        const body = inviteBody.safeParse(req.body);
        const name = body.success ? await sessions.redeem(body.data.token) : undefined;
        const agent = name ? await agents.get(name) : undefined;
        if (!agent) return fail(res, 401, MESSAGES.badInvite);
        logger.info({ agent: agent.name }, 'console invite redeemed');
        await signIn(req, res, agent);
      },
    },
    get('/agent/api/session', (_req, res, { agent, csrf }) =>
      reply(res, 200, { name: agent.name, languages: agent.languages, queues: agent.queues, presence: agent.presence, csrf })),
    post('/agent/api/logout', async (_req, res, { token }) => {
      await sessions.destroy(token);
      for (const close of streams.get(token) ?? []) close();
      clearCookie(res);
      reply(res, 200, { ok: true });
    }),
    post('/agent/api/presence', async (req, res, { agent }) => {
      const body = presenceBody.safeParse(req.body);
      if (!body.success) return fail(res, 400, MESSAGES.badRequest);
      await backend.setPresence(agent.name, body.data.presence);
      reply(res, 200, { presence: body.data.presence });
    }),
    get('/agent/api/queues', async (_req, res, { agent }) => reply(res, 200, { queues: await backend.queuesFor(agent), mine: await backend.mine(agent.name) })),
    get('/agent/api/handoffs/:id', onHandoff(undefined, async (id, _body, { agent }, res) => {
      const handoff = (await backend.get(id))!;
      if (!(await mayRead(agent, handoff))) return fail(res, 403, MESSAGES.forbidden);
      reply(res, 200, { handoff, transcript: await backend.transcript(id) });
    })),
    post('/agent/api/handoffs/:id/accept', onHandoff(undefined, async (id, _body, { agent }, res) => {
      const handoff = (await backend.get(id))!;
      if (handoff.status === 'waiting' && !(await servesQueue(agent, handoff.queue))) return fail(res, 403, MESSAGES.forbidden);
      const result = await backend.accept(id, agent.name);
      if (result.ok) return reply(res, 200, { handoff: result.handoff });
      if (result.reason === 'taken') return fail(res, 409, `This conversation was already taken by ${result.by}.`);
      fail(res, 404, MESSAGES.gone);
    })),
    post('/agent/api/handoffs/:id/messages', onHandoff(messageBody, async (id, body, { agent }, res) => {
      await backend.send(id, agent.name, body.text);
      reply(res, 202, { ok: true });
    })),
    post('/agent/api/handoffs/:id/typing', onHandoff(undefined, async (id, _body, { agent }, res) => {
      await backend.typing(id, agent.name);
      reply(res, 202, { ok: true });
    })),
    post('/agent/api/handoffs/:id/pin', onHandoff(pinBody, async (id, body, { agent }, res) => {
      const result = await backend.sendPin(id, agent.name, body);
      reply(res, 200, { outcome: result.outcome, destination: result.destination });
    })),
    post('/agent/api/handoffs/:id/request', onHandoff(requestBody, async (id, body, { agent }, res) => {
      const request = await backend.updateRequest(id, agent.name, body);
      reply(res, 200, { request: { number: request.number, status: request.status } });
    })),
    post('/agent/api/handoffs/:id/end', onHandoff(undefined, async (id, _body, { agent }, res) => {
      await backend.end(id, agent.name);
      reply(res, 200, { ok: true });
    })),
    get('/agent/api/dashboard', async (req, res) => {
      const query = dashboardQuery.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams));
      if (!query.success) return fail(res, 400, MESSAGES.badRequest);
      reply(res, 200, await backend.dashboard(query.data.hours));
    }),
    get('/agent/api/events', (req, res, { agent, token }) => {
      // Written on the raw response: once the headers are out restify leaves the stream open.
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        ...SECURITY_HEADERS,
      });
      res.write('retry: 3000\n\n');
      const send = (event: ConsoleEvent) => {
        if (!res.writableEnded) res.write(`data: ${JSON.stringify(event)}\n\n`);
      };
      const unsubscribe = backend.subscribe(agent.name, send);
      const disconnected = backend.connected(agent.name);
      const heartbeat = setInterval(() => {
        // A session that expired or logged out elsewhere stops streaming.
        void sessions.find(token).then((live) => (live ? !res.writableEnded && res.write(': heartbeat\n\n') : close()), close);
      }, heartbeatMs);
      heartbeat.unref();
      let closed = false;
      const close = () => {
        if (!res.writableEnded) res.end();
      };
      const cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        streams.get(token)?.delete(close);
        if (streams.get(token)?.size === 0) streams.delete(token);
        unsubscribe();
        disconnected();
      };
      if (!streams.has(token)) streams.set(token, new Set());
      streams.get(token)!.add(close);
      res.on('close', cleanup);
      // Kept open past the server's request timeout: an idle stream is expected.
      req.socket.setTimeout(0);
    }),
  ];
}
