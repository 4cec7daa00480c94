// Replies of the help-search flow: the results card, "nothing found", the answers to "Did this help?",
// and one section shown in full when the reader picks it from a "Did you mean" choice.
import type { Activity } from 'botbuilder';
import { infoCard, SearchChoice, searchResultsCard } from '../../cards';
import type { SupportDirectory } from '../../knowledge/directory';
import type { CloudId } from '../../knowledge/directory/types';
import { t, Locale } from '../../knowledge/i18n';
import type { Analyzer } from '../../knowledge/search/analyzers';
import type { SearchOutcome } from '../../knowledge/search/help-search';
import { snippet, SNIPPET_CHARS } from '../../knowledge/search/snippet';
import { HelpSection, sectionText } from '../../knowledge/search/types';
import { cardReply, suggestion, textReply } from './reply';

/** Longest passage of a section shown when it is opened on its own. */
const FULL_SECTION_CHARS = 1800;
const TOP_SNIPPET_CHARS = 520;

function contactSuggestions(locale: Locale) {
  return [
    suggestion(t(locale, 'suggest.phone'), t(locale, 'ask.phone_number')),
    suggestion(t(locale, 'search.suggest.online'), t(locale, 'ask.online_request')),
  ];
}

export function resultsReply(
  outcome: SearchOutcome,
  searchId: string,
  locale: Locale,
  analyzer: Analyzer,
  cloud?: CloudId,
): Partial<Activity>[] {
  const choices: SearchChoice[] = [];
  if (outcome.close) {
    // Two articles fit equally well: let the reader say which one they meant.
    for (const hit of outcome.hits.slice(0, 2)) {
      choices.push({ title: t(locale, 'search.didYouMean', { title: hit.section.heading }).slice(0, 60), action: 'showSection', searchId, sectionId: hit.section.id });
    }
  }
  choices.unshift(
    { title: t(locale, 'search.yes'), action: 'searchFeedback', searchId, helpful: 'yes' },
    { title: t(locale, 'search.no'), action: 'searchFeedback', searchId, helpful: 'no' },
  );
  const card = searchResultsCard({
    title: t(locale, 'search.title'),
    note: outcome.fellBack ? t(locale, 'search.englishOnly') : undefined,
    readMoreLabel: t(locale, 'search.readMore'),
    question: t(locale, 'search.question'),
    results: outcome.hits.map((hit, i) => ({
      heading: hit.section.heading,
      article: hit.section.articleTitle,
      // The best match gets room for a few steps; the others a taste.
      snippet: snippet(sectionText(hit.section, cloud), hit.matchedTerms, analyzer, i === 0 ? TOP_SNIPPET_CHARS : SNIPPET_CHARS),
      url: hit.section.url,
    })),
    choices,
  });
  return [cardReply(card)];
}

/** Nothing fits: say so, then offer the closest support topics (when unsure what was meant) and contact. */
export function noResultsReply(locale: Locale, topics: { title: string; text: string }[] = []): Partial<Activity>[] {
  const contact = [
    { title: t(locale, 'suggest.phone'), text: t(locale, 'ask.phone_number') },
    { title: t(locale, 'search.suggest.online'), text: t(locale, 'ask.online_request') },
  ];
  const choices = [...topics.filter((c) => !contact.some((k) => k.text === c.text)).slice(0, 2), ...contact];
  const card = infoCard({
    title: t(locale, 'search.none.title'),
    paragraphs: [t(locale, 'search.none.body')],
    bullets: [t(locale, 'search.next.rephrase'), t(locale, 'search.next.contact')],
    suggestions: choices,
  });
  return [cardReply(card, choices.map((c) => suggestion(c.title, c.text)))];
}

export function helpfulReply(locale: Locale): Partial<Activity>[] {
  return [textReply(t(locale, 'search.thanks'))];
}

/** "No": the seed's next steps: service health, a rephrased question, then contacting support. */
export function notHelpfulReply(directory: SupportDirectory, locale: Locale, offerPerson = false): Partial<Activity>[] {
  const health = directory.policy('serviceHealthFirst');
  const online = directory.policy('onlineRequest');
  const card = infoCard({
    title: t(locale, 'search.next.title'),
    paragraphs: [t(locale, 'search.next.body')],
    steps: [t(locale, 'search.next.health'), t(locale, 'search.next.rephrase'), t(locale, 'search.next.contact')],
    bullets: online.steps?.map((s) => s[locale]),
    links: [...health.links, ...online.links].slice(0, 3).map((l) => ({ title: l.title[locale], url: l.url })),
  });
  const person = offerPerson ? [suggestion(t(locale, 'search.suggest.person'), t(locale, 'ask.agent'))] : [];
  return [cardReply(card, [...person, ...contactSuggestions(locale)])];
}

export function sectionReply(section: HelpSection, searchId: string, locale: Locale, cloud?: CloudId): Partial<Activity>[] {
  let text = sectionText(section, cloud);
  if (text.length > FULL_SECTION_CHARS) text = `${text.slice(0, FULL_SECTION_CHARS).replace(/\s+\S*$/, '')}…`;
  const card = searchResultsCard({
    title: section.heading,
    readMoreLabel: t(locale, 'search.readMore'),
    question: t(locale, 'search.question'),
    results: [{ heading: section.articleTitle, article: '', snippet: [{ text, match: false }], url: section.url }],
    choices: [
      { title: t(locale, 'search.yes'), action: 'searchFeedback', searchId, helpful: 'yes' },
      { title: t(locale, 'search.no'), action: 'searchFeedback', searchId, helpful: 'no' },
    ],
  });
  return [cardReply(card)];
}

export function sectionGoneReply(locale: Locale): Partial<Activity>[] {
  return [textReply(t(locale, 'search.sectionGone'))];
}
