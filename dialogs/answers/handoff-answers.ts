// What the user sees around a handoff: the queue card (position and expected wait, kept current),
// the closed-queue offer of a callback, and the short notes when an agent joins, leaves or ends.
import type { Activity } from 'botbuilder';
import { infoCard } from '../../cards';
import { formatInstant } from '../../knowledge/directory/hours';
import { t, Locale } from '../../knowledge/i18n';
import { cardReply, textReply } from './reply';

export interface QueueCardView {
  position: number;
  /** Whole minutes; Infinity when no agent is online. */
  waitMinutes: number;
  opensAt?: Date;
  queueLabel: string;
  requestNumber?: string;
}

export const LEAVE_QUEUE_TEXT: Record<Locale, string> = { en: 'cancel', ko: '취소' };

export function queueLabel(queue: string, locale: Locale): string {
  const [cloud, category, language] = queue.split(':');
  return t(locale, 'handoff.queueLabel', {
    category: t(locale, `request.category.${category}`),
    language: t(locale, `handoff.language.${language}`),
    cloud: t(locale, `handoff.cloud.${cloud}`),
  });
}

function waitText(view: QueueCardView, locale: Locale, zone: string): string {
  if (view.opensAt) return t(locale, 'request.wait.closed', { opens: formatInstant(view.opensAt, zone, locale), minutes: view.waitMinutes });
  if (!Number.isFinite(view.waitMinutes)) return t(locale, 'handoff.wait.noAgents');
  if (view.waitMinutes < 1) return t(locale, 'handoff.wait.now');
  return t(locale, 'request.wait.minutes', { minutes: view.waitMinutes });
}

export function queueCardReply(view: QueueCardView, locale: Locale, zone = 'UTC'): Partial<Activity> {
  const card = infoCard({
    title: t(locale, 'handoff.queue.title'),
    paragraphs: [t(locale, 'handoff.queue.body')],
    facts: [
      { title: t(locale, 'handoff.queue.position'), value: String(view.position) },
      { title: t(locale, 'handoff.queue.wait'), value: waitText(view, locale, zone) },
      { title: t(locale, 'handoff.queue.queue'), value: view.queueLabel },
      ...(view.requestNumber ? [{ title: t(locale, 'request.created.number'), value: view.requestNumber }] : []),
    ],
    footer: t(locale, 'handoff.queue.footer'),
    suggestions: [{ title: t(locale, 'handoff.queue.leave'), text: LEAVE_QUEUE_TEXT[locale] }],
  });
  return cardReply(card);
}

/** The queue card once someone took the conversation: no more position, no leave button. */
export function connectedCardReply(agentName: string, locale: Locale): Partial<Activity> {
  return cardReply(infoCard({ title: t(locale, 'handoff.connected.title', { agent: agentName }), paragraphs: [t(locale, 'handoff.connected.body')] }));
}

export function leftQueueCardReply(locale: Locale): Partial<Activity> {
  return cardReply(infoCard({ title: t(locale, 'handoff.left.title'), paragraphs: [t(locale, 'handoff.left.body')] }));
}

export const CALLBACK_CHOICE: Record<Locale, string> = { en: 'request a callback', ko: '콜백 요청' };
export const WAIT_CHOICE: Record<Locale, string> = { en: 'wait for an agent', ko: '상담원 기다리기' };

/** Outside the queue's hours: when it opens, and a callback instead of waiting. */
export function closedOfferReply(opensAt: Date | undefined, locale: Locale, queueZone = 'UTC', userZone?: string): Partial<Activity>[] {
  // In the queue's own time, and in the user's too when the channel says where they are.
  const when = opensAt ? [queueZone, ...(userZone && userZone !== queueZone ? [userZone] : [])].map((z) => formatInstant(opensAt, z, locale)).join(' / ') : '';
  const card = infoCard({
    title: t(locale, 'handoff.closed.title'),
    paragraphs: [opensAt ? t(locale, 'handoff.closed.opens', { opens: when }) : t(locale, 'handoff.closed.never'), t(locale, 'handoff.closed.body')],
    suggestions: [
      { title: t(locale, 'handoff.closed.callback'), text: CALLBACK_CHOICE[locale] },
      { title: t(locale, 'handoff.closed.wait'), text: WAIT_CHOICE[locale] },
    ],
  });
  return [cardReply(card)];
}

export function handoffNote(key: string, locale: Locale, params: Record<string, string | number> = {}): Partial<Activity> {
  return textReply(t(locale, key, params));
}
