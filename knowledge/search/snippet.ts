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

export function snippet(text: string, matchedTerms: string[], analyzer: Analyzer, maxChars = SNIPPET_CHARS): SnippetPart[] {
  const wanted = new Set(matchedTerms.filter((t) => !isBigramTerm(t)));
  const parts = sentences(text);
  if (parts.length === 0) return [];
  const hits = (sentence: string) => new Set(analyzer.terms(sentence).filter((t) => wanted.has(t))).size;
  let best = 0;
  let bestHits = -1;
  parts.forEach((sentence, i) => {
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
    const match = !/^\s+$/.test(piece) && analyzer.terms(piece).some((t) => wanted.has(t));
    const last = out[out.length - 1];
    if (last && last.match === match && !match) last.text += piece;
    else out.push({ text: piece, match });
  }
  return out;
}

export function snippetText(parts: SnippetPart[]): string {
  return parts.map((p) => p.text).join('');
}
