// Routes each message by intent: direct answers from the support directory, a follow-up question when
// a country is needed, a clarifying question when understanding is unsure. Help and cancel interrupt anything.
import { ActivityTypes, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogContext,
  DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  WaterfallStepContext,
} from 'botbuilder-dialogs';
import { localeOf, Locale } from '../knowledge/i18n';
import { DialogServices, MAX_UNDERSTOOD_CHARS, userTimeZoneOf } from './services';
import { CountryQuestionDialog, CountryQuestionResult, COUNTRY_QUESTION_DIALOG } from './country-question-dialog';

export const MAIN_DIALOG = 'MainDialog';
const ROUTE = 'route';

interface RouteOptions {
  /** A message handed back by a child dialog, to be understood as a fresh question. */
  text?: string;
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly options: DialogServices) {
    super(MAIN_DIALOG);
    this.addDialog(new CountryQuestionDialog(options));
    this.addDialog(new WaterfallDialog(ROUTE, [this.understandAndAnswer.bind(this), this.afterFollowUp.bind(this)]));
    this.initialDialogId = ROUTE;
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(inner);
    return interrupted ?? super.onContinueDialog(inner);
  }

  /** Help and cancel work from inside any follow-up question. */
  private async interrupt(inner: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity = inner.context.activity;
    if (activity.type !== ActivityTypes.Message || !activity.text?.trim()) return undefined;
    const locale = this.locale(inner.context);
    const understood = this.options.understanding.understand(activity.text.slice(0, MAX_UNDERSTOOD_CHARS), locale);
    if (understood.confidence < this.options.understanding.threshold) return undefined;
    if (understood.intent === 'cancel') {
      await inner.context.sendActivities(this.options.answers.cancelled(locale));
      return inner.cancelAllDialogs();
    }
    if (understood.intent === 'help') {
      await inner.context.sendActivities(this.options.answers.help(locale));
      await inner.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    return undefined;
  }

  private locale(context: TurnContext): Locale {
    return localeOf(context.activity, this.options.defaultLocale);
  }

  private async understandAndAnswer(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const context = step.context;
    const locale = this.locale(context);
    const text = (step.options?.text ?? context.activity.text ?? '').trim();
    const answers = this.options.answers;
    if (!text) {
      await context.sendActivities(answers.emptyMessage(locale));
      return step.endDialog();
    }

    const understood = this.options.understanding.understand(text.slice(0, MAX_UNDERSTOOD_CHARS), locale);
    const request = { locale, entities: understood.entities, userTimeZone: userTimeZoneOf(context) };

    if (understood.confidence < this.options.understanding.threshold) {
      await context.sendActivities(answers.clarify(locale, understood));
      return step.endDialog();
    }
    // A phone question needs a place; ask for it instead of guessing.
    if (understood.intent === 'phone_number' && !understood.entities.country && !understood.entities.cloud) {
      return step.beginDialog(COUNTRY_QUESTION_DIALOG, { intent: understood.intent, entities: understood.entities });
    }
    await context.sendActivities(answers.answer(understood.intent, request));
    return step.endDialog();
  }

  private async afterFollowUp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as CountryQuestionResult | undefined;
    // The user asked something else instead of naming a country: treat it as a new question.
    if (result?.rerouteText) return step.replaceDialog(ROUTE, { text: result.rerouteText } satisfies RouteOptions);
    return step.endDialog();
  }
}
