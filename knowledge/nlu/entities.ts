// Entities: country (English and Korean names, aliases, cities, ISO codes), cloud, support type, severity.
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import ko from 'i18n-iso-countries/langs/ko.json';

countries.registerLocale(en);
countries.registerLocale(ko);

export type CloudId = 'worldwide' | '21vianet' | 'germany';
export type SupportTypeId = 'billing' | 'technical' | 'presales' | 'subscription';
export type SeverityId = 'A' | 'B' | 'C';

export interface Entities {
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** The words that named the country, as the user wrote them. */
  countryText?: string;
  cloud?: CloudId;
  supportType?: SupportTypeId;
  severity?: SeverityId;
}

const ALIASES: Record<string, string[]> = {
  US: ['u.s.', 'u.s.a.', 'america', 'united states', 'the states', 'us of a', '미국', '미합중국'],
  GB: ['u.k.', 'britain', 'great britain', 'england', 'scotland', 'wales', 'northern ireland', 'united kingdom', '영국', '잉글랜드'],
  AU: ['aussie', 'australia', '호주', '오스트레일리아'],
  KR: ['korea', 'south korea', 'republic of korea', '한국', '대한민국', '남한'],
  KP: ['north korea', '북한'],
  CN: ['china', 'prc', 'mainland china', '중국'],
  HK: ['hong kong', '홍콩'],
  TW: ['taiwan', '대만', '타이완'],
  DE: ['germany', 'deutschland', '독일'],
  AE: ['emirates', 'united arab emirates', '아랍에미리트', '아랍 에미리트'],
  NL: ['holland', 'the netherlands', '네덜란드'],
  CZ: ['czechia', 'czech republic', '체코'],
  RU: ['russia', '러시아'],
  VN: ['vietnam', 'viet nam', '베트남'],
  TR: ['turkey', 'türkiye', 'turkiye', '튀르키예', '터키'],
  NZ: ['new zealand', '뉴질랜드'],
  ZA: ['south africa', '남아공', '남아프리카', '남아프리카 공화국'],
  PH: ['philippines', 'the philippines', '필리핀'],
  MX: ['mexico', '멕시코'],
  CA: ['canada', '캐나다'],
  JP: ['japan', '일본'],
  IN: ['india', '인도'],
  ID: ['indonesia', '인도네시아'],
  IL: ['israel', '이스라엘'],
  CH: ['switzerland', '스위스'],
  ES: ['spain', '스페인'],
  IE: ['ireland', '아일랜드'],
  BR: ['brazil', '브라질'],
  AT: ['austria', '오스트리아'],
};

// Cities admins mention instead of countries. Cheap to list, and they stop "Sydney" becoming a guess.
const CITIES: Record<string, string[]> = {
  US: ['new york', 'seattle', 'redmond', 'san francisco', 'los angeles', 'chicago', 'boston', 'austin', 'dallas', 'houston', 'atlanta', 'miami', 'denver', 'washington dc', '뉴욕', '시애틀', '샌프란시스코', '로스앤젤레스', '시카고', '보스턴'],
  GB: ['london', 'manchester', 'birmingham', 'edinburgh', 'glasgow', 'leeds', 'bristol', 'liverpool', 'reading', '런던', '맨체스터', '에든버러'],
  AU: ['sydney', 'melbourne', 'brisbane', 'perth', 'adelaide', 'canberra', '시드니', '멜버른', '브리즈번', '퍼스', '캔버라'],
  CA: ['toronto', 'vancouver', 'montreal', 'ottawa', 'calgary', '토론토', '밴쿠버', '몬트리올', '오타와'],
  KR: ['seoul', 'busan', 'incheon', 'daegu', 'pangyo', '서울', '부산', '인천', '대구', '판교', '대전', '광주'],
  JP: ['tokyo', 'osaka', 'kyoto', 'yokohama', 'nagoya', '도쿄', '오사카', '교토', '요코하마'],
  CN: ['beijing', 'shanghai', 'shenzhen', 'guangzhou', '베이징', '북경', '상하이', '상해', '선전', '광저우'],
  DE: ['berlin', 'munich', 'münchen', 'frankfurt', 'hamburg', 'cologne', 'stuttgart', '베를린', '뮌헨', '프랑크푸르트', '함부르크'],
  FR: ['paris', 'lyon', 'marseille', '파리', '리옹'],
  ES: ['madrid', 'barcelona', '마드리드', '바르셀로나'],
  IT: ['rome', 'milan', '로마', '밀라노'],
  NL: ['amsterdam', 'rotterdam', '암스테르담'],
  IN: ['mumbai', 'delhi', 'new delhi', 'bangalore', 'bengaluru', 'hyderabad', 'chennai', 'pune', '뭄바이', '델리', '벵갈루루'],
  SG: ['singapore', '싱가포르', '싱가폴'],
  PH: ['manila', 'makati', 'cebu', '마닐라'],
  ID: ['jakarta', '자카르타'],
  TH: ['bangkok', '방콕'],
  VN: ['hanoi', 'ho chi minh', 'saigon', '하노이', '호치민'],
  MY: ['kuala lumpur', '쿠알라룸푸르'],
  TW: ['taipei', '타이베이'],
  AE: ['dubai', 'abu dhabi', '두바이', '아부다비'],
  IL: ['tel aviv', 'jerusalem', '텔아비브', '예루살렘'],
  BR: ['sao paulo', 'são paulo', 'rio de janeiro', '상파울루'],
  MX: ['mexico city', '멕시코시티'],
  IE: ['dublin', '더블린'],
  SE: ['stockholm', '스톡홀름'],
  CH: ['zurich', 'zürich', 'geneva', '취리히', '제네바'],
  AT: ['vienna', 'wien', '빈'],
  PL: ['warsaw', '바르샤바'],
  TR: ['istanbul', 'ankara', '이스탄불'],
  ZA: ['johannesburg', 'cape town', '요하네스버그', '케이프타운'],
  NZ: ['auckland', 'wellington', '오클랜드'],
};

// Country names that are also everyday Korean words (가나요 "does it go", 수단 "means", 이란 "called").
const AMBIGUOUS_KOREAN = new Set(['가나', '수단', '이란', '말리', '오만', '차드', '기니', '토고', '빈', '통가', '인도']);
// Two-letter codes that are English words; only other codes count, and only in upper case.
// Upper-case forms people write that are not the ISO code itself, or that are but read as words.
const CODE_ALIASES: Record<string, string> = { US: 'US', USA: 'US', UK: 'GB', UAE: 'AE', NZ: 'NZ' };
const CODE_WORDS = new Set(['IN', 'IT', 'AT', 'BE', 'IS', 'ME', 'MY', 'NO', 'TO', 'OR', 'AM', 'PM', 'SO', 'GO', 'DO', 'ID', 'AS', 'AN', 'HI', 'OK', 'US']);

interface Name {
  text: string;
  iso: string;
  korean: boolean;
}

function buildNames(): Name[] {
  const seen = new Map<string, string>();
  const add = (text: string, iso: string) => {
    const key = text.toLowerCase().trim();
    if (key.length < 2 || seen.has(key)) return;
    seen.set(key, iso);
  };
  for (const [iso, list] of Object.entries(ALIASES)) list.forEach((n) => add(n, iso));
  for (const [iso, list] of Object.entries(CITIES)) list.forEach((n) => add(n, iso));
  for (const lang of ['en', 'ko'] as const) {
    const all = countries.getNames(lang, { select: 'all' }) as Record<string, string[]>;
    // Short Latin names ("US", "UK") are codes, matched case-sensitively below, never as words.
    for (const [iso, names] of Object.entries(all)) names.filter((n) => n.length > 3 || /[\uac00-\ud7a3]/.test(n)).forEach((n) => add(n, iso));
  }
  return [...seen.entries()]
    .map(([text, iso]) => ({ text, iso, korean: /[\uac00-\ud7a3]/.test(text) }))
    .filter((n) => !(n.korean && AMBIGUOUS_KOREAN.has(n.text)) || n.text === '인도')
    .sort((a, b) => b.text.length - a.text.length);
}

const NAMES = buildNames();

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ENGLISH_PATTERNS = new Map(
  NAMES.filter((n) => !n.korean).map((n) => [n.text, new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(n.text)}(?=$|[^\\p{L}\\p{N}])`, 'iu')]),
);

export function findCountry(text: string): { iso: string; text: string } | undefined {
  const lower = text.toLowerCase();
  // The word patterns match case-insensitively (simple case folding). A name can only match where its
  // lower-case text occurs in the lower-cased message, so the others' patterns need not run: a few
  // hundred regular expressions per message become a substring test each. Long s is the one letter
  // that folds to a name's letter without lower-casing to it.
  const haystack = lower.includes('\u017f') ? lower.replace(/\u017f/g, 's') : lower;
  // Longest names first, so "인도네시아" wins over "인도" and "new south wales" over "wales".
  for (const name of NAMES) {
    if (name.korean) {
      const at = lower.indexOf(name.text);
      if (at < 0) continue;
      // "인도" alone is India; inside a longer word it is usually not a country.
      if (name.text === '인도' && /[\uac00-\ud7a3]/.test(lower[at + 2] ?? '') && !/^인도(에서|의|에|는|도|로)/.test(lower.slice(at))) continue;
      return { iso: name.iso, text: text.slice(at, at + name.text.length) };
    }
    if (!haystack.includes(name.text)) continue;
    const m = ENGLISH_PATTERNS.get(name.text)!.exec(text);
    if (m) return { iso: name.iso, text: text.substr(m.index + m[1].length, name.text.length) };
  }
  // Upper-case codes standing alone ("JP", "USA", "UK"), unless the whole message is shouting.
  if (text !== text.toUpperCase()) {
    for (const m of text.matchAll(/\b([A-Z]{2,3})\b/g)) {
      const code = CODE_ALIASES[m[1]] ?? m[1];
      if (CODE_WORDS.has(m[1]) && !CODE_ALIASES[m[1]]) continue;
      if (m[1].length === 2 || CODE_ALIASES[m[1]]) {
        if (countries.isValid(code)) return { iso: code, text: m[1] };
      }
    }
  }
  return undefined;
}

const VIANET = /21\s*v(ianet|net|iannet)?\b|21비아넷|onmschina|operated by 21|china cloud|중국 클라우드|mooncake/gi;
const GERMANY_CLOUD = /(microsoft\s+)?(office|o)\s*365\s+germany|germany cloud|german cloud|(microsoft\s+)?cloud (deutschland|germany)|onmicrosoft\.de|독일\s*(office|o)\s*365|(office|o)\s*365\s*독일|독일 클라우드/gi;

export function findCloud(text: string): CloudId | undefined {
  if (new RegExp(VIANET.source, 'i').test(text)) return '21vianet';
  if (new RegExp(GERMANY_CLOUD.source, 'i').test(text)) return 'germany';
  return undefined;
}

/** A cloud's name ("Office 365 Germany") says which cloud, not where the caller is. */
function withoutCloudNames(text: string): string {
  const blank = (m: string) => ' '.repeat(m.length);
  return text.replace(GERMANY_CLOUD, blank).replace(VIANET, blank);
}

export function findSupportType(text: string): SupportTypeId | undefined {
  const lower = text.toLowerCase();
  if (/\bpre-?\s?sales?\b|before (buying|we buy|purchase)|사전 판매|판매 전|구매 전/.test(lower)) return 'presales';
  if (/\b(bill|billing|invoices?|payments?|charges?|refund)\b|청구|결제|요금|인보이스|송장|환불/.test(lower)) return 'billing';
  if (/\b(subscriptions?|licen[cs]es?)\b|구독|라이선스/.test(lower)) return 'subscription';
  if (/\b(tech|technical|engineer)\b|기술/.test(lower)) return 'technical';
  return undefined;
}

export function findSeverity(text: string): SeverityId | undefined {
  const m = text.match(/(?:\bsev(?:erity)?|심각도)\s*[-:]?\s*([abc])(?![a-z])/i) ?? text.match(/\b([abc])\s*(?:등급|급)/i);
  return m ? (m[1].toUpperCase() as SeverityId) : undefined;
}

export function extractEntities(text: string): Entities {
  const entities: Entities = {};
  const country = findCountry(withoutCloudNames(text));
  if (country) {
    entities.country = country.iso;
    entities.countryText = country.text;
  }
  const cloud = findCloud(text);
  if (cloud) entities.cloud = cloud;
  const supportType = findSupportType(text);
  if (supportType) entities.supportType = supportType;
  const severity = findSeverity(text);
  if (severity) entities.severity = severity;
  return entities;
}

export function countryName(iso: string, lang: 'en' | 'ko'): string {
  if (lang === 'ko' && iso === 'AU') return '오스트레일리아';
  const name = countries.getName(iso, lang, { select: 'alias' }) ?? countries.getName(iso, lang) ?? iso;
  return name === 'United States of America' ? 'United States' : name;
}
