// Text to features. English: natural's tokenizer, stop words and Porter stems. Korean: natural's
// tokenizers return nothing for Hangul, so Hangul words are split off their particles and endings
// and also cut into syllable bigrams (which survive spacing variants and compounds).
// Both add concept tags: synonyms across both languages that point at the same support topic.
import { PorterStemmer, WordTokenizer } from '../natural-parts';

const wordTokenizer = new WordTokenizer();

// Function words only: question words (when, who, how) carry meaning here and stay.
const STOP_WORDS = new Set(
  'a an the is are was were be been am do does did of to in on at for from by with and or it its this that these those i me my we our us you your he she they them their there here please can could would should will just so some any about into if then than too very also get got'.split(' '),
);

const HANGUL = /[\uac00-\ud7a3]/;
const HANGUL_RUN = /[\uac00-\ud7a3]+/g;

// Longest first: a Hangul word loses at most one ending and one particle.
const ENDINGS = [
  '해야', '하려면', '해주세요', '알려주세요', '알려줘요', '알려줘', '주세요', '습니까', '합니까', '인가요', '한가요', '할까요', '나요', '가요', '까요',
  '어요', '아요', '해요', '예요', '이에요', '에요', '세요', '해줘', '줘요', '줘', '려면', '으면', '하면', '는데', '은데', '인데',
  '했어요', '했는데', '샀는데', '없어요', '있어요', '있나요', '되나요', '돼요', '되요', '하나요', '하죠', '이죠', '죠', '다',
];
const PARTICLES = [
  '에서는', '에서도', '으로는', '에게서', '한테서', '에서', '으로', '에게', '한테', '까지', '부터', '처럼', '보다', '이랑', '하고',
  '에는', '에도', '은', '는', '이', '가', '을', '를', '에', '의', '로', '도', '만', '와', '과', '랑',
];

export function stripKorean(word: string): string {
  let w = word;
  for (const e of ENDINGS) {
    if (w.length > e.length + 1 && w.endsWith(e)) {
      w = w.slice(0, -e.length);
      break;
    }
  }
  for (const p of PARTICLES) {
    if (w.length > p.length + 1 && w.endsWith(p)) {
      w = w.slice(0, -p.length);
      break;
    }
  }
  return w;
}

export function syllableBigrams(word: string): string[] {
  if (word.length < 2) return [word];
  const grams: string[] = [];
  for (let i = 0; i < word.length - 1; i++) grams.push(word.slice(i, i + 2));
  return grams;
}

export type KoreanAnalyzer = 'whitespace' | 'stripped' | 'bigrams' | 'combined';

export function koreanTokens(text: string, analyzer: KoreanAnalyzer = 'stripped'): string[] {
  const words = text.match(HANGUL_RUN) ?? [];
  const out: string[] = [];
  for (const word of words) {
    if (analyzer === 'whitespace') out.push(word);
    const stem = stripKorean(word);
    if (analyzer === 'stripped' || analyzer === 'combined') out.push(stem);
    if (analyzer === 'bigrams' || analyzer === 'combined') out.push(...syllableBigrams(stem).map((g) => `~${g}`));
  }
  return out;
}

export function englishTokens(text: string): string[] {
  const latin = text.replace(HANGUL_RUN, ' ').toLowerCase();
  return wordTokenizer
    .tokenize(latin)
    .filter((t) => !STOP_WORDS.has(t))
    .map((t) => PorterStemmer.stem(t));
}

// Concept tags: each pattern names a topic in either language. They let a few training phrasings
// cover synonyms the classifier never saw (helpline, hotline, 콜센터 all mean "phone").
const CONCEPTS: [string, RegExp][] = [
  ['#phone', /\b(phone|phones|number|numbers|call|calling|dial|ring|helpline|hotline|tel|telephone|line|toll[- ]free)\b|전화|번호|통화|콜센터|연락처|헬프데스크/],
  ['#hours', /\b(hours?|till|until|open|opens|opening|close|closes|closed|when|time|times|days?|weekends?|weekdays?|saturday|sunday|monday|friday|night|midnight|morning|evening|tonight|tomorrow|late|early|24\/7|24x7|24 hours|around the clock|schedule|available|availability|[0-9]{1,2}\s*(am|pm))\b|시간|언제|몇 시|몇시|주말|요일|운영|영업|새벽|밤|야간|연중무휴|오전|오후|토요일|일요일|공휴일|내일/],
  ['#language', /\b(languages?|speak|speaking|english|korean|german|french|japanese|spanish|mandarin|chinese|cantonese|hebrew|arabic|thai|italian|dutch|polish|portuguese)\b|언어|한국어|영어|독일어|일본어|중국어|프랑스어|스페인어|상담원.*어|어로/],
  ['#pin', /\b(pin|code|codes|verif\w*|identity|prove|registered|on file|security code|one[- ]time)\b|인증|코드|핀|본인|확인 절차|등록되지|등록 안|등록된/i],
  ['#severity', /\b(severity|sev|critical|priority|urgent|sla|respond|response|responds|reply)\b|심각도|우선순위|긴급|응답|대응|답변/],
  ['#eligibility', /\b(agreement|contract|eligible|eligibility|who can|requirements?|anyone|capped|cap)\b|계약|자격|누가|아무나|조건|까지만/],
  ['#scope', /\b(network|firewall|proxy|isp|third[- ]party|add-?ins?|add-?ons?|scope|cover|covered|covers|include|included|responsibilit\w*|vendors?)\b|네트워크|방화벽|타사|서드파티|범위|책임|애드인|추가 기능|인터넷 회사/],
  ['#partner', /\b(partner|partners|reseller|resellers|csp|distributor|provider|bought|purchased|sold|godaddy|msp)\b|파트너|리셀러|총판|대리점|재판매|협력사|구입|구매|샀/],
  ['#nonadmin', /\b(not an admin|not the admin|non[- ]?admins?|regular user|normal users?|end users?|without being an admin|admin rights|permission|employee|student|user account|not the administrator|who is my admin)\b|관리자가 아|관리자 권한|일반 사용자|직원|학생|비관리자|최종 사용자|관리자는 아|관리자가 누구|관리자 없이/],
  ['#health', /\b(outage|outages|down|status|incidents?|health|degrad\w*|known issues|advisor\w*|having (problems|issues))\b|장애|다운|상태|인시던트|안 되나|저하|알려진 문제/],
  ['#request', /\b(request|ticket|case|callback|call me|call me back|contact me|submit|wait|waiting|queue|file|log a|raise|email support)\b|요청|티켓|케이스|콜백|대기|접수|제출|문의하|연락 받|연락하면|연락 와/],
  ['#community', /\b(community|forum|forums|wiki|other admins|peer|self[- ]service)\b|커뮤니티|포럼|위키|다른 관리자|셀프 서비스/],
  ['#greeting', /^\s*(hi|hello|hey|hiya|yo|greetings|good (morning|afternoon|evening)|morning)\b|안녕|반갑|여보세요|하이|헬로|저기요/],
  ['#thanks', /\b(thanks|thank you|thx|ty|cheers|appreciated|awesome|perfect|brilliant)\b|고마|감사|땡큐|수고하세요|도움이 됐/],
  ['#cancel', /^\s*(cancel|stop|quit|exit|abort|reset|never ?mind|forget it|start over|leave it)\b|취소|그만|중지|멈춰|나가기|됐어요|필요 없|처음부터/],
  ['#help', /^\s*(help|menu|options|commands|instructions)\s*$|what can (you|i)|how does this work|what do you know|what are you for|how can you help|도움말|뭘 할 수|무엇을 물어|사용법|기능 알려|어떤 질문|도와줘$/],
  ['#admintask', /\b(password|passwords|users?|licen[cs]es?|domains?|dns|mx|txt|invoices?|receipts?|mfa|multi-factor|mailbox|mailboxes|forward\w*|guests?|groups?|sign[- ]?in|install|migrat\w*|retention|spam|dkim|alias|onedrive|sharepoint sharing|upgrade|payment method|distribution list|roles?)\b|암호|비밀번호|사용자|라이선스|도메인|청구서|영수증|사서함|전달|게스트|그룹|로그인|설치|마이그레이션|보존|스팸|별칭|역할|결제 수단|요금제/],
  ['#billing', /\b(bill|billing|invoice|payment|charges?|subscription)\b|청구|결제|요금|구독/],
  ['#technical', /\b(tech|technical|engineer)\b|기술/],
  ['#21vianet', /21\s*v(ianet|net)?\b|21비아넷|onmschina|operated by 21/],
  ['#germanycloud', /office 365 germany|germany cloud|german cloud|cloud deutschland|onmicrosoft\.de|독일 office 365|독일 클라우드/],
];

export function concepts(text: string): string[] {
  const lower = text.toLowerCase();
  return CONCEPTS.filter(([, re]) => re.test(lower)).map(([tag]) => tag);
}

export function features(text: string, analyzer: KoreanAnalyzer = 'stripped'): string[] {
  return [...englishTokens(text), ...koreanTokens(text, analyzer), ...concepts(text)];
}

export function hasHangul(text: string): boolean {
  return HANGUL.test(text);
}
