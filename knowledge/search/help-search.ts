// BM25F search over help sections: one index per language, field boosts (title, headings, body),
// typo tolerance for longer Latin words, cloud filtering and a fallback from a Korean question to
// English sections when nothing Korean fits. Saved as one binary file whose sections are parsed
// only when a result needs them, so a large index loads quickly.
import type { CloudId } from '../directory/types';
import { Analyzer, analyzerFor, isBigramTerm, KoreanAnalyzerName } from './analyzers';
import { Bm25Index } from './bm25-index';
import type { HelpArticle, HelpSection } from './types';
import { sectionText } from './types';

export const SEARCH_FORMAT_VERSION = 3;
/** Field order of the index: article title, headings (with aliases), body. */
const BOOSTS = [2.5, 2, 1];

/** Share of the question's weight (terms by IDF) a top result must match before it counts as an answer. */
export const MIN_COVERAGE = 0.5;
/** Results scoring below this share of the best one are noise. */
const RELATIVE_FLOOR = 0.35;
/** Two different articles this close at the top: ask which one was meant. */
const CLOSE_SCORES = 0.92;
const BIGRAM_BOOST = 0.4;
const FUZZY_EVIDENCE = 0.5;
const ANSWER_WINDOW = 3;
const RESCORE_WINDOW = 100;
const CLOUD_BITS: Record<CloudId, number> = { worldwide: 1, '21vianet': 2, germany: 4 };
/** A term in more than this share of sections is "common"; small indexes score every term. */
const COMMON_SHARE = 0.08;
const COMMON_MIN_SECTIONS = 2000;
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

/** Headings of link lists and navigation: shown on the article page, never as an answer. */
const NAVIGATION_HEADINGS = /^(related (articles|content|topics|links)|see also|next steps|more information|관련 (콘텐츠|문서|항목|토픽|링크)|참고 항목|다음 단계)$/i;

export function isNavigation(section: HelpSection): boolean {
  return NAVIGATION_HEADINGS.test(section.heading.trim());
}

interface LanguageIndex {
  index: Bm25Index;
  /** Section number of each document of the index. */
  sections: Uint32Array;
}

interface FileHeader {
  version: number;
  korean: KoreanAnalyzerName;
  ids: string[];
  languages: { language: string; indexBytes: number; sectionCount: number }[];
  sectionBytes: number;
}

/** The sections, parsed one by one on first use. */
class SectionStore {
  private readonly parsed: (HelpSection | undefined)[];
  constructor(
    private readonly source: { buffer: Buffer; offsets: Uint32Array } | HelpSection[],
    readonly count: number,
  ) {
    this.parsed = Array.isArray(source) ? source : new Array(count);
  }

  get(i: number): HelpSection {
    let section = this.parsed[i];
    if (!section && !Array.isArray(this.source)) {
      const { buffer, offsets } = this.source;
      section = JSON.parse(buffer.toString('utf8', offsets[i], offsets[i + 1])) as HelpSection;
      this.parsed[i] = section;
    }
    return section!;
  }
}

export class HelpSearch {
  private readonly idIndex: Map<string, number>;
  private byArticle?: Map<string, number[]>;

  private constructor(
    private readonly store: SectionStore,
    readonly ids: string[],
    /** Cloud bits per section (0: every cloud), for filtering without parsing sections. */
    private readonly clouds: Uint8Array,
    private readonly indexes: Map<string, LanguageIndex>,
    private readonly korean: KoreanAnalyzerName,
  ) {
    this.idIndex = new Map(ids.map((id, i) => [id, i]));
  }

  get sectionCount(): number {
    return this.ids.length;
  }

  static build(articles: HelpArticle[], options: HelpSearchOptions = {}): HelpSearch {
    const korean = options.korean ?? 'stems+bigrams';
    const sections = articles.flatMap((a) => a.sections);
    const byLanguage = new Map<string, number[]>();
    sections.forEach((section, i) => {
      if (isNavigation(section)) return;
      byLanguage.set(section.language, [...(byLanguage.get(section.language) ?? []), i]);
    });
    const indexes = new Map<string, LanguageIndex>();
    for (const [language, members] of byLanguage) {
      const analyzer = analyzerFor(language, korean);
      const index = Bm25Index.build(members.map((i) => ({ fields: fieldsOf(sections[i]) })), BOOSTS, analyzer.terms);
      indexes.set(language, { index, sections: Uint32Array.from(members) });
    }
    const clouds = Uint8Array.from(sections.map((s) => cloudBits(s.clouds)));
    return new HelpSearch(new SectionStore(sections, sections.length), sections.map((s) => s.id), clouds, indexes, korean);
  }

  /** One file: a JSON header, each language's index, the cloud bits, then each section as JSON. */
  toBuffer(): Buffer {
    const languages = [...this.indexes].map(([language, { index, sections }]) => ({ language, bytes: index.toBuffer(), sections }));
    const sectionJson = this.ids.map((_, i) => Buffer.from(JSON.stringify(this.store.get(i)), 'utf8'));
    const offsets = new Uint32Array(sectionJson.length + 1);
    sectionJson.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
    const header: FileHeader = {
      version: SEARCH_FORMAT_VERSION,
      korean: this.korean,
      ids: this.ids,
      languages: languages.map((l) => ({ language: l.language, indexBytes: l.bytes.length, sectionCount: l.sections.length })),
      sectionBytes: offsets[sectionJson.length],
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const lead = Buffer.alloc(4);
    lead.writeUInt32LE(headerBytes.length);
    return Buffer.concat([
      lead,
      headerBytes,
      ...languages.flatMap((l) => [l.bytes, bytesOf(l.sections)]),
      Buffer.from(this.clouds),
      bytesOf(offsets),
      ...sectionJson,
    ]);
  }

  static fromBuffer(buffer: Buffer): HelpSearch {
    const headerLength = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.toString('utf8', 4, 4 + headerLength)) as FileHeader;
    if (header.version !== SEARCH_FORMAT_VERSION) throw new Error(`search index format ${header.version} is not ${SEARCH_FORMAT_VERSION}`);
    let at = 4 + headerLength;
    const take = (bytes: number) => {
      const slice = buffer.subarray(at, at + bytes);
      at += bytes;
      return slice;
    };
    const indexes = new Map<string, LanguageIndex>();
    for (const l of header.languages) {
      const index = Bm25Index.fromBuffer(take(l.indexBytes));
      indexes.set(l.language, { index, sections: new Uint32Array(copyOf(take(l.sectionCount * 4))) });
    }
    const count = header.ids.length;
    const clouds = new Uint8Array(copyOf(take(count)));
    const offsets = new Uint32Array(copyOf(take((count + 1) * 4)));
    const store = new SectionStore({ buffer: take(header.sectionBytes), offsets }, count);
    return new HelpSearch(store, header.ids, clouds, indexes, header.korean);
  }

  languages(): string[] {
    return [...this.indexes.keys()];
  }

  analyzer(language: string): Analyzer {
    return analyzerFor(language, this.korean);
  }

  /** Builds the typo-lookup trees now instead of on the first misspelt question. */
  warm(): void {
    for (const { index } of this.indexes.values()) index.warmCorrections();
  }

  section(id: string): HelpSection | undefined {
    const i = this.idIndex.get(id);
    return i === undefined ? undefined : this.store.get(i);
  }

  /** An article's sections in reading order. */
  articleSections(articlePath: string): HelpSection[] {
    if (!this.byArticle) {
      this.byArticle = new Map();
      this.ids.forEach((id, i) => {
        const path = id.slice(0, id.lastIndexOf('#'));
        this.byArticle!.set(path, [...(this.byArticle!.get(path) ?? []), i]);
      });
    }
    return (this.byArticle.get(articlePath) ?? []).map((i) => this.store.get(i));
  }

  search(query: SearchQuery): SearchOutcome {
    const limit = query.limit ?? 3;
    const own = this.searchLanguage(query, query.language);
    if (answered(own)) return outcome(own, query.language, false, limit);
    if (query.language !== 'en' && this.indexes.has('en')) {
      // Coverage still counts the question's own words, weighed on the English index's scale (where a
      // Korean word is unknown, so heavy): one Latin word can't carry a mostly Korean question.
      const ownWeight = this.queryWeight('en', this.analyzer(query.language).terms(query.text).filter((t) => !isBigramTerm(t)));
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
    const index = this.indexes.get(language)?.index;
    const idf = index ? index.idf(term) : 1;
    return isBigramTerm(term) ? idf * 0.5 : idf;
  }

  /** Query terms held by more than COMMON_SHARE of sections, when at least one rarer term remains. */
  commonTerms(language: string, terms: string[]): Set<string> {
    const index = this.indexes.get(language)?.index;
    if (!index || index.documentCount < COMMON_MIN_SECTIONS) return new Set();
    const common = terms.filter((t) => index.frequency(t) > index.documentCount * COMMON_SHARE);
    return common.length < terms.length ? new Set(common) : new Set();
  }

  queryWeight(language: string, terms: string[]): number {
    return [...new Set(terms)].reduce((sum, term) => sum + this.termWeight(language, term), 0);
  }

  /** Ranked hits in one language's index, before the answer threshold is applied. */
  searchLanguage(query: SearchQuery, language: string, minimumWeight = 0): SearchHit[] {
    const entry = this.indexes.get(language);
    if (!entry) return [];
    const { index, sections } = entry;
    const queryTerms = [...new Set(this.analyzer(language).terms(query.text))];
    if (queryTerms.length === 0) return [];
    const mentioned = cloudBits(query.mentionedClouds?.length ? query.mentionedClouds : null);
    const own = query.cloud ? CLOUD_BITS[query.cloud] : 0;
    const allowed = (doc: number): boolean => {
      const bits = this.clouds[sections[doc]];
      if (bits === 0 || (bits & mentioned) !== 0) return true;
      // Unknown cloud: every section may answer; a known cloud sees its own and the shared ones.
      return own === 0 || (bits & own) !== 0;
    };
    // Terms in a large share of sections barely change the ranking but cost the most to score:
    // leave them out when the question has rarer terms (they still count toward coverage).
    const common = this.commonTerms(language, queryTerms);
    const results = index.search(
      queryTerms.filter((t) => !common.has(t)),
      {
        // A syllable bigram is weak evidence next to a whole word.
        termBoost: (term) => (isBigramTerm(term) ? BIGRAM_BOOST : 1),
        fuzzy: fuzziness,
        filter: allowed,
        limit: RESCORE_WINDOW,
      },
    );
    const totalWeight = Math.max(minimumWeight, this.queryWeight(language, queryTerms));
    // Up to RESCORE_WINDOW results each add up the weights of the same few query terms: look each up once.
    const weights = new Map<string, number>();
    const weightOf = (term: string): number => {
      let weight = weights.get(term);
      if (weight === undefined) weights.set(term, (weight = this.termWeight(language, term)));
      return weight;
    };
    const rescored = results.map((result) => {
      const bits = this.clouds[sections[result.doc]];
      // A typo-tolerant match is weaker evidence than the word itself.
      let matchedWeight = 0;
      for (const term of result.queryTerms) matchedWeight += weightOf(term) * (result.terms.includes(term) ? 1 : FUZZY_EVIDENCE);
      // Added one by one, as before, so the sums (and ties) are the same to the bit.
      for (const term of common) matchedWeight += weightOf(term);
      const lifted = (bits & mentioned) !== 0 ? 1.5 : own === 0 && bits !== 0 && (bits & CLOUD_BITS.worldwide) === 0 ? UNKNOWN_CLOUD_DAMPING : 1;
      return { doc: result.doc, score: result.score * lifted, matchedTerms: result.terms, coverage: matchedWeight / totalWeight };
    });
    rescored.sort((a, b) => b.score - a.score);
    // Built directly rather than by rest and spread (the slowest step here), with the same key order.
    return rescored.map((hit) => ({ score: hit.score, matchedTerms: hit.matchedTerms, coverage: hit.coverage, section: this.store.get(sections[hit.doc]) }));
  }
}

function cloudBits(clouds: CloudId[] | null): number {
  return (clouds ?? []).reduce((bits, c) => bits | CLOUD_BITS[c], 0);
}

function bytesOf(array: Uint32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function copyOf(bytes: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}

function fieldsOf(section: HelpSection): string[] {
  // A lead section's heading is the article title, already in the title field: counting it twice
  // would rank every article's introduction above the section that answers.
  const heading = section.heading === section.articleTitle && section.headingPath.length === 0 ? [] : [...section.headingPath, section.heading];
  return [section.articleTitle, [...heading, ...section.aliases].join('\n'), sectionText(section)];
}

/** One edit for Latin words of 5–7 letters, two from 8; none for short words, numbers or Hangul. */
export function fuzziness(term: string): number {
  if (!/^[a-z]+$/.test(term)) return 0;
  if (term.length >= 8) return 2;
  if (term.length >= 5) return 1;
  return 0;
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
