// Replies about the conversation itself: welcome, help, greeting, thanks, cancel, asking back.
import type { Activity } from 'botbuilder';
import { InputHints } from 'botbuilder';
import { clarifyCard, infoCard } from '../../cards';
import { t, Locale } from '../../knowledge/i18n';
import type { Intent, Understanding } from '../../knowledge/nlu';
import { cardReply, suggestion, textReply } from './reply';

/** Topics offered when the bot is unsure; in order of how often admins ask. */
const TOPICS: Intent[] = [
  'phone_number',
  'hours',
  'pin_verification',
  'online_request',
  'severity_response',
  'partner',
  'not_admin',
  'service_health',
  'community',
];

export function welcome(locale: Locale): Partial<Activity>[] {
  const card = infoCard({
    title: t(locale, 'welcome.title'),
    paragraphs: [t(locale, 'welcome.body')],
    bullets: ['phone', 'hours', 'pin', 'severity', 'rules'].map((k) => t(locale, `welcome.can.${k}`)),
    suggestions: [
      { title: t(locale, 'suggest.phone'), text: t(locale, 'ask.phone_number') },
      { title: t(locale, 'suggest.hours'), text: t(locale, 'ask.hours') },
      { title: t(locale, 'suggest.pin'), text: t(locale, 'ask.pin_verification') },
    ],
  });
  return [cardReply(card)];
}

export function help(locale: Locale): Partial<Activity>[] {
  const examples = ['phone', 'hours', 'pin', 'severity', 'partner'].map((k) => t(locale, `help.example.${k}`));
  const card = infoCard({
    title: t(locale, 'help.title'),
    paragraphs: [t(locale, 'help.body')],
    bullets: examples,
    footer: t(locale, 'help.footer'),
    suggestions: examples.slice(0, 3).map((e) => ({ title: e, text: e })),
  });
  return [cardReply(card, examples.slice(0, 3).map((e) => suggestion(e)))];
}

export function greeting(locale: Locale): Partial<Activity>[] {
  return [textReply(t(locale, 'greeting'), [suggestion(t(locale, 'suggest.phone'), t(locale, 'ask.phone_number')), suggestion(t(locale, 'suggest.hours'), t(locale, 'ask.hours'))])];
}

export const thanks = (locale: Locale): Partial<Activity>[] => [textReply(t(locale, 'thanks'))];
export const cancelled = (locale: Locale): Partial<Activity>[] => [textReply(t(locale, 'cancelled'))];
export const emptyMessage = (locale: Locale): Partial<Activity>[] => [textReply(t(locale, 'message.empty'))];

/** Low confidence: offer the likeliest topics instead of answering the wrong question confidently. */
export function clarify(locale: Locale, understood: Understanding): Partial<Activity>[] {
  const choices = clarifyChoices(locale, understood);
  const card = clarifyCard({ question: t(locale, 'clarify.question'), choices });
  return [cardReply(card, choices.map((c) => suggestion(c.title, c.text)))];
}

/** The support topics closest to what the classifier guessed, as choices to offer. */
export function clarifyChoices(locale: Locale, understood: Understanding): { title: string; text: string }[] {
  const ranked = [understood.intent, ...understood.alternatives.map((a) => a.intent)];
  const picked: Intent[] = [];
  for (const intent of [...ranked, ...TOPICS]) {
    if (TOPICS.includes(intent) && !picked.includes(intent)) picked.push(intent);
    if (picked.length === 4) break;
  }
  return picked.map((intent) => ({ title: t(locale, `topic.${intent}`), text: t(locale, `ask.${intent}`) }));
}

export function askCountry(locale: Locale): Partial<Activity>[] {
  const examples = locale === 'ko' ? ['미국', '영국', '오스트레일리아', '대한민국', '일본'] : ['United States', 'United Kingdom', 'Australia', 'Canada', 'India'];
  return [textReply(t(locale, 'country.question'), examples.map((e) => suggestion(e)), InputHints.ExpectingInput)];
}

export const countryNotRecognised = (locale: Locale): Partial<Activity>[] => [textReply(t(locale, 'country.notRecognised'))];

export function other(locale: Locale): Partial<Activity>[] {
  const card = infoCard({
    title: t(locale, 'other.title'),
    paragraphs: [t(locale, 'other.body')],
    links: [{ title: t(locale, 'link.adminCenter'), url: 'https://admin.microsoft.com/Adminportal/Home#/support' }],
    suggestions: TOPICS.slice(0, 3).map((intent) => ({ title: t(locale, `topic.${intent}`), text: t(locale, `ask.${intent}`) })),
  });
  return [cardReply(card)];
}
