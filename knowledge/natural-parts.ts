// The parts of natural the bot uses, loaded file by file. The folder indexes load every language's
// stemmer and tokenizer and the maxent classifier with its data: about 20 MB of heap the bot never
// touches (node -e measured 21 MB for the indexes against 0.7 MB for these files). Types come from
// natural's own declarations.
import type * as Classifiers from 'natural/lib/natural/classifiers';
import type * as Stemmers from 'natural/lib/natural/stemmers';
import type * as Tokenizers from 'natural/lib/natural/tokenizers';

/* eslint-disable @typescript-eslint/no-require-imports */
export const BayesClassifier = require('natural/lib/natural/classifiers/bayes_classifier') as typeof Classifiers.BayesClassifier;
export const LogisticRegressionClassifier = require('natural/lib/natural/classifiers/logistic_regression_classifier') as typeof Classifiers.LogisticRegressionClassifier;
export const PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer') as typeof Stemmers.PorterStemmer;
export const WordTokenizer = (require('natural/lib/natural/tokenizers/regexp_tokenizer') as { WordTokenizer: typeof Tokenizers.WordTokenizer }).WordTokenizer;
