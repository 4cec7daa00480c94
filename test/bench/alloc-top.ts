// Reads a sampling heap profile (test/bench/alloc-sampler.ts) and prints the bytes allocated by
// function, by package, and by the nearest file of ours on the allocating stack.
// Usage: npx tsx test/bench/alloc-top.ts FILE.heapprofile [N=25] [--turns T] (T: turns in the window, for bytes per turn)
import fs from 'node:fs';
import path from 'node:path';
import { oursFile, packageOf, shortUrl } from './profile-urls';

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: SampleNode[];
}

const args = process.argv.slice(2);
const turnsAt = args.indexOf('--turns');
const turns = turnsAt >= 0 ? Number(args.splice(turnsAt, 2)[1]) : undefined;
const [file, topText] = args;
if (!file) {
  console.error('usage: alloc-top.ts FILE.heapprofile [N] [--turns T]');
  process.exit(2);
}
const top = Number(topText ?? 25);
const head = (JSON.parse(fs.readFileSync(file, 'utf8')) as { head: SampleNode }).head;

/** The npm package, or the folder of ours, a script belongs to. */
function ownerOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const ours = oursFile(url);
  return packageOf(url) ?? (ours ? `ours: ${path.dirname(ours)}` : shortUrl(url));
}

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const byOurs = new Map<string, number>();
let total = 0;
const add = (map: Map<string, number>, key: string, bytes: number) => map.set(key, (map.get(key) ?? 0) + bytes);

function walk(node: SampleNode, stack: SampleNode[]): void {
  stack.push(node);
  if (node.selfSize) {
    total += node.selfSize;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '(native)';
    add(byFunction, `${functionName || '(anonymous)'}  ${where}`, node.selfSize);
    // Native allocations (Map, split, JSON) belong to the nearest JavaScript caller's package.
    const caller = [...stack].reverse().find((n) => n.callFrame.url);
    add(byPackage, caller ? ownerOf(caller.callFrame.url) : '(native only)', node.selfSize);
    const ours = [...stack].reverse().map((n) => oursFile(n.callFrame.url)).find(Boolean);
    add(byOurs, ours ?? '(none of ours)', node.selfSize);
  }
  for (const child of node.children ?? []) walk(child, stack);
  stack.pop();
}
walk(head, []);

const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(bytes / 1e6).toFixed(1).padStart(9)} MB ${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(0)} MB sampled${turns ? `, ${((total / turns) / 1e6).toFixed(3)} MB per turn over ${turns} turns` : ''}`);
print('by allocating function', byFunction);
print('by package (native allocations go to their JavaScript caller)', byPackage);
print('by nearest file of ours on the stack', byOurs);
