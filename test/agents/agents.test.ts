// Agent accounts: validation, scrypt passwords (never stored in clear), presence, and the CLI
// honouring DATA_DIR.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../bot/storage/database';
import { AgentError, AgentStore } from '../../bot/agents/agents';

describe('support agents', () => {
  it('adds an agent with a scrypt password, checks it, and never stores it in clear', async () => {
    const db = openDatabase(':memory:');
    const agents = new AgentStore(db);
    const kim = await agents.add({ name: 'Kim', languages: ['en', 'ko'], queues: ['worldwide:technical:ko'], password: 'correct horse battery' });
    assert.deepEqual(kim, { name: 'Kim', languages: ['en', 'ko'], queues: ['worldwide:technical:ko'], aadObjectId: undefined, hasPassword: true, presence: 'offline' });
    assert.ok(!JSON.stringify(db.raw.prepare('SELECT * FROM agents').all()).includes('correct horse'));
    assert.equal((await agents.checkPassword('Kim', 'correct horse battery'))?.name, 'Kim');
    assert.equal(await agents.checkPassword('Kim', 'wrong password!!'), undefined);
    assert.equal(await agents.checkPassword('Nobody', 'correct horse battery'), undefined);
  });

  it('refuses bad input with a clear message', async () => {
    const agents = new AgentStore(openDatabase(':memory:'));
    await assert.rejects(agents.add({ name: 'A', languages: [], password: 'long enough pw' }), /at least one language/);
    await assert.rejects(agents.add({ name: 'A', languages: ['fr'], password: 'long enough pw' }), AgentError);
    await assert.rejects(agents.add({ name: 'A', languages: ['en'], password: 'short' }), /12 characters/);
    await assert.rejects(agents.add({ name: 'A', languages: ['en'], queues: ['mars:technical:en'], password: 'long enough pw' }), /queue/);
    await assert.rejects(agents.add({ name: 'A', languages: ['en'] }), /password, a Teams AAD object id, or both/);
    await agents.add({ name: 'A', languages: ['en'], aadObjectId: 'AAAAAAAA-0000-4000-8000-000000000001' });
    await assert.rejects(agents.add({ name: 'A', languages: ['en'], password: 'long enough pw' }), /already exists/);
  });

  it('tracks presence and who is online for a queue', async () => {
    const agents = new AgentStore(openDatabase(':memory:'));
    await agents.add({ name: 'Ana', languages: ['en'], queues: ['worldwide:billing:en'], password: 'long enough pw' });
    await agents.add({ name: 'Min', languages: ['ko'], password: 'long enough pw' });
    await agents.setPresence('Ana', 'online');
    await agents.setPresence('Min', 'away');
    assert.deepEqual((await agents.onlineFor('worldwide:billing:en')).map((a) => a.name), ['Ana']);
    await agents.setPresence('Min', 'online');
    assert.deepEqual((await agents.onlineFor('worldwide:technical:ko')).map((a) => a.name), ['Min']);
    await assert.rejects(() => agents.setPresence('Nobody', 'online'), AgentError);
  });

  it('npm run agent adds, lists and removes in DATA_DIR', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-'));
    const root = path.resolve(__dirname, '../..');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bot/agents/agent-cli.ts'), ...args], { cwd: root, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
    try {
      const added = run('add', '--name', 'Jisoo', '--languages', 'ko,en', '--password', 'a long console password');
      assert.equal(added.status, 0, added.stderr);
      assert.match(added.stdout, /added Jisoo \(ko, en; queues \*; console login\)/);
      assert.match(execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'bot/agents/agent-cli.ts'), 'list'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' }), /Jisoo\toffline\tko,en/);
      const bad = run('add', '--name', 'X', '--languages', 'en', '--password', 'short');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /agent: password: a password needs at least 12 characters/);
      assert.equal(run('remove', '--name', 'Jisoo').status, 0);
      assert.equal(run('remove', '--name', 'Jisoo').status, 1);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
