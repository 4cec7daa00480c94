// The library candidate for the help index, kept for `npm run bench:search`: MiniSearch with the same
// analyzers, fields, boosts and typo policy as the bot's own BM25F index. The bot switched away from
// it because this is what missed the 50k-section targets (query p99, load time).
import MiniSearch from 'minisearch';
import { analyzerFor, isBigramTerm } from '../../knowledge/search/analyzers';
import { fuzziness } from '../../knowledge/search/help-search';
import type { HelpSection } from '../../knowledge/search/types';
import { sectionText } from '../../knowledge/search/types';

interface Doc {
  id: number;
  title: string;
  headings: string;
  body: string;
}

const options = (language: string) => {
  const analyzer = analyzerFor(language);
  return { fields: ['title', 'headings', 'body'], storeFields: [] as string[], tokenize: analyzer.terms, processTerm: (t: string) => t };
};

export class MiniSearchEngine {
  private readonly vocabulary = new Map<string, Set<string>>();
  private constructor(private readonly indexes: Map<string, MiniSearch<Doc>>) {
    // MiniSearch has no public term lookup; the serialised index lists its terms.
    for (const [language, index] of indexes) {
      this.vocabulary.set(language, new Set((index.toJSON().index as [string, unknown][]).map(([term]) => term)));
    }
  }

  static build(sections: HelpSection[]): MiniSearchEngine {
    const indexes = new Map<string, MiniSearch<Doc>>();
    sections.forEach((s, id) => {
      let index = indexes.get(s.language);
      if (!index) indexes.set(s.language, (index = new MiniSearch<Doc>(options(s.language))));
      index.add({ id, title: s.articleTitle, headings: [...s.headingPath, s.heading].join('\n'), body: sectionText(s) });
    });
    return new MiniSearchEngine(indexes);
  }

  toJSON(): string {
    return JSON.stringify(Object.fromEntries([...this.indexes].map(([l, i]) => [l, i.toJSON()])));
  }

  static fromJSON(json: string): MiniSearchEngine {
    const parsed = JSON.parse(json) as Record<string, ReturnType<MiniSearch['toJSON']>>;
    return new MiniSearchEngine(new Map(Object.entries(parsed).map(([l, data]) => [l, MiniSearch.loadJS<Doc>(data, options(l))])));
  }

  search(text: string, language: string): number[] {
    const index = this.indexes.get(language);
    if (!index) return [];
    const terms = analyzerFor(language).terms(text);
    return index
      .search(terms.join(' '), {
        boost: { title: 2.5, headings: 2, body: 1 },
        fuzzy: (term) => (this.vocabulary.get(language)?.has(term) ? 0 : fuzziness(term)),
        boostTerm: (term) => (isBigramTerm(term) ? 0.4 : 1),
        combineWith: 'OR',
        tokenize: (t) => t.split(' '),
        processTerm: (t) => t,
      })
      .slice(0, 100)
      .map((r) => r.id as number);
  }
}
