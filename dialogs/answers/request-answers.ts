// Replies of the request flow: the partner note, known issues, the form, refusals and the confirmation.
import type { Activity } from 'botbuilder';
import { infoCard, requestFormCard } from '../../cards';
import type { SupportDirectory } from '../../knowledge/directory';
import { formatInstant } from '../../knowledge/directory';
import { t, Locale } from '../../knowledge/i18n';
import type { Organisation } from '../../bot/orgs/organisations';
import { CATEGORIES, CONTACT_METHODS, ServiceRequest } from '../../bot/requests/requests';
import { cardReply, suggestion, textReply } from './reply';
import { contactsForQuestion } from './contact-answers';

export interface KnownIssue {
  id: string;
  title: string;
  titleKo?: string;
  service: string;
  status: string;
  start: Date;
  impact: string;
  impactKo?: string;
}

export type FormValues = Record<'description' | 'category' | 'severity' | 'phone' | 'email' | 'method', string>;

const FIELDS = ['description', 'category', 'severity', 'phone', 'email', 'method'] as const;

export function partnerReply(org: Organisation, locale: Locale): Partial<Activity>[] {
  if (org.purchase.via !== 'partner') return [];
  const { partnerName, partnerContact } = org.purchase;
  const card = infoCard({
    title: t(locale, 'request.partner.title'),
    paragraphs: [t(locale, 'request.partner.body', { organisation: org.name, partner: partnerName, contact: partnerContact })],
    suggestions: [
      { title: t(locale, 'request.partner.continue'), text: t(locale, 'request.partner.continue') },
      { title: t(locale, 'request.partner.stop'), text: t(locale, 'request.partner.stop') },
    ],
  });
  return [cardReply(card, [suggestion(t(locale, 'request.partner.continue')), suggestion(t(locale, 'request.partner.stop'))])];
}

export function knownIssuesReply(issues: KnownIssue[], locale: Locale): Partial<Activity>[] {
  const title = (i: KnownIssue) => (locale === 'ko' && i.titleKo) || i.title;
  const choices = issues.slice(0, 3).map((i) => ({ title: t(locale, 'request.health.mine', { title: title(i) }).slice(0, 80), text: `#issue ${i.id}` }));
  choices.push({ title: t(locale, 'request.health.none'), text: t(locale, 'request.health.none') });
  const card = infoCard({
    title: t(locale, 'request.health.title'),
    paragraphs: [t(locale, 'request.health.body')],
    bullets: issues.slice(0, 3).map((i) => `${i.service}: ${title(i)} (${i.id})`),
    suggestions: choices,
  });
  return [cardReply(card, choices.map((c) => suggestion(c.title, c.text)))];
}

export function matchedIssueReply(issue: KnownIssue, locale: Locale, zone?: string): Partial<Activity>[] {
  const text = t(locale, 'request.health.matched', {
    service: issue.service,
    title: (locale === 'ko' && issue.titleKo) || issue.title,
    status: issue.status,
    start: formatInstant(issue.start, zone ?? 'UTC', locale),
    impact: (locale === 'ko' && issue.impactKo) || issue.impact,
  });
  return [textReply(text)];
}

export function formReply(locale: Locale, directory: SupportDirectory, values: FormValues, errors: Partial<Record<string, string>> = {}, problem?: string): Partial<Activity>[] {
  const policy = directory.severityPolicy;
  const card = requestFormCard({
    title: t(locale, 'request.form.title'),
    intro: t(locale, 'request.form.intro'),
    problem: problem ?? (Object.keys(errors).length ? t(locale, 'request.form.problem') : undefined),
    submit: t(locale, 'request.form.submit'),
    labels: Object.fromEntries(FIELDS.map((f) => [f, t(locale, `request.label.${f}`)])) as FormValues,
    errors: Object.fromEntries(FIELDS.map((f) => [f, t(locale, errors[f] ?? `request.error.${f}.invalid`)])) as FormValues,
    values,
    categories: CATEGORIES.map((c) => ({ title: t(locale, `request.category.${c}`), value: c })),
    severities: policy.severities.map((s) => ({ title: t(locale, `request.severity.${s.id}`), value: s.id })),
    severityHelp: policy.severities.map((s) => `${s.name[locale]}: ${s.definition[locale]}`),
    methods: CONTACT_METHODS.map((m) => ({ title: t(locale, `request.method.${m}`), value: m })),
  });
  return [cardReply(card)];
}

export interface WaitView {
  minutes: number;
  opensAt?: Date;
}

export function createdReply(request: ServiceRequest, org: Organisation, directory: SupportDirectory, wait: WaitView, locale: Locale, zone?: string): Partial<Activity>[] {
  const viewerZone = zone ?? 'UTC';
  const waitText = !Number.isFinite(wait.minutes)
    ? t(locale, 'request.wait.unknown')
    : wait.opensAt
      ? t(locale, 'request.wait.closed', { opens: formatInstant(wait.opensAt, viewerZone, locale), minutes: wait.minutes })
      : t(locale, 'request.wait.minutes', { minutes: wait.minutes });
  const contacts = contactsForQuestion(directory, { country: org.country, cloud: org.cloud === 'worldwide' ? undefined : org.cloud });
  const phone = contacts.flatMap((c) => c.numbers).find((n) => n.kind === 'main');
  const facts = [
    { title: t(locale, 'request.created.number'), value: request.number },
    { title: t(locale, 'request.created.severity'), value: t(locale, `request.severity.${request.severity}`) },
    { title: t(locale, 'request.created.due'), value: formatInstant(new Date(request.firstResponseDue), viewerZone, locale) },
    { title: t(locale, 'request.created.wait'), value: waitText },
    ...(phone ? [{ title: t(locale, 'request.created.phone'), value: phone.display }] : []),
  ];
  const card = infoCard({
    title: t(locale, 'request.created.title', { number: request.number }),
    paragraphs: [t(locale, 'request.created.body', { method: t(locale, `request.method.${request.method}`) })],
    facts,
    footer: t(locale, 'request.created.ready'),
    links: phone ? [{ title: phone.display, url: `tel:${phone.dial}` }] : [],
  });
  return [cardReply(card)];
}
