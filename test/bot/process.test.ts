// The bot as a process: refusing bad configuration, graceful shutdown, and resuming a dialog after a restart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaptureConnector, readable } from '../support/capture-connector';
import { postJson } from '../support/http-client';
import { freePort, spawnBot, waitUntilListening } from '../support/bot-process';

describe('bot process', function () {
  this.timeout(90_000);
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-proc-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('stops with a one-line reason naming the variable when a value is bad', async () => {
    const bot = spawnBot({ PORT: 'not-a-port', DATA_DIR: dataDir });
    assert.equal(await bot.exited, 1);
    const lines = bot.output().trim().split('\n');
    assert.equal(lines.length, 1, bot.output());
    assert.match(lines[0], /^Configuration error: PORT: /);
  });

  it('refuses production without an app id', async () => {
    const bot = spawnBot({ NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(await freePort()) });
    assert.equal(await bot.exited, 1);
    assert.match(bot.output().trim(), /^Configuration error: MicrosoftAppId: required when NODE_ENV=production/);
  });

  it('warns about local mode, prints how to talk to it, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const bot = spawnBot({ PORT: String(port), DATA_DIR: dataDir });
    await waitUntilListening(bot);
    assert.match(bot.output(), /local mode/);
    assert.match(bot.output(), new RegExp(`http://127\\.0\\.0\\.1:${port}/api/messages`));
    assert.ok(fs.existsSync(path.join(dataDir, 'bot.sqlite')), 'the SQLite file is created in DATA_DIR');
    bot.child.kill('SIGTERM');
    assert.equal(await bot.exited, 0);
  });

  it('resumes a multi-turn dialog after a restart', async () => {
    const connector = new CaptureConnector();
    await connector.start();
    const port = await freePort();
    const conversation = 'restart-1';
    const message = (id: string, text: string) => ({
      type: 'message',
      id,
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation: { id: conversation },
      from: { id: 'admin-1' },
      recipient: { id: 'bot' },
      locale: 'en-US',
      text,
    });
    try {
      const first = spawnBot({ PORT: String(port), DATA_DIR: dataDir });
      await waitUntilListening(first);
      assert.equal((await postJson(`http://127.0.0.1:${port}/api/messages`, message('m1', 'what number do I call for support?'))).status, 200);
      const question = connector.activities(conversation).map(readable).join('\n');
      assert.match(question, /which country or region/i);
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);

      const second = spawnBot({ PORT: String(port), DATA_DIR: dataDir });
      await waitUntilListening(second);
      const before = connector.activities(conversation).length;
      assert.equal((await postJson(`http://127.0.0.1:${port}/api/messages`, message('m2', 'Australia'))).status, 200);
      const answer = connector.activities(conversation).slice(before).map(readable).join('\n');
      assert.match(answer.replace(/\D/g, ''), /1800197503/, 'the answer to the question asked before the restart');
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    } finally {
      await connector.stop();
    }
  });
});
