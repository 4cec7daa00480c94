// Preloaded into the bot to count what a turn does inside libraries the CPU profile only shows in
// aggregate: DialogContexts built, DialogStateManager path parses, SQL statements by text, and how
// long each SQLite COMMIT (the fsync) holds the thread.
// Prints to stderr when the bot gets SIGTERM (bench:load's stop), so it lands in the bot's log:
//   npx tsx test/bench/load.ts --targets bot --conversations 0 --duration 10 --compiled \
//     --node-options="-r tsx/cjs -r ./test/bench/turn-census.ts"
//   then read test-output/bench-load-bot.log (divide by the turns the process ran, warm-up included).
// It patches prototypes, so it slows the bot: use it for counts, not for speed.
import Database from 'better-sqlite3';
import { DialogStateManager } from 'botbuilder-dialogs';

const statements = new Map<string, number>();
const commitMs: number[] = [];
let dialogContexts = 0;
let pathParses = 0;
let messagesSeen = 0;

// DialogSet and ComponentDialog read the class off this module object at each construction (an
// import would give a copy of the exports, so the module object itself comes from require).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const contexts$ = require('botbuilder-dialogs/lib/dialogContext') as { DialogContext: new (...args: any[]) => object };
const Context = contexts$.DialogContext;
contexts$.DialogContext = class DialogContext extends Context {
  constructor(...args: any[]) {
    super(...args);
    dialogContexts += 1;
  }
} as typeof Context;

const manager = DialogStateManager.prototype as unknown as { parsePath: (...args: unknown[]) => unknown };
const parsePath = manager.parsePath;
manager.parsePath = function (this: unknown, ...args: unknown[]) {
  pathParses += 1;
  return parsePath.apply(this, args);
};

const db = Database.prototype as unknown as { prepare: (sql: string) => Record<string, unknown>; exec: (sql: string) => unknown };
const prepare = db.prepare;
db.prepare = function (this: unknown, sql: string) {
  const statement = prepare.call(this, sql);
  const key = sql.replace(/\s+/g, ' ').trim().slice(0, 100);
  for (const method of ['run', 'get', 'all']) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    statement[method] = function (this: unknown, ...args: unknown[]) {
      statements.set(key, (statements.get(key) ?? 0) + 1);
      if (key.startsWith('INSERT INTO conversation_log') && args.includes('user')) messagesSeen += 1;
      return original.apply(this, args);
    };
  }
  return statement;
};
const exec = db.exec;
db.exec = function (this: unknown, sql: string) {
  if (sql !== 'COMMIT') return exec.call(this, sql);
  const started = process.hrtime.bigint();
  try {
    return exec.call(this, sql);
  } finally {
    commitMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
};

process.once('SIGTERM', () => {
  const sorted = [...commitMs].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.floor(q * (sorted.length - 1))].toFixed(2) : '-');
  const slow = sorted.filter((ms) => ms > 5);
  const lines = [
    `turn census: ${messagesSeen} user messages logged; ${dialogContexts} DialogContexts; ${pathParses} DialogStateManager.parsePath calls`,
    `turn census: ${sorted.length} COMMITs, ${sorted.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} max ${at(1)} ms; ${slow.length} over 5 ms (${slow.reduce((a, b) => a + b, 0).toFixed(0)} ms)`,
    ...[...statements].sort((a, b) => b[1] - a[1]).map(([sql, n]) => `turn census: ${String(n).padStart(7)}  ${sql}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
});
