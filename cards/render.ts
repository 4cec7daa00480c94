// Expands a card template exactly once. User-provided strings travel only in `data`; a second
// expansion would evaluate `${...}` inside them, so rendered cards are never expanded again.
import * as ACData from 'adaptivecards-templating';
import { Attachment, CardFactory } from 'botbuilder';

export const CARD_VERSION = '1.5';

export interface RenderedCard {
  card: Attachment;
  /** The same facts as plain text, for channels without cards and for screen readers. */
  text: string;
}

// Parsing a template's expressions costs far more than expanding it: parse each template object once.
// Keyed by identity: templates are the card files' JSON, never built from user text nor changed.
// Reusing a Template is safe because expand() is synchronous and copies every object it returns.
const parsed = new WeakMap<object, ACData.Template>();

function parsedTemplate(template: object): ACData.Template {
  let result = parsed.get(template);
  if (!result) parsed.set(template, (result = new ACData.Template(template)));
  return result;
}

export function expand(template: object, data: object): Record<string, unknown> {
  const expanded = parsedTemplate(template).expand({ $root: data }) as Record<string, unknown>;
  if (expanded?.type !== 'AdaptiveCard' || expanded.version !== CARD_VERSION) {
    throw new Error('card template must be an AdaptiveCard of version 1.5');
  }
  return expanded;
}

export function render(template: object, data: object, text: string): RenderedCard {
  const content = expand(template, data);
  // Speak carries the plain text too, for voice channels.
  return { card: CardFactory.adaptiveCard({ ...content, speak: text.slice(0, 1000) }), text };
}

/** Text meant literally (user text, names) must not turn into markdown links or emphasis. */
export function escapeMarkdown(value: string): string {
  return value.replace(/([\\`*_[\]<>#|~])/g, '\\$1');
}

export interface Suggestion {
  title: string;
  /** Sent back as if the user had typed it. */
  text: string;
}

export interface Link {
  title: string;
  url: string;
}

/** At most this many buttons on a card: Teams shows six, the Adaptive Cards default host five. */
export const MAX_ACTIONS = 5;

export function limitActions<T>(actions: T[], reserved = 0): T[] {
  return actions.slice(0, Math.max(0, MAX_ACTIONS - reserved));
}
