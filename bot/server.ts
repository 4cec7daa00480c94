// The HTTP surface: restify with strict wire limits. Bodies that reach a handler are parsed JSON objects;
// error bodies carry a fixed message per status, never an exception's text.
import restify, { Request, Response, Server } from 'restify';
import type { Logger } from './logger';

export interface Route {
  method: 'get' | 'post' | 'put' | 'del' | 'opts';
  path: string;
  handler: (req: Request, res: Response) => Promise<void> | void;
}

export interface ServerOptions {
  maxBodyBytes: number;
  logger: Logger;
  routes: Route[];
}

const PUBLIC_MESSAGES: Record<number, string> = {
  400: 'The request body is not valid JSON.',
  401: 'Unauthorized.',
  404: 'Not found.',
  405: 'Method not allowed.',
  406: 'Not acceptable.',
  409: 'The change is not allowed in the current state.',
  413: 'The request body is too large.',
  415: 'Only application/json bodies are accepted.',
  500: 'Internal error.',
  502: 'An upstream service did not answer.',
};

function publicMessage(status: number): string {
  return PUBLIC_MESSAGES[status] ?? (status >= 500 ? PUBLIC_MESSAGES[500] : 'Bad request.');
}

export function sendError(res: Response, status: number): void {
  if (res.headersSent) return;
  res.status(status);
  res.json({ error: publicMessage(status) });
}

/** Only JSON is accepted on routes that take a body. */
function requireJson(req: Request, res: Response, next: restify.Next): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE' || req.method === 'OPTIONS') return next();
  // A POST with no body (Direct Line's token calls) has nothing to type-check.
  if (!req.headers['content-type'] && (req.headers['content-length'] === undefined || req.headers['content-length'] === '0') && !req.headers['transfer-encoding']) return next();
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    sendError(res, 415);
    return next(false);
  }
  next();
}

export function createServer(options: ServerOptions): Server {
  const { logger } = options;
  const server = restify.createServer({ name: 'admin-support-bot', handleUncaughtExceptions: false });

  server.pre(restify.plugins.pre.context());
  server.use(requireJson);
  server.use(restify.plugins.bodyReader({ maxBodySize: options.maxBodyBytes }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));

  // restify builds error bodies from error messages (which carry parser internals); replace them.
  server.on('restifyError', (req: Request, res: Response, err: { statusCode?: number; toJSON?: () => unknown }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logger.error({ err, path: req.path() }, 'request failed');
    else logger.debug({ status, path: req.path() }, 'request rejected');
    err.toJSON = () => ({ error: publicMessage(status) });
    cb();
  });

  for (const route of options.routes) {
    server[route.method](route.path, async (req: Request, res: Response) => {
      try {
        await route.handler(req, res);
      } catch (err) {
        logger.error({ err, path: route.path }, 'handler failed');
        sendError(res, 500);
      }
    });
  }
  return server;
}
