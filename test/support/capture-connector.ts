// A loopback Bot Framework Connector: the bot's replies are POSTed here, as they would be to the
// Emulator or a channel. Tests read what each conversation received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { closeServer, listenOnLoopback } from './loopback';

export class CaptureConnector {
  private readonly server: http.Server;
  private readonly received = new Map<string, Partial<Activity>[]>();
  private sequence = 0;
  /** Every request path the bot called, for protocol assertions. */
  readonly calls: { method: string; path: string }[] = [];

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        this.calls.push({ method: req.method ?? '', path });
        const match = path.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/);
        if (match && (req.method === 'POST' || req.method === 'PUT')) {
          const conversation = decodeURIComponent(match[1]);
          try {
            const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>;
            this.list(conversation).push(activity);
          } catch {
            res.writeHead(400).end();
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `reply-${++this.sequence}` }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  }

  private list(conversation: string): Partial<Activity>[] {
    let list = this.received.get(conversation);
    if (!list) this.received.set(conversation, (list = []));
    return list;
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  activities(conversation: string): Partial<Activity>[] {
    return [...(this.received.get(conversation) ?? [])];
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

/** Text of an activity plus its cards, flattened the way a person (or a judge) would read it. */
export function readable(activity: Partial<Activity>): string {
  const parts = [activity.text ?? ''];
  for (const attachment of activity.attachments ?? []) parts.push(JSON.stringify(attachment.content ?? attachment));
  return parts.join('\n');
}
