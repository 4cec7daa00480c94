// Handing the conversation to a person: join the queue for this user's cloud, category and
// language, or, when that queue is closed, say when it opens and offer a callback request instead
// of waiting. The queue card and the relay are the handoff service's; this flow only decides.
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './botbuilder-dialogs-parts';
import { localeOf, Locale, t } from '../knowledge/i18n';
import type { HandoffTrigger } from '../bot/handoff/types';
import type { HandoffService } from '../bot/handoff/handoff-service';
import * as replies from './answers/handoff-answers';
import { textReply } from './answers/reply';
import { MemoryAccessor, recall } from './memory';
import { DialogServices, userTimeZoneOf } from './services';

export const HANDOFF_DIALOG = 'HandoffDialog';
const STEPS = 'handoffSteps';

/** What the handoff flow needs: the service that owns queues and relay, and the conversation memory. */
export interface HandoffDialogServices {
  service: Pick<HandoffService, 'start' | 'queueFor' | 'queueOpen' | 'openFor'>;
  memory?: MemoryAccessor;
}

export interface HandoffOptions {
  trigger: HandoffTrigger;
  requestNumber?: string;
}

export interface HandoffResult {
  /** The user chose a callback request over waiting. */
  callback?: boolean;
  rerouteText?: string;
}

const REASONS: Partial<Record<HandoffTrigger, string>> = {
  repeated: 'handoff.reason.repeated',
  frustrated: 'handoff.reason.frustrated',
  'severity-a': 'handoff.reason.severityA',
};

export class HandoffDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(HANDOFF_DIALOG);
    this.addDialog(new WaterfallDialog(STEPS, [this.decide.bind(this), this.afterOffer.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private locale(context: TurnContext): Locale {
    return localeOf(context.activity, this.services.defaultLocale);
  }

  private async decide(step: WaterfallStepContext<HandoffOptions>): Promise<DialogTurnResult> {
    const handoff = this.services.handoff!;
    const locale = this.locale(step.context);
    const { trigger, requestNumber } = step.options;
    const reason = REASONS[trigger];
    if (reason) await step.context.sendActivity(textReply(t(locale, reason)));
    if (await handoff.service.openFor(step.context)) {
      await step.context.sendActivity(textReply(t(locale, 'handoff.alreadyWaiting')));
      await this.join(step, trigger, requestNumber);
      return step.endDialog({} satisfies HandoffResult);
    }
    const request = requestNumber ? await this.services.requests.store.get(requestNumber) : undefined;
    const { queue, organisation } = await handoff.service.queueFor(step.context, locale, request);
    const hours = await handoff.service.queueOpen(queue, organisation);
    // A severity A request already has its 24-hour response; the chat still queues for the morning.
    if (!hours.open && trigger !== 'severity-a') {
      await step.context.sendActivities(replies.closedOfferReply(hours.opensAt, locale, hours.zone, userTimeZoneOf(step.context)));
      return Dialog.EndOfTurn;
    }
    await this.join(step, trigger, requestNumber);
    return step.endDialog({} satisfies HandoffResult);
  }

  private async afterOffer(step: WaterfallStepContext<HandoffOptions>): Promise<DialogTurnResult> {
    const locale = this.locale(step.context);
    const answer = (step.context.activity.text ?? '').trim().toLowerCase();
    if (answer === replies.CALLBACK_CHOICE[locale] || answer === replies.CALLBACK_CHOICE.en) return step.endDialog({ callback: true } satisfies HandoffResult);
    if (answer === replies.WAIT_CHOICE[locale] || answer === replies.WAIT_CHOICE.en) {
      await this.join(step, step.options.trigger, step.options.requestNumber);
      return step.endDialog({} satisfies HandoffResult);
    }
    return step.endDialog({ rerouteText: step.context.activity.text?.trim() || undefined } satisfies HandoffResult);
  }

  private async join(step: WaterfallStepContext, trigger: HandoffTrigger, requestNumber?: string): Promise<void> {
    const handoff = this.services.handoff!;
    const memory = await recall(handoff.memory, step.context);
    await handoff.service.start(step.context, this.locale(step.context), {
      trigger,
      intent: memory.intent,
      searches: memory.searches.map((s) => s.text),
      articles: memory.searches.flatMap((s) => s.articles),
      requestNumber,
    });
  }
}
