// npm run nlu:accuracy — intent accuracy on held-out phrasings per language, with per-intent
// precision/recall, the confusions, and the Korean analyzer and classifier comparisons.
import { evaluate } from './evaluation';
import type { KoreanAnalyzer } from './analyzers';
import type { ClassifierKind, Lang } from './model';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

for (const lang of ['en', 'ko'] as Lang[]) {
  const result = evaluate(lang);
  console.log(`\n${lang}: held-out accuracy ${pct(result.accuracy)} (${result.total} phrasings, the shipped configuration)`);
  for (const [intent, m] of Object.entries(result.perIntent).sort()) {
    console.log(`  ${intent.padEnd(24)} precision ${pct(m.precision).padStart(6)}  recall ${pct(m.recall).padStart(6)}`);
  }
  for (const c of result.confusions) console.log(`  confused ${c.expected} -> ${c.got}: "${c.text}"`);
}

console.log('\nKorean analyzers:');
for (const kind of ['bayes', 'logistic'] as ClassifierKind[]) {
  for (const analyzer of ['whitespace', 'stripped', 'bigrams', 'combined'] as KoreanAnalyzer[]) {
    console.log(`  ${kind.padEnd(8)} ${analyzer.padEnd(10)} ${pct(evaluate('ko', { kind, analyzer }).accuracy)}`);
  }
}

console.log('\nClassifiers (shipped analyzer):');
for (const kind of ['bayes', 'logistic'] as ClassifierKind[]) {
  const en = evaluate('en', { kind });
  const ko = evaluate('ko', { kind });
  console.log(`  ${kind.padEnd(8)} en ${pct(en.accuracy)} ko ${pct(ko.accuracy)}  training ${en.trainMs + ko.trainMs} ms`);
}
