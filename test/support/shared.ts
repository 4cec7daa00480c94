// ../shared (the seed, the corpus, the channel tool) sits beside the repo on development machines and
// in CI. Without it a test may skip on a laptop, with a printed reason; under CI=true it fails.
import fs from 'node:fs';
import path from 'node:path';

export const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED, ...parts);
}

export function requireShared(context: Mocha.Context, ...parts: string[]): string {
  const file = sharedPath(...parts);
  if (fs.existsSync(file)) return file;
  if (process.env.CI === 'true') throw new Error(`${file} is missing: CI must run with ../shared beside the repo`);
  console.log(`      skipped: ${file} is not here (this test needs ../shared)`);
  context.skip();
  return file;
}
