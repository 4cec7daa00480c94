// npm run bench:load — throughput, latency and memory of the bot's turn path under concurrent
// conversations, on loopback, against three references measured the same way in the same run:
//   floor    a bare restify endpoint that parses the activity and POSTs one reply (no bot can beat it);
//   stock    Microsoft's echo sample: a plain CloudAdapter + ActivityHandler replying "Echo: <text>";
//   durable  the same echo through the bot's own HTTP surface, adapter and turn machinery, saving state
//            and kept replies to SQLite before replying (test/bench/load-targets.ts): the least a turn
//            costs in this bot before any help-desk work;
//   bot      the real bot (bot/index.ts, local mode, SQLite in a temp DATA_DIR, LOG_LEVEL=info to a file).
// Each server runs in its own child process (fresh per scenario) so its peak RSS (VmHWM) is its own.
// This process is the channel: the load generator (keep-alive agent, one socket per conversation) and
// a loopback capture connector that the activities' serviceUrl points at, answering
// POST /v3/conversations/:id/activities at once over keep-alive.
//
// Every conversation runs a scripted flow, one message after the other: a greeting, a phone question,
// a help search and the start of a request (which asks to verify first); then the next conversation.
// Turns/s counts the turns completed in the measured window; latencies and errors are those of the turns
// started in it. A turn's latency: from writing the POST /api/messages until its HTTP response has been read. The bot
// (like the sample) answers only after the turn completed, and replies are POSTed to the connector
// during the turn, so the latency covers understanding, state, storage and every reply's round trip.
// A turn counts as an error when the status is not 200, the request fails or times out, or no reply
// reached the connector during the turn. After the targets' verdicts it prints what the two speed
// targets ask of this machine, from the run's own figures: CPU per turn left at 2x stock, and the
// throughput a 50 ms p99 implies in this closed loop.
//
// Options: --duration S (10) --warmup S (3) --concurrency 50,200 --targets floor,stock,durable,bot
//          --conversations 10000 (0 skips the stored-conversations run) --runs 1 (more runs: each one
//          starts every target in turn again, and the ratios are printed per run too) --profile (bot only,
//          50 connections, node --cpu-prof into test-output/) --compiled (run dist/bot/index.js, as npm start
//          does; `npm run bench:load` builds first and passes it) --node-flags="..." (the bot's node flags;
//          by default those of package.json's start script, the heap limits)
//          --channel webchat|emulator|... --what-if sqlite-normal,card-templates,intl-cache (test/bench/what-if.ts)
//          --node-options="--max-old-space-size=192" (the bot's NODE_OPTIONS) --log-level info.
// Diagnostics: BENCH_DEBUG=1 prints every measured turn slower than 3 s; BENCH_PRELOAD=FILE preloads FILE
// into the bot (an event-loop or heap monitor). Server output goes to test-output/bench-load-<target>.log,
// results to test-output/bench-load-<time>.json.
import { spawn, ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { freePort } from '../support/bot-process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { closeServer, listenOnLoopback } from '../support/loopback';

const ROOT = path.resolve(__dirname, '..', '..');
const OUTPUT = path.join(ROOT, 'test-output');

// ---------------------------------------------------------------------------------------------- options
/** `--name value` or `--name=value`; the second form takes values that start with "--" (node flags). */
function option(name: string, fallback: string): string {
  const joined = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (joined) return joined.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  // A value like "--max-old-space-size=640" looks like the next option: refuse it rather than run
  // the whole bench on the default without saying so.
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value; write --${name}="..." when it starts with --`);
  return value;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const OPTIONS = {
  durationMs: Number(option('duration', '10')) * 1000,
  warmupMs: Number(option('warmup', '3')) * 1000,
  concurrency: option('concurrency', '50,200').split(',').map(Number),
  targets: option('targets', 'floor,stock,durable,bot').split(',') as TargetKind[],
  conversations: Number(option('conversations', '10000')),
  runs: Number(option('runs', '1')),
  profile: flag('profile'),
  compiled: flag('compiled'),
  logLevel: option('log-level', 'info'),
  // Azure Bot Service's Web Chat channel by default; "msteams" takes the Teams paths.
  channel: option('channel', 'webchat'),
  /** Patches preloaded into the bot to measure fixes in code the bench does not own (see what-if.ts). */
  whatIf: option('what-if', ''),
  /** Node flags on the bot's command line: by default the ones `npm start` uses. */
  nodeFlags: option('node-flags', startScriptFlags()).split(/\s+/).filter(Boolean),
  /** NODE_OPTIONS for the bot's process (V8 heap flags, e.g. "--max-old-space-size=192"). */
  nodeOptions: option('node-options', ''),
};

/** The node flags of package.json's start script ("node --a --b dist/bot/index.js" gives "--a --b"). */
function startScriptFlags(): string {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return start.split(/\s+/).filter((word) => word.startsWith('--')).join(' ');
}

type TargetKind = 'floor' | 'stock' | 'durable' | 'bot';
/** Targets that keep a database, each in a fresh data folder. */
const storesData = (kind: TargetKind) => kind === 'bot' || kind === 'durable';
/** Warm-up ends after --warmup once every conversation has finished one flow, or after this at the latest. */
const MAX_WARMUP_MS = 30_000;

/** The scripted flow, one conversation's messages in order. */
const FLOW = [
  { step: 'greeting', text: 'hi' },
  { step: 'phone', text: 'support phone number in Australia' },
  { step: 'search', text: 'how do I create a shared mailbox' },
  { step: 'request', text: 'new request' },
] as const;

// ------------------------------------------------------------------------------------ capture connector
/** The channel's side: counts the replies per conversation and keeps the bodies of `check-` ones. */
class Capture {
  readonly counts = new Map<string, number>();
  readonly kept = new Map<string, unknown[]>();
  calls = 0;
  /** TCP connections the target opened to the connector: one per socket when it keeps them alive. */
  connections = 0;
  private readonly server: http.Server;
  private sequence = 0;

  constructor() {
    this.server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      const conversation = match ? decodeURIComponent(match[1]) : undefined;
      const keep = conversation?.startsWith('check-');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => keep && chunks.push(c));
      req.on('end', () => {
        this.calls += 1;
        if (conversation && (req.method === 'POST' || req.method === 'PUT')) {
          this.counts.set(conversation, (this.counts.get(conversation) ?? 0) + 1);
          if (keep) {
            const list = this.kept.get(conversation) ?? [];
            list.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            this.kept.set(conversation, list);
          }
        }
        const body = `{"id":"r-${++this.sequence}"}`;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      });
    });
    this.server.headersTimeout = 66_000;
    this.server.on('connection', () => (this.connections += 1));
  }

  count(conversation: string): number {
    return this.counts.get(conversation) ?? 0;
  }

  async start(): Promise<void> {
    await listenOnLoopback(this.server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

// -------------------------------------------------------------------------------------------- targets
interface Target {
  kind: TargetKind;
  label: string;
  url: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}


function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Servers still running: stopped if this process ends early (Ctrl-C, a closed pipe, an error). */
const children = new Set<ChildProcess>();
/** Temporary data folders, removed at the end whatever happens. */
const tempDirs: string[] = [];
process.on('exit', () => {
  children.forEach((c) => c.kill('SIGKILL'));
  for (const dir of [...tempDirs, ...(indexCache ? [indexCache] : [])]) fs.rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(130));
process.stdout.on('error', () => process.exit(1));

/** A help index one bot built at start (when build/search did not match), for the next ones. */
let indexCache: string | undefined;

async function startTarget(kind: TargetKind, label: string, options: { dataDir?: string; cpuProfile?: string } = {}): Promise<Target> {
  const port = await freePort();
  const logFile = path.join(OUTPUT, `bench-load-${label}.log`);
  const out = fs.openSync(logFile, 'w');
  const profileArgs = options.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', OUTPUT, '--cpu-prof-name', options.cpuProfile] : [];
  const loader = ['-r', 'tsx/cjs'];
  const whatIf = OPTIONS.whatIf ? ['-r', path.join(__dirname, 'what-if.ts')] : [];
  if (process.env.BENCH_PRELOAD) whatIf.push('-r', process.env.BENCH_PRELOAD);
  const args =
    kind === 'bot'
      ? OPTIONS.compiled
        ? [...profileArgs, ...OPTIONS.nodeFlags, ...(whatIf.length ? loader : []), ...whatIf, path.join(ROOT, 'dist', 'bot', 'index.js')]
        : [...profileArgs, ...OPTIONS.nodeFlags, ...loader, ...whatIf, path.join(ROOT, 'bot', 'index.ts')]
      : // The durable echo gets the bot's node flags too, so what differs from the bot is the help desk.
        [...profileArgs, ...(kind === 'durable' ? OPTIONS.nodeFlags : []), ...loader, path.join(__dirname, 'load-targets.ts'), kind, String(port), ...(options.dataDir ? [options.dataDir] : [])];
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  if (kind === 'bot') {
    // PUBLIC_URL is part of the help index's fingerprint: with the default one the index `npm run build`
    // made (build/search) is loaded, as after a deployment, rather than rebuilt at every start.
    Object.assign(env, { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: options.dataDir!, LOG_LEVEL: OPTIONS.logLevel, PUBLIC_URL: 'http://localhost:3978' });
    if (OPTIONS.whatIf) env.BENCH_WHAT_IF = OPTIONS.whatIf;
    if (OPTIONS.nodeOptions) env.NODE_OPTIONS = OPTIONS.nodeOptions;
    // When build/search is older than the articles, the first start builds the index: later ones reuse it.
    if (indexCache && !fs.existsSync(path.join(options.dataDir!, 'search'))) fs.cpSync(indexCache, path.join(options.dataDir!, 'search'), { recursive: true });
  }
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  children.add(child);
  child.on('exit', () => children.delete(child));
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const deadline = Date.now() + 120_000;
  while (!(await canConnect(port))) {
    if (exited !== undefined || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not start (exit ${exited}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    await sleep(50);
  }
  return {
    kind,
    label,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    logFile,
    stop: async () => {
      if (exited === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
      const built = options.dataDir ? path.join(options.dataDir, 'search') : undefined;
      if (built && !indexCache && fs.existsSync(built) && fs.readdirSync(built).some((f) => f.endsWith('.bin'))) {
        indexCache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-index-'));
        fs.cpSync(built, indexCache, { recursive: true });
      }
    },
  };
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** VmRSS and VmHWM (peak RSS since start) of a process, in MB. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

// ------------------------------------------------------------------------------------- load generator
function activity(capture: Capture, conversation: string, user: number, i: number, text: string) {
  const now = new Date();
  return {
    type: 'message',
    id: `${conversation}-${i}`,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    localTimezone: 'Australia/Sydney',
    channelId: OPTIONS.channel,
    serviceUrl: capture.url,
    conversation: { id: conversation },
    from: { id: `user-${user}`, name: 'Bench User', role: 'user' },
    recipient: { id: 'bot', name: 'Bot', role: 'bot' },
    locale: 'en-US',
    textFormat: 'plain',
    text,
  };
}

function post(agent: http.Agent, url: string, value: unknown): Promise<number> {
  const body = JSON.stringify(value);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

interface LoadResult {
  label: string;
  kind: TargetKind;
  connections: number;
  turns: number;
  turnsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  errorKinds: Record<string, number>;
  repliesPerTurn: number;
  perStep: Record<string, { p50: number; p99: number }>;
  hwm: number;
  maxRss: number;
  flowsCompleted: number;
  warmupSeconds: number;
  /** The server's CPU time (user + system) per completed turn in the window, and its share of one core. */
  cpuMsPerTurn: number;
  cpuShare: number;
  /** This process's CPU (load generator and capture connector) per completed turn: the channel's share of the machine. */
  channelCpuMsPerTurn: number;
  /** Mean latency of the measured turns. */
  mean: number;
  /** Calls to the connector and the TCP connections they came over (warm-up included). */
  outbound: { connections: number; calls: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function load(target: Target, capture: Capture, connections: number, prefix: string): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, keepAliveMsecs: 10_000 });
  const connectorConnections = capture.connections;
  const connectorCalls = capture.calls;
  const url = `${target.url}/api/messages`;
  const started = performance.now();
  // Set once warm: at least the warm-up time, and every conversation has been through the whole flow once.
  let measureFrom = Infinity;
  let measureTo = Infinity;
  let stopping = false;
  const warmWorkers = new Set<number>();
  let completedInWindow = 0;
  const latencies: number[] = [];
  const stepLatencies = new Map<string, number[]>(FLOW.map((f) => [f.step, []]));
  const errorKinds: Record<string, number> = {};
  let replies = 0;
  let flowsCompleted = 0;
  const fail = (kind: string, measured: boolean) => measured && (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);

  let maxRss = 0;
  const sampler = setInterval(() => {
    if (performance.now() < measureFrom) return;
    try {
      maxRss = Math.max(maxRss, memoryOf(target.pid).rss);
    } catch {
      /* exited */
    }
  }, 200);

  async function worker(w: number) {
    for (let k = 0; !stopping; k++) {
      const conversation = `${prefix}-${w}-${k}`;
      for (let i = 0; i < FLOW.length && !stopping; i++) {
        const before = capture.count(conversation);
        const t0 = performance.now();
        let status = 0;
        let failure: string | undefined;
        try {
          status = await post(agent, url, activity(capture, conversation, w, i, FLOW[i].text));
        } catch (err) {
          failure = (err as Error).message === 'timeout' ? 'timeout' : `network:${(err as NodeJS.ErrnoException).code ?? 'error'}`;
        }
        const t1 = performance.now();
        const got = capture.count(conversation) - before;
        // Latency and errors: the turns that started in the window (those still running at its end are awaited).
        const measured = t0 >= measureFrom && t0 < measureTo;
        if (!failure && status !== 200) failure = `status ${status}`;
        if (!failure && got === 0) failure = 'no reply';
        if (failure) {
          fail(failure, measured);
          if (failure.startsWith('network')) await sleep(10);
          continue;
        }
        if (measured && process.env.BENCH_DEBUG && t1 - t0 > 3000) console.log(`  slow turn: ${conversation} ${FLOW[i].step} ${Math.round(t1 - t0)} ms, started ${Math.round(t0 - started)} ms into the scenario`);
        if (measured) {
          latencies.push(t1 - t0);
          stepLatencies.get(FLOW[i].step)!.push(t1 - t0);
          replies += got;
        }
        // Throughput: the turns that completed in the window.
        if (t1 >= measureFrom && t1 <= measureTo) completedInWindow += 1;
        if (i === FLOW.length - 1) {
          flowsCompleted += 1;
          warmWorkers.add(w);
        }
      }
    }
  }
  const workers = Array.from({ length: connections }, (_, w) => worker(w));
  await sleep(OPTIONS.warmupMs);
  while (warmWorkers.size < connections && performance.now() - started < MAX_WARMUP_MS) await sleep(50);
  measureFrom = performance.now();
  measureTo = measureFrom + OPTIONS.durationMs;
  const cpuFrom = cpuMsOf(target.pid);
  const channelCpuFrom = process.cpuUsage();
  const warmupSeconds = (measureFrom - started) / 1000;
  await sleep(OPTIONS.durationMs);
  const cpuMs = cpuMsOf(target.pid) - cpuFrom;
  const channelCpu = process.cpuUsage(channelCpuFrom);
  stopping = true;
  await Promise.all(workers);
  clearInterval(sampler);
  const { hwm } = memoryOf(target.pid);
  agent.destroy();
  const outbound = { connections: capture.connections - connectorConnections, calls: capture.calls - connectorCalls };

  latencies.sort((a, b) => a - b);
  const errors = Object.values(errorKinds).reduce((a, b) => a + b, 0);
  const perStep: LoadResult['perStep'] = {};
  for (const [step, list] of stepLatencies) {
    list.sort((a, b) => a - b);
    perStep[step] = { p50: percentile(list, 0.5), p99: percentile(list, 0.99) };
  }
  return {
    label: target.label,
    kind: target.kind,
    connections,
    turns: completedInWindow,
    turnsPerSecond: completedInWindow / (OPTIONS.durationMs / 1000),
    cpuMsPerTurn: completedInWindow ? cpuMs / completedInWindow : NaN,
    cpuShare: cpuMs / OPTIONS.durationMs,
    channelCpuMsPerTurn: completedInWindow ? (channelCpu.user + channelCpu.system) / 1000 / completedInWindow : NaN,
    mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : NaN,
    warmupSeconds,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors,
    errorKinds,
    repliesPerTurn: latencies.length ? replies / latencies.length : 0,
    perStep,
    hwm,
    maxRss,
    flowsCompleted,
    outbound,
  };
}

/** One conversation through the flow, its replies kept: shows what the target answered. */
async function check(target: Target, capture: Capture): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true });
  const conversation = `check-${target.label}-${randomUUID().slice(0, 8)}`;
  const lines: string[] = [];
  for (let i = 0; i < FLOW.length; i++) {
    const before = capture.kept.get(conversation)?.length ?? 0;
    const status = await post(agent, `${target.url}/api/messages`, activity(capture, conversation, 999_999, i, FLOW[i].text));
    const replies = (capture.kept.get(conversation) ?? []).slice(before) as { type?: string; text?: string; summary?: string; attachments?: { content?: unknown }[] }[];
    const shown = replies.map((r) => (r.type !== 'message' ? `(${r.type})` : r.text ?? r.summary ?? JSON.stringify(r.attachments?.[0]?.content ?? '')).replace(/\s+/g, ' ').slice(0, 90));
    lines.push(`  ${FLOW[i].step.padEnd(8)} "${FLOW[i].text}" -> ${status}, ${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}: ${shown.join(' | ')}`);
  }
  agent.destroy();
  return lines;
}

// ------------------------------------------------------------------------------- stored conversations
/**
 * Fills bot_state with `count` conversations (and their users and conversation logs) copied from
 * conversations that went through the real flow, so the rows are what the bot itself writes.
 */
async function populate(dataDir: string, capture: Capture, count: number): Promise<string> {
  const seeds = 20;
  const seeder = await startTarget('bot', 'bot-seed', { dataDir });
  const agent = new http.Agent({ keepAlive: true });
  for (let s = 0; s < seeds; s++) {
    for (let i = 0; i < FLOW.length; i++) {
      await post(agent, `${seeder.url}/api/messages`, { ...activity(capture, `seed-${s}`, 0, i, FLOW[i].text), from: { id: `seed-user-${s}`, name: 'Seed User', role: 'user' } });
    }
  }
  agent.destroy();
  await seeder.stop();

  const db = new Database(path.join(dataDir, 'bot.sqlite'));
  const ch = OPTIONS.channel;
  // A conversation's rows: its state ("webchat/conversations/ID/") and the reply slots saved beside it.
  const rows = db.prepare(`SELECT key, document FROM bot_state WHERE key LIKE '${ch}/conversations/seed-%'`).all() as { key: string; document: string }[];
  const bySeed = new Map<string, { key: string; document: string }[]>();
  for (const row of rows) {
    const seed = /seed-\d+/.exec(row.key)![0];
    bySeed.set(seed, [...(bySeed.get(seed) ?? []), row]);
  }
  const conversations = [...bySeed.values()];
  const users = db.prepare(`SELECT key, document FROM bot_state WHERE key LIKE '${ch}/users/seed-user-%'`).all() as { key: string; document: string }[];
  const insert = db.prepare('INSERT OR REPLACE INTO bot_state (key, etag, document, updated_at) VALUES (?, ?, ?, ?)');
  let logRows = 0;
  let copyLog: ((from: string, to: string) => number) | undefined;
  try {
    const statement = db.prepare('INSERT INTO conversation_log (conversation_key, at, role, name, text, attachments) SELECT ?, at, role, name, text, attachments FROM conversation_log WHERE conversation_key = ?');
    copyLog = (from, to) => statement.run(to, from).changes;
  } catch (err) {
    console.log(`  (conversation_log not copied: ${(err as Error).message})`);
  }
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const group = conversations[i % conversations.length];
      // Keys as the bot writes them, with the conversation id swapped.
      const seed = /seed-\d+/.exec(group[0].key)![0];
      for (const c of group) insert.run(c.key.replace(seed, `stored-${i}`), randomUUID(), c.document, now);
      if (users.length) {
        const u = users[i % users.length];
        insert.run(u.key.replace(/seed-user-\d+/, `stored-user-${i}`), randomUUID(), u.document, now);
      }
      if (copyLog) logRows += copyLog(`${ch}|${seed}`, `${ch}|stored-${i}`);
    }
  })();
  const stored = (db.prepare(`SELECT count(*) AS n FROM bot_state WHERE key LIKE '${ch}/conversations/%/' AND key NOT LIKE '%/replies/%'`).get() as { n: number }).n;
  const avgDoc = (db.prepare(`SELECT avg(length(document)) AS n FROM bot_state WHERE key LIKE '${ch}/conversations/stored-%/' AND key NOT LIKE '%/replies/%'`).get() as { n: number }).n;
  const slots = (db.prepare(`SELECT count(*) AS n, avg(length(document)) AS size FROM bot_state WHERE key LIKE '${ch}/conversations/stored-%/replies/%'`).get() as { n: number; size: number });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const size = fs.statSync(path.join(dataDir, 'bot.sqlite')).size / 1024 / 1024;
  return `${stored} conversation states (avg ${Math.round(avgDoc)} B, copied from ${conversations.length} real ones) with ${slots.n} reply slots (avg ${Math.round(slots.size ?? 0)} B), ${count} user states, ${logRows} conversation log rows; bot.sqlite ${size.toFixed(1)} MB`;
}

// ------------------------------------------------------------------------------------------ reporting
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function table(results: LoadResult[]): string {
  const head = 'target      conns   turns  turns/s   p50 ms   p90 ms   p99 ms   max ms  errors  replies/turn  CPU ms/turn  CPU used  peak RSS MB  RSS under load MB';
  const rows = results.map((r) =>
    [
      r.label.padEnd(10),
      String(r.connections).padStart(5),
      String(r.turns).padStart(7),
      fmt(r.turnsPerSecond).padStart(8),
      fmt(r.p50, 2).padStart(8),
      fmt(r.p90, 2).padStart(8),
      fmt(r.p99, 2).padStart(8),
      fmt(r.max, 1).padStart(8),
      String(r.errors).padStart(7),
      fmt(r.repliesPerTurn, 2).padStart(13),
      fmt(r.cpuMsPerTurn, 3).padStart(12),
      `${fmt(r.cpuShare * 100, 0)}%`.padStart(9),
      fmt(r.hwm, 0).padStart(12),
      fmt(r.maxRss, 0).padStart(18),
    ].join(' '),
  );
  return [head, ...rows].join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The issue's speed targets for the bot at the first concurrency: turns/s against the stock sample, and p99. */
const TARGET_STOCK_RATIO = 2;
const TARGET_P99_MS = 50;

/** The mean of `pick` over the results of one target at one concurrency (NaN when there are none). */
function meanOf(results: LoadResult[], kind: TargetKind, connections: number, pick: (r: LoadResult) => number): number {
  const list = results.filter((r) => r.kind === kind && r.connections === connections).map(pick);
  return list.length ? list.reduce((a, b) => a + b, 0) / list.length : NaN;
}

/**
 * What the two speed targets ask of this machine, from this run's own figures, so a reader can tell a
 * slow turn path from a target no turn path with this run's fixed costs can meet.
 */
function printTargetBudget(results: LoadResult[], connections: number): void {
  const mean = (kind: TargetKind, pick: (r: LoadResult) => number) => meanOf(results, kind, connections, pick);
  const needed = TARGET_STOCK_RATIO * mean('stock', (r) => r.turnsPerSecond);
  const bot = (pick: (r: LoadResult) => number) => mean('bot', pick);
  if (!Number.isFinite(needed) || !Number.isFinite(bot((r) => r.turnsPerSecond))) return;
  const cpus = os.availableParallelism();
  const perTurn = (cpus * 1000) / needed;
  const channel = bot((r) => r.channelCpuMsPerTurn);
  const cpuOf = (kind: TargetKind) => {
    const ms = mean(kind, (r) => r.cpuMsPerTurn);
    return Number.isFinite(ms) ? `${fmt(ms, 2)} ms` : '-';
  };
  // In a closed loop every connection always has one turn in flight, so mean latency = connections / turns/s.
  const spread = bot((r) => r.p99 / r.mean);
  const meanForTarget = TARGET_P99_MS / spread;
  console.log(`\nwhat the speed targets ask of this machine (${cpus} CPUs, ${connections} connections, this run's figures)`);
  console.log(`  ${TARGET_STOCK_RATIO}x stock is ${fmt(needed, 0)} turns/s: all ${cpus} CPUs together give ${fmt(perTurn, 2)} ms of CPU per turn to everything; the channel (this process) takes ${fmt(channel, 2)} ms,`);
  console.log(`    leaving ${fmt(perTurn - channel, 2)} ms for the server, and one process runs its JavaScript on one thread: ${fmt(1000 / needed, 2)} ms of it per turn.`);
  console.log(`    CPU per turn, all threads: durable echo ${cpuOf('durable')}, bot ${cpuOf('bot')}.`);
  const little = bot((r) => (connections * 1000) / r.turnsPerSecond);
  console.log(`  p99 <= ${TARGET_P99_MS} ms: here mean latency = connections / turns/s (the bot: ${fmt(bot((r) => r.mean), 1)} ms measured, ${fmt(little, 1)} ms from turns/s);`);
  console.log(`    the bot's p99 was x${fmt(spread, 2)} its mean, so a ${TARGET_P99_MS} ms p99 needs a mean of ${fmt(meanForTarget, 1)} ms,`);
  console.log(`    that is ${fmt((connections * 1000) / meanForTarget, 0)} turns/s at ${connections} connections.`);
}

async function main() {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const capture = new Capture();
  await capture.start();
  const newDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
    tempDirs.push(dir);
    return dir;
  };
  const load0 = os.loadavg();
  const startedAt = new Date();
  console.log(`bench:load — ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), node ${process.version}, load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`warm-up ${OPTIONS.warmupMs / 1000} s (longer until every conversation finished one flow, ${MAX_WARMUP_MS / 1000} s at most) + ${OPTIONS.durationMs / 1000} s measured per scenario, fresh server process per scenario, loopback; bot ${OPTIONS.compiled ? 'from dist/' : 'from sources (node -r tsx/cjs bot/index.ts)'} with node flags "${OPTIONS.nodeFlags.join(' ')}", LOG_LEVEL=${OPTIONS.logLevel}, channelId "${OPTIONS.channel}"${OPTIONS.whatIf ? `, WHAT-IF patches in the bot: ${OPTIONS.whatIf}` : ''}${OPTIONS.nodeOptions ? `, bot NODE_OPTIONS="${OPTIONS.nodeOptions}"` : ''}`);
  console.log(`flow per conversation: ${FLOW.map((f) => `"${f.text}"`).join(' -> ')}`);
  console.log('latency = POST /api/messages written -> HTTP response read (the turn, replies included, completes before the response)\n');

  if (OPTIONS.profile) {
    // Profiles the bot unless --targets names others.
    const kinds: TargetKind[] = process.argv.includes('--targets') ? OPTIONS.targets : ['bot'];
    for (const kind of kinds) {
      const name = `${kind}-load-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
      const spawned = performance.now();
      const target = await startTarget(kind, `${kind}-profile`, { dataDir: storesData(kind) ? newDataDir() : undefined, cpuProfile: name });
      const listening = (performance.now() - spawned) / 1000;
      const result = await load(target, capture, OPTIONS.concurrency[0], `prof-${kind}-${Date.now()}`);
      // Start-up and warm-up are left out of the summary: only the measured load counts.
      const skip = Math.ceil(listening + result.warmupSeconds);
      await target.stop();
      console.log(table([result]));
      console.log(`${result.outbound.calls} connector calls over ${result.outbound.connections} connections`);
      console.log(`profile: ${path.join(OUTPUT, name)}\n  npx tsx test/bench/profile-top.ts ${path.relative(ROOT, path.join(OUTPUT, name))} 30 --skip ${skip} --inclusive\n`);
    }
    await capture.stop();
    return;
  }

  const results: LoadResult[] = [];
  const checked = new Set<TargetKind>();
  /** bot / stock within each run: the machine's speed drifts over minutes, so pairs taken close together say more. */
  const pairs: { connections: number; turns: number; cpu: number }[] = [];
  for (let run = 1; run <= OPTIONS.runs; run++) {
    for (const connections of OPTIONS.concurrency) {
      const inRun = new Map<TargetKind, LoadResult>();
      for (const kind of OPTIONS.targets) {
        const target = await startTarget(kind, kind, storesData(kind) ? { dataDir: newDataDir() } : {});
        try {
          if (!checked.has(kind)) {
            checked.add(kind);
            console.log(`${kind}: one conversation through the flow`);
            console.log((await check(target, capture)).join('\n'));
          }
          const result = await load(target, capture, connections, `${kind}-${connections}-${run}`);
          results.push(result);
          inRun.set(kind, result);
          console.log(`  ${kind} at ${connections} connections: ${fmt(result.turnsPerSecond)} turns/s, p99 ${fmt(result.p99, 2)} ms, ${result.errors} errors${result.errors ? ` ${JSON.stringify(result.errorKinds)}` : ''}, peak RSS ${fmt(result.hwm, 0)} MB, ${result.outbound.calls} connector calls over ${result.outbound.connections} connections, warm-up ${fmt(result.warmupSeconds)} s`);
        } finally {
          await target.stop();
        }
      }
      const [stock, bot] = [inRun.get('stock'), inRun.get('bot')];
      if (stock && bot) pairs.push({ connections, turns: bot.turnsPerSecond / stock.turnsPerSecond, cpu: stock.cpuMsPerTurn / bot.cpuMsPerTurn });
    }
  }

  let stored: LoadResult | undefined;
  let storedNote = '';
  if (OPTIONS.conversations > 0 && OPTIONS.targets.includes('bot')) {
    const dataDir = newDataDir();
    storedNote = await populate(dataDir, capture, OPTIONS.conversations);
    const target = await startTarget('bot', 'bot-10k', { dataDir });
    try {
      stored = await load(target, capture, OPTIONS.concurrency[0], `after-${OPTIONS.conversations}`);
    } finally {
      await target.stop();
    }
    stored.label = `bot+${OPTIONS.conversations >= 1000 ? `${OPTIONS.conversations / 1000}k` : OPTIONS.conversations}`;
  }
  await capture.stop();

  const all = stored ? [...results, stored] : results;
  console.log(`\n${table(all)}`);
  if (stored) console.log(`(${stored.label}: ${storedNote})`);

  const bots = all.filter((r) => r.kind === 'bot');
  if (bots.length) {
    console.log('\nbot latency per step (p50 / p99 ms)');
    for (const r of bots) console.log(`  ${r.label.padEnd(9)} ${String(r.connections).padStart(4)}: ${FLOW.map((f) => `${f.step} ${fmt(r.perStep[f.step].p50, 1)} / ${fmt(r.perStep[f.step].p99, 1)}`).join('   ')}`);
  }

  const mean = (kind: TargetKind, connections: number, pick: (r: LoadResult) => number) => meanOf(results, kind, connections, pick);
  console.log('\nratios: turns/s, and in brackets the same from CPU time per turn (what each would do with a core to itself)');
  for (const c of OPTIONS.concurrency) {
    const [f, s, d, b] = (['floor', 'stock', 'durable', 'bot'] as const).map((k) => mean(k, c, (r) => r.turnsPerSecond));
    const [fc, sc, dc, bc] = (['floor', 'stock', 'durable', 'bot'] as const).map((k) => mean(k, c, (r) => r.cpuMsPerTurn));
    console.log(`  ${String(c).padStart(4)} connections: bot / stock x${fmt(b / s, 2)} (x${fmt(sc / bc, 2)})   durable / stock x${fmt(d / s, 2)} (x${fmt(sc / dc, 2)})   bot / durable x${fmt(b / d, 2)} (x${fmt(dc / bc, 2)})   bot / floor x${fmt(b / f, 2)} (x${fmt(fc / bc, 2)})   stock / floor x${fmt(s / f, 2)} (x${fmt(fc / sc, 2)})`);
    const paired = pairs.filter((p) => p.connections === c);
    if (paired.length > 1) console.log(`       bot / stock in each run: ${paired.map((p) => `x${fmt(p.turns, 2)} (x${fmt(p.cpu, 2)})`).join(', ')}`);
  }

  const c0 = OPTIONS.concurrency[0];
  const botAt = results.filter((r) => r.kind === 'bot' && r.connections === c0);
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a ' : ok ? 'PASS' : 'FAIL');
  const ratio = mean('bot', c0, (r) => r.turnsPerSecond) / mean('stock', c0, (r) => r.turnsPerSecond);
  const p99 = Math.max(...botAt.map((r) => r.p99));
  const botErrors = bots.reduce((sum, r) => sum + r.errors, 0);
  console.log(`\ntargets (bot at ${c0} connections)`);
  console.log(`  ${verdict(botAt.length && Number.isFinite(ratio) ? ratio >= TARGET_STOCK_RATIO : undefined)}  turns/s >= ${TARGET_STOCK_RATIO}x the stock echo sample: x${fmt(ratio, 2)}`);
  console.log(`  ${verdict(botAt.length ? p99 <= TARGET_P99_MS : undefined)}  p99 <= ${TARGET_P99_MS} ms: ${fmt(p99, 2)} ms`);
  console.log(`  ${verdict(bots.length ? botErrors === 0 : undefined)}  zero errors (every bot scenario): ${botErrors}`);
  console.log(`  ${verdict(stored ? stored.hwm <= 300 : undefined)}  peak RSS <= 300 MB with ${OPTIONS.conversations} stored conversations: ${stored ? `${fmt(stored.hwm, 0)} MB` : '-'}`);
  printTargetBudget(results, c0);
  const file = path.join(OUTPUT, `bench-load-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ startedAt, options: OPTIONS, loadAverage: { start: load0, end: os.loadavg() }, results: all, stored: storedNote }, null, 2));
  console.log(`\nresults: ${path.relative(ROOT, file)}`);
  const load1 = os.loadavg();
  console.log(`\nload average at the end ${load1.map((l) => l.toFixed(2)).join(' ')} (start ${load0.map((l) => l.toFixed(2)).join(' ')}); ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
