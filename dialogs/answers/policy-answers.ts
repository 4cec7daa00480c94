// Answers that are rules rather than numbers: PIN, partner, non-admin, service health, online
// requests, community, 21Vianet scope, severity A eligibility and the severity levels.
import type { Activity } from 'botbuilder';
import { infoCard, severityCard } from '../../cards';
import type { Policy, PolicyId, SupportDirectory, Severity } from '../../knowledge/directory';
import { formatHours } from '../../knowledge/directory';
import { t, Locale } from '../../knowledge/i18n';
import type { Entities } from '../../knowledge/nlu';
import { cardReply } from './reply';

export function policyAnswer(directory: SupportDirectory, id: PolicyId, locale: Locale, extra: string[] = []): Partial<Activity>[] {
  const policy: Policy = directory.policy(id);
  const card = infoCard({
    title: policy.title[locale],
    paragraphs: [...policy.paragraphs.map((p) => p[locale]), ...extra],
    steps: policy.steps?.map((s) => s[locale]),
    bullets: policy.bullets?.map((b) => b[locale]),
    links: policy.links.map((l) => ({ title: l.title[locale], url: l.url })),
  });
  return [cardReply(card)];
}

function responseTarget(severity: Severity, locale: Locale): string {
  const { amount, unit } = severity.initialResponse;
  const key = unit === 'hour' ? (amount === 1 ? 'duration.hour' : 'duration.hours') : amount === 1 ? 'duration.businessDay' : 'duration.businessDays';
  return t(locale, key, { n: amount });
}

export function severityAnswer(directory: SupportDirectory, entities: Entities, locale: Locale): Partial<Activity>[] {
  const policy = directory.severityPolicy;
  // The asked-about severity comes first, so its target leads the plain text too.
  const ordered = [...policy.severities].sort((a, b) => Number(b.id === entities.severity) - Number(a.id === entities.severity));
  const card = severityCard({
    title: t(locale, 'severity.title'),
    severities: ordered.map((s) => ({
      name: s.name[locale],
      definition: s.definition[locale],
      examples: s.examples.map((e) => e[locale]),
      response: `${responseTarget(s, locale)}. ${s.followUp[locale]}`,
      workingHours: formatHours(s.workingHours, locale).team,
      responsibilities: s.customerResponsibilities[locale],
      highlighted: s.id === entities.severity,
    })),
    notes: [policy.eligibility[locale], t(locale, 'severity.billingCap'), policy.downgrade[locale]],
    labels: {
      response: t(locale, 'severity.response'),
      workingHours: t(locale, 'severity.workingHours'),
      examples: t(locale, 'severity.examples'),
      responsibilities: t(locale, 'severity.responsibilities'),
      notes: t(locale, 'severity.notes'),
    },
    suggestions: [{ title: t(locale, 'topic.severity_a_eligibility'), text: t(locale, 'ask.severity_a_eligibility') }],
  });
  return [cardReply(card)];
}

export function eligibilityAnswer(directory: SupportDirectory, locale: Locale): Partial<Activity>[] {
  const policy = directory.severityPolicy;
  const card = infoCard({
    title: t(locale, 'eligibility.title'),
    paragraphs: [policy.eligibility[locale], t(locale, 'severity.billingCap'), policy.downgrade[locale]],
    suggestions: [{ title: t(locale, 'topic.severity_response'), text: t(locale, 'ask.severity_response') }],
  });
  return [cardReply(card)];
}
