// The part of a section worth showing in a result: the passage with most of the matched words,
// cut to a few lines, with those words marked so the card can emphasise them.
import type { Analyzer } from './analyzers';
import { isBigramTerm } from './analyzers';

export interface SnippetPart {
  text: string;
  match: boolean;
}

export const SNIPPET_CHARS = 260;

function sentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?。])\s+/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

interface Sentence {
  text: string;
  /** Its distinct terms. */
  terms: string[];
}

// The same few hundred sections come back turn after turn, and stemming them was most of a snippet's
// cost: per analyzer, keep each text's sentences with their terms, and each word's terms. Analyzers
// are pure, so a cached result is what a fresh one would be. Bounded: the oldest entry goes first.
export const MAX_CACHED_TEXTS = 2_000;
export const MAX_CACHED_WORDS = 50_000;
const caches = new WeakMap<Analyzer, { texts: Map<string, Sentence[]>; words: Map<string, string[]> }>();

function cacheOf(analyzer: Analyzer) {
  let cache = caches.get(analyzer);
  if (!cache) caches.set(analyzer, (cache = { texts: new Map(), words: new Map() }));
  return cache;
}

function remember<V>(map: Map<string, V>, key: string, max: number, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= max) map.delete(map.keys().next().value as string);
    map.set(key, (value = make()));
  }
  return value;
}

function analysed(text: string, analyzer: Analyzer): Sentence[] {
  return remember(cacheOf(analyzer).texts, text, MAX_CACHED_TEXTS, () => sentences(text).map((s) => ({ text: s, terms: [...new Set(analyzer.terms(s))] })));
}

function wordTerms(word: string, analyzer: Analyzer): string[] {
  return remember(cacheOf(analyzer).words, word, MAX_CACHED_WORDS, () => analyzer.terms(word));
}

export function snippet(text: string, matchedTerms: string[], analyzer: Analyzer, maxChars = SNIPPET_CHARS): SnippetPart[] {
  const wanted = new Set(matchedTerms.filter((t) => !isBigramTerm(t)));
  const analysis = analysed(text, analyzer);
  if (analysis.length === 0) return [];
  const parts = analysis.map((s) => s.text);
  const hits = (sentence: Sentence) => sentence.terms.reduce((n, t) => (wanted.has(t) ? n + 1 : n), 0);
  let best = 0;
  let bestHits = -1;
  analysis.forEach((sentence, i) => {
    const n = hits(sentence);
    if (n > bestHits) {
      best = i;
      bestHits = n;
    }
  });
  // Start one sentence earlier when the best one is a list item, so the reader sees what it belongs to.
  const start = best > 0 && /^(\d+\.|-)\s/.test(parts[best]) && parts[best - 1].length < maxChars / 2 ? best - 1 : best;
  let window = parts[start];
  for (let i = start + 1; i < parts.length && window.length + parts[i].length + 1 <= maxChars; i++) window += ` ${parts[i]}`;
  if (window.length > maxChars) {
    const cut = window.lastIndexOf(' ', maxChars - 1);
    window = `${window.slice(0, cut > maxChars / 2 ? cut : maxChars - 1)}…`;
  }
  return mark(window, wanted, analyzer);
}

/** Splits text into words and the spaces between them, marking words whose terms matched. */
function mark(text: string, wanted: Set<string>, analyzer: Analyzer): SnippetPart[] {
  const out: SnippetPart[] = [];
  for (const piece of text.split(/(\s+)/)) {
    if (!piece) continue;
    const match = !/^\s+$/.test(piece) && wordTerms(piece, analyzer).some((t) => wanted.has(t));
    const last = out[out.length - 1];
    if (last && last.match === match && !match) last.text += piece;
    else out.push({ text: piece, match });
  }
  return out;
}

export function snippetText(parts: SnippetPart[]): string {
  return parts.map((p) => p.text).join('');
}
