// The HTTP surface: restify with strict wire limits. Bodies that reach a handler are parsed JSON objects;
// error bodies carry a fixed message per status, never an exception's text.
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
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
  503: 'The service is not available right now. Try again later.',
};

export function publicMessage(status: number): string {
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
    // The body stays unread: close rather than drain it.
    res.setHeader('connection', 'close');
    sendError(res, 415);
    return next(false);
  }
  next();
}

/** Deeper JSON than any activity or card carries; deeper bodies are refused before JSON.parse. */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` nests arrays and objects more than `max` deep (brackets inside strings don't count). */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Reads and parses JSON bodies within `maxBytes`, replacing restify's bodyReader/jsonBodyParser, which
 * read a body to its end before checking its size (a 10 MB upload was received in full before the
 * 413) and counted gzip-compressed bytes only (a 50 KB gzip body inflated to 50 MB was accepted).
 * Here a declared Content-Length over the limit is refused before a byte is read, a streamed body as
 * soon as it passes the limit (raw or inflated), and the connection is closed rather than drained.
 */
function jsonBody(maxBytes: number, logger: Logger): restify.RequestHandler {
  return (req: Request, res: Response, next: restify.Next): void => {
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && (declared === undefined || Number(declared) === 0)) return next();
    let finished = false;
    const finish = (status?: number) => {
      if (finished) return;
      finished = true;
      if (status === undefined) return next();
      if (status === 413) {
        // Don't read the rest: close the connection once the answer is out.
        res.setHeader('connection', 'close');
        req.unpipe();
        req.pause();
      }
      logger.debug({ status, path: req.path() }, 'request body refused');
      sendError(res, status);
      next(false);
    };
    if (!chunked && Number(declared) > maxBytes) return finish(413);

    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    let source: Readable = req;
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
      const inflate = encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
      inflate.on('error', () => finish(400));
      source = req.pipe(inflate);
    } else if (encoding !== 'identity') return finish(415);

    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) finish(413);
    });
    const chunks: Buffer[] = [];
    let length = 0;
    source.on('data', (chunk: Buffer) => {
      if (finished) return;
      length += chunk.length;
      if (length > maxBytes) {
        if (source !== req) (source as zlib.Gunzip).destroy();
        return finish(413);
      }
      chunks.push(chunk);
    });
    source.on('end', () => {
      if (finished) return;
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const text = Buffer.concat(chunks, length).toString('utf8');
      if (!text.trim() || (type !== 'application/json' && !type.endsWith('+json'))) return finish();
      if (jsonDeeperThan(text, MAX_JSON_DEPTH)) return finish(400);
      try {
        req.body = JSON.parse(text);
      } catch {
        return finish(400);
      }
      finish();
    });
    // A client that goes away mid-body gets no answer; the request simply ends here.
    req.on('aborted', () => {
      if (!finished) {
        finished = true;
        next(false);
      }
    });
    req.on('error', () => finish(400));
  };
}

export function createServer(options: ServerOptions): Server {
  const { logger } = options;
  const server = restify.createServer({ name: 'admin-support-bot', handleUncaughtExceptions: false });

  server.pre(restify.plugins.pre.context());
  // A declared size over the limit is refused on any route and method, before routing and reading.
  server.pre((req: Request, res: Response, next: restify.Next) => {
    if (Number(req.headers['content-length'] ?? 0) <= options.maxBodyBytes) return next();
    res.setHeader('connection', 'close');
    sendError(res, 413);
    next(false);
  });
  server.use(requireJson);
  server.use(jsonBody(options.maxBodyBytes, logger));

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
