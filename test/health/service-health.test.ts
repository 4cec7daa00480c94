import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DEMO_FEED_PATH,
  FeedError,
  matchIssues,
  parseFeed,
  ServiceHealthFeed,
  type FeedLogger,
} from '../../bot/health/service-health';

const NOW = new Date('2025-11-24T12:00:00Z');
const demoJson = (): { value: Record<string, unknown>[] } => JSON.parse(fs.readFileSync(DEMO_FEED_PATH, 'utf8'));

// A valid Graph-shaped entry; `over` replaces any field.
function issue(over: Record<string, unknown> & { id: string }): Record<string, unknown> {
  return {
    title: `Issue ${over.id}`,
    service: 'Exchange Online',
    classification: 'incident',
    status: 'serviceDegradation',
    startDateTime: '2025-11-24T08:00:00Z',
    endDateTime: null,
    lastModifiedDateTime: '2025-11-24T09:00:00Z',
    isResolved: false,
    impactDescription: 'Something is slow.',
    ...over,
  };
}

describe('service health feed', () => {
  describe('parseFeed', () => {
    it('parses the demo feed with no rejections', () => {
      assert.equal(DEMO_FEED_PATH, path.resolve(__dirname, '../../bot/health/demo-service-health.json'));
      const { issues, rejected } = parseFeed(demoJson());
      assert.deepEqual(rejected, []);
      assert.ok(issues.length >= 5 && issues.length <= 6);
      const ex = issues.find((i) => i.id === 'EX204311');
      assert.ok(ex);
      assert.equal(ex.classification, 'incident');
      assert.equal(ex.resolved, false);
      assert.equal(ex.end, undefined);
      assert.ok(ex.start instanceof Date && ex.start.toISOString() === '2025-11-24T07:15:00.000Z');
      assert.ok(ex.titleKo && ex.impactKo);
      assert.deepEqual(ex.clouds, ['worldwide']);
      assert.ok(issues.some((i) => i.clouds?.length === 1 && i.clouds[0] === '21vianet' && !i.resolved));
      assert.ok(issues.every((i) => i.titleKo && i.impactKo && /[\uAC00-\uD7A3]/.test(i.titleKo)));
      // Extension and unused Graph fields don't leak into the model.
      assert.equal((ex as unknown as Record<string, unknown>).posts, undefined);
    });

    it('rejects a broken entry with its index and keeps the rest', () => {
      const feed = {
        '@odata.context': 'x',
        value: [
          issue({ id: 'A1' }),
          { ...issue({ id: 'B2' }), classification: 'outage', startDateTime: 'yesterday' },
          'not an object',
          { ...issue({ id: 'C3' }), somethingNew: { nested: true }, posts: [] },
        ],
      };
      const { issues, rejected } = parseFeed(feed);
      assert.deepEqual(issues.map((i) => i.id), ['A1', 'C3']);
      assert.deepEqual(rejected.map((r) => r.index), [1, 2]);
      assert.match(rejected[0]!.reason, /classification/);
      assert.match(rejected[0]!.reason, /startDateTime/);
      assert.equal(issues[0]!.clouds, null);
    });

    it('throws FeedError for a document that is not a feed', () => {
      for (const bad of [null, [], 'text', 42, {}, { value: {} }, { issues: [] }]) {
        assert.throws(() => parseFeed(bad), (e: unknown) => e instanceof FeedError && /\{"value": \[\.\.\.\]\}/.test(e.message));
      }
    });
  });

  describe('active()', () => {
    const feed = new ServiceHealthFeed({ source: DEMO_FEED_PATH, clock: () => NOW });

    it('drops resolved and ended issues and puts incidents first, newest first', async () => {
      const all = await feed.active(undefined);
      assert.equal(feed.lastError, undefined);
      assert.ok(!all.some((i) => i.id === 'EX204299'), 'resolved issue hidden');
      assert.deepEqual(all.map((i) => i.id), ['SP204330', 'EX204311', 'MO204341', 'TM204322', 'OD204352']);
    });

    it('filters by cloud; issues without clouds apply to every cloud', async () => {
      assert.deepEqual((await feed.active('worldwide')).map((i) => i.id), ['SP204330', 'EX204311', 'TM204322']);
      assert.deepEqual((await feed.active('21vianet')).map((i) => i.id), ['MO204341', 'TM204322']);
      assert.deepEqual((await feed.active('germany')).map((i) => i.id), ['TM204322', 'OD204352']);
    });

    it('treats an issue whose endDateTime has passed as ended even if not marked resolved', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
      const file = path.join(dir, 'feed.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          value: [
            issue({ id: 'ENDED', endDateTime: '2025-11-24T11:00:00Z' }),
            issue({ id: 'ENDS-LATER', endDateTime: '2025-11-24T13:00:00Z' }),
            issue({ id: 'ALL-CLOUDS', classification: 'advisory', startDateTime: '2025-11-24T10:00:00Z' }),
          ],
        }),
      );
      try {
        const f = new ServiceHealthFeed({ source: file, clock: () => NOW });
        assert.deepEqual((await f.active('germany')).map((i) => i.id), ['ENDS-LATER', 'ALL-CLOUDS']);
        // The `now` argument overrides the clock for filtering.
        assert.deepEqual((await f.active(undefined, new Date('2025-11-24T14:00:00Z'))).map((i) => i.id), ['ALL-CLOUDS']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('returns [] with lastError for a missing file, without throwing', async () => {
      const warnings: string[] = [];
      const logger: FeedLogger = { warn: (_d, m) => warnings.push(m) };
      const f = new ServiceHealthFeed({ source: '/nonexistent/feed.json', logger });
      assert.deepEqual(await f.active('worldwide'), []);
      assert.match(f.lastError ?? '', /ENOENT/);
      assert.equal(warnings.length, 1);
    });
  });

  describe('URL source', () => {
    let server: http.Server;
    let base = '';
    const hits: Record<string, number> = {};
    const demo = fs.readFileSync(DEMO_FEED_PATH, 'utf8');

    before(async () => {
      server = http.createServer((req, res) => {
        const url = req.url ?? '/';
        hits[url] = (hits[url] ?? 0) + 1;
        const route = url.split('?')[0];
        if (route === '/feed') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(demo);
        } else if (route === '/broken') {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('boom');
        } else if (route === '/garbage') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"value": [');
        } else if (route === '/flaky') {
          // Fails on the first request only, to show failures are not cached.
          if (hits[url] === 1) {
            res.writeHead(503);
            res.end();
          } else {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(demo);
          }
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('reads the feed from an http URL', async () => {
      const f = new ServiceHealthFeed({ source: `${base}/feed?v=1`, clock: () => NOW });
      const issues = await f.active('worldwide');
      assert.equal(f.lastError, undefined);
      assert.deepEqual(issues.map((i) => i.id), ['SP204330', 'EX204311', 'TM204322']);
    });

    for (const [route, pattern] of [
      ['/broken', /HTTP 500/],
      ['/garbage', /not valid JSON/],
    ] as const) {
      it(`returns [] and sets lastError when the server answers ${route}`, async () => {
        const warnings: object[] = [];
        const f = new ServiceHealthFeed({ source: base + route, logger: { warn: (d) => warnings.push(d) } });
        assert.deepEqual(await f.active(undefined), []);
        assert.match(f.lastError ?? '', pattern);
        assert.equal(warnings.length, 1);
      });
    }

    it('returns [] when the connection is refused', async () => {
      const f = new ServiceHealthFeed({ source: 'http://127.0.0.1:1/feed' });
      assert.deepEqual(await f.active(undefined), []);
      assert.ok(f.lastError);
    });

    it('caches for cacheSeconds and refetches after', async () => {
      let now = NOW.getTime();
      const source = `${base}/feed?cache`;
      const key = '/feed?cache';
      const f = new ServiceHealthFeed({ source, clock: () => new Date(now), cacheSeconds: 30 });
      await f.active(undefined);
      assert.equal(hits[key], 1);
      now += 29_000;
      await Promise.all([f.active('worldwide'), f.active('germany')]);
      assert.equal(hits[key], 1, 'served from cache');
      now += 2_000;
      await Promise.all([f.active('worldwide'), f.active('germany')]);
      assert.equal(hits[key], 2, 'refetched once after expiry, shared by concurrent callers');
    });

    it('does not cache a failure', async () => {
      const f = new ServiceHealthFeed({ source: `${base}/flaky`, clock: () => NOW });
      assert.deepEqual(await f.active(undefined), []);
      assert.match(f.lastError ?? '', /503/);
      assert.equal((await f.active(undefined)).length, 5);
      assert.equal(f.lastError, undefined);
    });

    it('uses an injected fetch with a timeout signal', async () => {
      const seen: { url: string; signal?: AbortSignal | null }[] = [];
      const fakeFetch: typeof fetch = async (input, init) => {
        seen.push({ url: String(input), signal: init?.signal });
        return new Response(JSON.stringify({ value: [issue({ id: 'X1' })] }), { status: 200 });
      };
      const f = new ServiceHealthFeed({ source: 'https://health.example/issues', fetch: fakeFetch, clock: () => NOW });
      assert.deepEqual((await f.active(undefined)).map((i) => i.id), ['X1']);
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.url, 'https://health.example/issues');
      assert.ok(seen[0]!.signal instanceof AbortSignal);
    });
  });

  describe('matchIssues', () => {
    const { issues } = parseFeed(demoJson());

    it('ranks the Exchange mail-delay incident first for an English description', () => {
      const ranked = matchIssues(issues, 'emails are delayed in Outlook', 'en');
      assert.equal(ranked[0]!.id, 'EX204311');
      assert.equal(ranked.length, issues.length, 'orders, never filters');
    });

    it('ranks it first for a Korean description using the Korean fields', () => {
      const ranked = matchIssues(issues, '메일이 늦게 도착해요', 'ko');
      assert.equal(ranked[0]!.id, 'EX204311');
      assert.equal(ranked.length, issues.length);
    });

    it('keeps the given order when nothing matches', () => {
      assert.deepEqual(matchIssues(issues, 'xyz', 'en').map((i) => i.id), issues.map((i) => i.id));
      assert.deepEqual(matchIssues(issues, '안녕하세요', 'ko').map((i) => i.id), issues.map((i) => i.id));
    });

    it('finds other services too', () => {
      assert.equal(matchIssues(issues, 'SharePoint site says access denied', 'en')[0]!.id, 'SP204330');
      assert.equal(matchIssues(issues, '라이선스 할당이 안 돼요', 'ko')[0]!.id, 'MO204341');
    });
  });
});
