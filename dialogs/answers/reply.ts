// Small helpers shared by the answer composers: every reply is a message with plain text and,
// where there is one, an Adaptive Card carrying the same facts.
import { ActionTypes, Activity, ActivityTypes, Attachment, CardAction, InputHints } from 'botbuilder';

export function cardReply(card: { card: Attachment; text: string }, suggestions: CardAction[] = []): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text: card.text,
    attachments: [card.card],
    inputHint: InputHints.AcceptingInput,
    ...(suggestions.length ? { suggestedActions: { actions: suggestions, to: [] } } : {}),
  };
}

export function textReply(text: string, suggestions: CardAction[] = [], inputHint: InputHints = InputHints.AcceptingInput): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text,
    inputHint,
    ...(suggestions.length ? { suggestedActions: { actions: suggestions, to: [] } } : {}),
  };
}

/** A suggested action that sends `text` as if the user typed it. */
export function suggestion(title: string, text: string = title): CardAction {
  return { type: ActionTypes.ImBack, title, value: text };
}
