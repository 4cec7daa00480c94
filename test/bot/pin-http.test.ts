// PIN verification end to end on the real server: the code travels only through the outbox file,
// and afterwards appears in no log line and nowhere in the SQLite database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readable } from '../support/capture-connector';
import { postJson } from '../support/http-client';
import { useBotWithConnector } from '../support/test-bot';
import { codeFromMail } from '../support/mail';

describe('PIN verification over HTTP with the outbox', () => {
  const { bot, connector } = useBotWithConnector();
  let id = 0;

  async function say(text: string): Promise<string> {
    const before = connector.activities('pin-1').length;
    const response = await postJson(`${bot.url}/api/messages`, {
      type: 'message',
      id: `pin-${++id}`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation: { id: 'pin-1' },
      from: { id: 'user-1' },
      recipient: { id: 'bot' },
      locale: 'en-US',
      text,
    });
    assert.equal(response.status, 200);
    return connector.activities('pin-1').slice(before).filter((a) => a.type === 'message').map(readable).join('\n');
  }

  it('sends the code to the outbox, accepts it, and leaves no trace of it', async () => {
    await say('verify');
    await say('contoso.example');
    assert.match(await say('Email'), /a\u2022\u2022\u2022@contoso\.example/);
    const outbox = path.join(bot.dataDir, 'outbox');
    const files = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const code = codeFromMail(fs.readFileSync(path.join(outbox, files[0]), 'utf8'));
    assert.match(await say(code), /you're verified/);
    assert.ok(bot.logs.some((l) => l.includes(files[0])), 'the log names the outbox file');
    assert.ok(!bot.logs.join('\n').includes(code), 'no log line carries the code');
    const db = bot.app.db;
    for (const table of ['bot_state', 'pin_codes', 'pin_sends', 'verifications', 'search_log']) {
      assert.ok(!JSON.stringify(await db.all(`SELECT * FROM ${table}`)).includes(code), `not in ${table}`);
    }
  });
});
