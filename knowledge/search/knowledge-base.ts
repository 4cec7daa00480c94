// Where the help index comes from: the bot's own articles plus any KNOWLEDGE_DIRS folders, ingested
// and indexed once, saved under a name made from a hash of everything that went into it, and loaded
// from disk on later starts. Change an article and the hash changes, so the index is rebuilt.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HelpSearch, SEARCH_FORMAT_VERSION } from './help-search';
import { ingestSources, KnowledgeSource, markdownFiles, IngestOptions } from './ingest';
import type { IngestResult } from './types';

function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above knowledge/search');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = projectRoot();
export const OWN_ARTICLES_DIR = path.join(PROJECT_ROOT, 'knowledge', 'articles');
export const BUILD_INDEX_DIR = path.join(PROJECT_ROOT, 'build', 'search');

/** The bot's own articles first (they win a path clash), then the organisation's folders. */
export function knowledgeSources(extraDirs: string[], publicUrl: string): KnowledgeSource[] {
  const baseUrl = `${publicUrl.replace(/\/+$/, '')}/help/`;
  return [OWN_ARTICLES_DIR, ...extraDirs].map((dir) => ({ dir: path.resolve(dir), baseUrl }));
}

/** Hash of the format, the sources and every article's bytes. */
export function fingerprint(sources: KnowledgeSource[]): string {
  const hash = crypto.createHash('sha256').update(`format ${SEARCH_FORMAT_VERSION}\n`);
  for (const source of sources) {
    hash.update(`source ${source.dir} ${source.baseUrl}\n`);
    if (!fs.existsSync(source.dir)) continue;
    for (const file of markdownFiles(source.dir)) {
      hash.update(`${path.relative(source.dir, file)}\n`).update(fs.readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 20);
}

export interface LoadedKnowledge {
  search: HelpSearch;
  /** Where the index was read from, or written to when it had to be built. */
  file: string;
  built: boolean;
  ingest?: IngestResult;
  millis: number;
}

export function indexFileName(print: string): string {
  return `help-index-${print}.bin`;
}

export function buildIndex(sources: KnowledgeSource[], options: IngestOptions = {}): { search: HelpSearch; ingest: IngestResult } {
  const ingest = ingestSources(sources, options);
  return { search: HelpSearch.build(ingest.articles), ingest };
}

/** Writes atomically (temp file, then rename) and removes older indexes in the same folder. */
export function saveIndex(search: HelpSearch, dir: string, print: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, indexFileName(print));
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, search.toBuffer());
  fs.renameSync(temp, file);
  for (const old of fs.readdirSync(dir)) {
    if (old.startsWith('help-index-') && old !== path.basename(file)) fs.rmSync(path.join(dir, old), { force: true });
  }
  return file;
}

export function loadIndexFile(file: string): HelpSearch {
  return HelpSearch.fromBuffer(fs.readFileSync(file));
}

/**
 * Loads the index matching these sources from `build/search` or `<dataDir>/search`; builds and saves
 * it to `<dataDir>/search` when neither has it.
 */
export function loadKnowledge(sources: KnowledgeSource[], dataDir: string): LoadedKnowledge {
  const started = process.hrtime.bigint();
  const millis = () => Number(process.hrtime.bigint() - started) / 1e6;
  const print = fingerprint(sources);
  const cacheDir = path.join(dataDir, 'search');
  for (const dir of [BUILD_INDEX_DIR, cacheDir]) {
    const file = path.join(dir, indexFileName(print));
    if (!fs.existsSync(file)) continue;
    try {
      return { search: loadIndexFile(file), file, built: false, millis: millis() };
    } catch {
      // A damaged or older file: rebuild below.
    }
  }
  const { search, ingest } = buildIndex(sources);
  const file = saveIndex(search, cacheDir, print);
  return { search, file, built: true, ingest, millis: millis() };
}
