// The request form one question at a time, for channels that don't show Adaptive Cards (SMS,
// email and the like). It returns the same fields the card submits; the request dialog validates
// them exactly as it validates a card.
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, DialogTurnResult, TextPrompt, WaterfallDialog, WaterfallStepContext } from './botbuilder-dialogs-parts';
import { localeOf, Locale, t } from '../knowledge/i18n';
import { CATEGORIES, CONTACT_METHODS } from '../bot/requests/requests';
import type { FormValues } from './answers/request-answers';
import { suggestion, textReply } from './answers/reply';
import type { DialogServices } from './services';

export const REQUEST_PROMPTS_DIALOG = 'RequestPromptsDialog';
const STEPS = 'requestPromptSteps';
const TEXT = 'requestPromptText';

/** Channels whose clients show no Adaptive Cards. */
const NO_CARDS = new Set(['sms', 'email', 'telegram', 'line', 'groupme', 'kik', 'twilio-sms']);

export function channelShowsCards(channelId: string | undefined): boolean {
  return !NO_CARDS.has((channelId ?? '').toLowerCase());
}

export interface PromptFormOptions {
  values: FormValues;
  /** i18n keys of the problems with the last answers, shown before asking again. */
  errors?: Record<string, string>;
  problem?: string;
}

/** A typed answer to a choice: the value itself, its number in the list, or its label. */
function choose<T extends string>(typed: string, options: readonly T[], label: (o: T) => string): T | string {
  const answer = typed.trim().toLowerCase();
  const byNumber = options[Number(answer) - 1];
  if (byNumber) return byNumber;
  return options.find((o) => o === answer || label(o).toLowerCase() === answer || label(o).toLowerCase().startsWith(answer)) ?? typed.trim();
}

export class RequestPromptsDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(REQUEST_PROMPTS_DIALOG);
    this.addDialog(new TextPrompt(TEXT));
    this.addDialog(
      new WaterfallDialog(STEPS, [
        this.ask('description'),
        this.keep('description', this.ask('category')),
        this.keep('category', this.ask('severity')),
        this.keep('severity', this.ask('phone')),
        this.keep('phone', this.ask('email')),
        this.keep('email', this.ask('method')),
        this.keep('method', async (step) => step.endDialog({ action: 'requestForm', ...(step.values as FormValues) })),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  private locale(context: TurnContext): Locale {
    return localeOf(context.activity, this.services.defaultLocale);
  }

  /** Asks for one field, showing its current value (kept with "ok") and the choices, if any. */
  private ask(field: keyof FormValues) {
    return async (step: WaterfallStepContext<PromptFormOptions>): Promise<DialogTurnResult> => {
      if (field === 'description') {
        Object.assign(step.values, step.options.values);
        if (step.options.problem) await step.context.sendActivity(textReply(step.options.problem));
      }
      const locale = this.locale(step.context);
      const values = step.values as FormValues;
      const error = step.options.errors?.[field];
      const lines = [...(error ? [t(locale, error)] : []), t(locale, `request.label.${field}`)];
      const choices = field === 'category' ? CATEGORIES.map((c) => t(locale, `request.category.${c}`))
        : field === 'severity' ? this.services.requests.directory.severityPolicy.severities.map((s) => `${s.name[locale]}: ${s.definition[locale]}`)
        : field === 'method' ? CONTACT_METHODS.map((m) => t(locale, `request.method.${m}`))
        : [];
      choices.forEach((c, i) => lines.push(`${i + 1}. ${c}`));
      if (values[field] && field !== 'description') lines.push(t(locale, 'request.prompt.keep', { value: values[field] }));
      const buttons = field === 'severity' ? ['A', 'B', 'C'] : choices.slice(0, 4);
      return step.prompt(TEXT, { prompt: textReply(lines.join('\n'), buttons.map((b) => suggestion(b))) });
    };
  }

  /** Stores the answer to `field` (or keeps the current value on "ok"), then runs the next step. */
  private keep(field: keyof FormValues, next: (step: WaterfallStepContext<PromptFormOptions>) => Promise<DialogTurnResult>) {
    return async (step: WaterfallStepContext<PromptFormOptions>): Promise<DialogTurnResult> => {
      const locale = this.locale(step.context);
      const typed = String(step.result ?? '').slice(0, 4000);
      const values = step.values as FormValues;
      const keepCurrent = /^(ok|okay|keep|yes|네|예|그대로|유지)$/i.test(typed.trim()) && Boolean(values[field]);
      if (!keepCurrent) {
        values[field] =
          field === 'category' ? choose(typed, CATEGORIES, (c) => t(locale, `request.category.${c}`))
          : field === 'severity' ? choose(typed.trim().toUpperCase(), ['A', 'B', 'C'] as const, (s) => s)
          : field === 'method' ? choose(typed, CONTACT_METHODS, (m) => t(locale, `request.method.${m}`))
          : typed.trim();
      }
      return next(step);
    };
  }
}
