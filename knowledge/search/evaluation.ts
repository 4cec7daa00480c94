// Scores search against questions whose answering article (or section) is known: top-1, top-3 and
// mean reciprocal rank per language. Used by `npm run eval:search` and the analyzer comparison.
import fs from 'node:fs';
import type { HelpSearch, SearchHit } from './help-search';

export interface SearchQuestion {
  locale: string;
  query: string;
  /** `path.md` (any section of that article) or `path.md#anchor` (that section). */
  expect: string;
}

export interface LanguageScore {
  language: string;
  questions: number;
  top1: number;
  top3: number;
  mrr: number;
  misses: { query: string; expect: string; got: string[] }[];
}

export function readQuestions(file: string): SearchQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const q = JSON.parse(line) as SearchQuestion;
      if (!q.query || !q.expect || !q.locale) throw new Error(`${file}:${i + 1}: needs locale, query and expect`);
      return q;
    });
}

export function answers(hit: SearchHit, expect: string): boolean {
  const [path, anchor] = expect.split('#');
  if (hit.section.articlePath !== path) return false;
  return !anchor || hit.section.anchor === anchor || hit.section.aliases.includes(anchor);
}

/** Ranks are taken from the language's own ranked list (up to 10), as the bot would search it. */
export function score(search: HelpSearch, questions: SearchQuestion[]): LanguageScore[] {
  const byLanguage = new Map<string, LanguageScore>();
  for (const q of questions) {
    const language = q.locale.slice(0, 2).toLowerCase();
    const entry = byLanguage.get(language) ?? { language, questions: 0, top1: 0, top3: 0, mrr: 0, misses: [] };
    byLanguage.set(language, entry);
    const outcome = search.search({ text: q.query, language, limit: 10 });
    const rank = outcome.hits.findIndex((hit) => answers(hit, q.expect)) + 1;
    entry.questions += 1;
    if (rank === 1) entry.top1 += 1;
    if (rank >= 1 && rank <= 3) entry.top3 += 1;
    if (rank >= 1) entry.mrr += 1 / rank;
    if (rank !== 1) entry.misses.push({ query: q.query, expect: q.expect, got: outcome.hits.slice(0, 3).map((h) => h.section.id) });
  }
  return [...byLanguage.values()].map((e) => ({ ...e, top1: e.top1 / e.questions, top3: e.top3 / e.questions, mrr: e.mrr / e.questions }));
}
