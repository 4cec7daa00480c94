// The web chat widget and its demo page. Web Chat's own bundle is served from node_modules by the
// bot (never a CDN), so a page needs nothing but this origin.
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'restify';
import type { Route } from '../server';
import { sendError } from '../server';
import { escapeHtml } from '../help-routes';

/** bot/web beside the sources, whether running from bot/ (tsx) or dist/bot/ (compiled). */
function webDir(): string {
  const here = __dirname;
  const fromDist = path.resolve(here, '../../../bot/web');
  return fs.existsSync(path.join(here, 'widget.js')) ? here : fromDist;
}

/** Web Chat's browser bundle: its package main is lib/index.js, the bundle sits in dist/. */
function webChatBundle(): string {
  const main = require.resolve('botframework-webchat');
  return path.join(path.dirname(main), '..', 'dist', 'webchat.js');
}

// The demo page loads scripts and data from this origin only; Web Chat and Adaptive Cards use inline styles.
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'";

// Linked from the Teams manifest. Short and true to what the bot does.
const LEGAL = {
  privacy:
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Privacy</title><body style="font-family:system-ui;max-width:46rem;margin:2rem auto"><h1>Privacy</h1>' +
    '<p>The bot keeps conversation state, the questions asked of its help search (query text only, no user ids), organisation profiles, service requests with the contact details you enter, and salted hashes of one-time codes, in its own database. Codes are never stored or logged in clear. Nothing is shared with third parties.</p></body></html>',
  terms:
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Terms of use</title><body style="font-family:system-ui;max-width:46rem;margin:2rem auto"><h1>Terms of use</h1>' +
    '<p>This bot helps Microsoft 365 admins find support information and open requests. Its answers come from its help articles and support directory; check the admin center for the latest details.</p></body></html>',
};

function send(res: Response, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

export function webRoutes(publicUrl: string): Route[] {
  const dir = webDir();
  const widget = fs.readFileSync(path.join(dir, 'widget.js'));
  const demo = fs.readFileSync(path.join(dir, 'demo.html'), 'utf8');
  let bundle: Buffer | undefined;
  return [
    {
      method: 'get',
      path: '/',
      handler: (req: Request, res: Response) => {
        const korean = new URLSearchParams(String(req.getQuery() ?? '')).get('lang') === 'ko';
        const page = demo
          .replaceAll('{{BOT_URL}}', escapeHtml(publicUrl))
          .replace('{{LOCALE}}', korean ? 'ko-KR' : 'en-US')
          .replace('<html lang="en">', korean ? '<html lang="ko">' : '<html lang="en">');
        send(res, 'text/html; charset=utf-8', page, { 'Content-Security-Policy': PAGE_POLICY });
      },
    },
    {
      // Browsers ask for it on every page; an empty answer keeps their consoles clean.
      method: 'get',
      path: '/favicon.ico',
      handler: (_req, res) => {
        res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
        res.end();
      },
    },
    ...(['privacy', 'terms'] as const).map(
      (page): Route => ({
        method: 'get',
        path: `/${page}`,
        handler: (_req, res) => send(res, 'text/html; charset=utf-8', LEGAL[page], { 'Content-Security-Policy': PAGE_POLICY }),
      }),
    ),
    {
      method: 'get',
      path: '/widget.js',
      handler: (_req, res) => send(res, 'application/javascript; charset=utf-8', widget, { 'Cache-Control': 'public, max-age=300' }),
    },
    {
      method: 'get',
      path: '/webchat/webchat.js',
      handler: (_req, res) => {
        try {
          bundle ??= fs.readFileSync(webChatBundle());
        } catch {
          return sendError(res, 404);
        }
        send(res, 'application/javascript; charset=utf-8', bundle, { 'Cache-Control': 'public, max-age=86400' });
      },
    },
  ];
}
