// What the bot remembers of a conversation for a handoff's summary: the intent last understood,
// recent searches with the articles shown, the last "did this help?" answer, and how often the
// same question came back in a row.
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';

export interface ConversationMemory {
  intent?: string;
  searches: { text: string; articles: { title: string; url?: string }[] }[];
  lastFeedback?: 'yes' | 'no';
  /** The last question, normalised, and how many times in a row it was asked. */
  lastQuestion?: string;
  repeats: number;
}

const KEPT_SEARCHES = 5;

export type MemoryAccessor = StatePropertyAccessor<ConversationMemory>;

export async function recall(accessor: MemoryAccessor | undefined, context: TurnContext): Promise<ConversationMemory> {
  const memory = accessor ? await accessor.get(context, { searches: [], repeats: 0 }) : undefined;
  return memory ?? { searches: [], repeats: 0 };
}

export async function rememberSearch(accessor: MemoryAccessor | undefined, context: TurnContext, text: string, articles: { title: string; url?: string }[]): Promise<void> {
  if (!accessor) return;
  const memory = await recall(accessor, context);
  memory.searches = [...memory.searches, { text: text.slice(0, 300), articles: articles.slice(0, 3) }].slice(-KEPT_SEARCHES);
  memory.lastFeedback = undefined;
  await accessor.set(context, memory);
}

export async function rememberFeedback(accessor: MemoryAccessor | undefined, context: TurnContext, helpful: boolean): Promise<void> {
  if (!accessor) return;
  const memory = await recall(accessor, context);
  memory.lastFeedback = helpful ? 'yes' : 'no';
  await accessor.set(context, memory);
}
