// Every store the bot keeps, one contract, run on SQLite and on PostgreSQL: the same statements must
// mean the same thing on both engines, including the ones that decide races (one winner of an accept,
// one use of an invite, the PIN counters, request numbers under concurrency).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../bot/storage/database';
import { openPostgres } from '../../bot/storage/postgres';
import type { SqlDatabase } from '../../bot/storage/sql';
import { DEMO_ORGANISATIONS, OrganisationError, OrganisationStore } from '../../bot/orgs/organisations';
import { PinService } from '../../bot/pin/pin-service';
import type { CodeMessage } from '../../bot/pin/delivery';
import { createLogger } from '../../bot/logger';
import { RequestStore, validateForm, NewRequest } from '../../bot/requests/requests';
import { SearchLog } from '../../knowledge/search/search-log';
import { HandoffStore, NewHandoff } from '../../bot/handoff/handoffs';
import { ConversationLog, RECENT_MESSAGES } from '../../bot/handoff/conversation-log';
import { AgentError, AgentStore } from '../../bot/agents/agents';
import { AgentSessions, LOGIN_FAILURES } from '../../bot/agent-console/sessions';
import { DirectLineConversations } from '../../bot/directline/conversations';
import { RunningPostgres, startPostgres } from '../support/postgres';

const NOW = new Date('2026-11-26T03:00:00Z');
const clock = () => NOW;
const SCOPE = { channelId: 'emulator', conversationId: 'c-1', userId: 'u-1', purpose: 'act-for-organisation' as const };

function contract(name: string, open: () => Promise<{ db: SqlDatabase; close(): Promise<void> }>) {
  describe(`store contract: ${name}`, function () {
    this.timeout(60_000);
    let db: SqlDatabase;
    let close: () => Promise<void>;
    let organisations: OrganisationStore;

    beforeEach(async () => {
      ({ db, close } = await open());
      organisations = new OrganisationStore(db, clock);
      for (const org of DEMO_ORGANISATIONS) await organisations.save(org);
    });
    afterEach(() => close());

    it('runs a transaction whole or not at all, and refuses statements outside its session', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.run("INSERT INTO agent_channels (id, conversation_reference, registered_by, registered_at) VALUES ('x', '{}', 'me', 'now')");
          throw new Error('stop');
        }),
        /stop/,
      );
      assert.equal(await db.get("SELECT id FROM agent_channels WHERE id = 'x'"), undefined);
      await assert.rejects(db.transaction(async () => db.get('SELECT 1 AS one')), /outside the transaction session/);
      assert.equal(await db.isReachable(), true);
    });

    it('organisations: found by tenant, domain and email; identifiers belong to one', async () => {
      assert.equal((await organisations.find('00000000-0000-4000-8000-00000000C0DE'))?.id, 'contoso-demo');
      assert.equal((await organisations.find('someone@CONTOSO.example'))?.id, 'contoso-demo');
      assert.equal(await organisations.find('nobody.example'), undefined);
      await assert.rejects(organisations.save({ ...DEMO_ORGANISATIONS[1], id: 'copycat', domains: ['contoso.example'] }), OrganisationError);
      assert.deepEqual((await organisations.list()).map((o) => o.id), ['contoso-demo', 'fabrikam-demo']);
      assert.equal(await organisations.remove('fabrikam-demo'), true);
      assert.equal(await organisations.find('fabrikam.example'), undefined, 'its identifiers went with it');
    });

    it('PINs: one mail per activity, the send limit, the attempt counter and one use', async () => {
      const sent: CodeMessage[] = [];
      const pins = new PinService(db, organisations, { send: async (m) => void sent.push(m) }, createLogger('silent', new Writable({ write: (_c, _e, d) => d() })), undefined, clock);
      const ask = (activityKey: string) => pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey, locale: 'en' });
      assert.equal((await ask('a-1')).outcome, 'sent');
      assert.equal((await ask('a-1')).outcome, 'sent');
      assert.equal(sent.length, 1, 'a redelivered activity sends nothing more');
      const results = await Promise.all(['a-2', 'a-3', 'a-4'].map(ask));
      assert.deepEqual(results.map((r) => r.outcome).sort(), ['rate-limited', 'sent', 'sent'], 'three sends per window, even asked at once');
      const code = sent[sent.length - 1].code;
      const wrong = code === '000000' ? '111111' : '000000';
      const checks = await Promise.all(Array.from({ length: 5 }, () => pins.verify(SCOPE, 'contoso.example', wrong)));
      assert.ok(checks.every((c) => !c.ok));
      assert.deepEqual(await pins.verify(SCOPE, 'contoso.example', code), { ok: false, reason: 'locked' });

      const other = { ...SCOPE, userId: 'u-2' };
      await pins.request({ scope: other, organisation: 'contoso.example', activityKey: 'b-1', locale: 'en' });
      const fresh = sent[sent.length - 1].code;
      const both = await Promise.all([pins.verify(other, 'contoso.example', fresh, 'b-2'), pins.verify(other, 'contoso.example', fresh, 'b-3')]);
      assert.equal(both.filter((c) => c.ok).length, 1, 'one of two right answers at once uses the code');
      assert.equal(await pins.verifiedOrganisation(other), 'contoso-demo');
      assert.equal(await pins.isVerified(other, 'contoso-demo'), true);
    });

    it('requests: one per activity, numbers without gaps under concurrency, history in order', async () => {
      const contoso = (await organisations.get('contoso-demo'))!;
      const valid = validateForm({ description: 'Mail bounces since this morning.', category: 'technical', severity: 'B', phone: '+1 425 555 0100', email: 'admin@contoso.example', method: 'email' });
      assert.ok(valid.ok);
      const store = new RequestStore(db, clock);
      const input = (key: string): NewRequest => ({
        idempotencyKey: key,
        organisation: contoso,
        requester: { channelId: 'emulator', userId: 'u-1' },
        form: valid.form,
        language: 'en',
        conversationReference: {},
        target: { amount: 1, unit: 'businessDay' },
        hours: { kind: 'always' },
      });
      const made = await Promise.all(['k-1', 'k-2', 'k-3', 'k-1', 'k-4', 'k-2'].map((k) => store.create(input(k))));
      assert.equal(made.filter((m) => m.created).length, 4);
      assert.deepEqual([...new Set(made.map((m) => m.request.number))].sort(), ['2026-000001', '2026-000002', '2026-000003', '2026-000004']);
      const number = made[0].request.number;
      await store.setStatus(number, 'queued', 'support');
      await store.addNote(number, 'support', 'looking');
      await store.setStatus(number, 'in_progress', 'agent:Mina');
      assert.deepEqual((await store.historyOf(number)).map((h) => h.change.status ?? h.change.note), ['new', 'queued', 'looking', 'in_progress']);
      assert.equal((await store.queueLoad(made[0].request.queue, new Date(0))).waiting, 3);
      assert.equal((await store.listForOrganisation('contoso-demo')).length, 4);
      assert.equal(await store.get(number, 'fabrikam-demo'), undefined);
    });

    it('search log: feedback, counts and the unanswered report', async () => {
      const log = new SearchLog(db, clock);
      const first = await log.record({ query: 'Add a domain?', language: 'en', results: [{ id: 'en/add-domain.md#add', score: 1.23456 }] });
      await log.record({ query: 'add a domain', language: 'en', results: [] });
      await log.record({ query: '도메인 추가', language: 'ko', results: [] });
      assert.equal(await log.markHelpful(first, false), true);
      assert.equal(await log.markHelpful('unknown', true), false);
      assert.deepEqual(await log.counts(), { searches: 3, noResults: 2, helpful: 0, unhelpful: 1 });
      const report = await log.unanswered();
      assert.deepEqual(report.map((r) => [r.query, r.asked]), [['add a domain', 2], ['도메인 추가', 1]]);
      assert.deepEqual((await log.feedbackSince(new Date(0))).map((f) => f.helpful), [false]);
    });

    it('handoffs: one open per conversation, queue order, one winner per accept, Teams thread lookup', async () => {
      const store = new HandoffStore(db, clock);
      const input = (key: string): NewHandoff => ({
        conversationKey: key,
        conversationReference: { conversation: { id: key } },
        queue: 'worldwide:technical:en',
        locale: 'en',
        trigger: 'asked',
        summary: { trigger: 'asked', searches: [], articles: [], verified: false, locale: 'en', channelId: 'emulator' },
        transcript: [{ at: NOW.toISOString(), role: 'user', text: 'help' }],
      });
      const opened = await Promise.all(['h-1', 'h-2', 'h-1', 'h-3'].map((k) => store.open(input(k))));
      assert.equal(opened.filter((o) => o.created).length, 3);
      const [one, two, three] = ['h-1', 'h-2', 'h-3'].map((k) => opened.find((o) => o.handoff.conversationKey === k)!.handoff);
      const listed = await store.waiting('worldwide:technical:en');
      assert.deepEqual(listed.map((h) => h.id).sort(), [one.id, two.id, three.id].sort());
      assert.deepEqual(await Promise.all(listed.map((h) => store.position(h))), [1, 2, 3], 'positions follow the queue order');
      const results = await Promise.all([store.accept(two.id, 'Mina'), store.accept(two.id, 'Jun')]);
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.equal((await store.position(two)), 0);
      await store.setTeamsThread(three.id, { reference: { conversation: { id: 'channel;messageid=42' } }, activityId: '42' });
      assert.equal((await store.byTeamsActivity('42'))?.id, three.id);
      await store.append(three.id, { role: 'agent', name: 'Mina', text: 'hello' });
      assert.deepEqual((await store.transcript(three.id)).map((e) => e.text), ['help', 'hello']);
      assert.equal(await store.close(one.id, 'cancelled', 'user'), true);
      assert.equal(await store.close(one.id, 'cancelled', 'user'), false);
      assert.equal((await store.open(input('h-1'))).created, true, 'a closed handoff frees the conversation');
    });

    it('conversation log keeps the latest messages per conversation', async () => {
      const log = new ConversationLog(db, clock);
      for (let i = 0; i < RECENT_MESSAGES + 10; i++) await log.record('k', { at: NOW.toISOString(), role: i % 2 ? 'bot' : 'user', text: `m${i}` });
      await log.prune('k');
      const recent = await log.recent('k');
      assert.equal(recent.length, RECENT_MESSAGES);
      assert.equal(recent[0].text, 'm10');
      assert.equal(recent[recent.length - 1].text, `m${RECENT_MESSAGES + 9}`);
    });

    it('agents, console sessions and invites', async () => {
      const agents = new AgentStore(db, clock);
      await agents.add({ name: 'Mina', languages: ['en', 'ko'], password: 'a long console password' });
      await assert.rejects(agents.add({ name: 'Mina', languages: ['en'], password: 'another long password' }), AgentError);
      await agents.setPresence('Mina', 'online');
      assert.deepEqual((await agents.onlineFor('worldwide:technical:en')).map((a) => a.name), ['Mina']);
      assert.equal((await agents.checkPassword('Mina', 'a long console password'))?.name, 'Mina');
      assert.equal(await agents.checkPassword('Mina', 'wrong'), undefined);
      const sessions = new AgentSessions(db, clock);
      const session = await sessions.create('Mina');
      assert.equal((await sessions.find(session.token))?.agentName, 'Mina');
      assert.equal(await sessions.destroy(session.token), true);
      assert.equal(await sessions.find(session.token), undefined);
      const invite = await sessions.invite('Mina', 60);
      const redeemed = await Promise.all([sessions.redeem(invite), sessions.redeem(invite)]);
      assert.deepEqual(redeemed.filter(Boolean), ['Mina'], 'an invite works once, even redeemed twice at once');
    });

    it('console logins: of parallel password attempts for one name, exactly the limit get through', async () => {
      const sessions = [new AgentSessions(db, clock), new AgentSessions(db, clock)];
      const allowed = await Promise.all(Array.from({ length: LOGIN_FAILURES + 5 }, (_, i) => sessions[i % 2].loginAttempt(i % 3 ? 'Kim' : ' KIM ')));
      assert.equal(allowed.filter(Boolean).length, LOGIN_FAILURES);
      assert.equal(await sessions[1].loginAllowed('kim'), false);
      await sessions[0].loginSucceeded('Kim');
      assert.equal(await sessions[1].loginAttempt('Kim'), true);
    });

    it('agent console streams: stale ones are taken once, fresh ones on another instance count', async () => {
      let now = NOW.getTime();
      const agents = new AgentStore(db, () => new Date(now));
      await agents.streaming('instance-a', ['Kim', 'Min']);
      now += 30_000;
      await agents.streaming('instance-b', ['Min']);
      const since = () => new Date(now - 20_000);
      assert.equal(await agents.streamingElsewhere('Min', 'instance-a', since()), true);
      assert.equal(await agents.streamingElsewhere('Kim', 'instance-a', since()), false);
      // Two instances sweeping at once: each vanished agent goes to one of them.
      const taken = await Promise.all([agents.takeVanished(since()), agents.takeVanished(since())]);
      assert.deepEqual(taken.flat(), ['Kim']);
      now += 30_000;
      await agents.notStreaming('Min', 'instance-b');
      assert.deepEqual(await agents.takeVanished(since()), ['Min'], "instance A's old record of Min is all that is left");
      assert.deepEqual(await agents.takeVanished(since()), []);
    });

    it('Direct Line conversations: ordered activities, watermarks and replaced activities', async () => {
      const conversations = new DirectLineConversations(db, clock);
      await conversations.create('dl-1', 'user-1');
      assert.equal(await conversations.exists('dl-1'), true);
      assert.equal(await conversations.exists('dl-2'), false);
      const ids = await Promise.all(['a', 'b', 'c'].map((text) => conversations.append('dl-1', { type: 'message', text })));
      assert.equal(new Set(ids).size, 3);
      const first = await conversations.since('dl-1', 0);
      assert.equal(first.watermark, '3');
      assert.equal(await conversations.replace('dl-1', ids[0], { type: 'message', text: 'a, updated' }), true);
      assert.equal(await conversations.replace('dl-1', 'dl-1|9999999', { type: 'message', text: 'x' }), false);
      const next = await conversations.since('dl-1', 3);
      assert.deepEqual(next.activities.map((a) => [a.id, a.text]), [[ids[0], 'a, updated']]);
    });
  });
}

contract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stores-'));
  const db = openDatabase(path.join(dir, 'bot.sqlite'));
  return {
    db,
    close: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('on PostgreSQL', function () {
  this.timeout(120_000);
  let server: RunningPostgres | undefined;
  let databases = 0;
  before(async function () {
    server = await startPostgres(this);
  });
  after(() => server?.stop());

  contract('PostgreSQL', async () => {
    const db = await openPostgres(await server!.createDatabase(`stores_${++databases}`), 5);
    return { db, close: () => db.close() };
  });
});
