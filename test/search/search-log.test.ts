// The search log and the report built from it: what was asked and not answered, grouped, most
// frequent first, with no personal data beyond the query text.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../bot/storage/database';
import { MAX_LOGGED_QUERY_CHARS, normalizeQuery, SearchLog } from '../../knowledge/search/search-log';

describe('search log', () => {
  let now = new Date('2026-11-20T10:00:00Z');
  const clock = () => now;

  it('records a search and its yes/no, and refuses feedback for an unknown id', async () => {
    const log = new SearchLog(openDatabase(':memory:'), clock);
    const id = await log.record({ query: 'add a domain', language: 'en', cloud: '21vianet', results: [{ id: 'en/add-domain.md#add', score: 12.3456 }] });
    assert.deepEqual(await log.get(id), { query: 'add a domain', language: 'en', cloud: '21vianet', results: [{ id: 'en/add-domain.md#add', score: 12.346 }], helpful: null });
    assert.equal(await log.markHelpful(id, false), true);
    assert.equal((await log.get(id))!.helpful, false);
    assert.equal(await log.markHelpful('no-such-id', true), false);
    assert.equal((await log.record({ query: 'x'.repeat(5000), language: 'en', results: [] })).length, 36);
    assert.ok((await log.unanswered()).every((r) => r.query.length <= MAX_LOGGED_QUERY_CHARS));
  });

  it('groups unanswered questions (no results or marked unhelpful), most frequent first', async () => {
    const log = new SearchLog(openDatabase(':memory:'), clock);
    const hit = [{ id: 'en/a.md#a', score: 1 }];
    for (const q of ['How do I set up DKIM?', 'how do i set up dkim', 'How do I  set up DKIM']) await log.record({ query: q, language: 'en', results: [] });
    await log.markHelpful(await log.record({ query: 'printer offline', language: 'en', results: hit }), false);
    await log.markHelpful(await log.record({ query: 'printer offline', language: 'en', results: hit }), true);
    await log.record({ query: '프린터 연결', language: 'ko', results: [] });
    await log.record({ query: 'answered and never rated', language: 'en', results: hit });
    now = new Date('2026-11-21T10:00:00Z');
    const rows = await log.unanswered();
    assert.deepEqual(
      rows.map((r) => [r.query, r.language, r.asked, r.noResults, r.unhelpful]),
      [
        ['how do i set up dkim', 'en', 3, 3, 0],
        ['printer offline', 'en', 1, 0, 1],
        ['프린터 연결', 'ko', 1, 1, 0],
      ],
    );
    assert.deepEqual(await log.counts(), { searches: 7, noResults: 4, helpful: 1, unhelpful: 1 });
    assert.equal(normalizeQuery('  Hello   World?? '), 'hello world');
  });

  it('npm run knowledge:report prints the grouped questions and nothing about who asked', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    try {
      const db = openDatabase(path.join(dataDir, 'bot.sqlite'));
      const log = new SearchLog(db);
      await log.record({ query: 'configure DKIM for contoso.com', language: 'en', results: [] });
      await log.record({ query: 'configure dkim for contoso.com', language: 'en', results: [] });
      await db.close();
      const root = path.resolve(__dirname, '../..');
      const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'knowledge/search/report-cli.ts')], {
        cwd: root,
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      });
      assert.match(out, /searches: 2, no results: 2/);
      assert.match(out, /2\s+2\s+0\s+\[en\] "configure dkim for contoso\.com"/);
      assert.doesNotMatch(out, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no search ids');
      const json = JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'knowledge/search/report-cli.ts'), '--json'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' }),
      ) as { unanswered: Record<string, unknown>[] };
      assert.deepEqual(Object.keys(json.unanswered[0]).sort(), ['asked', 'language', 'lastAsked', 'noResults', 'query', 'unhelpful']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
