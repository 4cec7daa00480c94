// PIN verification as a conversation: which organisation, where to send the code, then the code.
// In Teams the tenant and the user's AAD object id identify an admin with no code. Elsewhere the
// reply never depends on whether the organisation exists: what the user sees follows only from
// how many tries they made and how long ago the code was sent. The code is never kept in state.
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogTurnResult, TextPrompt, WaterfallDialog, WaterfallStepContext } from './botbuilder-dialogs-parts';
import { localeOf, Locale, t } from '../knowledge/i18n';
import type { PinScope } from '../bot/pin/pin-service';
import { suggestion, textReply } from './answers/reply';
import { DialogServices, tenantOf } from './services';

export const VERIFY_DIALOG = 'VerifyDialog';
const STEPS = 'verifySteps';
const CODE_STEPS = 'verifyCodeSteps';
const TEXT = 'verifyText';

export interface VerifyResult {
  organisationId?: string;
}

interface VerifyState {
  organisation: string;
  via: 'email' | 'phone';
  sentAt: number;
  tries: number;
}

const RESEND = /^\s*(resend|send (it )?again|new code|재전송|다시 보내|새 코드)/i;
const PHONE = /phone|sms|text|mobile|문자|전화|휴대/i;

export function pinScope(context: TurnContext): PinScope {
  const a = context.activity;
  return { channelId: a.channelId ?? '', conversationId: a.conversation?.id ?? '', userId: a.from?.id ?? '', purpose: 'act-for-organisation' };
}

/**
 * A waterfall step for flows that act for an organisation: the one this conversation is verified
 * for, or the verification dialog (whose result has the same shape) when there is none yet.
 */
export async function verifiedOrganisationStep(step: WaterfallStepContext, services: DialogServices): Promise<DialogTurnResult> {
  const verified = await services.identity.pins.verifiedOrganisation(pinScope(step.context));
  if (verified) return step.next({ organisationId: verified } satisfies VerifyResult);
  return step.beginDialog(VERIFY_DIALOG);
}

export class VerifyDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(VERIFY_DIALOG);
    this.addDialog(new TextPrompt(TEXT));
    this.addDialog(new WaterfallDialog(STEPS, [this.identify.bind(this), this.chooseMethod.bind(this), this.sendCode.bind(this), this.finish.bind(this)]));
    this.addDialog(new WaterfallDialog(CODE_STEPS, [this.askCode.bind(this), this.checkCode.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private locale(context: TurnContext): Locale {
    return localeOf(context.activity, this.services.defaultLocale);
  }

  private async identify(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    const { organisations } = this.services.identity;
    const tenantId = tenantOf(step.context);
    const org = step.context.activity.channelId === 'msteams' && tenantId ? await organisations.byTenant(tenantId) : undefined;
    if (org) {
      // Teams has already authenticated the user: the tenant names the organisation.
      if (!organisations.isAdmin(org, { aadObjectId: step.context.activity.from?.aadObjectId || undefined })) {
        await step.context.sendActivities(this.services.answers.answer('not_admin', { locale, entities: {} }));
        return step.endDialog({} satisfies VerifyResult);
      }
      await this.services.identity.pins.recordVerified(pinScope(step.context), org.id);
      await step.context.sendActivity(textReply(t(locale, 'verify.teamsAdmin', { organisation: org.name })));
      return step.endDialog({ organisationId: org.id } satisfies VerifyResult);
    }
    return step.prompt(TEXT, { prompt: textReply(t(locale, 'verify.askOrganisation')) });
  }

  private async chooseMethod(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    const named = String(step.result ?? '').trim().slice(0, 254);
    (step.values as Partial<VerifyState>).organisation = named;
    return step.prompt(TEXT, {
      prompt: textReply(t(locale, 'verify.askMethod'), [suggestion(t(locale, 'verify.method.email')), suggestion(t(locale, 'verify.method.phone'))]),
    });
  }

  private async sendCode(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as VerifyState;
    values.via = PHONE.test(String(step.result ?? '')) ? 'phone' : 'email';
    const sent = await this.request(step.context, values);
    if (!sent) return step.endDialog({} satisfies VerifyResult);
    return step.beginDialog(CODE_STEPS, values);
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result as VerifyResult);
  }

  /** Sends (or resends) a code; false when the send limit refused it. */
  private async request(context: TurnContext, values: VerifyState): Promise<boolean> {
    const locale = this.locale(context);
    const a = context.activity;
    const result = await this.services.identity.pins.request({
      scope: pinScope(context),
      organisation: values.organisation,
      via: values.via,
      activityKey: `${a.channelId}|${a.conversation?.id}|${a.id}`,
      locale,
    });
    if (result.outcome === 'rate-limited') {
      await context.sendActivity(textReply(t(locale, 'verify.rateLimited', { minutes: this.services.identity.settings.sendWindowMinutes })));
      return false;
    }
    values.sentAt = Date.now();
    values.tries = 0;
    await context.sendActivity(
      textReply(t(locale, 'verify.sent', { organisation: values.organisation, destination: result.destination, minutes: this.services.identity.settings.ttlMinutes })),
    );
    return true;
  }

  /** The question was already asked (sent, or tried again): wait for the next message. */
  private async askCode(step: WaterfallStepContext<VerifyState>): Promise<DialogTurnResult> {
    Object.assign(step.values, step.options);
    return Dialog.EndOfTurn;
  }

  private async checkCode(step: WaterfallStepContext<VerifyState>): Promise<DialogTurnResult> {
    const context = step.context;
    const locale = this.locale(context);
    const values = step.values as VerifyState;
    const typed = String(step.result ?? '');
    const { pins, settings } = this.services.identity;
    if (RESEND.test(typed)) {
      if (!(await this.request(context, values))) return step.endDialog({} satisfies VerifyResult);
      return step.replaceDialog(CODE_STEPS, values);
    }
    const a = context.activity;
    const check = await pins.verify(pinScope(context), values.organisation, typed, `${a.channelId}|${a.conversation?.id}|${a.id}`);
    if (check.ok) {
      await context.sendActivity(textReply(t(locale, 'verify.done', { minutes: settings.verifiedForMinutes })));
      return step.endDialog({ organisationId: check.organisationId } satisfies VerifyResult);
    }
    values.tries += 1;
    // The message depends only on tries and time, never on why the check failed.
    const expired = Date.now() - values.sentAt > settings.ttlMinutes * 60_000;
    const key = expired ? 'verify.expired' : values.tries >= settings.maxAttempts ? 'verify.locked' : 'verify.wrong';
    const resend = suggestion(t(locale, 'verify.resend'));
    await context.sendActivity(textReply(t(locale, key), [resend]));
    return step.replaceDialog(CODE_STEPS, { ...values, tries: values.tries });
  }
}
