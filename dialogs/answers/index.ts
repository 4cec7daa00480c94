// SupportAnswers: one place the dialogs ask for the reply to an intent. Each reply is a card plus
// plain text with the same facts, in the request's language.
import type { Activity } from 'botbuilder';
import type { SupportDirectory } from '../../knowledge/directory';
import type { Locale } from '../../knowledge/i18n';
import type { Intent, Understanding } from '../../knowledge/nlu';
import * as conversation from './conversation-answers';
import { AnswerRequest, hoursAnswer, phoneAnswer } from './contact-answers';
import { eligibilityAnswer, policyAnswer, severityAnswer } from './policy-answers';

export type { AnswerRequest } from './contact-answers';

export interface SupportAnswersOptions {
  directory: SupportDirectory;
  clock: () => Date;
}

export class SupportAnswers {
  constructor(private readonly options: SupportAnswersOptions) {}

  answer(intent: Intent, request: AnswerRequest): Partial<Activity>[] {
    const { directory, clock } = this.options;
    const { locale, entities } = request;
    switch (intent) {
      case 'phone_number':
        return phoneAnswer(directory, request, clock());
      case 'hours':
      case 'languages':
        return hoursAnswer(directory, request, clock());
      case 'severity_response':
        return severityAnswer(directory, entities, locale);
      case 'severity_a_eligibility':
        return eligibilityAnswer(directory, locale);
      case 'support_scope':
        return policyAnswer(directory, 'supportScope21Vianet', locale);
      case 'pin_verification':
        return policyAnswer(directory, 'pinVerification', locale);
      case 'partner':
        return policyAnswer(directory, 'partner', locale);
      case 'not_admin':
        return policyAnswer(directory, 'nonAdmin', locale);
      case 'service_health':
        return policyAnswer(directory, 'serviceHealthFirst', locale);
      case 'online_request':
        return policyAnswer(directory, 'onlineRequest', locale);
      case 'community':
        return policyAnswer(directory, 'community', locale);
      case 'greeting':
        return conversation.greeting(locale);
      case 'help':
        return conversation.help(locale);
      case 'cancel':
        return conversation.cancelled(locale);
      case 'thanks':
        return conversation.thanks(locale);
      case 'other':
        return conversation.other(locale);
    }
  }

  welcome = (locale: Locale) => conversation.welcome(locale);
  help = (locale: Locale) => conversation.help(locale);
  cancelled = (locale: Locale) => conversation.cancelled(locale);
  emptyMessage = (locale: Locale) => conversation.emptyMessage(locale);
  clarify = (locale: Locale, understood: Understanding) => conversation.clarify(locale, understood);
  askCountry = (locale: Locale) => conversation.askCountry(locale);
  countryNotRecognised = (locale: Locale) => conversation.countryNotRecognised(locale);
}
