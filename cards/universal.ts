// Universal Actions (Action.Execute) for cards whose content changes: Teams refreshes the card for
// the listed users when they look at it, and the button asks the bot for the current version.
import type { Attachment } from 'botbuilder';

export const REQUEST_STATUS_VERB = 'requestStatus';

/** A copy of the card that refreshes itself for `userIds` and has a "refresh" button. */
export function withStatusRefresh(card: Attachment, number: string, userIds: string[], buttonTitle: string): Attachment {
  const content = card.content as { actions?: unknown[]; refresh?: unknown };
  const action = { type: 'Action.Execute', verb: REQUEST_STATUS_VERB, title: buttonTitle, data: { number } };
  return {
    ...card,
    content: {
      ...content,
      refresh: { action: { type: 'Action.Execute', verb: REQUEST_STATUS_VERB, data: { number } }, userIds: userIds.slice(0, 60) },
      actions: [...(content.actions ?? []), action].slice(-5),
    },
  };
}
