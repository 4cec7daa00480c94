// Text to search terms, one analyzer per language. English: natural's tokenizer, stop words and
// Porter stems. Korean: natural returns nothing for Hangul, so Hangul words lose their particles and
// verb endings here, and are also cut into syllable bigrams so compounds ("암호재설정") meet their
// parts ("암호 재설정"). Latin words inside Korean text go through the English analyzer.
import { PorterStemmer, WordTokenizer } from '../natural-parts';

const wordTokenizer = new WordTokenizer();

// Function words only. Words like "never", "not", "all", "before" change what a question means.
const ENGLISH_STOP_WORDS = new Set(
  ('a an the is are was were be been being am do does did doing of to in on at for from by with and or it its ' +
    'this that these those i me my myself we our us you your he she they them their there here please can could ' +
    'would should will shall may might just so some any about into if then than too very also get got how what ' +
    'where when which who whom why s t d ll m re ve want need like know tell let one think wonder way thing things ' +
    'something someone anyone hi hello thanks')
    .split(' '),
);

// Stems that only frame a question ("…하는 방법", "…것 같아요") and say nothing about its topic.
const KOREAN_STOP_STEMS = new Set(
  '것 수 등 때 좀 더 어떻게 어떤 무엇 뭐 왜 방법 어디 어디서 어디에 여러 명 같이 싶 어떻 언제 같아 같 같은 같습니 주 줘 된 되 하 해 있 없 싶어 싶은 알려 주세요 제 저 저희 우리 내 그 이 좀더 경우'.split(' '),
);

const HANGUL_WORD = /[\uac00-\ud7a3]+/g;
const LATIN_OR_HANGUL = /[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+/g;

// One spelling for words admins write several ways, applied to articles and questions alike.
const ENGLISH_SYNONYMS: [RegExp, string][] = [
  [/\b(two|2)[- ]?(step|factor)( verification| authentication)?\b|\b2fa\b|\bmulti[- ]?factor\b/g, 'mfa'],
  [/\bhack(ed|ing|s)?\b|\bbreach(ed)?\b/g, 'compromised'],
  [/\blicen[cs](e|es|ed|ing)\b/g, 'license'],
  [/\be-?mails?\b/g, 'email'],
  [/\b(log|sign)[- ]?(in|on)s?\b|\blogins?\b/g, 'signin'],
  [/\bpass ?words?\b|\bpwd\b/g, 'password'],
  [/\bsubscriptions?\b/g, 'subscription'],
];
const KOREAN_SYNONYMS: [RegExp, string][] = [
  [/2단계 ?(인증|확인)|이중 ?인증|2차 ?인증|다단계 ?인증/g, 'mfa'],
  [/비밀 ?번호|패스워드/g, '암호'],
  [/해킹|탈취|도용/g, '손상'],
  [/라이센스/g, '라이선스'],
  [/이메일|전자 ?메일/g, 'email'],
  [/전화 ?번호/g, '전화번호'],
];

export function canonical(text: string, language: string): string {
  let out = text.toLowerCase();
  for (const [pattern, replacement] of ENGLISH_SYNONYMS) out = out.replace(pattern, ` ${replacement} `);
  if (language === 'ko') for (const [pattern, replacement] of KOREAN_SYNONYMS) out = out.replace(pattern, ` ${replacement} `);
  return out;
}

export function englishTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of wordTokenizer.tokenize(canonical(text, 'en'))) {
    if (ENGLISH_STOP_WORDS.has(token)) continue;
    if (token.length === 1 && !/\d/.test(token)) continue;
    out.push(/^\d+$/.test(token) ? token : PorterStemmer.stem(token));
  }
  return out;
}

// Longest first. A word loses at most two particles ("에서는" counts as one).
const PARTICLES = [
  '에서부터', '으로부터', '에서는', '에서도', '에서의', '으로는', '으로도', '으로서', '으로써', '에게서', '한테서', '에게는', '이라는', '이라고',
  '에서', '으로', '에게', '한테', '까지', '부터', '처럼', '보다', '이랑', '라는', '라고', '에는', '에도', '에만', '로는', '로도', '로서', '로써',
  '와의', '과의', '이나', '이며', '마다', '조차', '밖에', '께서', '이란', '란',
  '은', '는', '이', '가', '을', '를', '에', '의', '로', '도', '만', '와', '과', '랑',
];

// Syllables that carry 하다/되다/시키다 with a tense or ending folded in (합니다, 했, 된, 됩니다 …).
const VERB_SYLLABLES = new Set(['하', '한', '할', '합', '했', '해', '되', '된', '될', '됩', '됐', '돼', '시', '킨', '킬', '킵', '켰']);
const VERB_TAILS = new Set([
  '', '다', '니다', '습니다', '습니까', '어요', '어', '으니', '던', '는지요', '니까', '세요', '십시오', '시오', '는', '고', '면', '려면', '려고', '기', '기를', '기는', '지', '지만', '여', '여서', '서', '도', '야',
  '요', '어요', '아요', '며', '거나', '게', '는데', '므로', '야합니다', '야하는', '려는', '는지', '는가', '나요', '을', '면서', '도록', '주세요', '주십시오',
  '줍니다', '줘', '줘요', '보세요', '볼', '봅니다', '둡니다', '두세요', '두면', '있습니다', '있는', '있다', '었습니다', '졌습니다',
]);
// Endings of other verbs and adjectives: cut where they start.
const OTHER_ENDINGS = [
  '하십시오', '하세요', '습니까', '습니다', '입니다', '이에요', '인가요', '인지', '세요', '십시오', '어요', '아요', '나요', '는지', '려면', '으면',
  '으려면', '는데', '니다', '지만', '어서', '아서', '으며', '도록', '거나', '았다', '었다', '었어요', '았어요', '겠습니다', '려고', '할까요', '까요',
];
// One-syllable connective endings (만들고, 받으며): only cut from words of three syllables or more.
const SHORT_ENDINGS = ['고', '며', '면', '서', '게'];

function stripParticle(word: string): string {
  for (const p of PARTICLES) {
    // A one-syllable particle needs two syllables before it; longer ones one.
    if (word.length >= p.length + (p.length === 1 ? 2 : 1) && word.endsWith(p)) return word.slice(0, -p.length);
    if (word.length === p.length + 1 && p.length === 1 && word.endsWith(p) && !'이가도만나요'.includes(p)) return word.slice(0, -1);
  }
  return word;
}

/** A Hangul word without its particles and verb ending: 재설정하는 → 재설정, 사용자의 → 사용자. */
export function koreanStem(word: string): string {
  let w = stripParticle(stripParticle(word));
  // Noun + 하다/되다: cut at the verb syllable when only a short ending follows it.
  for (let i = 2; i < w.length; i++) {
    if (VERB_SYLLABLES.has(w[i]) && VERB_TAILS.has(w.slice(i + 1))) {
      w = w.slice(0, i);
      return w;
    }
  }
  for (const e of OTHER_ENDINGS) {
    if (w.length >= e.length + 1 && w.endsWith(e)) return w.slice(0, -e.length);
  }
  for (const e of SHORT_ENDINGS) {
    if (w.length >= 3 && w.endsWith(e)) return w.slice(0, -1);
  }
  return w;
}

export function syllableBigrams(word: string): string[] {
  if (word.length < 2) return [];
  const grams: string[] = [];
  for (let i = 0; i < word.length - 1; i++) grams.push(word.slice(i, i + 2));
  return grams;
}

export type KoreanAnalyzerName = 'whitespace' | 'stems' | 'bigrams' | 'stems+bigrams';
export const KOREAN_ANALYZERS: KoreanAnalyzerName[] = ['whitespace', 'stems', 'bigrams', 'stems+bigrams'];

/** Bigram terms live in their own namespace so a two-syllable word and a bigram don't merge. */
const BIGRAM_MARK = '~';

export function koreanTerms(text: string, analyzer: KoreanAnalyzerName = 'stems+bigrams'): string[] {
  const out: string[] = [];
  for (const run of canonical(text, 'ko').match(LATIN_OR_HANGUL) ?? []) {
    if (!/[\uac00-\ud7a3]/.test(run)) {
      out.push(...englishTerms(run));
      continue;
    }
    const word = run;
    // A particle cut off by a Latin word ("PowerShell로") is not a term.
    if (PARTICLES.includes(word)) continue;
    switch (analyzer) {
      case 'whitespace':
        out.push(word);
        break;
      case 'stems': {
        const stem = koreanStem(word);
        if (!KOREAN_STOP_STEMS.has(stem)) out.push(stem);
        break;
      }
      case 'bigrams':
        out.push(...(word.length < 2 ? [word] : syllableBigrams(word)));
        break;
      case 'stems+bigrams': {
        const stem = koreanStem(word);
        if (KOREAN_STOP_STEMS.has(stem)) break;
        out.push(stem, ...syllableBigrams(stem).map((g) => BIGRAM_MARK + g));
        break;
      }
    }
  }
  return out;
}

export function isBigramTerm(term: string): boolean {
  return term.startsWith(BIGRAM_MARK);
}

export function hasHangul(text: string): boolean {
  return /[\uac00-\ud7a3]/.test(text);
}

export function hangulWords(text: string): string[] {
  return text.match(HANGUL_WORD) ?? [];
}

export interface Analyzer {
  name: string;
  terms(text: string): string[];
}

// Shared, hence frozen.
const ENGLISH: Analyzer = Object.freeze({ name: 'en:porter', terms: englishTerms });
const KOREAN = new Map<string, Analyzer>();

/** The same object each time for the same analyzer, so caches keyed by it (snippet.ts) stay warm. */
export function analyzerFor(language: string, korean: KoreanAnalyzerName = 'stems+bigrams'): Analyzer {
  if (language !== 'ko') return ENGLISH;
  let analyzer = KOREAN.get(korean);
  if (!analyzer) KOREAN.set(korean, (analyzer = Object.freeze({ name: `ko:${korean}`, terms: (text: string) => koreanTerms(text, korean) })));
  return analyzer;
}
