// Support's side of a request, over HTTP with a bearer token (REQUEST_API_TOKEN; no token, no API):
// list, show with history and chat transcripts, and change the status, which also tells the requester in the
// conversation where the request was made.
import crypto from 'node:crypto';
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Route } from '../server';
import { sendError } from '../server';
import { RequestError, RequestStore, ServiceRequest, STATUSES } from './requests';

export interface RequestRoutesOptions {
  token?: string;
  store: RequestStore;
  /** Tells the requester; failures are logged by the caller and don't undo the change. */
  notify: (request: ServiceRequest, note?: string) => Promise<void>;
  /** The request's chats with agents, each with its transcript. */
  chats?: (number: string) => Promise<{ handoff: unknown; transcript: unknown[] }[]>;
}

const statusChange = z.object({
  status: z.enum(STATUSES),
  note: z.string().trim().min(1).max(2000).optional(),
  actor: z.string().trim().min(1).max(100).default('support'),
});

/** Constant-time comparison of hashes, so the token's length and prefix leak nothing. */
function authorised(req: Request, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(token));
}

export function requestRoutes(options: RequestRoutesOptions): Route[] {
  const { token, store } = options;
  if (!token) return [];
  const guard = (handler: (req: Request, res: Response) => Promise<void> | void) => async (req: Request, res: Response) => {
    if (!authorised(req, token)) return sendError(res, 401);
    await handler(req, res);
  };
  return [
    {
      method: 'get',
      path: '/api/requests',
      handler: guard(async (_req, res) => {
        res.json({ requests: (await store.list(100)).map(({ conversationReference: _ref, ...r }) => r) });
      }),
    },
    {
      method: 'get',
      path: '/api/requests/:number',
      handler: guard(async (req, res) => {
        const request = await store.get(String(req.params.number));
        if (!request) return sendError(res, 404);
        const { conversationReference: _ref, ...visible } = request;
        res.json({ request: visible, history: await store.historyOf(request.number), chats: (await options.chats?.(request.number)) ?? [] });
      }),
    },
    {
      method: 'post',
      path: '/api/requests/:number/status',
      handler: guard(async (req, res) => {
        const body = statusChange.safeParse(req.body);
        if (!body.success) return sendError(res, 400);
        let updated: ServiceRequest;
        try {
          updated = await store.setStatus(String(req.params.number), body.data.status, body.data.actor, body.data.note);
        } catch (error) {
          if (!(error instanceof RequestError)) throw error;
          return sendError(res, error.reason === 'request.error.notFound' ? 404 : 409);
        }
        await options.notify(updated, body.data.note);
        const { conversationReference: _ref, ...visible } = updated;
        res.json({ request: visible });
      }),
    },
  ];
}
