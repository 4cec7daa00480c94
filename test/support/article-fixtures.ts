// Writes small article folders for ingest and search tests.
import fs from 'node:fs';
import path from 'node:path';

/** Writes the files (relative path → text or bytes) into `dir` and returns it. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}
