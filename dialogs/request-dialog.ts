// The seed's "Contact support" path: a verified admin, the partner note for partner-bought
// subscriptions, known service issues first, then one form (description, category, severity,
// contacts, contact method). "Contact me" creates the request once, however often the activity is
// delivered, and the confirmation shows its number, first-response time and expected wait.
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './botbuilder-dialogs-parts';
import type { CloudId, Hours, ResponseTarget, SupportDirectory } from '../knowledge/directory';
import { localeOf, Locale, t } from '../knowledge/i18n';
import type { Organisation } from '../bot/orgs/organisations';
import { Category, QueueSettings, RequestStore, severityRefusal, validateForm } from '../bot/requests/requests';
import * as replies from './answers/request-answers';
import { textReply } from './answers/reply';
import { withStatusRefresh } from '../cards';
import { DialogServices, userTimeZoneOf } from './services';
import { pinScope, VerifyDialog, VerifyResult, verifiedOrganisationStep } from './verify-dialog';
import { channelShowsCards, RequestPromptsDialog, REQUEST_PROMPTS_DIALOG } from './request-prompts-dialog';

export const REQUEST_DIALOG = 'RequestDialog';
const STEPS = 'requestSteps';
const FORM_STEPS = 'requestFormSteps';

/** What the request flow needs besides identity. */
export interface RequestServices {
  store: RequestStore;
  health: { active(cloud?: CloudId): Promise<replies.KnownIssue[]> };
  directory: SupportDirectory;
  queue: QueueSettings;
  clock: () => Date;
}

export interface RequestResult {
  rerouteText?: string;
  number?: string;
  /** Severity A: the caller hands the conversation to a person as well. */
  severityA?: boolean;
}

interface FormState {
  organisationId: string;
  values: replies.FormValues;
}

const ISSUE_CHOICE = /^#issue\s+(\S{1,64})$/;

/**
 * The response target and the hours it counts in. The seed publishes targets for 21Vianet only;
 * other clouds use the same targets, counted in the country line's hours for the category.
 */
export function queuePlan(directory: SupportDirectory, org: Organisation, category: Category, severityId: 'A' | 'B' | 'C'): { target: ResponseTarget; hours: Hours } {
  const severity = directory.severityPolicy.severities.find((s) => s.id === severityId)!;
  if (severityId === 'A') return { target: severity.initialResponse, hours: { kind: 'always' } };
  if (org.cloud === '21vianet') return { target: severity.initialResponse, hours: severity.workingHours };
  const supportType = category === 'technical' ? 'technical' : 'billing';
  const line = directory
    .contactsFor(org.country, org.cloud === 'worldwide' ? undefined : org.cloud)
    .flatMap((c) => c.lines)
    .find((l) => l.supportType === supportType && l.channel !== 'online');
  return { target: severity.initialResponse, hours: line?.hours ?? { kind: 'always' } };
}

export class RequestDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(REQUEST_DIALOG);
    this.addDialog(new VerifyDialog(services));
    this.addDialog(new RequestPromptsDialog(services));
    this.addDialog(
      new WaterfallDialog(STEPS, [
        (step: WaterfallStepContext) => verifiedOrganisationStep(step, this.services),
        this.afterIdentify.bind(this),
        this.afterPartner.bind(this),
        this.afterHealth.bind(this),
        this.finish.bind(this),
      ]),
    );
    this.addDialog(new WaterfallDialog(FORM_STEPS, [this.showForm.bind(this), this.submit.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private locale(context: TurnContext): Locale {
    return localeOf(context.activity, this.services.defaultLocale);
  }

  private async organisation(step: WaterfallStepContext): Promise<Organisation | undefined> {
    const id = (step.values as { organisationId?: string }).organisationId;
    return id ? await this.services.identity.organisations.get(id) : undefined;
  }

  private async afterIdentify(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    const organisationId = (step.result as VerifyResult | undefined)?.organisationId;
    if (!organisationId) {
      await step.context.sendActivity(textReply(t(locale, 'request.needVerify')));
      return step.endDialog({} satisfies RequestResult);
    }
    (step.values as { organisationId?: string }).organisationId = organisationId;
    const org = (await this.organisation(step))!;
    if (org.purchase.via === 'partner') {
      await step.context.sendActivities(replies.partnerReply(org, locale));
      return Dialog.EndOfTurn;
    }
    return step.next(t(locale, 'request.partner.continue'));
  }

  private async afterPartner(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    const answer = String(step.result ?? '').trim();
    if (answer === t(locale, 'request.partner.stop')) {
      await step.context.sendActivity(textReply(t(locale, 'request.partner.stopped')));
      return step.endDialog({} satisfies RequestResult);
    }
    if (answer !== t(locale, 'request.partner.continue')) return step.endDialog({ rerouteText: answer || undefined } satisfies RequestResult);
    const org = (await this.organisation(step))!;
    const issues = await this.services.requests.health.active(org.cloud);
    (step.values as { issues?: replies.KnownIssue[] }).issues = issues.slice(0, 3);
    if (issues.length === 0) return step.next(t(locale, 'request.health.none'));
    await step.context.sendActivities(replies.knownIssuesReply(issues, locale));
    return Dialog.EndOfTurn;
  }

  private async afterHealth(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    const answer = String(step.result ?? '').trim();
    const picked = ISSUE_CHOICE.exec(answer)?.[1];
    const issues = (step.values as { issues?: replies.KnownIssue[] }).issues ?? [];
    const issue = picked ? issues.find((i) => i.id === picked) : undefined;
    if (issue) {
      await step.context.sendActivities(replies.matchedIssueReply({ ...issue, start: new Date(issue.start) }, locale, userTimeZoneOf(step.context)));
      return step.endDialog({} satisfies RequestResult);
    }
    if (answer !== t(locale, 'request.health.none')) return step.endDialog({ rerouteText: answer || undefined } satisfies RequestResult);
    const org = (await this.organisation(step))!;
    const values: replies.FormValues = {
      description: '',
      category: 'technical',
      severity: 'C',
      phone: org.contacts.phones[0] ?? '',
      email: org.contacts.emails[0] ?? '',
      method: 'email',
    };
    return step.beginDialog(FORM_STEPS, { organisationId: org.id, values } satisfies FormState);
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result as RequestResult);
  }

  private async showForm(step: WaterfallStepContext<FormState & { errors?: Record<string, string>; problem?: string }>): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    Object.assign(step.values, step.options);
    const { values, errors, problem } = step.options;
    if (!channelShowsCards(step.context.activity.channelId)) return step.beginDialog(REQUEST_PROMPTS_DIALOG, { values, errors, problem });
    await step.context.sendActivities(replies.formReply(locale, this.services.requests.directory, values, errors, problem));
    return Dialog.EndOfTurn;
  }

  private async submit(step: WaterfallStepContext<FormState>): Promise<DialogTurnResult> {
    const context = step.context;
    const locale = this.locale(context);
    const state = step.values as FormState;
    // From the card (the activity's value) or from the one-question-at-a-time fallback (the step result).
    const fromPrompts = step.result as Record<string, unknown> | undefined;
    const submitted = (fromPrompts?.action === 'requestForm' ? fromPrompts : context.activity.value) as Record<string, unknown> | undefined;
    if (!submitted || typeof submitted !== 'object' || submitted.action !== 'requestForm') {
      const typed = (context.activity.text ?? '').trim();
      if (typed) return step.endDialog({ rerouteText: typed } satisfies RequestResult);
      await context.sendActivity(textReply(t(locale, 'request.typedInstead')));
      return step.replaceDialog(FORM_STEPS, { ...state, problem: undefined });
    }
    // Keep what was typed (as strings, capped) so a refused form comes back filled in.
    const kept = Object.fromEntries(
      (['description', 'category', 'severity', 'phone', 'email', 'method'] as const).map((f) => [f, typeof submitted[f] === 'string' ? (submitted[f] as string).slice(0, 4000) : '']),
    ) as replies.FormValues;
    // The organisation comes from this conversation's verification, never from the card.
    const org = await this.services.identity.organisations.get(state.organisationId);
    if (!org || !await this.services.identity.pins.isVerified(pinScope(context), org.id)) {
      await context.sendActivity(textReply(t(locale, 'request.needVerify')));
      return step.endDialog({} satisfies RequestResult);
    }
    const valid = validateForm(submitted);
    if (!valid.ok) return step.replaceDialog(FORM_STEPS, { organisationId: org.id, values: kept, errors: valid.errors });
    const policy = this.services.requests.directory.severityPolicy;
    const refusal = severityRefusal(org, valid.form.category, valid.form.severity, { severityACategories: policy.severityASupportTypes, billingMaxSeverity: policy.billingMaxSeverity });
    if (refusal) return step.replaceDialog(FORM_STEPS, { organisationId: org.id, values: kept, errors: { severity: refusal }, problem: t(locale, refusal) });

    const a = context.activity;
    const { store, directory, queue, clock } = this.services.requests;
    const plan = queuePlan(directory, org, valid.form.category, valid.form.severity);
    const { request, created: isNew } = await store.create({
      idempotencyKey: `${a.channelId}|${a.conversation?.id}|${a.id}`,
      organisation: org,
      requester: { channelId: a.channelId ?? '', userId: a.from?.id ?? '', name: a.from?.name?.slice(0, 200), aadObjectId: a.from?.aadObjectId },
      form: valid.form,
      language: locale,
      conversationReference: { channelId: a.channelId, serviceUrl: a.serviceUrl, conversation: a.conversation, bot: a.recipient, user: a.from, locale: a.locale },
      target: plan.target,
      hours: plan.hours,
    });
    // A redelivered "Contact me" finds the request it already made: count it once.
    if (isNew) this.services.metrics?.requestCreated(request.severity, request.category);
    const wait = await store.queueWait(request.queue, queue, plan.hours, clock(), true);
    const created = replies.createdReply(request, org, directory, wait, locale, userTimeZoneOf(context));
    // In Teams the confirmation keeps itself current for the requester (Universal Actions refresh).
    if (a.channelId === 'msteams' && a.from?.id) {
      const [reply] = created;
      reply.attachments = reply.attachments?.map((card) => withStatusRefresh(card, request.number, [a.from.id], t(locale, 'requests.refresh')));
    }
    await context.sendActivities(created);
    return step.endDialog({ number: request.number, severityA: request.severity === 'A' } satisfies RequestResult);
  }
}
