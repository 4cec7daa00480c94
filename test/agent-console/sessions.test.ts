// Agent console sessions and invites over the real SQLite schema: tokens live only in the browser
// (the tables keep SHA-256 hashes), sessions expire, invites work once, failed logins are limited.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { openDatabase } from '../../bot/storage/database';
import { AgentStore } from '../../bot/agents/agents';
import { AgentSessions, LOGIN_FAILURES, SESSION_HOURS } from '../../bot/agent-console/sessions';

const sha256 = (v: string) => crypto.createHash('sha256').update(v).digest('hex');

describe('agent console sessions', () => {
  let now: Date;
  let db: ReturnType<typeof openDatabase>;
  let sessions: AgentSessions;

  beforeEach(async () => {
    now = new Date('2026-11-24T03:00:00Z');
    db = openDatabase(':memory:');
    await new AgentStore(db).add({ name: 'Kim', languages: ['en'], aadObjectId: '00000000-0000-4000-8000-000000000001' });
    await new AgentStore(db).add({ name: 'Min', languages: ['ko'], aadObjectId: '00000000-0000-4000-8000-000000000002' });
    sessions = new AgentSessions(db, () => now);
  });

  it('creates a session found by its token, with its own CSRF token, until it is destroyed', async () => {
    const a = await sessions.create('Kim');
    const b = await sessions.create('Kim');
    assert.match(a.token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.token, b.token);
    assert.notEqual(a.csrf, b.csrf);
    assert.deepEqual(await sessions.find(a.token), { agentName: 'Kim', csrf: a.csrf });
    assert.equal(await sessions.find(undefined), undefined);
    assert.equal(await sessions.find('not a token'), undefined);
    assert.equal(await sessions.find(crypto.randomBytes(32).toString('base64url')), undefined, 'an unknown token finds nothing');
    assert.equal(await sessions.destroy(a.token), true);
    assert.equal(await sessions.find(a.token), undefined);
    assert.equal(await sessions.destroy(a.token), false);
    assert.equal((await sessions.find(b.token))?.agentName, 'Kim', 'other sessions live on');
  });

  it('expires a session after its lifetime', async () => {
    const { token } = await sessions.create('Kim');
    now = new Date(now.getTime() + SESSION_HOURS * 3600_000 - 1000);
    assert.equal((await sessions.find(token))?.agentName, 'Kim');
    now = new Date(now.getTime() + 1000);
    assert.equal(await sessions.find(token), undefined);
  });

  it('stores only hashes of session and invite tokens', async () => {
    const { token } = await sessions.create('Kim');
    const invite = await sessions.invite('Min');
    const rows = JSON.stringify([db.raw.prepare('SELECT * FROM agent_sessions').all(), db.raw.prepare('SELECT * FROM agent_invites').all()]);
    assert.ok(!rows.includes(token), 'no session token in the database');
    assert.ok(!rows.includes(invite), 'no invite token in the database');
    assert.deepEqual(db.raw.prepare('SELECT token_hash FROM agent_sessions').all(), [{ token_hash: sha256(token) }]);
    assert.deepEqual(db.raw.prepare('SELECT token_hash FROM agent_invites').all(), [{ token_hash: sha256(invite) }]);
  });

  it('redeems an invite exactly once', async () => {
    const token = await sessions.invite('Min');
    assert.equal(await sessions.redeem(token), 'Min');
    assert.equal(await sessions.redeem(token), undefined);
    assert.equal(await sessions.redeem('garbage'), undefined);
    assert.equal(await sessions.redeem(crypto.randomBytes(32).toString('base64url')), undefined);
    const used = db.raw.prepare('SELECT used_at FROM agent_invites').get() as { used_at: string };
    assert.equal(used.used_at, now.toISOString());
  });

  it('refuses an expired invite', async () => {
    const token = await sessions.invite('Min', 30);
    now = new Date(now.getTime() + 30 * 60_000);
    assert.equal(await sessions.redeem(token), undefined);
    const fresh = await sessions.invite('Min');
    now = new Date(now.getTime() + 23 * 3600_000);
    assert.equal(await sessions.redeem(fresh), 'Min', 'the default lifetime is a day');
    await assert.rejects(sessions.invite('Min', 0), RangeError);
  });

  it('sessions and invites go with their agent', async () => {
    const { token } = await sessions.create('Kim');
    const invite = await sessions.invite('Kim');
    await new AgentStore(db).remove('Kim');
    assert.equal(await sessions.find(token), undefined);
    assert.equal(await sessions.redeem(invite), undefined);
  });

  it('limits failed logins per name within the window', async () => {
    for (let i = 0; i < LOGIN_FAILURES; i++) {
      assert.equal(await sessions.loginAllowed('Kim'), true);
      await sessions.loginFailed(i % 2 ? 'Kim' : ' kim ');
    }
    assert.equal(await sessions.loginAllowed('Kim'), false);
    assert.equal(await sessions.loginAllowed('KIM'), false, 'names are compared case-insensitively');
    assert.equal(await sessions.loginAllowed('Min'), true, 'other names are not affected');
    now = new Date(now.getTime() + 15 * 60_000 + 1);
    assert.equal(await sessions.loginAllowed('Kim'), true, 'failures age out');
    await sessions.loginFailed('Min');
    await sessions.loginSucceeded('Min');
    assert.equal(await sessions.loginAllowed('Min'), true);
  });

  it('counts an attempt before its password is checked, and forgets it on success', async () => {
    for (let i = 0; i < LOGIN_FAILURES; i++) assert.equal(await sessions.loginAttempt('Kim'), true);
    assert.equal(await sessions.loginAttempt('Kim'), false, 'attempts still being checked count');
    await sessions.loginSucceeded('Kim');
    assert.equal(await sessions.loginAttempt('Kim'), true);
  });

  it('keeps the count in the database, so every instance on it sees the same failures', async () => {
    for (let i = 0; i < LOGIN_FAILURES; i++) await sessions.loginFailed('Kim');
    const other = new AgentSessions(db, () => now);
    assert.equal(await other.loginAttempt('Kim'), false);
  });
});
