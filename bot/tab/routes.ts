// The "My requests" personal tab: a page (Teams or standalone) and its small same-origin API. The
// page shows nothing until a one-time code proves the person is an admin of the organisation; the
// session is an HttpOnly, SameSite=Strict cookie, and POST bodies must be JSON (no cross-site forms).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Route } from '../server';
import { sendError } from '../server';
import type { PinService } from '../pin/pin-service';
import type { RequestStore } from '../requests/requests';

const COOKIE = 'tab_session';
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://res.cdn.office.net; frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft";

export interface TabOptions {
  pins: Pick<PinService, 'request' | 'verify' | 'verifiedOrganisation'>;
  requests: RequestStore;
  /** Minutes a request of this queue is expected to wait, or undefined when unknown. */
  waitMinutes: (queue: string) => Promise<number | undefined>;
  secureCookies: boolean;
}

function tabDir(): string {
  const here = __dirname;
  return fs.existsSync(path.join(here, 'my-requests.html')) ? here : path.resolve(here, '../../../bot/tab');
}

function sessionOf(req: Request): string | undefined {
  const match = /(?:^|;\s*)tab_session=([A-Za-z0-9_-]{43})(?:;|$)/.exec(String(req.headers.cookie ?? ''));
  return match?.[1];
}

function scope(session: string) {
  return { channelId: 'tab', conversationId: session, userId: session, purpose: 'act-for-organisation' as const };
}

const pinBody = z.object({ organisation: z.string().trim().min(1).max(254), via: z.enum(['email', 'phone']).default('email') });
const verifyBody = z.object({ organisation: z.string().trim().min(1).max(254), code: z.string().max(20) });

export function tabRoutes(options: TabOptions): Route[] {
  const dir = tabDir();
  const files: Record<string, [string, string]> = {
    '/tab/my-requests': ['my-requests.html', 'text/html; charset=utf-8'],
    '/tab/my-requests.js': ['my-requests.js', 'application/javascript; charset=utf-8'],
    '/tab/my-requests.css': ['my-requests.css', 'text/css; charset=utf-8'],
  };
  // The package's main entry is its browser (UMD) bundle.
  const teamsJs = require.resolve('@microsoft/teams-js');

  const ensureSession = (req: Request, res: Response): string => {
    const existing = sessionOf(req);
    if (existing) return existing;
    const session = crypto.randomBytes(32).toString('base64url');
    res.header('Set-Cookie', `${COOKIE}=${session}; Path=/tab; HttpOnly; SameSite=Strict${options.secureCookies ? '; Secure' : ''}`);
    return session;
  };
  const locale = (req: Request) => (/^ko\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'ko' : 'en');

  const staticRoutes: Route[] = Object.entries(files).map(([route, [file, type]]) => ({
    method: 'get',
    path: route,
    handler: (_req, res) => {
      const body = fs.readFileSync(path.join(dir, file));
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'X-Content-Type-Options': 'nosniff', ...(type.startsWith('text/html') ? { 'Content-Security-Policy': PAGE_POLICY } : {}) });
      res.end(body);
    },
  }));

  return [
    ...staticRoutes,
    {
      method: 'get',
      path: '/tab/teams-js.js',
      handler: (_req, res) => {
        const body = fs.readFileSync(teamsJs);
        res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'public, max-age=86400' });
        res.end(body);
      },
    },
    {
      method: 'post',
      path: '/tab/api/pin',
      handler: async (req, res) => {
        const body = pinBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400);
        const session = ensureSession(req, res);
        const result = await options.pins.request({
          scope: scope(session),
          organisation: body.data.organisation,
          via: body.data.via,
          activityKey: `tab|${session}|${crypto.randomUUID()}`,
          locale: locale(req),
        });
        res.status(result.outcome === 'rate-limited' ? 429 : 200);
        res.json(result);
      },
    },
    {
      method: 'post',
      path: '/tab/api/verify',
      handler: async (req, res) => {
        const body = verifyBody.safeParse(req.body);
        const session = sessionOf(req);
        if (!body.success || !session) return void (res.status(403), res.json({ ok: false }));
        const check = await options.pins.verify(scope(session), body.data.organisation, body.data.code);
        res.status(check.ok ? 200 : 403);
        res.json({ ok: check.ok });
      },
    },
    {
      method: 'get',
      path: '/tab/api/requests',
      handler: async (req, res) => {
        const session = sessionOf(req);
        const organisationId = session ? await options.pins.verifiedOrganisation(scope(session)) : undefined;
        // Not an error status: the page asks for a code, and the browser logs no failed request.
        if (!organisationId) return void res.json({ verified: false, requests: [] });
        const mine = await options.requests.listForOrganisation(organisationId, 50);
        const requests = await Promise.all(mine.map(async (r) => ({
          number: r.number,
          status: r.status,
          severity: r.severity,
          category: r.category,
          createdAt: r.createdAt,
          firstResponseDue: r.firstResponseDue,
          waitMinutes: r.status === 'new' || r.status === 'queued' ? ((await options.waitMinutes(r.queue)) ?? null) : null,
        })));
        res.json({ verified: true, organisationId, requests });
      },
    },
  ];
}
