// SupportAnswers: one place the dialogs ask for the reply to an intent. Each reply is a card plus
// plain text with the same facts, in the request's language.
import type { Activity } from 'botbuilder';
import type { PolicyId, SupportDirectory } from '../../knowledge/directory';
import type { Locale } from '../../knowledge/i18n';
import type { Intent, Understanding } from '../../knowledge/nlu';
import * as conversation from './conversation-answers';
import { AnswerRequest, hoursAnswer, phoneAnswer } from './contact-answers';
import { eligibilityAnswer, policyAnswer, severityAnswer } from './policy-answers';
import { suggestion } from './reply';
import { t } from '../../knowledge/i18n';

export type { AnswerRequest } from './contact-answers';

// Intents whose answer is one of the directory's written policies.
const POLICY_ANSWERS: Partial<Record<Intent, PolicyId>> = {
  support_scope: 'supportScope21Vianet',
  pin_verification: 'pinVerification',
  partner: 'partner',
  not_admin: 'nonAdmin',
  service_health: 'serviceHealthFirst',
  online_request: 'onlineRequest',
  community: 'community',
};

export interface SupportAnswersOptions {
  directory: SupportDirectory;
  clock: () => Date;
}

export class SupportAnswers {
  constructor(private readonly options: SupportAnswersOptions) {}

  answer(intent: Intent, request: AnswerRequest): Partial<Activity>[] {
    const { directory, clock } = this.options;
    const { locale, entities } = request;
    const policy = POLICY_ANSWERS[intent];
    if (policy === 'onlineRequest') {
      // The bot can open the request itself: offer that beside the admin-center steps.
      const [reply, ...rest] = policyAnswer(directory, policy, locale);
      const open = suggestion(t(locale, 'request.open'), t(locale, 'request.command'));
      return [{ ...reply, suggestedActions: { actions: [open], to: [] } }, ...rest];
    }
    if (policy) return policyAnswer(directory, policy, locale);
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
      case 'greeting':
        return conversation.greeting(locale);
      case 'help':
        return conversation.help(locale);
      case 'cancel':
        return conversation.cancelled(locale);
      case 'thanks':
        return conversation.thanks(locale);
      default:
        return conversation.other(locale);
    }
  }

  welcome = (locale: Locale) => conversation.welcome(locale);
  help = (locale: Locale) => conversation.help(locale);
  cancelled = (locale: Locale) => conversation.cancelled(locale);
  emptyMessage = (locale: Locale) => conversation.emptyMessage(locale);
  clarify = (locale: Locale, understood: Understanding) => conversation.clarify(locale, understood);
  clarifyChoices = (locale: Locale, understood: Understanding) => conversation.clarifyChoices(locale, understood);
  askCountry = (locale: Locale) => conversation.askCountry(locale);
  countryNotRecognised = (locale: Locale) => conversation.countryNotRecognised(locale);
}
