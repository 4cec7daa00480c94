// Runs the bot as a real process (`node -r tsx/cjs bot/index.ts`), the way `npm start` does, for
// tests about startup, shutdown and restarts.
import { spawn, ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * `compiled` runs dist/ as `npm start` does; otherwise the TypeScript sources through tsx.
 * `preload`: more modules for node to load first (`-r`), after tsx.
 */
export function spawnBot(env: Record<string, string>, options: { compiled?: boolean; preload?: string[] } = {}): BotProcess {
  const preload = (options.preload ?? []).flatMap((module) => ['-r', module]);
  const entry = options.compiled ? [...preload, path.join(REPO_ROOT, 'dist', 'bot', 'index.js')] : ['-r', 'tsx/cjs', ...preload, path.join(REPO_ROOT, 'bot', 'index.ts')];
  return spawnNode(entry, REPO_ROOT, env);
}

/** Node with `args` in `cwd`, a bare environment plus `env`, its output collected. */
export function spawnNode(args: string[], cwd: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves once the process prints that it listens; rejects if it exits first or takes too long. */
export async function waitUntilListening(bot: BotProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void bot.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (/listening on/.test(bot.output())) return;
    if (exitCode !== undefined) throw new Error(`bot exited (${exitCode}) before listening:\n${bot.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  bot.child.kill('SIGKILL');
  throw new Error(`bot did not listen within ${timeoutMs} ms:\n${bot.output()}`);
}
