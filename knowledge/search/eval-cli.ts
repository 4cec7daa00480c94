// npm run eval:search [-- --questions FILE ...] [--corpus DIR]
// Builds an index of the bot's own articles plus the shared corpus (when present) and scores each
// question file per language; then compares the Korean analyzers on the Korean questions.
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ingestSources, KnowledgeSource } from './ingest';
import { HelpSearch } from './help-search';
import { KOREAN_ANALYZERS } from './analyzers';
import { readQuestions, score, SearchQuestion } from './evaluation';
import { OWN_ARTICLES_DIR } from './knowledge-base';

const { values } = parseArgs({
  options: {
    questions: { type: 'string', multiple: true },
    corpus: { type: 'string' },
    misses: { type: 'boolean', default: false },
  },
});

const root = path.resolve(__dirname, '../..');
const corpus = path.resolve(values.corpus ?? path.join(root, '../shared/corpus'));
const questionFiles = values.questions ?? [path.join(root, '../shared/eval/search-dev.jsonl'), path.join(root, 'test/fixtures/search-questions.jsonl')];

const sources: KnowledgeSource[] = [{ dir: OWN_ARTICLES_DIR, baseUrl: 'http://localhost/help/' }];
if (fs.existsSync(corpus)) sources.push({ dir: corpus, baseUrl: 'http://localhost/help/' });
else console.log(`(corpus ${corpus} not found: scoring the bot's own articles only)`);
const ingested = ingestSources(sources);
const sectionCount = ingested.articles.reduce((n, a) => n + a.sections.length, 0);
console.log(`index: ${ingested.articles.length} articles, ${sectionCount} sections from ${sources.map((s) => s.dir).join(', ')}`);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const search = HelpSearch.build(ingested.articles);
const all: SearchQuestion[] = [];
for (const file of questionFiles) {
  if (!fs.existsSync(file)) {
    console.log(`\n${file}: not found, skipped`);
    continue;
  }
  const questions = readQuestions(file);
  all.push(...questions);
  console.log(`\n${path.relative(process.cwd(), file)} (${questions.length} questions)`);
  for (const s of score(search, questions)) {
    console.log(`  ${s.language}: n=${s.questions}  top-1 ${pct(s.top1)}  top-3 ${pct(s.top3)}  MRR ${s.mrr.toFixed(3)}`);
    if (values.misses) for (const m of s.misses) console.log(`    miss: ${m.query} -> want ${m.expect}; got ${m.got.join(' | ') || '(nothing)'}`);
  }
}

const korean = all.filter((q) => q.locale.toLowerCase().startsWith('ko'));
if (korean.length) {
  console.log(`\nKorean analyzers over all ${korean.length} Korean questions:`);
  for (const analyzer of KOREAN_ANALYZERS) {
    const s = score(HelpSearch.build(ingested.articles, { korean: analyzer }), korean)[0];
    console.log(`  ${analyzer.padEnd(14)} top-1 ${pct(s.top1)}  top-3 ${pct(s.top3)}  MRR ${s.mrr.toFixed(3)}`);
  }
}
