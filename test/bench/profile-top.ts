// Prints the top self-time entries of a V8 .cpuprofile (node --cpu-prof), grouped by function and
// location, plus the same grouped by package (or our own top-level folder).
// Usage: npx tsx test/bench/profile-top.ts FILE.cpuprofile [N=25] [--skip SECONDS] [--inclusive] [--by-ours]
//   --skip: leave out the first SECONDS of samples (process start-up and warm-up);
//   --inclusive: also list functions by total time (self plus callees, each counted once per stack);
//   --by-ours: also give each sample to the nearest file of ours on its stack (dist/ or sources), so a
//              library's time counts where our code called it; "(none of ours)" is the rest.
import fs from 'node:fs';
import path from 'node:path';
import { oursFile, packageOf, shortUrl } from './profile-urls';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const args = process.argv.slice(2);
const named = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const skipSeconds = Number(named('skip') ?? 0);
const inclusive = args.includes('--inclusive');
const byOurs = args.includes('--by-ours');
const [file, topText] = args.filter((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: profile-top.ts FILE.cpuprofile [N] [--skip SECONDS] [--inclusive] [--by-ours]');
  process.exit(2);
}
const top = Number(topText ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

// Self time per node from the samples and their time deltas (hitCount when there are no deltas).
const selfMicros = new Map<number, number>();
let sampledFrom = profile.startTime;
if (profile.samples && profile.timeDeltas) {
  let at = profile.startTime;
  const from = profile.startTime + skipSeconds * 1e6;
  sampledFrom = Math.max(from, profile.startTime);
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    if (at < from) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + Math.max(0, delta));
  }
} else {
  const perHit = (profile.endTime - profile.startTime) / Math.max(1, profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0));
  for (const n of profile.nodes) selfMicros.set(n.id, (n.hitCount ?? 0) * perHit);
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

function groupOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const ours = oursFile(url);
  return packageOf(url) ?? (ours ? `ours: ${ours.split('/')[0]}/` : shortUrl(url));
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'}  ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
}

const idle = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + (selfMicros.get(n.id) ?? 0), 0);
const byFunction = new Map<string, number>();
const byGroup = new Map<string, number>();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (!micros) continue;
  const { functionName, url } = node.callFrame;
  const key = keyOf(node);
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  const group = groupOf(url, functionName);
  byGroup.set(group, (byGroup.get(group) ?? 0) + micros);
}

const print = (title: string, entries: Map<string, number>, n: number) => {
  console.log(title);
  console.log('  self ms   share  where');
  for (const [key, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${(micros / 1000).toFixed(0).padStart(9)} ${((micros / total) * 100).toFixed(1).padStart(6)}%  ${key}`);
  }
};
console.log(`${file}: ${((profile.endTime - sampledFrom) / 1e6).toFixed(1)} s profiled${skipSeconds ? ` (after the first ${skipSeconds} s)` : ''}, ${(total / 1000).toFixed(0)} ms sampled, ${((idle / Math.max(1, total)) * 100).toFixed(1)}% idle`);
print(`\ntop ${top} functions by self time`, byFunction, top);
print('\nby package / folder', byGroup, 15);
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
if (inclusive) {
  // Total time: a node's self time counts for every distinct function on its stack.
  const totals = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(keyOf(nodes.get(at)!));
    for (const key of seen) totals.set(key, (totals.get(key) ?? 0) + micros);
  }
  print(`\ntop ${top} functions by total time (self + callees)`, totals, top);
}
if (byOurs) {
  const byFile = new Map<string, number>();
  const byFolder = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    let owner = '(none of ours)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const file = oursFile(nodes.get(at)!.callFrame.url);
      if (file) {
        owner = file;
        break;
      }
    }
    byFile.set(owner, (byFile.get(owner) ?? 0) + micros);
    const folder = owner.startsWith('(') ? owner : path.dirname(owner);
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + micros);
  }
  print(`\ntop ${top} files of ours, with the library time they called (nearest file of ours on the stack)`, byFile, top);
  print('\nthe same by folder', byFolder, top);
}
