// Reads a folder of Docs-style Markdown articles into sections: front matter, headings with anchors,
// moniker (cloud) blocks, callouts, includes and links. A bad file is reported and skipped.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CloudId } from '../directory/types';
import { inlineText, markdownToText, rewriteCallout, slugify, stripSideBySide } from './docs-markdown';
import type { HelpArticle, HelpSection, IngestResult, Segment, SectionLink, SkippedFile } from './types';

export interface KnowledgeSource {
  /** Folder holding `en/…`, `ko/…` (or files whose front matter names their locale). */
  dir: string;
  /** "Read more" and relative links resolve against this, e.g. `http://localhost:3978/help/`. */
  baseUrl: string;
}

export interface IngestOptions {
  /** Files larger than this are skipped as not an article. */
  maxFileBytes?: number;
  /** Language for files that say nothing about theirs. */
  defaultLanguage?: string;
  /** Called after each file, for progress bars. */
  onFile?: (done: number, total: number) => void;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const MAX_INCLUDE_DEPTH = 3;

const MONIKER_CLOUDS: Record<string, CloudId> = {
  'o365-worldwide': 'worldwide',
  'o365-21vianet': '21vianet',
  'o365-germany': 'germany',
};

export class ArticleError extends Error {}

/** Every `.md` file below `dir`, sorted so ids and order do not depend on the file system. */
export function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

export function ingestSources(sources: KnowledgeSource[], options: IngestOptions = {}): IngestResult {
  const files = sources.flatMap((source) => {
    if (!fs.existsSync(source.dir) || !fs.statSync(source.dir).isDirectory()) return [];
    return markdownFiles(source.dir).map((file) => ({ source, file }));
  });
  const result: IngestResult = { articles: [], skipped: [], warnings: [] };
  const missing = sources.filter((s) => !fs.existsSync(s.dir) || !fs.statSync(s.dir).isDirectory());
  for (const source of missing) result.skipped.push({ path: source.dir, reason: 'folder not found' });
  const seen = new Set<string>();
  files.forEach(({ source, file }, i) => {
    const relative = path.relative(source.dir, file).split(path.sep).join('/');
    try {
      const article = ingestFile(file, { ...source, relativePath: relative }, options, result.warnings);
      if (seen.has(article.path)) {
        result.skipped.push({ path: file, reason: `an earlier folder already has ${article.path}` });
      } else if (article.sections.length === 0) {
        result.skipped.push({ path: file, reason: 'no text' });
      } else {
        seen.add(article.path);
        result.articles.push(article);
      }
    } catch (error) {
      if (!(error instanceof ArticleError)) throw error;
      result.skipped.push({ path: file, reason: error.message });
    }
    options.onFile?.(i + 1, files.length);
  });
  return result;
}

interface FileContext extends KnowledgeSource {
  relativePath: string;
}

export function readArticleFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string {
  const size = fs.statSync(file).size;
  if (size > maxBytes) throw new ArticleError(`${size} bytes is over the ${maxBytes}-byte limit`);
  const bytes = fs.readFileSync(file);
  if (bytes.includes(0)) throw new ArticleError('binary file (contains NUL bytes)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    throw new ArticleError('not valid UTF-8 text');
  }
}

export function splitFrontMatter(text: string): { meta: Record<string, unknown>; body: string } {
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { meta: {}, body: text };
  let meta: unknown;
  try {
    // Unknown tags (!!js/function …) become plain values; only real errors count.
    meta = parseYaml(match[1], { logLevel: 'error' }) ?? {};
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    throw new ArticleError(`front matter is not valid YAML: ${first}`);
  }
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new ArticleError('front matter is not a YAML mapping');
  return { meta: meta as Record<string, unknown>, body: text.slice(match[0].length) };
}

function languageOf(meta: Record<string, unknown>, relativePath: string, fallback: string): string {
  const declared = meta['ms.contentlocale'] ?? meta['ms.locale'];
  if (typeof declared === 'string' && /^[a-z]{2}/i.test(declared)) return declared.slice(0, 2).toLowerCase();
  const folder = relativePath.split('/')[0];
  if (/^[a-z]{2}(-[a-z]{2,4})?$/i.test(folder)) return folder.slice(0, 2).toLowerCase();
  return fallback;
}

/** Splices `[!INCLUDE [...](path)]` files into the lines, relative to the including file. */
function expandIncludes(lines: string[], file: string, root: string, warnings: string[], depth = 0): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const include = /^\s*\[!INCLUDE\s*\[[^\]]*\]\(([^)\s]+)\)\s*\]\s*$/i.exec(line);
    if (!include) {
      out.push(line);
      continue;
    }
    const target = path.resolve(path.dirname(file), include[1]);
    const real = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : p);
    // Compared after resolving symlinks, so a link inside the folder can't pull in a file outside it.
    const inside = real(target).startsWith(real(path.resolve(root)) + path.sep);
    if (!inside || depth >= MAX_INCLUDE_DEPTH || !fs.existsSync(target) || !fs.statSync(target).isFile()) {
      warnings.push(`${file}: include ${include[1]} not found`);
      continue;
    }
    try {
      const { body } = splitFrontMatter(readArticleFile(target));
      out.push(...expandIncludes(body.split(/\r?\n/), target, root, warnings, depth + 1));
    } catch (error) {
      warnings.push(`${file}: include ${include[1]} unreadable (${(error as Error).message})`);
    }
  }
  return out;
}

function parseMoniker(range: string): { clouds: CloudId[] | null; tags: string[] } {
  const parts = range.split(/\|\||,/).map((p) => p.trim()).filter(Boolean);
  const clouds = parts.map((p) => MONIKER_CLOUDS[p.toLowerCase()]).filter((c): c is CloudId => Boolean(c));
  const tags = parts.filter((p) => !MONIKER_CLOUDS[p.toLowerCase()]);
  return { clouds: clouds.length ? clouds : null, tags };
}

/**
 * An ATX heading line (`## Text ##`): its hashes and its text without the closing sequence. Written
 * out by hand: the regular expression it replaces, /^(#{1,6})\s+(.*?)\s*#*\s*$/, backtracked
 * cubically on a long run of blanks inside a heading (a 20 KB line took minutes), and it dropped a
 * trailing "#" that CommonMark keeps ("C#").
 */
export function atxHeading(line: string): [string, string, string] | null {
  const open = /^(#{1,6})\s/.exec(line);
  if (!open) return null;
  let text = line.slice(open[1].length).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  // A closing run of #s counts only after a blank (or as the whole text).
  if (end === 0) text = '';
  else if (end < text.length && /\s/.test(text[end - 1])) text = text.slice(0, end).trimEnd();
  return [line, open[1], text];
}

/**
 * An anchor named in the page (`<a name="…"></a>`), as written, except for what would break a section
 * id (`path#anchor`, split at its last "#") or a URL fragment: "#" and blanks become "-".
 */
function explicitAnchor(name: string): string {
  return name.trim().replace(/[\s#]+/g, '-');
}

interface Draft {
  anchor: string;
  aliases: string[];
  heading: string;
  headingPath: string[];
  level: number;
  headingClouds: CloudId[] | null;
  tags: Set<string>;
  segments: Segment[];
  links: SectionLink[];
}

export function ingestFile(file: string, context: FileContext, options: IngestOptions = {}, warnings: string[] = []): HelpArticle {
  const raw = readArticleFile(file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const { meta, body } = splitFrontMatter(raw);
  const language = languageOf(meta, context.relativePath, options.defaultLanguage ?? 'en');
  const articlePath = context.relativePath;
  // Each segment encoded: a "#", "?" or "%" in a file name is part of the path, not a fragment or query.
  const articleUrl = new URL(articlePath.replace(/\.md$/i, '').split('/').map(encodeURIComponent).join('/'), context.baseUrl).toString();

  const resolveLink = (href: string): string | null => {
    const trimmed = href.trim();
    if (!trimmed) return null;
    if (/^(https?:|mailto:|tel:)/i.test(trimmed)) return trimmed;
    if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return null; // javascript: and other schemes are dropped
    if (trimmed.startsWith('#')) return articleUrl + trimmed;
    try {
      return new URL(trimmed.replace(/\.md(?=$|#|\?)/i, ''), articleUrl).toString();
    } catch {
      return null;
    }
  };

  const lines = expandIncludes(stripSideBySide(body).split(/\r?\n/), file, context.dir, warnings);
  const drafts: Draft[] = [];
  let moniker: { clouds: CloudId[] | null; tags: string[] } = { clouds: null, tags: [] };
  let buffer: string[] = [];
  let fence: string | null = null;
  let pendingAliases: string[] = [];
  let cloudIntro: string | null = null;
  let title = typeof meta.title === 'string' ? meta.title.trim() : '';
  const ancestors: { level: number; heading: string }[] = [];

  const newDraft = (anchor: string, heading: string, level: number): Draft => ({
    anchor,
    aliases: [],
    heading,
    headingPath: [],
    level,
    headingClouds: moniker.clouds,
    tags: new Set(moniker.tags),
    segments: [],
    links: [],
  });
  let current = newDraft('', '', 1);
  drafts.push(current);

  const flush = () => {
    const source = buffer.join('\n');
    buffer = [];
    if (!source.trim()) return;
    const { text, links } = markdownToText(source, { resolveLink });
    if (!text) return;
    current.segments.push({ clouds: moniker.clouds, text });
    current.links.push(...links);
    for (const tag of moniker.tags) current.tags.add(tag);
  };

  /** Whether the moniker block opening at line `start` holds a heading before its end. */
  const blockHasHeading = (start: number): boolean => {
    for (let j = start + 1; j < lines.length; j++) {
      if (/^\s*:::\s*moniker(-end|\s)/i.test(lines[j])) return false;
      if (/^#{1,3}\s/.test(lines[j])) return true;
    }
    return false;
  };

  for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
    const line = lines[lineNumber];
    if (fence) {
      buffer.push(line);
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    const fenceOpen = /^\s*(```|~~~)/.exec(line);
    if (fenceOpen) {
      fence = fenceOpen[1];
      buffer.push(line);
      continue;
    }
    const monikerOpen = /^\s*:::\s*moniker\s+range\s*=\s*"([^"]*)"\s*$/i.exec(line);
    if (monikerOpen) {
      flush();
      moniker = parseMoniker(monikerOpen[1]);
      // A cloud's block that holds headings is that cloud's variant of the article: text before its
      // first heading introduces it and gets a section of its own instead of joining the one before.
      // A block without headings is a cloud-only passage of the current section.
      cloudIntro = moniker.clouds && current.segments.length > 0 && blockHasHeading(lineNumber) ? monikerOpen[1] : null;
      continue;
    }
    if (/^\s*:::\s*moniker-end\s*$/i.test(line)) {
      flush();
      moniker = { clouds: null, tags: [] };
      cloudIntro = null;
      continue;
    }
    const bookmark = /^\s*<a\s+(?:name|id)="([^"]+)"\s*>\s*<\/a>\s*$/i.exec(line);
    if (bookmark) {
      pendingAliases.push(explicitAnchor(bookmark[1]));
      continue;
    }
    const heading = atxHeading(line);
    if (cloudIntro !== null && line.trim() && !(heading && heading[1].length <= 3)) {
      current = newDraft(slugify(cloudIntro), title || path.basename(file, path.extname(file)), 2);
      drafts.push(current);
      cloudIntro = null;
    }
    if (heading && heading[1].length <= 3) {
      cloudIntro = null;
      flush();
      const level = heading[1].length;
      const named = /<a\s+(?:name|id)="([^"]+)"\s*>\s*<\/a>/i.exec(heading[2]);
      const text = inlineText(heading[2].replace(/<a\s+[^<>]*>\s*<\/a>/gi, ''));
      if (level === 1 && drafts.length === 1 && !current.heading) {
        // The H1 names the article; its text before the first ## is the lead section.
        if (!title) title = text;
        current.heading = text;
        // Without an explicit anchor the file name names the lead, so translations share it.
        current.anchor = named ? explicitAnchor(named[1]) : slugify(path.basename(file, path.extname(file)));
        current.aliases.push(...pendingAliases);
        pendingAliases = [];
        continue;
      }
      while (ancestors.length && ancestors[ancestors.length - 1].level >= level) ancestors.pop();
      current = newDraft(named ? explicitAnchor(named[1]) : slugify(text), text, level);
      current.headingPath = [...ancestors.map((a) => a.heading), text];
      current.aliases.push(...pendingAliases);
      pendingAliases = [];
      ancestors.push({ level, heading: text });
      drafts.push(current);
      continue;
    }
    const rewritten = rewriteCallout(line, language);
    if (rewritten !== null) buffer.push(rewritten);
  }
  flush();

  if (!title) title = path.basename(file, path.extname(file));
  const lead = drafts[0];
  if (!lead.heading) {
    lead.heading = title;
    lead.anchor = slugify(path.basename(file, path.extname(file))) || 'top';
  }
  const description = typeof meta.description === 'string' ? meta.description.trim() : '';
  if (lead.segments.length === 0 && description) lead.segments.push({ clouds: null, text: description });

  // A repeated anchor gets -1, -2 … until it is unused, even next to a heading that reads "Setup 1".
  // (Each base remembers where its count got to: a file with thousands of equal headings stays linear.)
  const usedAnchors = new Set<string>();
  const nextSuffix = new Map<string, number>();
  const sections: HelpSection[] = [];
  for (const draft of drafts) {
    if (draft.segments.length === 0) continue;
    const base = draft.anchor || 'section';
    let anchor = base;
    let n = nextSuffix.get(base) ?? 1;
    for (; usedAnchors.has(anchor); n++) anchor = `${base}-${n}`;
    nextSuffix.set(base, n);
    usedAnchors.add(anchor);
    const everywhere = draft.segments.some((s) => !s.clouds);
    const clouds = everywhere ? null : [...new Set(draft.segments.flatMap((s) => s.clouds ?? []))];
    sections.push({
      id: `${articlePath}#${anchor}`,
      articlePath,
      anchor,
      aliases: draft.aliases.filter((a) => a !== anchor),
      language,
      articleTitle: title,
      heading: draft === lead ? title : draft.heading,
      headingPath: draft.headingPath,
      level: draft.level,
      clouds: clouds ?? draft.headingClouds,
      tags: [...draft.tags],
      segments: draft.segments,
      links: draft.links,
      url: draft === lead ? articleUrl : `${articleUrl}#${anchor}`,
    });
  }

  const metaStrings: Record<string, string> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (key.startsWith('ms.') && (typeof value === 'string' || typeof value === 'number')) metaStrings[key] = String(value);
  }
  return { path: articlePath, language, title, description, meta: metaStrings, sections };
}

export type { SkippedFile };
