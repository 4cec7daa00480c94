// Asks which country or region the admin is in, then answers the question that needed it.
// A reply that names no country but asks something else is handed back to the main dialog.
import { ComponentDialog, DialogTurnResult, TextPrompt, WaterfallDialog, WaterfallStepContext } from './botbuilder-dialogs-parts';
import { localeOf, Locale } from '../knowledge/i18n';
import type { Entities, Intent } from '../knowledge/nlu';
import { DialogServices, MAX_UNDERSTOOD_CHARS, userTimeZoneOf } from './services';

export const COUNTRY_QUESTION_DIALOG = 'CountryQuestionDialog';
const COUNTRY_PROMPT = 'countryPrompt';
const STEPS = 'countryQuestionSteps';

export interface CountryQuestionOptions {
  intent: Intent;
  entities: Entities;
}

export interface CountryQuestionResult {
  rerouteText?: string;
}

export class CountryQuestionDialog extends ComponentDialog {
  constructor(private readonly options: DialogServices) {
    super(COUNTRY_QUESTION_DIALOG);
    this.addDialog(new TextPrompt(COUNTRY_PROMPT));
    this.addDialog(new WaterfallDialog(STEPS, [this.askCountry.bind(this), this.answerForCountry.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private locale(step: WaterfallStepContext): Locale {
    return localeOf(step.context.activity, this.options.defaultLocale);
  }

  private async askCountry(step: WaterfallStepContext<CountryQuestionOptions>): Promise<DialogTurnResult> {
    const [prompt, ...rest] = this.options.answers.askCountry(this.locale(step));
    if (rest.length) await step.context.sendActivities(rest);
    return step.prompt(COUNTRY_PROMPT, { prompt });
  }

  private async answerForCountry(step: WaterfallStepContext<CountryQuestionOptions>): Promise<DialogTurnResult> {
    const locale = this.locale(step);
    const reply = String(step.result ?? '').trim();
    const understood = this.options.understanding.understand(reply.slice(0, MAX_UNDERSTOOD_CHARS), locale);
    const { country, cloud } = understood.entities;
    if (!country && !cloud) {
      const confidentlyElse =
        understood.confidence >= this.options.understanding.threshold &&
        understood.intent !== 'phone_number' &&
        understood.intent !== 'other';
      if (confidentlyElse) return step.endDialog({ rerouteText: reply } satisfies CountryQuestionResult);
      await step.context.sendActivities(this.options.answers.countryNotRecognised(locale));
      return step.endDialog({});
    }
    const original = step.options;
    const entities = { ...original.entities, ...understood.entities };
    await step.context.sendActivities(
      this.options.answers.answer(original.intent, { locale, entities, userTimeZone: userTimeZoneOf(step.context) }),
    );
    return step.endDialog({});
  }
}
