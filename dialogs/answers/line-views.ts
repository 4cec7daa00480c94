// Turns directory entries into the view models the contact and hours cards show: localized labels,
// hours in the team's and the user's zones, and whether each line is open now.
import type { ContactSectionView, PhoneLineView, PhoneNumberView } from '../../cards';
import {
  ContactPoint,
  effectiveZone,
  formatHours,
  formatInstant,
  isOpenAt,
  nextOpening,
  ServiceLine,
  SupportType,
} from '../../knowledge/directory';
import { has, t, Locale } from '../../knowledge/i18n';
import { countryName } from '../../knowledge/nlu';

export interface ViewContext {
  locale: Locale;
  now: Date;
  userTimeZone?: string;
  supportType?: SupportType;
  /** The country the lines belong to, for naming their time zone. */
  placeName?: string;
}

const SEP = ' · ';

export function languageNames(codes: string[], locale: Locale): string {
  return codes.map((c) => (has(locale, `language.${c}`) ? t(locale, `language.${c}`) : c.toUpperCase())).join(', ');
}

export function lineView(line: ServiceLine, ctx: ViewContext): PhoneLineView {
  const { locale } = ctx;
  const parts = [t(locale, `supportType.${line.supportType}`)];
  if (line.severities) parts.push(t(locale, 'hours.heading.severity', { ids: line.severities.join('/') }));
  if (line.plan) parts.push(line.plan[locale]);
  if (line.channel === 'online') parts.push(t(locale, 'hours.online'));
  parts.push(languageNames(line.languages, locale));
  const formatted = formatHours(line.hours, locale, { viewerZone: ctx.userTimeZone, reference: ctx.now, placeName: ctx.placeName });
  const open = isOpenAt(line.hours, ctx.now, ctx.userTimeZone);
  let status: string | undefined;
  if (open === true) status = t(locale, 'contact.openNow');
  else if (open === false) {
    const next = nextOpening(line.hours, ctx.now, ctx.userTimeZone);
    const zone = ctx.userTimeZone ?? effectiveZone(line.hours, ctx.userTimeZone) ?? 'UTC';
    const place = ctx.userTimeZone ? undefined : ctx.placeName;
    status = next ? t(locale, 'contact.closedUntil', { when: formatInstant(next, zone, locale, place) }) : t(locale, 'contact.closed');
  }
  return { heading: parts.join(SEP), team: formatted.team, viewer: formatted.viewer, status, open };
}

/** Lines of the asked-for support type first; all lines when none match. */
export function relevantLines(lines: ServiceLine[], supportType?: SupportType): ServiceLine[] {
  if (!supportType) return lines;
  const wanted = supportType === 'subscription' ? ['subscription', 'billing'] : [supportType];
  const matching = lines.filter((l) => wanted.includes(l.supportType));
  return matching.length ? matching : lines;
}

export function numberView(contact: ContactPoint, ctx: ViewContext): PhoneNumberView[] {
  const { locale } = ctx;
  return contact.numbers.map((n) => {
    const caption = [n.kind === 'alternative' ? t(locale, 'contact.alternative') : '', n.label?.[locale] ?? '', ...(n.notes ?? []).map((x) => x[locale])]
      .filter(Boolean)
      .join(SEP);
    return { display: n.display, dial: n.dial, caption: caption || undefined, callTitle: t(locale, 'contact.call', { number: n.display }) };
  });
}

/** Lines of a single-country entry name their zone after that country. */
export function withPlace(contact: ContactPoint, ctx: ViewContext): ViewContext {
  return contact.countries.length === 1 && contact.source === 'country-page' ? { ...ctx, placeName: countryName(contact.countries[0], ctx.locale) } : ctx;
}

export function sectionView(contact: ContactPoint, base: ViewContext): ContactSectionView {
  const ctx = withPlace(contact, base);
  return {
    market: contact.market[ctx.locale],
    appliesTo: contact.appliesTo[ctx.locale],
    numbers: numberView(contact, ctx),
    lines: relevantLines(contact.lines, ctx.supportType).map((l) => lineView(l, ctx)),
    notes: contact.notes.map((n) => n[ctx.locale]),
  };
}
