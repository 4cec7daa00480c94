// Heavy library indexes the bot deliberately does not load (dialogs/botbuilder-dialogs-parts.ts,
// knowledge/natural-parts.ts, knowledge/nlu/english-sentiment.ts): together about 70 MB of RSS of
// prompts, recognizers and vocabularies it never uses, against a 300 MB budget under load.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaptureConnector } from '../support/capture-connector';
import { postJson } from '../support/http-client';
import { freePort, spawnBot, waitUntilListening } from '../support/bot-process';

const NOT_LOADED = [
  'node_modules/botbuilder-dialogs/lib/index.js',
  'node_modules/botbuilder-dialogs/lib/prompts/index.js',
  'node_modules/@microsoft/recognizers-text-date-time/',
  'node_modules/natural/lib/natural/index.js',
  'node_modules/natural/lib/natural/sentiment/SentimentAnalyzer.js',
  'node_modules/natural/lib/natural/classifiers/maxent/',
];

describe('module footprint of the running bot', function () {
  this.timeout(90_000);

  it('runs every kind of turn without loading the heavy library indexes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-modules-'));
    const modulesFile = path.join(dataDir, 'modules.json');
    const connector = new CaptureConnector();
    await connector.start();
    const port = await freePort();
    const bot = spawnBot({ PORT: String(port), DATA_DIR: dataDir, LOADED_MODULES_FILE: modulesFile }, { preload: [path.join(__dirname, '..', 'support', 'print-modules.ts')] });
    try {
      await waitUntilListening(bot);
      const say = async (conversation: string, text: string, locale = 'en-US') => {
        const activity = { type: 'message', id: `${conversation}-${text.length}`, channelId: 'webchat', serviceUrl: connector.url, conversation: { id: conversation }, from: { id: 'admin' }, recipient: { id: 'bot' }, locale, text };
        assert.equal((await postJson(`http://127.0.0.1:${port}/api/messages`, activity)).status, 200);
      };
      await say('a', 'hi');
      await say('a', 'support phone number in Australia');
      await say('a', 'how do I create a shared mailbox');
      await say('a', 'this is useless and terrible, you are not helping');
      await say('b', 'new request');
      await say('b', 'contoso.com');
      await say('c', '지원 전화번호 알려주세요', 'ko-KR');
      assert.ok(connector.activities('a').length >= 4, 'the bot answered');
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
      await connector.stop();
    }
    const loaded = (JSON.parse(fs.readFileSync(modulesFile, 'utf8')) as string[]).map((f) => f.split(path.sep).join('/'));
    fs.rmSync(dataDir, { recursive: true, force: true });
    assert.ok(loaded.some((f) => f.endsWith('node_modules/botbuilder-dialogs/lib/componentDialog.js')), 'the list is of the bot’s modules');
    assert.ok(loaded.some((f) => f.endsWith('knowledge/nlu/english-sentiment.ts')), 'the frustration check was loaded');
    for (const heavy of NOT_LOADED) {
      assert.deepEqual(loaded.filter((f) => f.includes(heavy)), [], `${heavy} is not loaded`);
    }
  });
});
