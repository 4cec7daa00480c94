// Help search: answer a question from the help articles, then ask "Did this help?". Yes thanks the
// user; No offers the next steps (service health, rephrase, contact support). Anything else typed
// after the results is a new question and goes back to the main dialog.
// The card's buttons carry the search id, so feedback also works when pressed turns later.
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './botbuilder-dialogs-parts';
import type { CloudId } from '../knowledge/directory/types';
import { localeOf, Locale } from '../knowledge/i18n';
import type { Entities } from '../knowledge/nlu';
import * as replies from './answers/search-answers';
import { DialogServices, MAX_UNDERSTOOD_CHARS } from './services';
import { rememberFeedback, rememberSearch } from './memory';

export const HELP_SEARCH_DIALOG = 'HelpSearchDialog';
const STEPS = 'helpSearchSteps';

export interface HelpSearchOptions {
  text: string;
  entities: Entities;
  /** Support topics to offer when nothing is found (the classifier's closest guesses). */
  topics?: { title: string; text: string }[];
}

export interface HelpSearchResult {
  rerouteText?: string;
}

/** What a card button sends back. */
export interface SearchCardValue {
  action: 'searchFeedback' | 'showSection';
  searchId: string;
  helpful?: string;
  sectionId?: string;
}

export function searchCardValue(value: unknown): SearchCardValue | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (v.action !== 'searchFeedback' && v.action !== 'showSection') return undefined;
  if (typeof v.searchId !== 'string' || v.searchId.length > 64) return undefined;
  return {
    action: v.action,
    searchId: v.searchId,
    helpful: typeof v.helpful === 'string' ? v.helpful : undefined,
    sectionId: typeof v.sectionId === 'string' ? v.sectionId.slice(0, 400) : undefined,
  };
}

const YES = /^\s*(yes|yeah|yep|y|it did|that helped|helpful|네|예|응|도움이 (됐|되었)|도움 됐|좋아요|감사합니다)[\s.!]*$/i;
const NO = /^\s*(no|nope|n|not really|it didn't|didn't help|not helpful|아니요|아니오|아뇨|아니|도움이 안 (됐|되었)|별로)[\s.!]*$/i;

/** Clouds the question itself is about: a named cloud, or the country a cloud belongs to. */
export function mentionedClouds(entities: Entities): CloudId[] {
  const clouds = new Set<CloudId>();
  if (entities.cloud) clouds.add(entities.cloud);
  if (entities.country === 'DE') clouds.add('germany');
  if (entities.country === 'CN') clouds.add('21vianet');
  return [...clouds];
}

export class HelpSearchDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(HELP_SEARCH_DIALOG);
    this.addDialog(new WaterfallDialog(STEPS, [this.searchStep.bind(this), this.feedbackStep.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private locale(context: TurnContext): Locale {
    return localeOf(context.activity, this.services.defaultLocale);
  }

  private async searchStep(step: WaterfallStepContext<HelpSearchOptions>): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    const { text, entities } = step.options;
    const query = text.slice(0, MAX_UNDERSTOOD_CHARS);
    const { search, log } = this.services.help;
    // A cloud named in the question is taken as the asker's: other clouds' sections stay out unless
    // the question names them too (organisation profiles will supply it without asking).
    const cloud = entities.cloud;
    const outcome = search.search({ text: query, language: locale, cloud, mentionedClouds: mentionedClouds(entities) });
    const searchId = await log.record({
      query,
      language: locale,
      cloud,
      results: outcome.hits.map((h) => ({ id: h.section.id, score: h.score })),
    });
    this.services.metrics?.helpSearched(locale, outcome.hits.length > 0);
    if (outcome.hits.length === 0) {
      await step.context.sendActivities(replies.noResultsReply(locale, step.options.topics));
      return step.endDialog({});
    }
    await rememberSearch(
      this.services.handoff?.memory,
      step.context,
      query,
      outcome.hits.slice(0, 3).map((h) => ({ title: `${h.section.articleTitle} — ${h.section.heading}`, url: /^https?:/.test(h.section.url) ? h.section.url : undefined })),
    );
    await step.context.sendActivities(replies.resultsReply(outcome, searchId, locale, search.analyzer(outcome.language), cloud));
    (step.values as { searchId?: string }).searchId = searchId;
    return Dialog.EndOfTurn;
  }

  private async feedbackStep(step: WaterfallStepContext<HelpSearchOptions>): Promise<DialogTurnResult> {
    const context = step.context;
    const card = searchCardValue(context.activity.value);
    if (card) {
      await handleSearchCard(context, card, this.services, this.locale(context));
      return step.endDialog({});
    }
    const text = (context.activity.text ?? '').trim();
    const helpful = YES.test(text) ? true : NO.test(text) ? false : undefined;
    if (helpful === undefined) return step.endDialog({ rerouteText: text || undefined } satisfies HelpSearchResult);
    await sendFeedback(context, (step.values as { searchId: string }).searchId, helpful, this.services, this.locale(context));
    return step.endDialog({});
  }
}

async function sendFeedback(context: TurnContext, searchId: string, helpful: boolean, services: DialogServices, locale: Locale): Promise<void> {
  // Counted only for a search the log knows: a forged or stale card id is not an answer.
  if (await services.help.log.markHelpful(searchId, helpful)) services.metrics?.helpFeedback(helpful);
  await rememberFeedback(services.handoff?.memory, context, helpful);
  await context.sendActivities(helpful ? replies.helpfulReply(locale) : replies.notHelpfulReply(services.help.directory, locale, Boolean(services.handoff)));
}

/** A results-card button, whenever it is pressed. */
export async function handleSearchCard(context: TurnContext, card: SearchCardValue, services: DialogServices, locale: Locale): Promise<void> {
  if (card.action === 'searchFeedback') {
    // Anything but an explicit yes or no is a malformed card: ignore it quietly.
    if (card.helpful === 'yes' || card.helpful === 'no') await sendFeedback(context, card.searchId, card.helpful === 'yes', services, locale);
    return;
  }
  const section = card.sectionId ? services.help.search.section(card.sectionId) : undefined;
  await context.sendActivities(section ? replies.sectionReply(section, card.searchId, locale) : replies.sectionGoneReply(locale));
}
