// The first thing a new member sees: what the bot can do, in the conversation's language.
import type { TurnContext } from 'botbuilder';
import { localeOf, Locale } from '../knowledge/i18n';
import type { SupportAnswers } from './answers';

export async function sendWelcome(context: TurnContext, answers: SupportAnswers, defaultLocale: Locale): Promise<void> {
  await context.sendActivities(answers.welcome(localeOf(context.activity, defaultLocale)));
}
