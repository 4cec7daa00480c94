// "My requests", "status of 2026-000123", "cancel request 2026-000123", "add a note to 2026-000123: …".
// Only for a verified admin of the owning organisation; another organisation's number gets the same
// answer as a number that doesn't exist.
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './botbuilder-dialogs-parts';
import { formatInstant } from '../knowledge/directory';
import { localeOf, Locale, t } from '../knowledge/i18n';
import { RequestError, ServiceRequest } from '../bot/requests/requests';
import { infoCard } from '../cards';
import { cardReply, textReply } from './answers/reply';
import { DialogServices, userTimeZoneOf } from './services';
import { VerifyDialog, VerifyResult, verifiedOrganisationStep } from './verify-dialog';

export const MY_REQUESTS_DIALOG = 'MyRequestsDialog';
const STEPS = 'myRequestsSteps';

export type RequestCommand =
  | { kind: 'list' }
  | { kind: 'status'; number: string }
  | { kind: 'cancel'; number: string }
  | { kind: 'note'; number: string; note: string };

const NUMBER = /\b(\d{4}-\d{6})\b/;

/** Reads a request command from what the user typed, or undefined when it is something else. */
export function requestCommand(text: string): RequestCommand | undefined {
  const trimmed = text.trim();
  if (/^(my requests|my tickets|show my requests|list my requests|내 요청|내 요청 목록|요청 목록)\s*[.!?]?$/i.test(trimmed)) return { kind: 'list' };
  const number = NUMBER.exec(trimmed)?.[1];
  if (!number) return undefined;
  const note = /^(?:add (?:a )?note(?: to)?|note(?: for)?|메모 추가|메모)\s*\d{4}-\d{6}\s*[:：]\s*([\s\S]{1,2000})$/i.exec(trimmed)?.[1];
  if (note) return { kind: 'note', number, note: note.trim() };
  if (/^(cancel|close|withdraw)\b.*request|요청\s*\d{4}-\d{6}\s*(취소|철회)|^(취소|철회)/i.test(trimmed)) return { kind: 'cancel', number };
  if (/status|where is|update on|상태|진행|어떻게 됐/i.test(trimmed) || trimmed === number) return { kind: 'status', number };
  return undefined;
}

export class MyRequestsDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(MY_REQUESTS_DIALOG);
    this.addDialog(new VerifyDialog(services));
    this.addDialog(new WaterfallDialog(STEPS, [(step: WaterfallStepContext) => verifiedOrganisationStep(step, this.services), this.act.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private locale(context: TurnContext): Locale {
    return localeOf(context.activity, this.services.defaultLocale);
  }

  private async act(step: WaterfallStepContext<RequestCommand>): Promise<DialogTurnResult> {
    const context = step.context;
    const locale = this.locale(context);
    const organisationId = (step.result as VerifyResult | undefined)?.organisationId;
    if (!organisationId) {
      await context.sendActivity(textReply(t(locale, 'request.needVerify')));
      return step.endDialog();
    }
    const { store } = this.services.requests;
    const command = step.options;
    const zone = userTimeZoneOf(context) ?? 'UTC';
    if (command.kind === 'list') {
      const mine = await store.listForOrganisation(organisationId, 10);
      if (mine.length === 0) await context.sendActivity(textReply(t(locale, 'requests.none')));
      else await context.sendActivities(listReply(mine, locale, zone));
      return step.endDialog();
    }
    const request = await store.get(command.number, organisationId);
    if (!request) {
      await context.sendActivity(textReply(t(locale, 'requests.notFound', { number: command.number })));
      return step.endDialog();
    }
    try {
      if (command.kind === 'cancel') await store.setStatus(request.number, 'cancelled', `requester:${context.activity.from?.id ?? ''}`);
      if (command.kind === 'note') await store.addNote(request.number, `requester:${context.activity.from?.id ?? ''}`, command.note);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      await context.sendActivity(textReply(t(locale, 'requests.cannotChange', { number: request.number, status: t(locale, `requests.status.${request.status}`) })));
      return step.endDialog();
    }
    const latest = (await store.get(request.number, organisationId))!;
    const heading = command.kind === 'cancel' ? 'requests.cancelled' : command.kind === 'note' ? 'requests.noted' : 'requests.statusOf';
    await context.sendActivities(statusReply(latest, t(locale, heading, { number: latest.number }), locale, zone));
    return step.endDialog();
  }
}

export function statusReply(request: ServiceRequest, title: string, locale: Locale, zone: string) {
  const card = infoCard({
    title,
    paragraphs: [request.description.length > 300 ? `${request.description.slice(0, 300)}…` : request.description],
    facts: [
      { title: t(locale, 'requests.field.status'), value: t(locale, `requests.status.${request.status}`) },
      { title: t(locale, 'request.created.severity'), value: t(locale, `request.severity.${request.severity}`) },
      { title: t(locale, 'request.label.category'), value: t(locale, `request.category.${request.category}`) },
      { title: t(locale, 'request.created.due'), value: formatInstant(new Date(request.firstResponseDue), zone, locale) },
      { title: t(locale, 'requests.field.opened'), value: formatInstant(new Date(request.createdAt), zone, locale) },
    ],
  });
  return [cardReply(card)];
}

function listReply(requests: ServiceRequest[], locale: Locale, zone: string) {
  const card = infoCard({
    title: t(locale, 'requests.title'),
    paragraphs: [],
    bullets: requests.map(
      (r) => `${r.number} · ${t(locale, `requests.status.${r.status}`)} · ${t(locale, `request.severity.${r.severity}`)} · ${t(locale, 'request.created.due')} ${formatInstant(new Date(r.firstResponseDue), zone, locale)}`,
    ),
  });
  return [cardReply(card)];
}
