// Routes each message by intent: direct answers from the support directory, a follow-up question when
// a country is needed, and help search for everything else (or a clarifying question when unsure and
// the articles have nothing). Help and cancel interrupt anything.
import { ActivityTypes, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogContext,
  DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  WaterfallStepContext,
} from './botbuilder-dialogs-parts';
import { localeOf, Locale } from '../knowledge/i18n';
import { DialogServices, MAX_UNDERSTOOD_CHARS, userTimeZoneOf } from './services';
import { CountryQuestionDialog, CountryQuestionResult, COUNTRY_QUESTION_DIALOG } from './country-question-dialog';
import { handleSearchCard, HelpSearchDialog, HelpSearchOptions, HELP_SEARCH_DIALOG, searchCardValue } from './help-search-dialog';
import { VerifyDialog, VERIFY_DIALOG } from './verify-dialog';
import { RequestDialog, REQUEST_DIALOG } from './request-dialog';
import { MyRequestsDialog, MY_REQUESTS_DIALOG, requestCommand } from './my-requests-dialog';
import { HandoffDialog, HandoffOptions, HandoffResult, HANDOFF_DIALOG } from './handoff-dialog';
import type { RequestResult } from './request-dialog';
import { recall } from './memory';
import { frustrationOf, normalizeForRepeat } from '../knowledge/nlu/frustration';
import type { HandoffTrigger } from '../bot/handoff/types';

// Commands typed or sent by buttons, matched before understanding.
const REQUEST_COMMAND = /^\s*(new request|open a request|open a support request|create a request|contact me|새 요청|요청 열기|지원 요청 열기|연락 요청)\s*[.!]?\s*$/i;
const AGENT_COMMAND = /^\s*(talk to a person|talk to an agent|human|agent|operator|상담원 연결|상담원|사람 연결)\s*[.!]?\s*$/i;
const VERIFY_COMMAND = /^\s*(verify|verify me|verify my organi[sz]ation|pin verification please|본인 인증|인증하기|인증할게요)\s*[.!]?\s*$/i;

export const MAIN_DIALOG = 'MainDialog';
const ROUTE = 'route';

/** The same question this many times in a row means the bot is not getting it: a person should. */
const REPEATS_FOR_HANDOFF = 3;
/** Intents that are small talk or commands, not questions: saying them twice is not a repeat. */
const NOT_QUESTIONS = new Set(['greeting', 'thanks', 'help', 'cancel', 'agent']);

interface RouteOptions {
  /** A message handed back by a child dialog, to be understood as a fresh question. */
  text?: string;
  /** A child dialog's outcome that starts another flow (a handoff after severity A, a callback request). */
  begin?: { dialog: typeof HANDOFF_DIALOG; options: HandoffOptions } | { dialog: typeof REQUEST_DIALOG };
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly options: DialogServices) {
    super(MAIN_DIALOG);
    this.addDialog(new CountryQuestionDialog(options));
    this.addDialog(new HelpSearchDialog(options));
    this.addDialog(new VerifyDialog(options));
    this.addDialog(new RequestDialog(options));
    this.addDialog(new MyRequestsDialog(options));
    if (options.handoff) this.addDialog(new HandoffDialog(options));
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
    // After search results, "no" is feedback, not cancel; the search dialog hands anything else back.
    if (inner.activeDialog?.id === HELP_SEARCH_DIALOG) return undefined;
    // A PIN is not a question: don't run it through understanding.
    if ([VERIFY_DIALOG, REQUEST_DIALOG, MY_REQUESTS_DIALOG].includes(inner.activeDialog?.id ?? '') && /^[\s\d０-９]{1,12}$/.test(activity.text)) return undefined;
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
    const begin = step.options?.begin;
    if (begin) return step.beginDialog(begin.dialog, 'options' in begin ? begin.options : undefined);
    const card = step.options?.text ? undefined : searchCardValue(context.activity.value);
    if (card) {
      await handleSearchCard(context, card, this.options, locale);
      return step.endDialog();
    }
    if (!text) {
      await context.sendActivities(answers.emptyMessage(locale));
      return step.endDialog();
    }

    if (AGENT_COMMAND.test(text)) return this.handOff(step, 'asked');
    if (VERIFY_COMMAND.test(text)) return step.beginDialog(VERIFY_DIALOG);
    if (REQUEST_COMMAND.test(text)) return step.beginDialog(REQUEST_DIALOG);
    const command = requestCommand(text);
    if (command) return step.beginDialog(MY_REQUESTS_DIALOG, command);

    const understood = this.options.understanding.understand(text.slice(0, MAX_UNDERSTOOD_CHARS), locale);
    const request = { locale, entities: understood.entities, userTimeZone: userTimeZoneOf(context) };
    const unsure = understood.confidence < this.options.understanding.threshold;
    this.options.metrics?.intentUnderstood(unsure ? 'unsure' : understood.intent, locale);
    if (!unsure && understood.intent === 'agent') return this.handOff(step, 'asked');
    const escalation = await this.escalation(context, text, locale, unsure ? undefined : understood.intent);
    if (escalation) return this.handOff(step, escalation);

    if (unsure || understood.intent === 'other') {
      // Unsure of the intent: search, and if nothing fits, offer the closest support topics.
      const topics = unsure ? answers.clarifyChoices(locale, understood) : [];
      return step.beginDialog(HELP_SEARCH_DIALOG, { text, entities: understood.entities, topics } satisfies HelpSearchOptions);
    }
    // A phone question needs a place; ask for it instead of guessing.
    if (understood.intent === 'phone_number' && !understood.entities.country && !understood.entities.cloud) {
      return step.beginDialog(COUNTRY_QUESTION_DIALOG, { intent: understood.intent, entities: understood.entities });
    }
    await context.sendActivities(answers.answer(understood.intent, request));
    return step.endDialog();
  }

  /**
   * Remembers the question and decides whether the bot should step aside: the same question a third
   * time in a row, or frustration aimed at the bot. Only with handoff configured.
   */
  private async escalation(context: TurnContext, text: string, locale: Locale, intent?: string): Promise<HandoffTrigger | undefined> {
    const accessor = this.options.handoff?.memory;
    if (!accessor) return undefined;
    const memory = await recall(accessor, context);
    if (intent && intent !== 'other') memory.intent = intent;
    let trigger: HandoffTrigger | undefined;
    if (!NOT_QUESTIONS.has(intent ?? '')) {
      const normalized = normalizeForRepeat(text);
      memory.repeats = normalized && normalized === memory.lastQuestion ? memory.repeats + 1 : 1;
      memory.lastQuestion = normalized;
      if (memory.repeats >= REPEATS_FOR_HANDOFF) trigger = 'repeated';
    }
    if (!trigger && frustrationOf(text, locale).frustrated) trigger = 'frustrated';
    if (trigger) memory.repeats = 0;
    await accessor.set(context, memory);
    return trigger;
  }

  /** To a person when handoff is set up; otherwise the ways to reach support. */
  private async handOff(step: WaterfallStepContext<RouteOptions>, trigger: HandoffTrigger): Promise<DialogTurnResult> {
    if (!this.options.handoff) {
      await step.context.sendActivities(this.options.answers.answer('online_request', { locale: this.locale(step.context), entities: {}, userTimeZone: userTimeZoneOf(step.context) }));
      return step.endDialog();
    }
    const memory = await recall(this.options.handoff.memory, step.context);
    // "No, that didn't help" and then asking for a person is the not-helped path.
    const why = trigger === 'asked' && memory.lastFeedback === 'no' ? 'not-helped' : trigger;
    return step.beginDialog(HANDOFF_DIALOG, { trigger: why } satisfies HandoffOptions);
  }

  private async afterFollowUp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as (CountryQuestionResult & RequestResult & HandoffResult) | undefined;
    if (result?.severityA && result.number && this.options.handoff) {
      return step.replaceDialog(ROUTE, { begin: { dialog: HANDOFF_DIALOG, options: { trigger: 'severity-a', requestNumber: result.number } } } satisfies RouteOptions);
    }
    if (result?.callback) return step.replaceDialog(ROUTE, { begin: { dialog: REQUEST_DIALOG } } satisfies RouteOptions);
    // The user asked something else instead of answering the follow-up: treat it as a new question.
    if (result?.rerouteText) return step.replaceDialog(ROUTE, { text: result.rerouteText } satisfies RouteOptions);
    return step.endDialog();
  }
}
