// Held-out evaluation of the intent models: every fifth phrasing of each intent is kept out of training.
import { classify } from './index';
import type { KoreanAnalyzer } from './analyzers';
import { ClassifierKind, Lang, train, Utterances, UTTERANCES } from './model';

export interface Split {
  train: Utterances;
  test: [string, string][];
}

export function split(utterances: Utterances, every = 5): Split {
  const trainSet: Utterances = {};
  const test: [string, string][] = [];
  for (const [intent, list] of Object.entries(utterances)) {
    trainSet[intent] = list.filter((_, i) => i % every !== every - 1);
    list.forEach((text, i) => i % every === every - 1 && test.push([intent, text]));
  }
  return { train: trainSet, test };
}

export interface Evaluation {
  lang: Lang;
  accuracy: number;
  total: number;
  confusions: { expected: string; got: string; text: string }[];
  perIntent: Record<string, { precision: number; recall: number }>;
  trainMs: number;
}

export function evaluate(lang: Lang, options: { kind?: ClassifierKind; analyzer?: KoreanAnalyzer } = {}): Evaluation {
  const { train: trainSet, test } = split(UTTERANCES[lang]);
  const started = Date.now();
  const model = train(trainSet, options);
  const trainMs = Date.now() - started;
  const confusions: Evaluation['confusions'] = [];
  const counts: Record<string, { tp: number; fp: number; fn: number }> = {};
  const bump = (intent: string, key: 'tp' | 'fp' | 'fn') => ((counts[intent] ??= { tp: 0, fp: 0, fn: 0 })[key] += 1);
  let correct = 0;
  for (const [expected, text] of test) {
    const got = classify(model, text).intent;
    if (got === expected) {
      correct += 1;
      bump(expected, 'tp');
    } else {
      confusions.push({ expected, got, text });
      bump(expected, 'fn');
      bump(got, 'fp');
    }
  }
  const perIntent: Evaluation['perIntent'] = {};
  for (const [intent, c] of Object.entries(counts)) {
    perIntent[intent] = { precision: c.tp / Math.max(1, c.tp + c.fp), recall: c.tp / Math.max(1, c.tp + c.fn) };
  }
  return { lang, accuracy: correct / test.length, total: test.length, confusions, perIntent, trainMs };
}
