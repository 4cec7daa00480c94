// Hours maths: is a line open at an instant, when it opens next, and how to say its hours in
// English or Korean, in the team's zone or converted to the viewer's. Luxon does the zone and DST work.
import { DateTime } from 'luxon';
import ct from 'countries-and-timezones';
import countries from 'i18n-iso-countries';
import enNames from 'i18n-iso-countries/langs/en.json';
import koNames from 'i18n-iso-countries/langs/ko.json';

countries.registerLocale(enNames);
countries.registerLocale(koNames);
import type { Hours, HoursWindow } from './types';

type Lang = 'en' | 'ko';

const DAY_NAMES: Record<Lang, string[]> = {
  en: ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  ko: ['', '월', '화', '수', '목', '금', '토', '일'],
};

// Zone names people use; anything else falls back to the IANA city.
const ZONE_LABELS: Record<string, { en: string; ko: string }> = {
  'Asia/Shanghai': { en: 'Beijing time', ko: '베이징 시간' },
  'Europe/Berlin': { en: 'Berlin time', ko: '베를린 시간' },
  'Europe/London': { en: 'UK time', ko: '영국 시간' },
  'Australia/Sydney': { en: 'Sydney time', ko: '시드니 시간' },
  'America/New_York': { en: 'US Eastern time', ko: '미국 동부 시간' },
  'America/Toronto': { en: 'Eastern time', ko: '캐나다 동부 시간' },
  'Asia/Seoul': { en: 'Korea time', ko: '한국 시간' },
  'Asia/Tokyo': { en: 'Japan time', ko: '일본 시간' },
};

// Korean names of cities whose zones viewers are often in, for countries with several zones.
const KOREAN_CITIES: Record<string, string> = {
  Los_Angeles: '로스앤젤레스', Chicago: '시카고', Denver: '덴버', Phoenix: '피닉스', Anchorage: '앵커리지', Honolulu: '호놀룰루',
  Vancouver: '밴쿠버', Edmonton: '에드먼턴', Winnipeg: '위니펙', Halifax: '핼리팩스', Perth: '퍼스', Adelaide: '애들레이드',
  Brisbane: '브리즈번', Melbourne: '멜버른', Darwin: '다윈', Sao_Paulo: '상파울루', Mexico_City: '멕시코시티', Jakarta: '자카르타',
  Makassar: '마카사르', Jayapura: '자야푸라', Moscow: '모스크바',
};

/**
 * A zone as people name it: the table above; else the country whose only zone it is; else the city.
 */
export function zoneLabel(zone: string, lang: Lang): string {
  const known = ZONE_LABELS[zone];
  if (known) return known[lang];
  const owners = ct.getTimezone(zone)?.countries ?? [];
  const owner =
    owners.find((c) => {
      const zones = ct.getCountry(c)?.timezones ?? [];
      return zones[0] === zone && zones.length === 1;
    }) ?? owners.find((c) => (ct.getCountry(c)?.timezones ?? [])[0] === zone && !['US', 'CA', 'AU', 'BR', 'MX', 'ID', 'RU'].includes(c));
  const country = owner ? countries.getName(owner, lang, { select: 'alias' }) ?? countries.getName(owner, lang) : undefined;
  const city = zone.split('/').pop()!;
  const place = country ?? (lang === 'ko' ? KOREAN_CITIES[city] : undefined) ?? city.replace(/_/g, ' ');
  return lang === 'ko' ? `${place} 시간` : `${place} time`;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The zone whose clock the hours follow: the caller's own when the source said "local time". */
export function effectiveZone(hours: Hours, viewerZone?: string): string | undefined {
  if (hours.kind === 'always') return undefined;
  if (hours.kind === 'weekly' && hours.callerLocal && viewerZone) return viewerZone;
  return hours.timeZone;
}

function inWindow(window: HoursWindow, weekday: number, minute: number): boolean {
  const open = minutesOf(window.open);
  const close = minutesOf(window.close);
  if (close > open) return window.days.includes(weekday) && minute >= open && minute < close;
  // Overnight window: the part after open today, or the part before close carried from yesterday.
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return (window.days.includes(weekday) && minute >= open) || (window.days.includes(yesterday) && minute < close);
}

/** A zone's weekday and minute of the day for one UTC minute: every turn asks, and luxon's zone maths is costly. */
const localMinuteByZone = new Map<string, { utcMinute: number; weekday: number; minute: number }>();

function localMinute(instant: Date, zone: string | undefined): { weekday: number; minute: number } {
  const utcMinute = Math.floor(instant.getTime() / 60_000);
  const key = zone ?? '';
  const known = localMinuteByZone.get(key);
  if (known?.utcMinute === utcMinute) return known;
  const local = DateTime.fromJSDate(instant, { zone });
  const entry = { utcMinute, weekday: local.weekday, minute: local.hour * 60 + local.minute };
  // Zones come from the directory and the viewers' time zones, a bounded set; stay safe anyway.
  if (localMinuteByZone.size > 1000) localMinuteByZone.clear();
  localMinuteByZone.set(key, entry);
  return entry;
}

/** true/false, or null when the source gives no exact times (business hours only). */
export function isOpenAt(hours: Hours, instant: Date, viewerZone?: string): boolean | null {
  if (hours.kind === 'always') return true;
  if (hours.kind === 'businessHours') return null;
  const { weekday, minute } = localMinute(instant, effectiveZone(hours, viewerZone));
  return hours.windows.some((w) => inWindow(w, weekday, minute));
}

/**
 * Per hours and zone, the last answer and the instant it was worked out from. The next opening
 * after any instant from then until that opening is the same one, so most turns skip the search.
 */
const nextOpenings = new WeakMap<Hours, Map<string, { from: number; next: number }>>();

/** The next instant the line opens after `instant`, or null if it never closes or has no exact times. */
export function nextOpening(hours: Hours, instant: Date, viewerZone?: string): Date | null {
  if (hours.kind !== 'weekly') return null;
  const zone = effectiveZone(hours, viewerZone)!;
  const at = instant.getTime();
  let byZone = nextOpenings.get(hours);
  const known = byZone?.get(zone);
  if (known && at >= known.from && at < known.next) return new Date(known.next);
  const found = searchNextOpening(hours.windows, zone, instant);
  if (found) {
    if (!byZone) nextOpenings.set(hours, (byZone = new Map()));
    if (byZone.size > 100) byZone.clear();
    byZone.set(zone, { from: at, next: found.getTime() });
  }
  return found;
}

function searchNextOpening(windows: HoursWindow[], zone: string, instant: Date): Date | null {
  const start = DateTime.fromJSDate(instant, { zone });
  let best: DateTime | null = null;
  for (let offset = 0; offset <= 8; offset++) {
    const day = start.plus({ days: offset }).startOf('day');
    for (const w of windows) {
      if (!w.days.includes(day.weekday)) continue;
      const open = minutesOf(w.open);
      const candidate = day.set({ hour: Math.floor(open / 60), minute: open % 60 });
      if (candidate > start && (!best || candidate < best)) best = candidate;
    }
    if (best) break;
  }
  return best ? best.toJSDate() : null;
}

function formatTime(minutes: number, lang: Lang): string {
  if (minutes === 24 * 60) return lang === 'ko' ? '자정' : 'midnight';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (lang === 'ko') {
    const half = h < 12 ? '오전' : '오후';
    const h12 = h % 12 === 0 ? 12 : h % 12;
    return `${half} ${h12}시${m ? ` ${m}분` : ''}`;
  }
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}:${String(m).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}

/** Mon–Fri, Sun–Thu, Mon, Wed, Fri; every day as its own word. */
export function formatDays(days: number[], lang: Lang): string {
  const set = new Set(days);
  if (set.size === 7) return lang === 'ko' ? '매일' : 'every day';
  // Runs in circular week order, starting after a gap so Sun–Thu stays one run.
  const start = [1, 2, 3, 4, 5, 6, 7].find((d) => set.has(d) && !set.has(d === 1 ? 7 : d - 1)) ?? 1;
  const order = Array.from({ length: 7 }, (_, i) => ((start - 1 + i) % 7) + 1).filter((d) => set.has(d));
  const runs: number[][] = [];
  for (const d of order) {
    const last = runs[runs.length - 1];
    if (last && (last[last.length - 1] % 7) + 1 === d) last.push(d);
    else runs.push([d]);
  }
  const names = DAY_NAMES[lang];
  return runs
    .map((r) => (r.length === 1 ? names[r[0]] : r.length === 2 ? `${names[r[0]]}, ${names[r[1]]}` : `${names[r[0]]}–${names[r[r.length - 1]]}`))
    .join(', ');
}

function formatWindow(days: number[], open: number, close: number, lang: Lang): string {
  return `${formatDays(days, lang)} ${formatTime(open, lang)}–${formatTime(close, lang)}`;
}

export interface FormattedHours {
  /** The hours in the zone the team keeps them. */
  team: string;
  /** The same hours converted to the viewer's zone, when that differs. */
  viewer?: string;
}

/**
 * Says the hours in words. `reference` picks the week used for converting to the viewer's zone,
 * since the offset between two zones changes with daylight saving.
 */
export interface FormatOptions {
  viewerZone?: string;
  reference?: Date;
  /** The country the hours belong to ("Netherlands"), a better label than a guess from the zone. */
  placeName?: string;
}

/** The team's zone named by the table, else by the entry's country, else by zoneLabel's guess. */
function teamZoneLabel(zone: string, lang: Lang, placeName?: string): string {
  if (ZONE_LABELS[zone] || !placeName) return zoneLabel(zone, lang);
  return lang === 'ko' ? `${placeName} 시간` : `${placeName} time`;
}

export function formatHours(hours: Hours, lang: Lang, options: FormatOptions = {}): FormattedHours {
  if (hours.kind === 'always') return { team: lang === 'ko' ? '연중무휴 24시간(24/7)' : '24 hours a day, 7 days a week (24/7)' };
  if (hours.kind === 'businessHours') {
    const days = formatDays(hours.days, lang);
    return {
      team: lang === 'ko' ? `${days} 업무 시간(${teamZoneLabel(hours.timeZone, lang, options.placeName)})` : `${days} during business hours (${teamZoneLabel(hours.timeZone, lang, options.placeName)})`,
    };
  }
  const localLabel = lang === 'ko' ? '현지 시간' : 'local time';
  const label = hours.callerLocal ? localLabel : teamZoneLabel(hours.timeZone, lang, options.placeName);
  const team = hours.windows.map((w) => formatWindow(w.days, minutesOf(w.open), minutesOf(w.close), lang)).join('; ') + ` (${label})`;
  const viewerZone = options.viewerZone;
  if (!viewerZone || hours.callerLocal || viewerZone === hours.timeZone) return { team };
  const converted = convertWindows(hours.windows, hours.timeZone, viewerZone, options.reference ?? new Date());
  const sameClock = converted.every((c, i) => c.open === minutesOf(hours.windows[i]?.open ?? '') && c.close === minutesOf(hours.windows[i]?.close ?? ''));
  if (sameClock && converted.length === hours.windows.length) return { team };
  const viewer = converted.map((c) => formatWindow(c.days, c.open, c.close, lang)).join('; ') + ` (${zoneLabel(viewerZone, lang)})`;
  return { team, viewer };
}

interface ConvertedWindow {
  days: number[];
  open: number;
  close: number;
}

/** Each window's occurrences in the reference week, re-expressed in another zone and regrouped by clock times. */
export function convertWindows(windows: HoursWindow[], fromZone: string, toZone: string, reference: Date): ConvertedWindow[] {
  const weekStart = DateTime.fromJSDate(reference, { zone: fromZone }).startOf('week');
  const groups = new Map<string, ConvertedWindow>();
  for (const w of windows) {
    const open = minutesOf(w.open);
    const length = (minutesOf(w.close) - open + 24 * 60) % (24 * 60) || 24 * 60;
    for (const day of w.days) {
      const start = weekStart.plus({ days: day - 1, minutes: open }).setZone(toZone);
      const end = weekStart.plus({ days: day - 1, minutes: open + length }).setZone(toZone);
      const startMinute = start.hour * 60 + start.minute;
      let endMinute = end.hour * 60 + end.minute;
      if (endMinute === 0 && end > start) endMinute = 24 * 60;
      const key = `${startMinute}-${endMinute}`;
      const group = groups.get(key) ?? { days: [], open: startMinute, close: endMinute };
      if (!group.days.includes(start.weekday)) group.days.push(start.weekday);
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

/** "Mon 9:00 AM (Sydney time)" / "월 오전 9시 (시드니 시간)": an instant as a weekday and time in a zone. */
export function formatInstant(instant: Date, zone: string, lang: Lang, placeName?: string): string {
  const local = DateTime.fromJSDate(instant, { zone });
  return `${DAY_NAMES[lang][local.weekday]} ${formatTime(local.hour * 60 + local.minute, lang)} (${teamZoneLabel(zone, lang, placeName)})`;
}
