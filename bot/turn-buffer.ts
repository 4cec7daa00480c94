// Holds a turn's replies until its conversation state is saved. Two instances can run turns of one
// conversation at once; the one whose save meets a newer eTag runs its turn again on the fresh state,
// and only replies from the attempt that was saved reach the user.
import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';

const BUFFER = Symbol('reply buffer');

interface Buffer {
  holding: boolean;
  held: Partial<Activity>[];
  /** Placeholder responses handed out while holding, and who wants the real id. */
  waiting: Map<ResourceResponse, (id: string | undefined) => void>;
  placeholders: ResourceResponse[];
}

/** Only what the user sees waits; typing, traces and invoke responses go out at once. */
const holdable = (a: Partial<Activity>) => a.type === 'message' || a.type === 'event';

/** Adapter middleware; it must be the first one used, so what it holds has not been logged or sent. */
export function replyBufferMiddleware(): Middleware {
  return {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      const buffer: Buffer = { holding: false, held: [], waiting: new Map(), placeholders: [] };
      context.turnState.set(BUFFER, buffer);
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        if (!buffer.holding || !activities.every(holdable)) return nextSend();
        const responses = activities.map(() => ({ id: '' }));
        // TurnContext already hands every handler its own copy of each activity.
        buffer.held.push(...activities);
        buffer.placeholders.push(...responses);
        return responses;
      });
      await next();
    },
  };
}

function bufferOf(context: TurnContext): Buffer | undefined {
  return context.turnState.get(BUFFER) as Buffer | undefined;
}

/** From now on, replies wait for `release`. False when the middleware is not installed. */
export function holdReplies(context: TurnContext): boolean {
  const buffer = bufferOf(context);
  if (!buffer) return false;
  buffer.holding = true;
  return true;
}

/** The replies held so far, e.g. to store them with the state that produced them (not to be changed). */
export function heldReplies(context: TurnContext): readonly Partial<Activity>[] {
  return [...(bufferOf(context)?.held ?? [])];
}

/** Forgets what this attempt said: it will not be sent. */
export function discardReplies(context: TurnContext): void {
  const buffer = bufferOf(context);
  if (!buffer) return;
  buffer.held = [];
  buffer.placeholders = [];
  buffer.waiting.clear();
}

/** Sends what was held, in order, and stops holding. */
export async function releaseReplies(context: TurnContext): Promise<void> {
  const buffer = bufferOf(context);
  if (!buffer) return;
  buffer.holding = false;
  const held = buffer.held;
  const placeholders = buffer.placeholders;
  const waiting = new Map(buffer.waiting);
  discardReplies(context);
  if (held.length === 0) return;
  const sent = await context.sendActivities(held);
  placeholders.forEach((placeholder, i) => waiting.get(placeholder)?.(sent[i]?.id));
}

/**
 * Calls back with the id the channel gave a reply: at once when it was sent, or when a held reply
 * is released (never, if its attempt is discarded).
 */
export function whenDelivered(context: TurnContext, response: ResourceResponse | undefined, callback: (id: string | undefined) => void): void {
  const buffer = bufferOf(context);
  if (response && buffer?.placeholders.includes(response)) buffer.waiting.set(response, callback);
  else callback(response?.id);
}
