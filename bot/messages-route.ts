// POST /api/messages: the Bot Framework entry point (Teams, the Emulator, Azure Bot Service channels).
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { SupportAdapter } from './adapter';
import type { Logger } from './logger';
import { sendError, Route } from './server';

export function messagesRoute(adapter: SupportAdapter, logic: (context: TurnContext) => Promise<void>, logger: Logger): Route {
  return {
    method: 'post',
    path: '/api/messages',
    handler: async (req: Request, res: Response) => {
      const body: unknown = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
        return sendError(res, 400);
      }
      const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      try {
        const invokeResponse = await adapter.handleActivity(authHeader, body as Activity, logic);
        res.status(invokeResponse?.status ?? 200);
        if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
        else res.end();
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode === 401 ? 401 : 500;
        if (status === 401) logger.warn({ path: '/api/messages' }, 'rejected an unauthenticated activity');
        else logger.error({ err }, 'activity processing failed');
        if (status === 401) {
          res.status(401);
          res.json({ error: 'Unauthorized.' });
        } else sendError(res, 500);
      }
    },
  };
}
