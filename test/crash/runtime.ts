// How the crash test runs the bot. Restarting is most of the test's time, and tsx spends about a
// second per start transpiling and mapping sources, so by default the sources are transpiled once
// (esbuild, as tsx does, no type check) into a private temp tree that mirrors the repository, and
// each start runs plain JavaScript. `dist` runs the repository's own build (after `npm run build`),
// `tsx` the sources as test/bot/process.test.ts does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BotProcess, REPO_ROOT, spawnBot, spawnNode } from '../support/bot-process';

export type RuntimeKind = 'esbuild' | 'dist' | 'tsx';

export interface BotRuntime {
  kind: RuntimeKind;
  /** Milliseconds spent preparing (transpiling), 0 for dist and tsx. */
  prepareMs: number;
  spawn(env: Record<string, string>): BotProcess;
  dispose(): void;
}

const SOURCE_DIRS = ['bot', 'dialogs', 'knowledge', 'cards'];
// What the bot finds by walking up to package.json: articles, trained models, the built index, the demo feed.
const LINKED = ['package.json', 'node_modules', 'build'];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || (dir.endsWith('knowledge') && d.name === 'articles') ? [] : filesUnder(full);
    return [full];
  });
}

/**
 * `sourceRoot` is the repository unless CRASH_SOURCE_ROOT names a copy of its bot/, dialogs/,
 * knowledge/ and cards/ (to try a fix against the crash test without touching the shared tree).
 */
function esbuildRuntime(sourceRoot: string): BotRuntime {
  // esbuild comes with tsx; resolved from the repository like any test dependency.
  const esbuild = require('esbuild') as typeof import('esbuild');
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-crash-build-'));
  for (const name of LINKED) fs.symlinkSync(path.join(REPO_ROOT, name), path.join(root, name));
  for (const name of SOURCE_DIRS) fs.symlinkSync(path.join(sourceRoot, name), path.join(root, name));
  const out = path.join(root, 'dist');
  const files = SOURCE_DIRS.flatMap((d) => filesUnder(path.join(sourceRoot, d)));
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  esbuild.buildSync({ entryPoints: sources, outdir: out, outbase: sourceRoot, format: 'cjs', platform: 'node', target: 'node20', bundle: false, logLevel: 'error' });
  // JSON the code requires and the pages it serves next to itself, as tsc's output has them.
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    const target = path.join(out, path.relative(sourceRoot, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  const entry = path.join(out, 'bot', 'index.js');
  return {
    kind: 'esbuild',
    prepareMs: Date.now() - started,
    spawn(env) {
      // The temp tree is the working directory: no developer .env is picked up.
      return spawnNode([entry], root, env);
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Whether dist/ was built after the last change to any source it is compiled from. */
export function distIsFresh(): boolean {
  const entry = path.join(REPO_ROOT, 'dist', 'bot', 'index.js');
  if (!fs.existsSync(entry)) return false;
  const built = fs.statSync(entry).mtimeMs;
  return !SOURCE_DIRS.some((d) => filesUnder(path.join(REPO_ROOT, d)).some((f) => /\.(ts|json)$/.test(f) && fs.statSync(f).mtimeMs > built));
}

export function botRuntime(wanted = process.env.CRASH_RUNTIME ?? 'esbuild'): BotRuntime {
  if (wanted === 'esbuild') {
    try {
      return esbuildRuntime(path.resolve(process.env.CRASH_SOURCE_ROOT ?? REPO_ROOT));
    } catch (err) {
      console.warn(`    esbuild runtime unavailable (${(err as Error).message}); running through tsx`);
      wanted = 'tsx';
    }
  }
  if (wanted === 'dist' && !distIsFresh()) throw new Error('CRASH_RUNTIME=dist but dist/ is older than the sources: run `npm run build` first');
  if (wanted !== 'dist' && wanted !== 'tsx') throw new Error(`CRASH_RUNTIME must be esbuild, dist or tsx, not ${JSON.stringify(wanted)}`);
  const compiled = wanted === 'dist';
  return { kind: wanted, prepareMs: 0, spawn: (env) => spawnBot(env, { compiled }), dispose: () => undefined };
}
