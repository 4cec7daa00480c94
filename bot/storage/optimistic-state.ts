// botbuilder's BotState saves with eTag "*": the last writer wins, so two instances running turns of
// one conversation at once lose one turn's changes. This ConversationState saves with the eTag it
// loaded (or as a new item), so the later save fails with ETagConflictError and the turn can run again.
//
// It also tells a changed state by its JSON text rather than botbuilder's calculateChangeHash, which
// calls a replacer on every value (to survive circular objects) and cost more than the rest of the
// state handling under load. The text as read comes from the storage, and the text compared at save
// is the one written, so a turn serialises its state once. State that reaches SqlStorage is plain
// JSON anyway.
import { ConversationState, StoreItem, TurnContext } from 'botbuilder';
import { documentText, documentTextAsRead, NEW_ITEM_ETAG, writeWithDocumentText } from './sql-storage';

interface Cached {
  state?: Record<string, unknown> & { eTag?: string };
  hash: string;
}

export class OptimisticConversationState extends ConversationState {
  /** The state's JSON text as loaded or last saved in this turn: unchanged state is not written. */
  private readonly savedText = Symbol('saved state text');

  /** Documents to write beside the state with its next save. */
  private readonly besides = Symbol('documents written with the state');

  /**
   * Stores `document` beside this conversation's state (under "<state key>/<name>") in the same
   * all-or-nothing write as the state's next save, so it exists exactly when that state does. For
   * what is written every turn but rarely read, which would otherwise be parsed and compared with the
   * state on every turn.
   */
  writeBeside(context: TurnContext, name: string, document: Record<string, unknown>): void {
    const queued = (context.turnState.get(this.besides) as Map<string, Record<string, unknown>> | undefined) ?? new Map();
    queued.set(name, document);
    context.turnState.set(this.besides, queued);
  }

  /** Documents stored with writeBeside, by name; missing ones are left out. */
  async readBeside(context: TurnContext, names: string[]): Promise<Record<string, StoreItem>> {
    const key = await this.storageKey(context);
    const items = await this.storage.read(names.map((name) => `${key}/${name}`));
    return Object.fromEntries(names.map((name) => [name, items[`${key}/${name}`]]).filter(([, item]) => item));
  }

  /** BotState's own turn cache entry; its private key is read through the base class. */
  private cacheKey(): symbol {
    return (this as unknown as { stateKey: symbol }).stateKey;
  }

  override async load(context: TurnContext, force = false): Promise<any> {
    const cached = context.turnState.get(this.cacheKey()) as Cached | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] ?? {}) as NonNullable<Cached['state']>;
    context.turnState.set(this.cacheKey(), { state, hash: '' } satisfies Cached);
    context.turnState.set(this.savedText, documentTextAsRead(state) ?? documentText(state));
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const state = this.get(context) as Cached['state'];
    // Taken whether or not the write succeeds: a turn run again queues its own.
    const besides = context.turnState.get(this.besides) as Map<string, Record<string, unknown>> | undefined;
    context.turnState.delete(this.besides);
    if (!state) return super.saveChanges(context, force);
    const key = await this.storageKey(context);
    const changes: Record<string, StoreItem> = {};
    for (const [name, document] of besides ?? []) changes[`${key}/${name}`] = { ...document, eTag: '*' };
    const text = documentText(state);
    const changed = force || text !== context.turnState.get(this.savedText);
    if (changed) {
      if (!state.eTag || state.eTag === '*') state.eTag = NEW_ITEM_ETAG;
      // The storage gives the item its new eTag, so a second save in this turn carries it.
      changes[key] = writeWithDocumentText(state, text);
    }
    if (Object.keys(changes).length === 0) return;
    await this.storage.write(changes);
    if (changed) context.turnState.set(this.savedText, text);
  }
}
