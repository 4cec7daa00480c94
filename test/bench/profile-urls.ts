// Names for the script URLs in V8 profiles (CPU and heap), shared by profile-top.ts and alloc-top.ts.
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

const plain = (url: string) => url.replace(/^file:\/\//, '');

/** The path inside node_modules, or inside this repo, else the URL as it is. */
export function shortUrl(url: string): string {
  const p = plain(url);
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length);
  if (p.startsWith(root)) return path.relative(root, p);
  return p;
}

/** The npm package a script belongs to (scoped ones with their scope), or undefined. */
export function packageOf(url: string): string | undefined {
  const p = plain(url);
  const nm = p.lastIndexOf('node_modules/');
  if (nm < 0) return undefined;
  const rest = p.slice(nm + 'node_modules/'.length).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** The repo-relative path of a script of ours (sources or dist/), or undefined. */
export function oursFile(url: string): string | undefined {
  const p = plain(url);
  return p.startsWith(root) && !p.includes('/node_modules/') ? path.relative(root, p) : undefined;
}
