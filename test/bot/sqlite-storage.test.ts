import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS, migrate, openDatabase } from '../../bot/storage/database';
import type { SqliteSql } from '../../bot/storage/sql';
import { ETagConflictError, SqlStorage } from '../../bot/storage/sql-storage';

describe('SQLite storage', () => {
  let dir: string;
  let sql: SqliteSql;
  let db: SqliteSql['raw'];
  let storage: SqlStorage;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    sql = openDatabase(path.join(dir, 'bot.sqlite'));
    db = sql.raw;
    storage = new SqlStorage(sql);
  });
  afterEach(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=FULL and records its migrations once', () => {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 2); // 2 = FULL
    assert.equal(migrate(db), 0, 'a second run applies nothing');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    assert.deepEqual(versions.map((v) => v.version), MIGRATIONS.map((m) => m.version));
  });

  it('round-trips items and assigns a fresh eTag on every write', async () => {
    await storage.write({ a: { count: 1, nested: { text: 'héllo 안녕' } } });
    const first = await storage.read(['a', 'missing']);
    assert.deepEqual(Object.keys(first), ['a']);
    assert.equal(first.a.count, 1);
    assert.equal(first.a.nested.text, 'héllo 안녕');
    assert.ok(first.a.eTag);
    await storage.write({ a: { ...first.a, count: 2 } });
    const second = await storage.read(['a']);
    assert.equal(second.a.count, 2);
    assert.notEqual(second.a.eTag, first.a.eTag);
  });

  it('refuses a write with a stale eTag and keeps the newer value', async () => {
    await storage.write({ k: { v: 'original' } });
    const readByA = (await storage.read(['k'])).k;
    const readByB = (await storage.read(['k'])).k;
    await storage.write({ k: { ...readByA, v: 'from A' } });
    await assert.rejects(storage.write({ k: { ...readByB, v: 'from B' } }), ETagConflictError);
    assert.equal((await storage.read(['k'])).k.v, 'from A');
  });

  it('lets "*" and a missing eTag overwrite (last writer wins, as botbuilder expects)', async () => {
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    await storage.write({ k: { v: 3 } });
    assert.equal((await storage.read(['k'])).k.v, 3);
  });

  it('refuses a concrete eTag for an item deleted in between', async () => {
    await storage.write({ k: { v: 1 } });
    const item = (await storage.read(['k'])).k;
    await storage.delete(['k']);
    await assert.rejects(storage.write({ k: { ...item, v: 2 } }), ETagConflictError);
    assert.deepEqual(await storage.read(['k']), {});
  });

  it('writes all keys of one call or none', async () => {
    await storage.write({ x: { v: 'x0' }, y: { v: 'y0' } });
    const { x, y } = await storage.read(['x', 'y']);
    await storage.write({ y: { ...y, v: 'y1' } });
    await assert.rejects(storage.write({ x: { ...x, v: 'x1' }, y: { ...y, v: 'y-stale' } }), ETagConflictError);
    const after = await storage.read(['x', 'y']);
    assert.equal(after.x.v, 'x0', 'the non-conflicting key was not written either');
    assert.equal(after.y.v, 'y1');
  });

  it('detects conflicts between two connections to the same file and survives a reopen', async () => {
    const other = new SqlStorage(openDatabase(path.join(dir, 'bot.sqlite')));
    await storage.write({ shared: { v: 0 } });
    const mine = (await storage.read(['shared'])).shared;
    const theirs = (await other.read(['shared'])).shared;
    await other.write({ shared: { ...theirs, v: 'theirs' } });
    await assert.rejects(storage.write({ shared: { ...mine, v: 'mine' } }), ETagConflictError);
    db.close();
    const reopened = new SqlStorage(openDatabase(path.join(dir, 'bot.sqlite')));
    assert.equal((await reopened.read(['shared'])).shared.v, 'theirs');
  });

  it('rejects bad arguments with a clear error', async () => {
    await assert.rejects(storage.read('a' as unknown as string[]), TypeError);
    await assert.rejects(storage.write(null as unknown as Record<string, unknown>), TypeError);
  });
});
