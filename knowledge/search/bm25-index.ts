// A BM25F inverted index over typed arrays. MiniSearch missed the 50k-section targets in
// `npm run bench:search` (query p99 and load time), so postings live here in flat arrays that are
// scored with one multiply-add per posting and written to disk as bytes. MiniSearch's radix tree
// (SearchableMap) still does the typo lookup over the vocabulary.
// Types from the file itself: this TypeScript setup does not read package "exports" subpaths.
import type SearchableMapType from 'minisearch/dist/cjs/SearchableMap.cjs';

// The subpath is CommonJS (module.exports = class); loaders differ on whether a default wrapper appears.
const loaded = require('minisearch/SearchableMap') as typeof SearchableMapType | { default: typeof SearchableMapType };
const SearchableMap = 'default' in loaded ? loaded.default : loaded;

export interface FieldBoosts {
  [field: string]: number;
}

export interface IndexedDocument {
  /** Text per field, in the order of the index's field list. */
  fields: string[];
}

export interface ScoredDocument {
  doc: number;
  score: number;
  /** Terms of the document that matched (the corrected spelling for a typo). */
  terms: string[];
  /** The query's own terms that found something in the document. */
  queryTerms: string[];
}

export interface QueryOptions {
  /** Multiplier per query term (e.g. lower for syllable bigrams). */
  termBoost?: (term: string) => number;
  /** Maximum edit distance to try for a query term the vocabulary lacks (0: none). */
  fuzzy?: (term: string) => number;
  /** Documents that may be returned. */
  filter?: (doc: number) => boolean;
  /** How many documents to return, best first. */
  limit?: number;
}

const K1 = 1.2;
const B = 0.75;
/** A corrected typo counts less than the word itself (MiniSearch uses the same figure). */
const FUZZY_WEIGHT = 0.45;
/** At most this many (query term, document term) pairs take part in one query. */
const MAX_PAIRS = 32;
const FORMAT = 1;

interface Header {
  format: number;
  documents: number;
  terms: number;
  postings: number;
}

export class Bm25Index {
  private readonly termIds: Map<string, number>;
  private fuzzyMap?: SearchableMapType<number>;
  private scores: Float64Array;
  private masks: Uint32Array;

  private constructor(
    private readonly vocabulary: string[],
    /** Postings of term t are at offsets[t] .. offsets[t+1]. */
    private readonly offsets: Uint32Array,
    private readonly docs: Uint32Array,
    /** Field-boosted, length-normalised term frequency per posting. */
    private readonly weights: Float32Array,
    readonly documentCount: number,
  ) {
    this.termIds = new Map(vocabulary.map((t, i) => [t, i]));
    this.scores = new Float64Array(documentCount);
    this.masks = new Uint32Array(documentCount);
  }

  static build(documents: IndexedDocument[], boosts: number[], analyze: (text: string) => string[]): Bm25Index {
    const fieldCount = boosts.length;
    const analyzed = documents.map((d) => d.fields.map((text) => analyze(text ?? '')));
    const averages = boosts.map((_, f) => analyzed.reduce((sum, fields) => sum + fields[f].length, 0) / Math.max(1, documents.length) || 1);
    const postings = new Map<string, number[]>();
    analyzed.forEach((fields, doc) => {
      const weight = new Map<string, number>();
      for (let f = 0; f < fieldCount; f++) {
        const norm = 1 - B + (B * fields[f].length) / averages[f];
        for (const term of fields[f]) weight.set(term, (weight.get(term) ?? 0) + boosts[f] / norm);
      }
      for (const [term, w] of weight) {
        let list = postings.get(term);
        if (!list) postings.set(term, (list = []));
        list.push(doc, w);
      }
    });
    const vocabulary = [...postings.keys()];
    const offsets = new Uint32Array(vocabulary.length + 1);
    let total = 0;
    vocabulary.forEach((term, t) => {
      offsets[t] = total;
      total += postings.get(term)!.length / 2;
    });
    offsets[vocabulary.length] = total;
    const docs = new Uint32Array(total);
    const weights = new Float32Array(total);
    vocabulary.forEach((term, t) => {
      const list = postings.get(term)!;
      for (let i = 0, at = offsets[t]; i < list.length; i += 2, at++) {
        docs[at] = list[i];
        weights[at] = list[i + 1];
      }
    });
    return new Bm25Index(vocabulary, offsets, docs, weights, documents.length);
  }

  has(term: string): boolean {
    return this.termIds.has(term);
  }

  /** Number of documents holding the term. */
  frequency(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.offsets[t + 1] - this.offsets[t];
  }

  idf(term: string): number {
    const df = Math.max(1, this.frequency(term));
    return Math.log(1 + (this.documentCount - df + 0.5) / (df + 0.5));
  }

  /** Vocabulary terms within `distance` edits of `term`, built on first use. */
  corrections(term: string, distance: number): { term: string; distance: number }[] {
    this.fuzzyMap ??= SearchableMap.from<number>(this.vocabulary.map((t, i) => [t, i]));
    return [...this.fuzzyMap.fuzzyGet(term, distance)].map(([found, [, d]]) => ({ term: found, distance: d }));
  }

  /** Builds the typo-lookup tree now rather than on the first misspelt question. */
  warmCorrections(): void {
    this.corrections('', 0);
  }

  search(queryTerms: string[], options: QueryOptions = {}): ScoredDocument[] {
    const pairs: { query: string; term: number; weight: number }[] = [];
    for (const query of new Set(queryTerms)) {
      const boost = options.termBoost?.(query) ?? 1;
      const t = this.termIds.get(query);
      if (t !== undefined) {
        pairs.push({ query, term: t, weight: boost });
        continue;
      }
      const distance = options.fuzzy?.(query) ?? 0;
      if (distance <= 0) continue;
      for (const found of this.corrections(query, distance)) {
        pairs.push({ query, term: this.termIds.get(found.term)!, weight: boost * FUZZY_WEIGHT * (1 - found.distance / (query.length + 1)) });
      }
    }
    pairs.splice(MAX_PAIRS);
    const { scores, masks, offsets, docs, weights } = this;
    const touched: number[] = [];
    pairs.forEach((pair, bit) => {
      const idf = this.idf(this.vocabulary[pair.term]) * pair.weight;
      for (let at = offsets[pair.term], end = offsets[pair.term + 1]; at < end; at++) {
        const doc = docs[at];
        const tf = weights[at];
        if (masks[doc] === 0) touched.push(doc);
        scores[doc] += (idf * tf * (K1 + 1)) / (tf + K1);
        masks[doc] |= 1 << bit;
      }
    });
    // Keep the best `limit` documents that pass the filter (a sorted array is enough for small limits).
    const limit = options.limit ?? 100;
    const best: number[] = [];
    for (const doc of touched) {
      const score = scores[doc];
      if (best.length === limit && score <= scores[best[limit - 1]]) continue;
      if (options.filter && !options.filter(doc)) continue;
      let i = best.length;
      while (i > 0 && scores[best[i - 1]] < score) i--;
      best.splice(i, 0, doc);
      if (best.length > limit) best.pop();
    }
    const results = best.map((doc) => {
      const terms: string[] = [];
      const matchedQueries = new Set<string>();
      pairs.forEach((pair, bit) => {
        if (masks[doc] & (1 << bit)) {
          terms.push(this.vocabulary[pair.term]);
          matchedQueries.add(pair.query);
        }
      });
      return { doc, score: scores[doc], terms, queryTerms: [...matchedQueries] };
    });
    for (const doc of touched) {
      scores[doc] = 0;
      masks[doc] = 0;
    }
    return results;
  }

  toBuffer(): Buffer {
    const vocabulary = Buffer.from(this.vocabulary.join('\n'), 'utf8');
    const header: Header = { format: FORMAT, documents: this.documentCount, terms: this.vocabulary.length, postings: this.docs.length };
    const headerBytes = Buffer.from(JSON.stringify({ ...header, vocabularyBytes: vocabulary.length }), 'utf8');
    const lead = Buffer.alloc(4);
    lead.writeUInt32LE(headerBytes.length);
    // Typed arrays are copied out on load, so no alignment padding is needed.
    return Buffer.concat([
      lead,
      headerBytes,
      vocabulary,
      Buffer.from(this.offsets.buffer, this.offsets.byteOffset, this.offsets.byteLength),
      Buffer.from(this.docs.buffer, this.docs.byteOffset, this.docs.byteLength),
      Buffer.from(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength),
    ]);
  }

  static fromBuffer(buffer: Buffer): Bm25Index {
    const headerLength = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.toString('utf8', 4, 4 + headerLength)) as Header & { vocabularyBytes: number };
    if (header.format !== FORMAT) throw new Error(`index format ${header.format} is not ${FORMAT}`);
    let at = 4 + headerLength;
    const vocabulary = header.terms ? buffer.toString('utf8', at, at + header.vocabularyBytes).split('\n') : [];
    at += header.vocabularyBytes;
    const take = <T>(make: (ab: ArrayBuffer) => T, bytes: number): T => {
      const copy = new ArrayBuffer(bytes);
      new Uint8Array(copy).set(buffer.subarray(at, at + bytes));
      at += bytes;
      return make(copy);
    };
    const offsets = take((ab) => new Uint32Array(ab), (header.terms + 1) * 4);
    const docs = take((ab) => new Uint32Array(ab), header.postings * 4);
    const weights = take((ab) => new Float32Array(ab), header.postings * 4);
    return new Bm25Index(vocabulary, offsets, docs, weights, header.documents);
  }
}
