// Phone numbers, hours and languages, from the support directory.
import type { Activity } from 'botbuilder';
import { contactCard, escapeMarkdown, hoursCard, HoursSectionView, infoCard } from '../../cards';
import type { CloudId, ContactPoint, Hours, SupportDirectory } from '../../knowledge/directory';
import { t, Locale } from '../../knowledge/i18n';
import { countryName, Entities } from '../../knowledge/nlu';
import { cardReply } from './reply';
import { lineView, relevantLines, sectionView, ViewContext, withPlace } from './line-views';

export interface AnswerRequest {
  locale: Locale;
  entities: Entities;
  userTimeZone?: string;
}

/**
 * The directory entries a question is about. A cloud named in the question wins over the country:
 * an Office 365 Germany tenant in Austria calls the EEA number, a 21Vianet tenant calls 21Vianet.
 */
export function contactsForQuestion(directory: SupportDirectory, entities: Entities): ContactPoint[] {
  const { country, cloud } = entities;
  if (cloud === '21vianet') return directory.contactsInCloud('21vianet');
  if (cloud === 'germany') {
    const local = country && country !== 'DE' ? directory.contactsFor(country, 'germany') : directory.contactsFor('DE', 'germany');
    return local.length ? local : directory.contactsInCloud('germany');
  }
  if (!country) return [];
  const all = directory.contactsFor(country);
  // With no cloud named, most callers are worldwide tenants. Another cloud's entry is shown beside
  // the worldwide one only when it is that country's own (Germany, China), never a regional
  // number such as Office 365 Germany's line for the rest of the EEA.
  if (!all.some((c) => c.cloud === 'worldwide')) return all;
  return all.filter((c) => c.cloud === 'worldwide' || c.countries.length === 1);
}

function viewContext(request: AnswerRequest, now: Date): ViewContext {
  return { locale: request.locale, now, userTimeZone: request.userTimeZone, supportType: request.entities.supportType };
}

function titleFor(contacts: ContactPoint[], locale: Locale, key: 'contact' | 'hours'): string {
  const markets = [...new Set(contacts.map((c) => c.market[locale]))];
  return markets.length === 1 ? t(locale, `${key}.title`, { market: markets[0] }) : t(locale, `${key}.title.generic`);
}

export function phoneAnswer(directory: SupportDirectory, request: AnswerRequest, now: Date): Partial<Activity>[] {
  const { locale } = request;
  const contacts = contactsForQuestion(directory, request.entities);
  if (!contacts.length) return unknownCountry(directory, request);
  const pin = directory.policy('pinVerification');
  const card = contactCard({
    title: titleFor(contacts, locale, 'contact'),
    sections: contacts.map((c) => sectionView(c, viewContext(request, now))),
    pinTitle: t(locale, 'contact.pinTitle'),
    pinNote: pin.paragraphs[0][locale],
    prepare: t(locale, 'contact.prepare'),
    suggestions: [
      { title: t(locale, 'suggest.request'), text: t(locale, 'ask.online_request') },
      { title: t(locale, 'suggest.pin'), text: t(locale, 'ask.pin_verification') },
    ],
  });
  return [cardReply(card)];
}

/** No number for that country: say so, and how to find it. Never another country's number. */
export function unknownCountry(directory: SupportDirectory, request: AnswerRequest): Partial<Activity>[] {
  const { locale, entities } = request;
  const country = entities.country ? countryName(entities.country, locale) : escapeMarkdown(entities.countryText ?? '?');
  const card = infoCard({
    title: t(locale, 'country.unknown.title', { country }),
    paragraphs: [t(locale, 'country.unknown.body', { country }), t(locale, 'country.unknown.find')],
    links: [
      { title: t(locale, 'country.unknown.link'), url: directory.countryListUrl },
      { title: t(locale, 'country.unknown.request'), url: directory.policy('onlineRequest').links[0].url },
    ],
  });
  return [cardReply(card)];
}

// Worldwide phone support as the seed states it, for hours questions that name no country.
function generalHoursSection(request: AnswerRequest, now: Date): HoursSectionView {
  const billing: Hours = { kind: 'weekly', timeZone: request.userTimeZone ?? 'UTC', callerLocal: true, windows: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }] };
  const ctx = viewContext(request, now);
  const lines = relevantLines(
    [
      { supportType: 'billing', languages: ['en'], hours: billing },
      { supportType: 'technical', languages: ['en'], hours: { kind: 'always' } },
    ],
    request.entities.supportType,
  );
  return { heading: t(request.locale, 'contact.market.generalHours'), lines: lines.map((l) => lineView(l, ctx)) };
}

export function hoursAnswer(directory: SupportDirectory, request: AnswerRequest, now: Date): Partial<Activity>[] {
  const { locale, entities } = request;
  const ctx = viewContext(request, now);
  let contacts = contactsForQuestion(directory, entities);
  // Severity-based hours exist only for 21Vianet.
  if (!contacts.length && entities.severity) contacts = directory.contactsInCloud('21vianet');
  if (entities.severity || entities.cloud === '21vianet') contacts = preferSeed(contacts, entities.severity ? '21vianet' : undefined);
  if (entities.country && !contacts.length) return unknownCountry(directory, request);

  const sections: HoursSectionView[] = contacts.length
    ? contacts.map((c) => {
        let lines = relevantLines(c.lines, entities.supportType);
        if (entities.severity) {
          const forSeverity = lines.filter((l) => l.severities?.includes(entities.severity!));
          if (forSeverity.length) lines = forSeverity;
        }
        const placed = withPlace(c, ctx);
        return { heading: c.market[locale], appliesTo: c.appliesTo[locale], lines: lines.map((l) => lineView(l, placed)) };
      })
    : [generalHoursSection(request, now)];
  const notes = contacts.length
    ? contacts.flatMap((c) => c.notes.map((n) => n[locale]))
    : [directory.policy('generalHours').paragraphs[0][locale], t(locale, 'hours.note.generic')];
  const card = hoursCard({
    title: contacts.length ? titleFor(contacts, locale, 'hours') : t(locale, 'hours.title.generic'),
    sections,
    notes: [...new Set(notes)],
    suggestions: [{ title: t(locale, 'suggest.phone'), text: t(locale, 'ask.phone_number') }],
  });
  return [cardReply(card)];
}

/** Where the seed and a country page both describe a cloud, a severity question follows the seed. */
function preferSeed(contacts: ContactPoint[], cloud?: CloudId): ContactPoint[] {
  const seed = contacts.filter((c) => c.source === 'seed' && (!cloud || c.cloud === cloud));
  return seed.length ? seed : contacts;
}
