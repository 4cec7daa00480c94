// Build step: trains one intent model per language and saves it where LanguageUnderstanding.load looks.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultModelDir, Lang, saveModel, train, UTTERANCES } from './model';

const dir = process.argv[2] ? path.resolve(process.argv[2]) : defaultModelDir();
for (const lang of ['en', 'ko'] as Lang[]) {
  const started = performance.now();
  const model = train(UTTERANCES[lang]);
  saveModel(model, path.join(dir, `${lang}.json`), UTTERANCES[lang]);
  const count = Object.values(UTTERANCES[lang]).reduce((n, list) => n + list.length, 0);
  console.log(`nlu: ${lang} model from ${count} utterances in ${Math.round(performance.now() - started)} ms -> ${path.join(dir, `${lang}.json`)}`);
}
