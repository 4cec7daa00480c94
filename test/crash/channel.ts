// The channel side of the crash test: a loopback connector that receives the bot's replies, a
// watcher for the PIN mails the bot writes to DATA_DIR/outbox, the delivery link that redelivers
// an activity (same id) until the bot acknowledges it with a 200, and a user who drives one
// conversation from "new request" through the PIN to a created request, reacting to what the bot
// actually said (so a turn replayed or skipped by a crash does not derail it).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readable } from '../support/capture-connector';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { codeFromMail } from '../support/mail';
import { closeServer, listenOnLoopback } from '../support/loopback';

export interface Reply {
  seq: number;
  conversation: string;
  replyToId?: string;
  activity: Partial<Activity>;
}

/** Receives what the bot sends, in arrival order; survives the bot dying mid-request. */
export class CrashConnector {
  private readonly server: http.Server;
  private readonly byConversation = new Map<string, Reply[]>();
  private sequence = 0;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = (req.url ?? '').match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/);
        if (match && (req.method === 'POST' || req.method === 'PUT')) {
          try {
            const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>;
            const conversation = decodeURIComponent(match[1]);
            const list = this.byConversation.get(conversation) ?? [];
            this.byConversation.set(conversation, list);
            list.push({ seq: ++this.sequence, conversation, replyToId: activity.replyToId ?? (match[2] ? decodeURIComponent(match[2]) : undefined), activity });
          } catch {
            res.writeHead(400).end();
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `reply-${this.sequence}` }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  get seq(): number {
    return this.sequence;
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Messages sent in reply to one activity, optionally only those after a sequence number. */
  repliesTo(conversation: string, activityId: string, afterSeq = 0): Reply[] {
    return (this.byConversation.get(conversation) ?? []).filter((r) => r.replyToId === activityId && r.seq > afterSeq && r.activity.type === 'message');
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}


export interface Mail {
  file: string;
  to: string;
  code: string;
}

/** Reads the PIN mails in DATA_DIR/outbox, by recipient. Files that stay empty or unreadable are torn. */
export class Outbox {
  private readonly known = new Map<string, { mail?: Mail }>();
  private readonly byRecipient = new Map<string, Mail[]>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly dir: string) {}

  start(intervalMs = 40): void {
    this.timer = setInterval(() => this.scan(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reads new files; a file that cannot be read yet (being written) is tried again next time. */
  scan(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((f) => f.endsWith('.eml')).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const entry = this.known.get(name) ?? {};
      this.known.set(name, entry);
      if (entry.mail) continue;
      try {
        const raw = fs.readFileSync(path.join(this.dir, name), 'utf8');
        const to = /^To: (.+)$/m.exec(raw)?.[1]?.trim().toLowerCase();
        if (!to) continue;
        entry.mail = { file: name, to, code: codeFromMail(raw) };
        const list = this.byRecipient.get(to) ?? [];
        list.push(entry.mail);
        this.byRecipient.set(to, list);
      } catch {
        /* not complete yet, or torn */
      }
    }
  }

  mailsTo(recipient: string): Mail[] {
    return [...(this.byRecipient.get(recipient.toLowerCase()) ?? [])];
  }

  get total(): number {
    return [...this.known.values()].filter((e) => e.mail).length;
  }

  /** Files seen that never became a readable mail (checked when no delivery can be under way). */
  unreadable(): string[] {
    this.scan();
    return [...this.known.entries()].filter(([, e]) => !e.mail).map(([name]) => name);
  }
}

export interface DeliveryRecord {
  key: string;
  conversation: string;
  id: string;
  /** Connector sequence number when each delivery started. */
  deliveries: number[];
  acked: boolean;
  /** Answers other than 200 (the bot answered, but not OK). */
  non200: number[];
}

export interface LinkStats {
  activities: number;
  deliveries: number;
  redelivered: number;
  inFlightAtKills: number;
  non200: number;
}

/**
 * The channel's side of the wire: posts an activity, and when no 200 comes back (the connection
 * broke, or the bot answered an error) posts the same activity again once the bot is up.
 */
export class Link {
  private gate!: { promise: Promise<void>; open: () => void; isOpen: boolean };
  private port = 0;
  private inFlight = 0;
  private stopped = false;
  readonly records = new Map<string, DeliveryRecord>();
  readonly stats: LinkStats = { activities: 0, deliveries: 0, redelivered: 0, inFlightAtKills: 0, non200: 0 };

  constructor(private readonly connector: CrashConnector) {
    this.close();
  }

  /** Called just before the bot is killed: nothing new goes out until `open`. */
  close(): number {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    const gate = { promise, isOpen: false, open: () => ((gate.isOpen = true), open()) };
    this.gate = gate;
    return this.inFlight;
  }

  noteKill(): void {
    this.stats.inFlightAtKills += this.inFlight;
  }

  open(port: number): void {
    this.port = port;
    this.gate.open();
  }

  /** At the end of the test: deliveries still waiting give up instead of retrying forever. */
  shutdown(): void {
    this.stopped = true;
    this.gate.open();
  }

  /** Resolves once the bot has answered this activity with a 200. */
  async deliver(activity: Partial<Activity> & { id: string; conversation: { id: string } }): Promise<DeliveryRecord> {
    const key = `${activity.channelId}|${activity.conversation.id}|${activity.id}`;
    const record: DeliveryRecord = { key, conversation: activity.conversation.id, id: activity.id, deliveries: [], acked: false, non200: [] };
    this.records.set(key, record);
    this.stats.activities += 1;
    const body = JSON.stringify(activity);
    for (;;) {
      await this.gate.promise;
      if (this.stopped) throw new Error(`link shut down before ${key} was acknowledged`);
      const gate = this.gate;
      record.deliveries.push(this.connector.seq);
      this.stats.deliveries += 1;
      if (record.deliveries.length > 1) this.stats.redelivered += 1;
      this.inFlight += 1;
      let status = 0;
      try {
        status = await post(`http://127.0.0.1:${this.port}/api/messages`, body);
      } catch {
        status = 0;
      } finally {
        this.inFlight -= 1;
      }
      if (status === 200) {
        record.acked = true;
        return record;
      }
      if (status !== 0) {
        record.non200.push(status);
        this.stats.non200 += 1;
      }
      // The bot is down (the gate has been closed) or said no: wait a moment, then deliver again.
      if (gate === this.gate) await new Promise((r) => setTimeout(r, 150));
    }
  }
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, agent: false, timeout: 60_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** What a reply asks the user to do next. */
export type ReplyKind =
  | 'created'
  | 'form'
  | 'knownIssues'
  | 'partner'
  | 'codeSent'
  | 'codeRefused'
  | 'askMethod'
  | 'askOrganisation'
  | 'needVerify'
  | 'rateLimited'
  | 'turnError'
  | 'other';

const KINDS: [ReplyKind, RegExp][] = [
  ['created', /Request \d{4}-\d{6} is open/],
  ['form', /Open a support request/],
  ['knownIssues', /Is it one of these known issues\?/],
  ['partner', /Your subscription came through a partner/],
  ['codeSent', /a 6-digit code is on its way/],
  ['codeRefused', /That code didn't work|That code has expired|Too many tries/],
  ['askMethod', /Where should I send a one-time code/],
  ['askOrganisation', /Which organisation are you acting for/],
  ['needVerify', /only open a request for a verified admin/],
  ['rateLimited', /Several codes were sent recently/],
  ['turnError', /something went wrong on my side/],
];

export function kindOf(activity: Partial<Activity>): ReplyKind {
  const text = readable(activity);
  return KINDS.find(([, re]) => re.test(text))?.[0] ?? 'other';
}

export interface ConversationOutcome {
  conversation: string;
  /** Activity key of the submit whose confirmation arrived, and the number it gave. */
  created?: { key: string; number: string };
  turns: number;
  stuck?: string;
  /** Submits acknowledged with a 200 whose turn did not create a request (the dialog was elsewhere). */
  submitsOutsideForm: string[];
  /** What was said and what the bot answered, turn by turn ("Email>codeSent"), for diagnosis. */
  trail: string[];
}

export interface UserProfile {
  index: number;
  domain: string;
  email: string;
}

/** One admin: verifies with the PIN from the outbox, fills the form, stops at the confirmation. */
export async function runConversation(user: UserProfile, link: Link, connector: CrashConnector, outbox: Outbox, serviceUrl: string, maxTurns = 30): Promise<ConversationOutcome> {
  const conversation = `crash-c${user.index}`;
  const outcome: ConversationOutcome = { conversation, turns: 0, submitsOutsideForm: [], trail: [] };
  let usedMails = 0;
  let next: Partial<Activity> = { text: 'new request' };
  const codeFrom = async (waitMs: number): Promise<string | undefined> => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const mails = outbox.mailsTo(user.email);
      if (mails.length > usedMails) {
        usedMails = mails.length;
        return mails[mails.length - 1].code;
      }
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  for (let turn = 0; turn < maxTurns; turn++) {
    const id = `${conversation}-t${turn}`;
    const activity = {
      type: 'message',
      id,
      channelId: 'emulator',
      serviceUrl,
      conversation: { id: conversation },
      from: { id: `crash-u${user.index}`, name: `Admin ${user.index}` },
      recipient: { id: 'bot' },
      locale: 'en-US',
      ...next,
    } as Partial<Activity> & { id: string; conversation: { id: string } };
    const sentText = activity.text;
    const record = await link.deliver(activity);
    outcome.turns = turn + 1;
    const all = connector.repliesTo(conversation, id);
    const confirmation = all.map((r) => /Request (\d{4}-\d{6}) is open/.exec(readable(r.activity))?.[1]).find(Boolean);
    if (confirmation) {
      outcome.trail.push(`submit${record.deliveries.length > 1 ? `(x${record.deliveries.length})` : ''}>created`);
      outcome.created = { key: record.key, number: confirmation };
      return outcome;
    }
    if (activity.value) outcome.submitsOutsideForm.push(record.key);
    // React to what the last delivery produced (or to anything, when it produced nothing).
    const last = record.deliveries[record.deliveries.length - 1];
    const latest = connector.repliesTo(conversation, id, last);
    const kinds = (latest.length ? latest : all).map((r) => kindOf(r.activity)).filter((k) => k !== 'other');
    const kind = kinds[kinds.length - 1] ?? 'other';
    outcome.trail.push(`${activity.value ? 'submit' : /^\d{6}$/.test(sentText ?? '') ? 'code' : sentText}${record.deliveries.length > 1 ? `(x${record.deliveries.length})` : ''}>${kind}`);
    switch (kind) {
      case 'form':
        next = {
          text: undefined,
          value: {
            action: 'requestForm',
            description: `Crash test ${user.index}: mail to external recipients bounces since the MX change.`,
            category: 'technical',
            severity: 'B',
            phone: '+1 425 555 0100',
            email: user.email,
            method: 'email',
          },
        };
        break;
      case 'knownIssues':
        next = { text: 'None of these' };
        break;
      case 'partner':
        next = { text: 'Open a request anyway' };
        break;
      case 'askOrganisation':
        next = { text: user.domain };
        break;
      case 'askMethod':
        next = { text: 'Email' };
        break;
      case 'codeSent':
      case 'codeRefused': {
        // A lost mail (the bot died between recording the send and writing it) shows up as no mail.
        // The mail is written before the bot says it is on its way, so a short wait (for the outbox scan) is enough.
        const code = await codeFrom(kind === 'codeSent' ? 1_500 : 300);
        next = { text: code ?? 'resend' };
        break;
      }
      case 'rateLimited':
        outcome.stuck = 'rate limited';
        return outcome;
      default:
        next = { text: 'new request' };
    }
  }
  outcome.stuck = `no request after ${maxTurns} turns`;
  return outcome;
}
