// Reads Microsoft's per-country "Contact support for …" pages (Docs-flavoured Markdown) into
// ContactPoints. Every line it cannot read is reported with its file and line number, never dropped.
import path from 'node:path';
import countries from 'i18n-iso-countries';
import ko from 'i18n-iso-countries/langs/ko.json';
import en from 'i18n-iso-countries/langs/en.json';
import ct from 'countries-and-timezones';
import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js';
import type { ContactPoint, Hours, LocalizedText, PhoneNumber, ServiceLine, SupportType } from './types';

countries.registerLocale(en);
countries.registerLocale(ko);

export interface UnreadLine {
  file: string;
  line: number;
  text: string;
}

export interface PageResult {
  file: string;
  contacts: ContactPoint[];
  unread: UnreadLine[];
}

const lt = (en: string, ko: string): LocalizedText => ({ en, ko });

const LANGUAGES: Record<string, string[]> = {
  english: ['en'], '영어': ['en'], korean: ['ko'], '한국어': ['ko'], japanese: ['ja'], german: ['de'], french: ['fr'],
  italian: ['it'], spanish: ['es'], portuguese: ['pt'], dutch: ['nl'], polish: ['pl'], turkish: ['tr'], thai: ['th'],
  hebrew: ['he'], arabic: ['ar'], 'bahasa indonesia': ['id'], mandarin: ['zh'], 'chinese (mandarin)': ['zh'],
  chinese: ['zh'], cantonese: ['yue'], swedish: ['sv'], vietnamese: ['vi'], malay: ['ms'], 'bahasa melayu': ['ms'],
  hindi: ['hi'],
};

// Where a country spans zones, the zone its support team is taken to keep; elsewhere the country's only zone.
const PRIMARY_ZONE: Record<string, string> = {
  US: 'America/New_York', CA: 'America/Toronto', AU: 'Australia/Sydney', BR: 'America/Sao_Paulo',
  MX: 'America/Mexico_City', ID: 'Asia/Jakarta', RU: 'Europe/Moscow', CN: 'Asia/Shanghai', ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon', DE: 'Europe/Berlin', NZ: 'Pacific/Auckland', MY: 'Asia/Kuala_Lumpur', CL: 'America/Santiago',
};
const MULTI_ZONE = new Set(['US', 'CA', 'AU', 'BR', 'MX', 'ID', 'RU']);
const NAMED_ZONES: Record<string, (iso: string) => string> = {
  ET: (iso) => (iso === 'CA' ? 'America/Toronto' : 'America/New_York'),
  CET: () => 'Europe/Berlin',
};

const NOTES: Record<string, LocalizedText> = {
  'local call charges apply': lt('Local call charges apply.', '시내 통화 요금이 부과됩니다.'),
  '지역 전화 요금이 적용 됩니다.': lt('Local call charges apply.', '시내 통화 요금이 부과됩니다.'),
  'international call charges apply': lt('International call charges apply.', '국제 전화 요금이 부과됩니다.'),
  'local toll-free': lt('Toll-free from within the country.', '국내에서 무료로 걸 수 있습니다.'),
  '(closed on weekends and public holidays)': lt('Closed on weekends and public holidays.', '주말과 공휴일에는 운영하지 않습니다.'),
};

const LABELS: Record<string, LocalizedText> = {
  'office 365 enterprise': lt('Office 365 Enterprise', 'Office 365 Enterprise'),
  'other plans': lt('Other plans (e.g. Microsoft 365 Business Basic, Standard, Premium)', '기타 요금제(예: Microsoft 365 Business Basic, Standard, Premium)'),
  mobile: lt('From mobile phones', '휴대폰에서 걸 때'),
};

const DAY_INDEX: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

export function countryFromPage(title: string, file: string): string | undefined {
  const fromTitle = title.replace(/^#\s*(<a [^>]*><\/a>)?\s*/, '').replace(/^Contact support for\s+/i, '').trim();
  const base = path.basename(file, '.md').replace(/-/g, ' ');
  const overrides: Record<string, string> = { korea: 'KR', 'china prc': 'CN', china: 'CN', 'hong kong sar': 'HK', taiwan: 'TW', vietnam: 'VN', turkey: 'TR' };
  for (const candidate of [fromTitle, base]) {
    const key = candidate.toLowerCase();
    if (overrides[key]) return overrides[key];
    const code = countries.getAlpha2Code(candidate, 'en');
    if (code) return code;
  }
  return undefined;
}

export function marketName(iso: string): LocalizedText {
  const english = countries.getName(iso, 'en', { select: 'alias' }) ?? iso;
  const korean = iso === 'AU' ? '오스트레일리아' : countries.getName(iso, 'ko') ?? english;
  return lt(english === 'United States of America' ? 'United States' : english, korean);
}

export function zoneFor(iso: string): string {
  return PRIMARY_ZONE[iso] ?? ct.getCountry(iso)?.timezones?.[0] ?? 'UTC';
}

function toMinutes(text: string): number | undefined {
  const t = text.trim().toUpperCase();
  let m = t.match(/^(\d{1,2})(?::(\d{2}))?\s*(AM|PM)$/);
  if (m) {
    let h = Number(m[1]) % 12;
    if (m[3] === 'PM') h += 12;
    return h * 60 + Number(m[2] ?? 0);
  }
  m = t.match(/^(\d{1,2}):(\d{2})$/);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = text.trim().match(/^(오전|오후)\s*(\d{1,2})\s*시(?:\s*(\d{1,2})\s*분)?$/);
  if (m) return ((Number(m[2]) % 12) + (m[1] === '오후' ? 12 : 0)) * 60 + Number(m[3] ?? 0);
  return undefined;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function dayRange(text: string): number[] | undefined {
  const m = text.trim().toLowerCase().match(/^(mon|tue|wed|thu|fri|sat|sun)\s*-\s*(mon|tue|wed|thu|fri|sat|sun)$/);
  if (!m) return undefined;
  const days: number[] = [];
  for (let d = DAY_INDEX[m[1]]; ; d = (d % 7) + 1) {
    days.push(d);
    if (d === DAY_INDEX[m[2]]) break;
  }
  return days;
}

/** "Mon-Fri 9 AM-5 PM [Local|ET]", "오전 9 시 Mon-Fri 오후 6 시", "24 hours a day, 7 days a week", "연중무휴 24시간". */
export function parseHours(text: string, iso: string): Hours | undefined {
  const t = text.trim();
  if (/^24 hours a day,? 7 days a week$/i.test(t) || /^연중무휴\s*24\s*시간$/.test(t)) return { kind: 'always' };
  let m = t.match(/^(\w{3}\s*-\s*\w{3})\s+(.+?)\s*-\s*(.+?(?:\s*[AP]M)?)(?:\s+(Local|(?![AP]M\b)[A-Z]{2,4}))?$/);
  let days: number[] | undefined;
  let open: number | undefined;
  let close: number | undefined;
  let zoneWord: string | undefined;
  if (m) {
    days = dayRange(m[1]);
    open = toMinutes(m[2]);
    close = toMinutes(m[3]);
    zoneWord = m[4];
  } else {
    m = t.match(/^(오전|오후)\s*(\d{1,2})\s*시\s+(\w{3}\s*-\s*\w{3})\s+(오전|오후)\s*(\d{1,2})\s*시$/);
    if (!m) return undefined;
    days = dayRange(m[3]);
    open = toMinutes(`${m[1]} ${m[2]}시`);
    close = toMinutes(`${m[4]} ${m[5]}시`);
  }
  if (!days || open === undefined || close === undefined) return undefined;
  if (zoneWord && zoneWord !== 'Local' && !NAMED_ZONES[zoneWord]) return undefined;
  const timeZone = zoneWord && zoneWord !== 'Local' ? NAMED_ZONES[zoneWord](iso) : zoneFor(iso);
  const callerLocal = zoneWord === 'Local' || (!zoneWord && MULTI_ZONE.has(iso));
  return { kind: 'weekly', timeZone, windows: [{ days, open: hhmm(open), close: hhmm(close) }], ...(callerLocal ? { callerLocal } : {}) };
}

function parseLanguages(text: string): string[] | undefined {
  const parts = text.toLowerCase().split(/\s+and\s+|\s*,\s*/).map((p) => p.trim());
  const codes: string[] = [];
  for (const p of parts) {
    const found = LANGUAGES[p];
    if (!found) return undefined;
    codes.push(...found);
  }
  return codes;
}

/** A phone number line: digits with spaces, then optional labels in parentheses. */
export function parseNumber(text: string, iso: string, kind: PhoneNumber['kind']): PhoneNumber | undefined {
  const m = text.trim().match(/^(\+?[\d][\d ()-]*?\d)\s*((?:\([^)]*\)\s*)*)$/);
  if (!m) return undefined;
  const display = m[1].trim();
  const labels = [...m[2].matchAll(/\(([^)]*)\)/g)].map((x) => x[1].trim());
  const digits = display.replace(/[^\d+]/g, '');
  const parsed = parsePhoneNumberFromString(digits, iso as CountryCode);
  // Toll-free and short service numbers fail strict validation; keep the country prefix + digits then.
  const e164 = parsed?.isValid() ? (parsed.number as string) : undefined;
  const number: PhoneNumber = { display, ...(e164 ? { e164 } : {}), dial: e164 ?? digits, kind };
  const notes: LocalizedText[] = [];
  for (const label of labels) {
    const key = label.toLowerCase();
    if (key.startsWith('example')) continue;
    if (NOTES[key]) notes.push(NOTES[key]);
    else if (LABELS[key]) number.label = LABELS[key];
    else number.label = lt(label, label);
  }
  if (notes.length) number.notes = notes;
  return number;
}

const SUPPORT_HEADINGS: Record<string, SupportType> = {
  'billing support': 'billing',
  '청구 지원': 'billing',
  'technical support': 'technical',
  '기술 지원': 'technical',
};

function heading(line: string): string {
  return line.replace(/^#+\s*/, '').replace(/<a [^>]*><\/a>/g, '').replace(/:$/, '').trim().toLowerCase();
}

export function parseCountryPage(markdown: string, file: string): PageResult {
  const unread: UnreadLine[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  if (lines[0]?.trim() === '---') {
    i = lines.findIndex((l, n) => n > 0 && l.trim() === '---') + 1;
  }
  const title = lines.slice(i).find((l) => /^#\s/.test(l)) ?? '';
  const iso = countryFromPage(title, file);
  if (!iso) {
    return { file, contacts: [], unread: [{ file, line: i + 1, text: `no country recognised in title "${title.trim()}"` }] };
  }
  const contacts: ContactPoint[] = [];
  const newContact = (cloud: ContactPoint['cloud']): ContactPoint => {
    const market = marketName(iso);
    const contact: ContactPoint = {
      id: `page-${iso.toLowerCase()}${cloud === 'worldwide' ? '' : `-${cloud}`}`,
      cloud,
      countries: [iso],
      market: cloud === '21vianet' ? lt(`${market.en}: Office 365 operated by 21Vianet`, `${market.ko}: 21Vianet이 운영하는 Office 365`) : market,
      numbers: [],
      lines: [],
      notes: [],
      appliesTo:
        cloud === '21vianet'
          ? lt('Office 365 operated by 21Vianet, as listed on the support page for China.', '중국 지원 페이지에 나온 21Vianet이 운영하는 Office 365')
          : lt(`Microsoft 365 worldwide tenants in ${market.en}.`, `${market.ko}의 Microsoft 365 전 세계 서비스 테넌트`),
      source: 'country-page',
    };
    contacts.push(contact);
    return contact;
  };
  let contact = newContact('worldwide');
  let section: 'none' | 'numbers' | 'hours' | 'ignored' = 'none';
  let supportType: SupportType | undefined;
  let plan: LocalizedText | undefined;
  let alternativePending = false;
  let lastNumber: PhoneNumber | undefined;

  for (let n = i; n < lines.length; n++) {
    const raw = lines[n];
    const text = raw.trim();
    if (!text || text === title.trim()) continue;
    const report = () => unread.push({ file, line: n + 1, text });
    if (/^\[.*\]\(.*\)\.?$/.test(text)) continue; // "Find another country or region" link
    if (/^#{2,}\s/.test(text)) {
      const h = heading(text);
      if (/operated by 21vianet/.test(h)) {
        contact = newContact('21vianet');
        section = 'none';
      } else if (h === 'phone number' || h === '전화 번호') section = 'numbers';
      else if (h === 'hours' || h === '시간') section = 'hours';
      else if (SUPPORT_HEADINGS[h]) {
        supportType = SUPPORT_HEADINGS[h];
        plan = undefined;
      } else if (/wechat/.test(h)) section = 'ignored';
      else report();
      continue;
    }
    if (section === 'ignored') continue;
    if (/^!\[.*\]\(.*\)$/.test(text)) continue;

    const noteKey = text.toLowerCase().replace(/\.$/, '');
    const note = NOTES[noteKey] ?? NOTES[text];
    if (note) {
      // Charges and toll-free status describe the number just read; anything else describes the page.
      const aboutNumber = /call charges|toll-free|요금/.test(noteKey);
      const target = aboutNumber && lastNumber && (lastNumber.kind === 'alternative' || noteKey === 'local toll-free') ? lastNumber : undefined;
      if (target) target.notes = [...(target.notes ?? []), note];
      else if (!contact.notes.some((x) => x.en === note.en)) contact.notes.push(note);
      continue;
    }
    const alt = text.match(/^(?:Alternative Phone Number|대체 전화 번호):\s*(.*)$/i);
    if (alt) {
      if (!alt[1]) {
        alternativePending = true;
        continue;
      }
      const number = parseNumber(alt[1], iso, 'alternative');
      if (number) contact.numbers.push((lastNumber = number));
      else report();
      continue;
    }
    const looksLikeNumber = /^\+?\d[\d ]{5,}/.test(text);
    if (looksLikeNumber && (section === 'numbers' || alternativePending)) {
      const number = parseNumber(text, iso, alternativePending ? 'alternative' : 'main');
      if (number) contact.numbers.push((lastNumber = number));
      else report();
      continue;
    }
    const planHeading = text.match(/^\*\*(.+?):?\*\*:?\s*(?:\(Example[^)]*\))?:?$/i);
    if (planHeading) {
      const key = planHeading[1].replace(/:$/, '').trim().toLowerCase();
      plan = LABELS[key] ?? lt(planHeading[1], planHeading[1]);
      continue;
    }
    const weekdaysSentence = text.match(/available from (\d{1,2}:\d{2})-(\d{1,2}:\d{2}) on weekdays\.\s*For high severity issues, technical support is available 24 hours a day, 7 days a week\.?$/i);
    if (weekdaysSentence && supportType) {
      contact.lines.push({ supportType, languages: ['ja', 'en'].filter((l) => iso === 'JP' || l === 'en'), hours: { kind: 'weekly', timeZone: zoneFor(iso), windows: [{ days: [1, 2, 3, 4, 5], open: weekdaysSentence[1].padStart(5, '0'), close: weekdaysSentence[2].padStart(5, '0') }] }, ...(plan ? { plan } : {}) });
      contact.notes.push(lt(`${plan?.en ?? 'This plan'}: for high-severity issues, technical support answers 24 hours a day, 7 days a week.`, `${plan?.ko ?? '이 요금제'}: 심각도가 높은 문제는 기술 지원이 연중무휴 24시간 응답합니다.`));
      continue;
    }
    const hoursLine = text.match(/^([^:]+?)(?:\s+(phone|online) support(?: \(through the admin center\))?)?:\s*(.+)$/i);
    if (hoursLine && section === 'hours' && supportType) {
      const languages = parseLanguages(hoursLine[1]);
      const hours = parseHours(hoursLine[3], iso);
      if (languages && hours) {
        const line: ServiceLine = { supportType, languages, hours, ...(plan ? { plan } : {}) };
        if (hoursLine[2]) line.channel = hoursLine[2].toLowerCase() as 'phone' | 'online';
        contact.lines.push(line);
        continue;
      }
    }
    report();
  }
  return { file, contacts: contacts.filter((c) => c.numbers.length > 0 || c.lines.length > 0), unread };
}
