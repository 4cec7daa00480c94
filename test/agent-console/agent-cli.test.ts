// `npm run agent -- invite` prints a one-time console link (token hashed in DATA_DIR's database) and
// `presence` sets an agent's presence.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../bot/storage/database';
import { AgentStore } from '../../bot/agents/agents';
import { AgentSessions } from '../../bot/agent-console/sessions';

describe('agent CLI: invite and presence', function () {
  this.timeout(120_000);
  const root = path.resolve(__dirname, '../..');
  let dataDir: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bot/agents/agent-cli.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: 'https://support.example.com/' },
      encoding: 'utf8',
    });

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-cli-'));
    const added = run('add', '--name', 'Jisoo', '--languages', 'ko,en', '--aad-object-id', '00000000-0000-4000-8000-00000000000a');
    assert.equal(added.status, 0, added.stderr);
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints a one-time link under PUBLIC_URL whose token only the hash of is stored', async () => {
    const invited = run('invite', '--name', 'Jisoo', '--minutes', '90');
    assert.equal(invited.status, 0, invited.stderr);
    const match = /^https:\/\/support\.example\.com\/agent#invite=([A-Za-z0-9_-]{43})\n$/.exec(invited.stdout);
    assert.ok(match, invited.stdout);
    const token = match[1];
    assert.match(invited.stderr, /valid 90 minutes/);

    const db = openDatabase(path.join(dataDir, 'bot.sqlite'));
    try {
      const rows = db.raw.prepare('SELECT * FROM agent_invites').all() as { token_hash: string; created_at: string; expires_at: string }[];
      assert.equal(rows.length, 1);
      assert.equal(rows[0].token_hash, crypto.createHash('sha256').update(token).digest('hex'));
      assert.ok(!JSON.stringify(rows).includes(token));
      assert.equal(Date.parse(rows[0].expires_at) - Date.parse(rows[0].created_at), 90 * 60_000);
      const sessions = new AgentSessions(db);
      assert.equal(await sessions.redeem(token), 'Jisoo');
      assert.equal(await sessions.redeem(token), undefined);
    } finally {
      await db.close();
    }
  });

  it('refuses an unknown agent or a bad lifetime', () => {
    const unknown = run('invite', '--name', 'Nobody');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /agent: no agent named "Nobody"/);
    assert.equal(run('invite', '--name', 'Jisoo', '--minutes', '0').status, 2);
    assert.equal(run('invite', '--name', 'Jisoo', '--minutes', 'soon').status, 2);
  });

  it('sets presence', async () => {
    const set = run('presence', '--name', 'Jisoo', '--set', 'online');
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /Jisoo is online/);
    assert.match(run('list').stdout, /Jisoo\tonline\t/);
    const bad = run('presence', '--name', 'Jisoo', '--set', 'busy');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--set is one of online, away, offline/);
    assert.equal(run('presence', '--name', 'Nobody', '--set', 'away').status, 2);
    const db = openDatabase(path.join(dataDir, 'bot.sqlite'));
    try {
      assert.equal((await new AgentStore(db).get('Jisoo'))?.presence, 'online');
    } finally {
      await db.close();
    }
  });
});
