// Frustration with the bot or the conversation (not with Microsoft 365): a signal for offering a
// person. English uses natural's AFINN sentiment (Porter stems) plus a cue lexicon; natural has no
// Korean sentiment, so Korean is a lexicon matched on normalized text with the spaces removed
// (Korean spacing varies: 도움이 안 돼 / 도움이안돼).
//
// Decision rule (conservative: admins describe broken things all day, and that is not frustration):
//   - strong cues (1 point): aimed at the bot or the conversation ("you're not helping", "stupid
//     bot", "waste of time", "ridiculous", "how many times", 쓸모없, 말이 안 통, 몇 번을 말해, 장난해 ...);
//   - weak cues (0.5): annoyance that may be about the product ("useless", "this is not working",
//     짜증, 답답, 화나, 아 진짜, ㅡㅡ ...); English also gets 0.5 for negative AFINN sentiment, but only
//     in a sentence about the bot ("you are terrible"): outage reports are negative too;
//   - +0.5 when a cue is aimed at the bot ("this bot", "your answer", 봇, 너) or the message is a
//     short reaction (4 English words, 3 Korean words or fewer);
//   - +0.5 for intensity (!!!, ?!, ???, SHOUTING in 3+ capitalised words), only on top of a cue;
//     a short message of a reaction word plus intensity ("again?!", "seriously?!", "또?!") is a cue.
// Frustrated when the score reaches 1. A problem report ("Exchange is not working for our users",
// "메일이 안 돼요", even "메일이 안 돼서 답답해요") stays below it.
import { englishSentiment } from './english-sentiment';

export interface Frustration {
  frustrated: boolean;
  /** The rule's points; 1 or more is frustrated. */
  score: number;
  /** Which cues fired, for logs and tests. */
  cues: string[];
}

export const FRUSTRATION_THRESHOLD = 1;

type Cue = [id: string, weight: number, pattern: RegExp];

// English, matched on lower-cased text with straight apostrophes.
const BAD = '(?:useless|pointless|worthless|hopeless|stupid|dumb|idiotic|pathetic|garbage|rubbish|crap|a joke|a waste of time)';
const EN_STRONG: Cue[] = [
  ['insult', 1, new RegExp(`\\b(?:you|this bot|the bot|bot|chatbot|this chat|this assistant|this|that|your (?:answers?|repl(?:y|ies)|responses?|help))(?:'s|'re|\\s+is|\\s+are|\\s+was)?\\s+(?:so |really |completely |totally |utterly |absolutely |just )?${BAD}(?![\\w-])`)],
  ['insult', 1, /\b(?:stupid|dumb|useless|worthless|pointless|idiotic|pathetic|terrible|awful|horrible|worst|crappy|lousy)\s+(?:bot|chatbot|assistant|robot|machine|answers?|repl(?:y|ies)|responses?)\b/],
  ['not-helping', 1, /\b(?:you|this|that|it)(?:'re|'s| are| is| was)?\s*(?:not|n't|aren't|isn't|wasn't)\s+(?:being\s+)?(?:very\s+|at all\s+)?help(?:ful|ing)\b|\b(?:no|zero) help (?:at all|whatsoever)\b|\bof no help\b/],
  ['not-listening', 1, /\b(?:are you (?:even )?(?:listening|reading)|you(?:'re| are)? (?:ignoring|not reading|not answering)|ignor(?:ing|ed?) (?:me|my|what i)|you (?:clearly |obviously |really )?(?:have|got) no (?:idea|clue)|what(?:'s| is) (?:wrong|the matter) with you|go(?:ing)? (?:round |around )?in circles|you(?:'re| are) not (?:listening|reading|understanding)|(?:you|it|this bot) (?:don't|doesn't|do not|does not|never) (?:understand|listen|get it)|(?:don't|can't|cannot) you (?:understand|read)|that(?:'s| is) not what i (?:asked|said|meant)|i didn't ask (?:that|for that|about that))\b/],
  ['repeating', 1, /\b(?:how many times|(?:asked|said|told you)(?: you)? (?:the same (?:thing|question) |this |that |it )?(?:three|3|four|4|five|several|multiple|many|so many) times|not this again|told you (?:twice|already|before)|(?:said|asked) (?:it|that|this) (?:twice|already)|keep (?:\w+ ){0,2}(?:me )?the same|i (?:already|just) (?:told|said|asked|explained)|i keep (?:asking|saying|telling)|for the (?:third|3rd|fourth|4th|fifth|last) time|(?:same|identical) (?:answer|reply|response|thing) (?:again|every time|over and over))\b/],
  ['waste-of-time', 1, /\bwast(?:e|ing|ed) (?:of )?(?:my |our |your )?(?:time|an hour|the whole)/],
  ['ridiculous', 1, /\b(?:ridiculous|ludicrous)\b/],
  ['bad-answer', 1, /\b(?:what kind of (?:an )?(?:answer|reply|response)|(?:actually|just|even) answer (?:my|the) question|(?:that|this|your|the)(?: answer| reply| response)?(?:'s| is)? (?:makes no sense|doesn't make (?:any )?sense|does not make (?:any )?sense|nonsense))\b/],
  ['fed-up', 1, /\b(?:fed up|sick (?:and tired )?of (?:this|you|it)|i give up|forget this|screw this|this is a joke|what a joke|are you kidding(?: me)?|you(?:'ve| have) got to be kidding|(?:this|you) (?:really |totally )?sucks?)\b/],
];
const EN_WEAK: Cue[] = [
  ['annoyed', 0.5, /\b(?:useless|pointless|hopeless|nonsense|absurd|unbelievable|annoying|annoyed|frustrat(?:ed|ing)|infuriating|irritating)\b/],
  ['unhelpful', 0.5, /\bnot (?:very |at all )?helpful\b|\bunhelpful\b/],
  ['this-not-working', 0.5, /\bthis (?:is not|isn't|is still not|still isn't|doesn't|does not|still doesn't) (?:working|work|help)\b/],
  ['wrong-answer', 0.5, /\b(?:wrong|bad|irrelevant|useless) (?:answer|reply|response)\b|\b(?:still|again) wrong\b|\bwrong again\b|\bthat(?:'s| is) (?:wrong|not it|not right)\b/],
  ['i-said', 0.5, /(?:^|[.!?,;]\s*|\bno,?\s+)(?:i said|i asked|again,? i)\b/],
  ['sigh', 0.5, /\b(?:ugh+|argh+|sigh|jeez|ffs|wtf|for god's sake|come on|makes no sense|for once)\b/],
];
// A short message made only of these words, said with intensity, is a reaction to the conversation.
const EN_REACTION = new Set('again seriously really ugh ughh argh come on what why wtf ffs omg jeez sigh hello still anyone not no oh man this is it you kidding me are'.split(' '));
// The bot or the conversation as the target.
const EN_AIMED = /\b(?:you(?:'re| are| were| keep| don't| do not| didn't| did not| can't| cannot| never| just| aren't| still| always)|your (?:answers?|repl(?:y|ies)|responses?|help|suggestions?|links?)|bot|chatbot|this chat|this conversation|this assistant)\b/;
// Acronyms admins type in capitals: not shouting.
const ACRONYMS = new Set('MFA SSO DNS MX TXT SPF DKIM DMARC CNAME URL API PIN ID IT US UK EU EEA AAD SLA CSP MSP PC OS VPN IP PDF CSV M365 O365 E3 E5 USA OK TV AD GDPR HR'.split(' '));

// Korean, matched on text without spaces.
const KO_STRONG: Cue[] = [
  ['ko-not-helping', 1, /도움이?(?:하나도|전혀|1도|별로|진짜|정말)?안(?:돼|되|됨|된)|도움이?(?:하나도|전혀|1도)?없(?:네|어|잖|다|는)/],
  ['ko-useless', 1, /쓸모(?:가)?없|쓸데(?:가)?없/],
  ['ko-not-listening', 1, /말이안통|말귀|말(?:을)?안들(?:어|으)|말(?:을)?안듣|(?:봇|챗봇|너|얘)(?:가|는|이|도)?(?:진짜|정말|또|대체)?왜이(?:래|러)|못알아(?:듣|들)|알아듣지(?:를|도)?못|이해(?:를|도)?못하(?:네|냐|는구나|시네|잖|는거|는군)|동문서답|딴소리|엉뚱한(?:답|대답|소리|말)/],
  ['ko-repeating', 1, /몇번(?:을|이나|째)(?:말|물어|얘기|이야기|설명|같은)|몇번째(?:야|예요|에요|입니까|인지)|(?:두|세|네|다섯|[2-9])번(?:째|이나)(?:물|묻|말|질문|얘기|이야기|똑같|같은)|(?:같은|똑같은)(?:말|답|대답|답변|소리|얘기|이야기|링크|내용)(?:만|을?계속|을?또|반복)|아까(?:도)?말했|이미말했/],
  ['ko-kidding', 1, /장난(?:해|하나|하냐|하세요|하십니까|치|하는|까)/],
  ['ko-bad-answer', 1, /(?:이따위|그따위|그딴|이딴)(?:답|대답|답변|소리)|무슨(?:답|대답|답변|소리)(?:이야|야|이에요|예요|인가요|이냐|냐|이죠|지|를|을|하)/],
  ['ko-properly', 1, /제대로좀|제대로된(?:답|대답|답변)/],
  ['ko-waste-of-time', 1, /시간낭비|시간만(?:버|날|뺏|잡아)/],
  ['ko-insult', 1, /바보|멍청|한심|무능|엉터리/],
  ['ko-absurd', 1, /어이(?:가)?없/],
];
const KO_WEAK: Cue[] = [
  ['ko-annoyed', 0.5, /짜증|답답|화나|화가나|열받|빡치|빡쳐|미치겠|돌겠|환장|속(?:이)?터|엉망|황당|기가막|기가차/],
  ['ko-dismissive', 0.5, /(?:이런|그런)(?:답|대답|답변|소리)/],
  ['ko-insisting', 0.5, /아니라고요|아니라니까|아니라고했|아니라고$|그만좀|그만물어|그만하라/],
  ['ko-sigh', 0.5, /아진짜|아정말|진짜왜|도대체왜|에휴|아휴|하아+|하\.\.\.|하…|뭐야이거|뭐야이게|뭐냐이거|뭐하자는/],
  ['ko-emoticon', 0.5, /ㅡㅡ|ㅡ_ㅡ|-_-/],
];
const KO_REACTION = new Set('또 또요 또야 또냐 진짜 진짜요 정말 정말요 뭐 뭐야 뭐요 뭐지 왜 왜요 헐 아 하 대체 도대체 여보세요 아니 이게 이거'.split(' '));
// Matched on the spaced text: 너 alone, not inside 너무.
const KO_AIMED = /봇|챗봇|(?:^|\s)너(?:는|도|랑|한테|$|\s)|니가|네가|당신|이 ?채팅|이 ?대화|대답|니 말|네 말/;

const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;

/** Lower-case, NFC, straight apostrophes, one space between words: the text every check reads. */
function normalize(text: string): string {
  return text.normalize('NFC').replace(/[\u2018\u2019\u02bc]/g, "'").toLowerCase().replace(/\s+/g, ' ').trim();
}

function intensityOf(original: string): string | undefined {
  if (/!{3,}|[!?]*(?:\?!|!\?)[!?]*|\?{3,}/.test(original)) return 'punctuation';
  const words = original.match(/[A-Za-z][A-Za-z0-9']*/g) ?? [];
  const shouted = words.filter((w) => w.length >= 2 && w === w.toUpperCase() && /[A-Z]/.test(w) && !ACRONYMS.has(w.replace(/'.*$/, '')));
  const letters = original.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length;
  if (shouted.length >= 3 && upper / Math.max(1, letters.length) >= 0.7) return 'shouting';
  return undefined;
}

export function frustrationOf(text: string, locale: 'en' | 'ko'): Frustration {
  const original = text.normalize('NFC');
  const lower = normalize(text);
  const compact = lower.replace(/\s+/g, '');
  const cues: string[] = [];
  let content = 0;
  const add = (id: string, weight: number) => {
    if (cues.includes(id)) return;
    cues.push(id);
    content += weight;
  };

  // The text's script picks the lexicon (as understand() picks the model); the locale only decides
  // a message with neither script (say "!!!").
  const korean = HANGUL.test(lower) || (locale === 'ko' && !/[a-z]/.test(lower));
  const english = /[a-z]/.test(lower) || !korean;
  const words = lower.match(/[\p{L}\p{N}']+/gu) ?? [];
  const short = words.length > 0 && words.length <= (korean ? 3 : 4);

  if (english) {
    for (const [id, weight, re] of [...EN_STRONG, ...EN_WEAK]) if (re.test(lower)) add(id, weight);
  }
  if (korean) {
    for (const [id, weight, re] of [...KO_STRONG, ...KO_WEAK]) if (re.test(compact)) add(id, weight);
  }
  const aimedAtBot = (english && EN_AIMED.test(lower)) || (korean && KO_AIMED.test(lower));
  if (english && aimedAtBot) {
    const latin = lower.match(/[a-z0-9']+/g) ?? [];
    if (latin.length && englishSentiment(latin) <= -0.25) add('negative-sentiment', 0.5);
  }

  const intensity = intensityOf(original);
  const reactionOnly = short && words.every((w) => EN_REACTION.has(w) || KO_REACTION.has(w));
  if (content === 0 && reactionOnly && intensity) add('reaction', 0.5);

  let score = content;
  if (content > 0 && content < FRUSTRATION_THRESHOLD && (aimedAtBot || short)) {
    cues.push(aimedAtBot ? 'aimed-at-bot' : 'short-reaction');
    score += 0.5;
  }
  if (content > 0 && intensity) {
    cues.push(intensity);
    score += 0.5;
  }
  return { frustrated: score >= FRUSTRATION_THRESHOLD, score, cues };
}

/**
 * The form two messages are compared in to notice the same question asked again: NFC, lower case,
 * punctuation dropped (apostrophes join, other marks split), whitespace collapsed and trimmed.
 */
export function normalizeForRepeat(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/['\u2018\u2019\u02bc]/g, '')
    .replace(/[\p{P}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
