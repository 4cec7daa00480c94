// Training and loading the intent classifiers (natural), one per language.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BayesClassifier, LogisticRegressionClassifier } from '../natural-parts';
import { features, KoreanAnalyzer } from './analyzers';
import en from './utterances/en.json';
import ko from './utterances/ko.json';

export type Lang = 'en' | 'ko';
export type ClassifierKind = 'bayes' | 'logistic';
export type Utterances = Record<string, string[]>;

export const UTTERANCES: Record<Lang, Utterances> = { en, ko };

export interface TrainOptions {
  kind?: ClassifierKind;
  analyzer?: KoreanAnalyzer;
}

// Measured with npm run nlu:accuracy: logistic regression over particle-stripped Korean words beat
// Naive Bayes and the bigram analyzers on the held-out split (training takes seconds, so it runs at build time).
export const DEFAULT_KIND: ClassifierKind = 'logistic';
export const DEFAULT_ANALYZER: KoreanAnalyzer = 'stripped';

// The shape both natural classifiers share that we use.
export interface TrainedClassifier {
  addDocument(tokens: string[], label: string): void;
  train(): void;
  getClassifications(tokens: string[]): { label: string; value: number }[];
  features: Record<string, number>;
  /** Which analyzer produced the training features; classification must use the same. */
  analyzer?: KoreanAnalyzer;
  kind?: ClassifierKind;
}

export function train(utterances: Utterances, options: TrainOptions = {}): TrainedClassifier {
  const kind = options.kind ?? DEFAULT_KIND;
  const analyzer = options.analyzer ?? DEFAULT_ANALYZER;
  const classifier = (kind === 'logistic' ? new LogisticRegressionClassifier() : new BayesClassifier()) as unknown as TrainedClassifier;
  for (const [intent, phrasings] of Object.entries(utterances)) {
    for (const phrasing of phrasings) {
      const tokens = features(phrasing, analyzer);
      if (tokens.length) classifier.addDocument(tokens, intent);
    }
  }
  classifier.train();
  classifier.analyzer = analyzer;
  classifier.kind = kind;
  return classifier;
}

/** The folder compiled models go to: build/nlu at the repository root. */
export function defaultModelDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'build', 'nlu');
}

interface SavedModel {
  kind: ClassifierKind;
  analyzer: KoreanAnalyzer;
  /** fingerprint() of the utterances the model was trained on. */
  utterances?: string;
  model: unknown;
}

/** A short hash of a set of utterances: a saved model trained on other phrasings is stale. */
export function fingerprint(utterances: Utterances): string {
  return crypto.createHash('sha256').update(JSON.stringify(utterances)).digest('hex').slice(0, 16);
}

export function saveModel(classifier: TrainedClassifier, file: string, utterances?: Utterances): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const kind = classifier.kind ?? DEFAULT_KIND;
  const saved: SavedModel = { kind, analyzer: classifier.analyzer ?? DEFAULT_ANALYZER, utterances: utterances && fingerprint(utterances), model: classifier };
  fs.writeFileSync(file, JSON.stringify(saved));
}

/** Undefined when the file is missing or damaged, or (given `utterances`) was trained on other phrasings. */
export function loadModel(file: string, utterances?: Utterances): TrainedClassifier | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedModel;
    if (utterances && saved.utterances !== fingerprint(utterances)) return undefined;
    const restore = saved.kind === 'logistic' ? LogisticRegressionClassifier.restore : BayesClassifier.restore;
    const classifier = restore(saved.model as never) as unknown as TrainedClassifier;
    classifier.analyzer = saved.analyzer;
    classifier.kind = saved.kind;
    return classifier;
  } catch {
    // A damaged model is rebuilt from the utterances instead of stopping the bot.
    return undefined;
  }
}

type Ranked = { label: string; value: number }[];
const scorers = new WeakMap<TrainedClassifier, (tokens: string[]) => Ranked>();

/**
 * The classifier's ranking of these tokens, computed sparsely. natural's getClassifications turns the
 * tokens into a dense 0/1 vector over every feature the model knows (an indexOf per feature) and
 * takes a dot product with each intent's weights; with a few tokens and hundreds of features that is
 * almost all zeros. For logistic regression this adds up only the weights of the features present,
 * in the order apparatus does (last feature first), so the values are the same to the bit.
 * Other classifiers, or a model whose shape is not the expected one, use natural's own path.
 */
export function scorerFor(model: TrainedClassifier): (tokens: string[]) => Ranked {
  let scorer = scorers.get(model);
  if (!scorer) {
    scorer = sparseLogistic(model) ?? ((tokens) => model.getClassifications(tokens));
    scorers.set(model, scorer);
  }
  return scorer;
}

function sparseLogistic(model: TrainedClassifier): ((tokens: string[]) => Ranked) | undefined {
  if (model.kind !== 'logistic') return undefined;
  const inner = (model as unknown as { classifier?: { theta?: unknown[]; classifications?: unknown[] } }).classifier;
  // natural builds each observation by walking its features object with for...in: that is the order.
  const order: string[] = [];
  for (const feature in model.features) order.push(feature);
  const labels = inner?.classifications;
  const thetas = inner?.theta?.map((t) => (Array.isArray(t) ? t : (t as { elements?: unknown })?.elements));
  if (!labels || !thetas || labels.length !== thetas.length || labels.some((l) => typeof l !== 'string')) return undefined;
  // apparatus's dot product gives null (a sigmoid of 0.5) when the lengths differ: keep its behaviour by not taking over.
  if (thetas.some((t) => !Array.isArray(t) || t.length !== order.length || t.some((w) => typeof w !== 'number'))) return undefined;
  const weights = thetas as number[][];
  const position = new Map(order.map((feature, i) => [feature, i]));
  return (tokens) => {
    const present: number[] = [];
    for (const token of new Set(tokens)) {
      const at = position.get(token);
      if (at !== undefined) present.push(at);
    }
    present.sort((a, b) => b - a);
    const ranked: Ranked = labels.map((label, i) => {
      const theta = weights[i];
      let product = 0;
      for (const at of present) product += theta[at];
      return { label: label as string, value: 1 / (1 + Math.exp(0 - product)) };
    });
    return ranked.sort((x, y) => y.value - x.value);
  };
}
