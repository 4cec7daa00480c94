// BM25 search over help sections with MiniSearch: one index per language, field boosts (title,
// headings, body), typo tolerance for longer Latin words, cloud filtering and a fallback from a
// Korean question to English sections when nothing Korean fits.
import MiniSearch, { SearchResult } from 'minisearch';
import type { CloudId } from '../directory/types';
import { Analyzer, analyzerFor, isBigramTerm, KoreanAnalyzerName } from './analyzers';
import type { HelpArticle, HelpSection } from './types';
import { sectionText } from './types';

export const SEARCH_FORMAT_VERSION = 2;
const FIELDS = ['title', 'headings', 'body'] as const;
const BOOST = { title: 2.5, headings: 2, body: 1 };

/** Share of the question's weight (terms by IDF) a top result must match before it counts as an answer. */
export const MIN_COVERAGE = 0.5;
/** Results scoring below this share of the best one are noise. */
const RELATIVE_FLOOR = 0.35;
/** Two different articles this close at the top: ask which one was meant. */
const CLOSE_SCORES = 0.92;
const BIGRAM_BOOST = 0.4;
const FUZZY_EVIDENCE = 0.5;
const ANSWER_WINDOW = 3;
/** Sections of one article among the results; the rest go to other articles. */
const MAX_PER_ARTICLE = 2;
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
  /** Per language: how many sections hold each term. */
  documentFrequencies: Record<string, Record<string, number>>;
}

/** Headings of link lists and navigation: shown on the article page, never as an answer. */
const NAVIGATION_HEADINGS = /^(related (articles|content|topics|links)|see also|next steps|more information|관련 (콘텐츠|문서|항목|토픽|링크)|참고 항목|다음 단계)$/i;

export function isNavigation(section: HelpSection): boolean {
  return NAVIGATION_HEADINGS.test(section.heading.trim());
}

export class HelpSearch {
  private constructor(
    readonly sections: HelpSection[],
    private readonly indexes: Map<string, MiniSearch<IndexDocument>>,
    private readonly korean: KoreanAnalyzerName,
    private readonly frequencies: Map<string, Map<string, number>>,
  ) {}

  static build(articles: HelpArticle[], options: HelpSearchOptions = {}): HelpSearch {
    const korean = options.korean ?? 'stems+bigrams';
    const sections = articles.flatMap((a) => a.sections);
    const indexes = new Map<string, MiniSearch<IndexDocument>>();
    const frequencies = new Map<string, Map<string, number>>();
    sections.forEach((section, id) => {
      if (isNavigation(section)) return;
      let index = indexes.get(section.language);
      let df = frequencies.get(section.language);
      const analyzer = analyzerFor(section.language, korean);
      if (!index || !df) {
        index = new MiniSearch<IndexDocument>(miniSearchOptions(analyzer));
        df = new Map();
        indexes.set(section.language, index);
        frequencies.set(section.language, df);
      }
      const document = documentOf(section, id);
      index.add(document);
      for (const term of new Set(FIELDS.flatMap((field) => analyzer.terms(document[field])))) df.set(term, (df.get(term) ?? 0) + 1);
    });
    return new HelpSearch(sections, indexes, korean, frequencies);
  }

  static fromJSON(data: SerializedHelpSearch): HelpSearch {
    if (data.version !== SEARCH_FORMAT_VERSION) throw new Error(`search index format ${data.version} is not ${SEARCH_FORMAT_VERSION}`);
    const indexes = new Map<string, MiniSearch<IndexDocument>>();
    const frequencies = new Map<string, Map<string, number>>();
    for (const [language, index] of Object.entries(data.indexes)) {
      indexes.set(language, MiniSearch.loadJS<IndexDocument>(index, miniSearchOptions(analyzerFor(language, data.korean))));
      frequencies.set(language, new Map(Object.entries(data.documentFrequencies[language] ?? {})));
    }
    return new HelpSearch(data.sections, indexes, data.korean, frequencies);
  }

  toJSON(): SerializedHelpSearch {
    const indexes: SerializedHelpSearch['indexes'] = {};
    const documentFrequencies: SerializedHelpSearch['documentFrequencies'] = {};
    for (const [language, index] of this.indexes) {
      indexes[language] = index.toJSON();
      documentFrequencies[language] = Object.fromEntries(this.frequencies.get(language) ?? []);
    }
    return { version: SEARCH_FORMAT_VERSION, korean: this.korean, sections: this.sections, indexes, documentFrequencies };
  }

  languages(): string[] {
    return [...this.indexes.keys()];
  }

  analyzer(language: string): Analyzer {
    return analyzerFor(language, this.korean);
  }

  private byId?: Map<string, HelpSection>;
  private byArticle?: Map<string, HelpSection[]>;

  section(id: string): HelpSection | undefined {
    this.byId ??= new Map(this.sections.map((s) => [s.id, s]));
    return this.byId.get(id);
  }

  /** An article's sections in reading order. */
  articleSections(articlePath: string): HelpSection[] {
    if (!this.byArticle) {
      this.byArticle = new Map();
      for (const s of this.sections) this.byArticle.set(s.articlePath, [...(this.byArticle.get(s.articlePath) ?? []), s]);
    }
    return this.byArticle.get(articlePath) ?? [];
  }

  search(query: SearchQuery): SearchOutcome {
    const limit = query.limit ?? 3;
    const own = this.searchLanguage(query, query.language);
    if (answered(own)) return outcome(own, query.language, false, limit);
    if (query.language !== 'en' && this.indexes.has('en')) {
      // Coverage still counts the question's own words, so one Latin word can't carry a Korean question.
      const ownWeight = this.queryWeight(query.language, this.analyzer(query.language).terms(query.text).filter((t) => !isBigramTerm(t)));
      const english = this.searchLanguage(query, 'en', ownWeight);
      if (answered(english)) return outcome(english, 'en', true, limit);
    }
    return { hits: [], language: query.language, fellBack: false, close: false };
  }

  /**
   * How much a term says about a topic: its inverse document frequency. A term no section holds gets
   * the weight of the rarest, so "pizza" outweighs "how" and a question about it finds nothing.
   */
  termWeight(language: string, term: string): number {
    const total = this.indexes.get(language)?.documentCount ?? 1;
    const df = Math.max(1, this.frequencies.get(language)?.get(term) ?? 0);
    const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
    return isBigramTerm(term) ? idf * 0.5 : idf;
  }

  queryWeight(language: string, terms: string[]): number {
    return [...new Set(terms)].reduce((sum, term) => sum + this.termWeight(language, term), 0);
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
    const weightOf = (term: string) => this.termWeight(language, term);
    const totalWeight = Math.max(minimumWeight, this.queryWeight(language, queryTerms));
    return results.map((result) => {
      const section = this.sections[result.id as number];
      // A typo-tolerant match is weaker evidence than the word itself.
      const exact = new Set(result.terms);
      const matchedWeight = result.queryTerms.reduce((sum, term) => sum + weightOf(term) * (exact.has(term) ? 1 : FUZZY_EVIDENCE), 0);
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

/** The question is answered when one of the first few results covers enough of it. */
function answered(ranked: SearchHit[]): boolean {
  return ranked.slice(0, ANSWER_WINDOW).some((hit) => hit.coverage >= MIN_COVERAGE);
}

function outcome(ranked: SearchHit[], language: string, fellBack: boolean, limit: number): SearchOutcome {
  const floor = ranked[0].score * RELATIVE_FLOOR;
  const perArticle = new Map<string, number>();
  const hits: SearchHit[] = [];
  for (const hit of ranked) {
    if (hits.length >= limit || hit.score < floor) break;
    const seen = perArticle.get(hit.section.articlePath) ?? 0;
    if (seen >= MAX_PER_ARTICLE) continue;
    perArticle.set(hit.section.articlePath, seen + 1);
    hits.push(hit);
  }
  const close = hits.length >= 2 && hits[0].section.articlePath !== hits[1].section.articlePath && hits[1].score / hits[0].score >= CLOSE_SCORES;
  return { hits, language, fellBack, close };
}
