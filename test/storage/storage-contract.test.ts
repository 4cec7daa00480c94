// One contract for bot state on both backends: SQLite (a file) and PostgreSQL (a server started
// for this test). Round trips, eTags, all-or-nothing writes, two connections, and concurrent
// read-modify-write loops that must not lose an update.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Storage } from 'botbuilder';
import { openDatabase } from '../../bot/storage/database';
import { ETagConflictError, SqlStorage } from '../../bot/storage/sql-storage';
import { migratePostgres, openPool, PG_MIGRATIONS } from '../../bot/storage/postgres';
import { PostgresSql } from '../../bot/storage/sql';
import { RunningPostgres, startPostgres } from '../support/postgres';

interface Backend {
  /** A storage and a second, independent connection to the same data. */
  open(): Promise<{ storage: Storage; other: Storage; close(): Promise<void> }>;
}

/** Read, change, write; on an eTag conflict read again, as a turn retried after a conflict would. */
async function increment(storage: Storage, key: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const current = (await storage.read([key]))[key];
    try {
      await storage.write({ [key]: { ...current, count: (current.count as number) + 1 } });
      return attempt;
    } catch (error) {
      if (!(error instanceof ETagConflictError) || attempt > 200) throw error;
    }
  }
}

function contract(name: string, backend: () => Backend): void {
  describe(`bot state contract: ${name}`, () => {
    let storage: Storage;
    let other: Storage;
    let close: () => Promise<void>;
    beforeEach(async () => ({ storage, other, close } = await backend().open()));
    afterEach(() => close());

    it('round-trips items and assigns a fresh eTag on every write', async () => {
      await storage.write({ a: { count: 1, nested: { text: 'héllo 안녕 \u{1F600}' } } });
      const first = await storage.read(['a', 'missing']);
      assert.deepEqual(Object.keys(first), ['a']);
      assert.equal(first.a.nested.text, 'héllo 안녕 \u{1F600}');
      await storage.write({ a: { ...first.a, count: 2 } });
      const second = await storage.read(['a']);
      assert.equal(second.a.count, 2);
      assert.notEqual(second.a.eTag, first.a.eTag);
    });

    it('refuses a stale eTag, a concrete eTag for a deleted item, and lets "*" overwrite', async () => {
      await storage.write({ k: { v: 'original' } });
      const a = (await storage.read(['k'])).k;
      const b = (await other.read(['k'])).k;
      await storage.write({ k: { ...a, v: 'from A' } });
      await assert.rejects(other.write({ k: { ...b, v: 'from B' } }), ETagConflictError);
      assert.equal((await other.read(['k'])).k.v, 'from A');
      await storage.write({ k: { v: 'star', eTag: '*' } });
      const c = (await storage.read(['k'])).k;
      await other.delete(['k']);
      await assert.rejects(storage.write({ k: { ...c, v: 'after delete' } }), ETagConflictError);
      assert.deepEqual(await storage.read(['k']), {});
    });

    it('writes all keys of one call or none', async () => {
      await storage.write({ x: { v: 'x0' }, y: { v: 'y0' } });
      const { x, y } = await storage.read(['x', 'y']);
      await other.write({ y: { ...y, v: 'y1' } });
      await assert.rejects(storage.write({ x: { ...x, v: 'x1' }, y: { ...y, v: 'y-stale' } }), ETagConflictError);
      const after = await storage.read(['x', 'y']);
      assert.equal(after.x.v, 'x0');
      assert.equal(after.y.v, 'y1');
    });

    it('loses no update when two connections increment the same key concurrently', async () => {
      // Created first: a write without an eTag (a brand-new item) overwrites, as botbuilder expects.
      await storage.write({ counter: { count: 0 } });
      const loops = 40;
      const attempts = await Promise.all(Array.from({ length: loops }, (_, i) => increment(i % 2 ? storage : other, 'counter')));
      assert.equal((await storage.read(['counter'])).counter.count, loops);
      assert.ok(attempts.some((n) => n > 1), 'the race really happened (some writes had to retry)');
    });

    it('rejects bad arguments with a clear error', async () => {
      await assert.rejects(storage.read('a' as unknown as string[]), TypeError);
      await assert.rejects(storage.write(null as unknown as Record<string, unknown>), TypeError);
    });
  });
}

contract('SQLite', () => ({
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-'));
    const first = openDatabase(path.join(dir, 'bot.sqlite'));
    const second = openDatabase(path.join(dir, 'bot.sqlite'));
    return {
      storage: new SqlStorage(first),
      other: new SqlStorage(second),
      close: async () => {
        await first.close();
        await second.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
}));

let server: RunningPostgres | undefined;
let databases = 0;
describe('PostgreSQL', function () {
  this.timeout(120_000);
  before(async function () {
    server = await startPostgres(this);
  });
  after(() => server?.stop());

  it('migrates once when several instances start together, under an advisory lock', async () => {
    const url = await server!.createDatabase(`migrate_${++databases}`);
    const pools = Array.from({ length: 4 }, () => openPool(url, 2));
    try {
      const ran = await Promise.all(pools.map((p) => migratePostgres(p)));
      assert.equal(ran.reduce((a, b) => a + b, 0), PG_MIGRATIONS.length, 'each migration ran exactly once');
      const { rows } = await pools[0].query('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), PG_MIGRATIONS.map((m) => m.version));
      const { rows: settings } = await pools[0].query('SHOW synchronous_commit');
      assert.equal(settings[0].synchronous_commit, 'on');
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  contract('PostgreSQL', () => ({
    async open() {
      const url = await server!.createDatabase(`contract_${++databases}`);
      const first = openPool(url, 5);
      const second = openPool(url, 5);
      await migratePostgres(first);
      return {
        storage: new SqlStorage(new PostgresSql(first)),
        other: new SqlStorage(new PostgresSql(second)),
        close: async () => {
          await first.end();
          await second.end();
        },
      };
    },
  }));
});
