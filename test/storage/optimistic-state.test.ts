// The conversation state the bot saves: written with the eTag it was loaded with, written only when
// a turn changed it, and compared by the JSON text the storage read and writes (no second serialising).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestAdapter, TurnContext } from 'botbuilder';
import { openDatabase } from '../../bot/storage/database';
import type { SqliteSql } from '../../bot/storage/sql';
import { documentTextAsRead, ETagConflictError, SqlStorage, writeWithDocumentText } from '../../bot/storage/sql-storage';
import { OptimisticConversationState } from '../../bot/storage/optimistic-state';

function turn(adapter: TestAdapter, text = 'hi'): TurnContext {
  return new TurnContext(adapter, { type: 'message', text, channelId: 'test', conversation: { id: 'c1' } as never, from: { id: 'u', name: 'u' }, recipient: { id: 'b', name: 'b' } });
}

describe('optimistic conversation state on SQLite', () => {
  let dir: string;
  let db: SqliteSql;
  let storage: SqlStorage;
  const adapter = new TestAdapter();
  const row = () => db.raw.prepare("SELECT etag, document FROM bot_state WHERE key = 'test/conversations/c1/'").get() as { etag: string; document: string } | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optimistic-state-'));
    db = openDatabase(path.join(dir, 'bot.sqlite'));
    storage = new SqlStorage(db);
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a changed state, skips an unchanged one, and keeps the text it compared', async () => {
    const state = new OptimisticConversationState(storage);
    const count = state.createProperty<number>('count');
    const first = turn(adapter);
    await count.set(first, 1);
    await state.saveChanges(first);
    const written = row();
    assert.ok(written, 'the first save inserts the state');
    assert.deepEqual(JSON.parse(written.document), { count: 1 });

    const second = turn(adapter);
    assert.equal(await count.get(second), 1);
    await state.saveChanges(second);
    assert.equal(row()?.etag, written.etag, 'an unchanged state is not written again');

    await count.set(second, 2);
    await state.saveChanges(second);
    const changed = row();
    assert.notEqual(changed?.etag, written.etag);
    assert.equal(changed?.document, '{"count":2}');
  });

  it('refuses the later of two turns that loaded the same state (eTag), and what it wrote beside the state', async () => {
    const state = new OptimisticConversationState(storage);
    const count = state.createProperty<number>('count');
    const a = turn(adapter);
    const b = turn(adapter);
    await count.get(a, 0);
    await count.get(b, 0);
    await count.set(a, 1);
    await count.set(b, 10);
    state.writeBeside(a, 'replies/0', { activityId: 'm1', replies: '[]' });
    state.writeBeside(b, 'replies/0', { activityId: 'm2', replies: '[]' });
    await state.saveChanges(a);
    await assert.rejects(state.saveChanges(b), ETagConflictError);
    assert.deepEqual(JSON.parse(row()!.document), { count: 1 }, 'the state document carries none of what was written beside it');
    const kept = await state.readBeside(turn(adapter), ['replies/0', 'replies/1']);
    assert.deepEqual(Object.keys(kept), ['replies/0']);
    assert.equal(kept['replies/0'].activityId, 'm1', 'the refused turn stored nothing beside the state either');

    const c = turn(adapter);
    const d = turn(adapter);
    await count.set(c, (await count.get(c, 0)) + 1);
    await count.set(d, (await count.get(d, 0)) + 1);
    await state.saveChanges(d);
    await assert.rejects(state.saveChanges(c), ETagConflictError);
    assert.deepEqual(JSON.parse(row()!.document), { count: 2 });
  });

  it('the storage hands out the text it parsed, and uses text given for a write only once', async () => {
    await storage.write({ k: { a: 1, eTag: '*' } });
    const item = (await storage.read(['k'])).k;
    assert.equal(documentTextAsRead(item), '{"a":1}');

    // A write that fails keeps nothing: the item's next write serialises what the item holds then.
    item.a = 2;
    const stale = { ...item, eTag: 'not-the-stored-one' };
    await assert.rejects(storage.write({ k: writeWithDocumentText(stale, '{"a":2}') }), ETagConflictError);
    stale.a = 3;
    stale.eTag = item.eTag;
    await storage.write({ k: stale });
    assert.deepEqual((await storage.read(['k'])).k.a, 3);
  });
});
