// botbuilder's BotState saves with eTag "*": the last writer wins, so two instances running turns of
// one conversation at once lose one turn's changes. This ConversationState saves with the eTag it
// loaded (or as a new item), so the later save fails with ETagConflictError and the turn can run again.
import { calculateChangeHash, ConversationState, TurnContext } from 'botbuilder';
import { NEW_ITEM_ETAG } from './sql-storage';

export class OptimisticConversationState extends ConversationState {
  /** Hash of the state as loaded or last saved in this turn: unchanged state is not written. */
  private readonly savedHash = Symbol('saved state hash');

  override async load(context: TurnContext, force = false): Promise<any> {
    const fresh = force || !context.turnState.has(this.savedHash);
    const state = await super.load(context, force);
    if (fresh) context.turnState.set(this.savedHash, calculateChangeHash(state));
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const state = this.get(context) as Record<string, unknown> & { eTag?: string } | undefined;
    if (!state) return super.saveChanges(context, force);
    if (!force && calculateChangeHash(state) === context.turnState.get(this.savedHash)) return;
    if (!state.eTag || state.eTag === '*') state.eTag = NEW_ITEM_ETAG;
    // The storage gives the item its new eTag, so a second save in this turn carries it.
    await this.storage.write({ [await this.storageKey(context)]: state });
    context.turnState.set(this.savedHash, calculateChangeHash(state));
  }
}
