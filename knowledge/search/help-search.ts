// BM25 search over help sections with MiniSearch: one index per language, field boosts (title,
// headings, body), typo tolerance for longer Latin words, cloud filtering and a fallback from a
// Korean question to English sections when nothing Korean fits.
import MiniSearch, { SearchResult } from 'minisearch';
import type { CloudId } from '../directory/types';
import { Analyzer, analyzerFor, isBigramTerm, KoreanAnalyzerName } from './analyzers';
import type { HelpArticle, HelpSection } from './types';
import { sectionText } from './types';

export const SEARCH_FORMAT_VERSION = 1;
const FIELDS = ['title', 'headings', 'body'] as const;
const BOOST = { title: 2.5, headings: 2, body: 1 };

/** Share of the question's terms a top result must match before it counts as an answer. */
export const MIN_COVERAGE = 0.5;
/** Results scoring below this share of the best one are noise. */
const RELATIVE_FLOOR = 0.35;
/** Two different articles this close at the top: ask which one was meant. */
const CLOSE_SCORES = 0.92;
const BIGRAM_BOOST = 0.4;
/** Cloud unknown and not named: most tenants are worldwide, so other clouds' sections rank a little lower. */
const UNKNOWN_CLOUD_DAMPING = 0.8;

export interface SearchQuery {
  text: string;
  /** Language of the question: its own sections come first. */
  language: string;
  /** The asker's cloud, when known: sections for other clouds are left out. */
  cloud?: CloudId;
  /** Clouds named in the question itself: their sections are let in and lifted. */
  mentionedClouds?: CloudId[];
  limit?: number;
}

export interface SearchHit {
  section: HelpSection;
  score: number;
  /** Terms of the section that matched, as the analyzer wrote them (for emphasis). */
  matchedTerms: string[];
  /** Share of the question's terms this section matched. */
  coverage: number;
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** Language of the sections returned. */
  language: string;
  /** A Korean question answered from English sections. */
  fellBack: boolean;
  /** The top two are different articles with nearly equal scores. */
  close: boolean;
}

export interface HelpSearchOptions {
  korean?: KoreanAnalyzerName;
}

interface IndexDocument {
  id: number;
  title: string;
  headings: string;
  body: string;
}

function miniSearchOptions(analyzer: Analyzer) {
  return {
    fields: [...FIELDS],
    storeFields: [] as string[],
    tokenize: (text: string) => analyzer.terms(text),
    processTerm: (term: string) => term,
  };
}

export interface SerializedHelpSearch {
  version: number;
  korean: KoreanAnalyzerName;
  sections: HelpSection[];
  indexes: Record<string, ReturnType<MiniSearch['toJSON']>>;
}

export class HelpSearch {
  private constructor(
    readonly sections: HelpSection[],
    private readonly indexes: Map<string, MiniSearch<IndexDocument>>,
    private readonly korean: KoreanAnalyzerName,
  ) {}

  static build(articles: HelpArticle[], options: HelpSearchOptions = {}): HelpSearch {
    const korean = options.korean ?? 'stems+bigrams';
    const sections = articles.flatMap((a) => a.sections);
    const indexes = new Map<string, MiniSearch<IndexDocument>>();
    sections.forEach((section, id) => {
      let index = indexes.get(section.language);
      if (!index) {
        index = new MiniSearch<IndexDocument>(miniSearchOptions(analyzerFor(section.language, korean)));
        indexes.set(section.language, index);
      }
      index.add(documentOf(section, id));
    });
    return new HelpSearch(sections, indexes, korean);
  }

  static fromJSON(data: SerializedHelpSearch): HelpSearch {
    if (data.version !== SEARCH_FORMAT_VERSION) throw new Error(`search index format ${data.version} is not ${SEARCH_FORMAT_VERSION}`);
    const indexes = new Map<string, MiniSearch<IndexDocument>>();
    for (const [language, index] of Object.entries(data.indexes)) {
      indexes.set(language, MiniSearch.loadJS<IndexDocument>(index, miniSearchOptions(analyzerFor(language, data.korean))));
    }
    return new HelpSearch(data.sections, indexes, data.korean);
  }

  toJSON(): SerializedHelpSearch {
    const indexes: SerializedHelpSearch['indexes'] = {};
    for (const [language, index] of this.indexes) indexes[language] = index.toJSON();
    return { version: SEARCH_FORMAT_VERSION, korean: this.korean, sections: this.sections, indexes };
  }

  languages(): string[] {
    return [...this.indexes.keys()];
  }

  analyzer(language: string): Analyzer {
    return analyzerFor(language, this.korean);
  }

  section(id: string): HelpSection | undefined {
    return this.sections.find((s) => s.id === id);
  }

  search(query: SearchQuery): SearchOutcome {
    const limit = query.limit ?? 3;
    const own = this.searchLanguage(query, query.language);
    if (own.length > 0 && own[0].coverage >= MIN_COVERAGE) return outcome(own, query.language, false, limit);
    if (query.language !== 'en' && this.indexes.has('en')) {
      // Coverage still counts the question's own words, so one Latin word can't carry a Korean question.
      const ownTerms = new Set(this.analyzer(query.language).terms(query.text).filter((t) => !isBigramTerm(t))).size;
      const english = this.searchLanguage(query, 'en', ownTerms);
      if (english.length > 0 && english[0].coverage >= MIN_COVERAGE) return outcome(english, 'en', true, limit);
    }
    return { hits: [], language: query.language, fellBack: false, close: false };
  }

  /** Ranked hits in one language's index, before the answer threshold is applied. */
  searchLanguage(query: SearchQuery, language: string, minimumWeight = 0): SearchHit[] {
    const index = this.indexes.get(language);
    if (!index) return [];
    const analyzer = this.analyzer(language);
    const queryTerms = [...new Set(analyzer.terms(query.text))];
    if (queryTerms.length === 0) return [];
    const mentioned = new Set(query.mentionedClouds ?? []);
    const allowed = (section: HelpSection): boolean => {
      if (!section.clouds) return true;
      if (section.clouds.some((c) => mentioned.has(c))) return true;
      // Unknown cloud: every section may answer; a known cloud sees its own and the shared ones.
      return !query.cloud || section.clouds.includes(query.cloud);
    };
    const results: SearchResult[] = index.search(queryTerms.join(' '), {
      boost: BOOST,
      fuzzy: (term) => fuzziness(term),
      prefix: false,
      combineWith: 'OR',
      // A syllable bigram is weak evidence next to a whole word.
      boostTerm: (term) => (isBigramTerm(term) ? BIGRAM_BOOST : 1),
      filter: (result) => allowed(this.sections[result.id as number]),
      // The query was analyzed above; terms pass through as they are.
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
    });
    const weightOf = (term: string) => (isBigramTerm(term) ? 0.5 : 1);
    const totalWeight = Math.max(minimumWeight, queryTerms.reduce((sum, term) => sum + weightOf(term), 0));
    return results.map((result) => {
      const section = this.sections[result.id as number];
      const matchedWeight = result.queryTerms.reduce((sum, term) => sum + weightOf(term), 0);
      const lifted = section.clouds?.some((c) => mentioned.has(c))
        ? 1.5
        : !query.cloud && section.clouds && !section.clouds.includes('worldwide')
          ? UNKNOWN_CLOUD_DAMPING
          : 1;
      return {
        section,
        score: result.score * lifted,
        matchedTerms: result.terms,
        coverage: matchedWeight / totalWeight,
      };
    }).sort((a, b) => b.score - a.score);
  }
}

/** One edit for Latin words of 5–7 letters, two from 8; none for short words, numbers or Hangul. */
export function fuzziness(term: string): number {
  if (!/^[a-z]+$/.test(term)) return 0;
  if (term.length >= 8) return 2;
  if (term.length >= 5) return 1;
  return 0;
}

function documentOf(section: HelpSection, id: number): IndexDocument {
  return {
    id,
    title: section.articleTitle,
    headings: [...section.headingPath, section.heading, ...section.aliases].join('\n'),
    body: sectionText(section),
  };
}

function outcome(ranked: SearchHit[], language: string, fellBack: boolean, limit: number): SearchOutcome {
  const floor = ranked[0].score * RELATIVE_FLOOR;
  const perArticle = new Map<string, number>();
  const hits: SearchHit[] = [];
  for (const hit of ranked) {
    if (hits.length >= limit || hit.score < floor) break;
    // At most two sections of one article, so the reader sees alternatives.
    const seen = perArticle.get(hit.section.articlePath) ?? 0;
    if (seen >= 2) continue;
    perArticle.set(hit.section.articlePath, seen + 1);
    hits.push(hit);
  }
  const close = hits.length >= 2 && hits[0].section.articlePath !== hits[1].section.articlePath && hits[1].score / hits[0].score >= CLOSE_SCORES;
  return { hits, language, fellBack, close };
}
