// Help search over the wire, with an organisation's own folder of articles in KNOWLEDGE_DIRS:
// the question is answered from it, "Read more" serves the article with its text escaped, and the
// index is saved to DATA_DIR and reused by the next start.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { CaptureConnector, readable } from '../support/capture-connector';
import { postJson, request } from '../support/http-client';
import { RunningBot, startTestBot } from '../support/test-bot';

const ARTICLE = `---
title: Book the Contoso board room
ms.contentlocale: en-US
---

# Book the Contoso board room

Use the room mailbox to reserve the Contoso board room for meetings.

## <a name="reserve"></a>Reserve the board room

1. Open Outlook and create a meeting.
2. Add **boardroom@contoso.example** as a room. <script>alert('x')</script>
`;

describe('help search over HTTP with KNOWLEDGE_DIRS', () => {
  let connector: CaptureConnector;
  let bot: RunningBot;
  let folder: string;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'org-articles-'));
    fs.mkdirSync(path.join(folder, 'en'));
    fs.writeFileSync(path.join(folder, 'en', 'board-room.md'), ARTICLE);
    fs.writeFileSync(path.join(folder, 'en', 'broken.md'), '---\ntitle: [unclosed\n---\n# Broken\n');
    connector = new CaptureConnector();
    await connector.start();
    bot = await startTestBot({ KNOWLEDGE_DIRS: folder });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function ask(conversation: string, text: string, locale = 'en-US'): Promise<Partial<Activity>[]> {
    const response = await postJson(`${bot.url}/api/messages`, {
      type: 'message',
      id: `${conversation}-1`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation: { id: conversation },
      from: { id: 'user-1' },
      recipient: { id: 'bot' },
      locale,
      text,
    });
    assert.equal(response.status, 200);
    return connector.activities(conversation).filter((a) => a.type === 'message');
  }

  it('answers from the organisation folder, with a Read more link into the bot', async () => {
    const replies = await ask('org-1', 'how do I reserve the board room?');
    const text = replies.map(readable).join('\n');
    assert.match(text, /board room/i);
    const link = /http:\/\/localhost:\d+\/help\/en\/board-room#reserve/.exec(text);
    assert.ok(link, text.slice(0, 800));
  });

  it('serves the article as escaped HTML with a strict content policy', async () => {
    const page = await request(`${bot.url}/help/en/board-room`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.match(page.body, /Reserve the board room/);
    assert.ok(!page.body.includes('<script>'), 'article HTML never reaches the page as markup');
    assert.match(page.body, /boardroom@contoso\.example/);
    assert.match(page.body, /alert\(&#39;x&#39;\)/, 'the text inside stays, escaped');
  });

  it('answers 404 for unknown or escaping paths', async () => {
    for (const p of ['/help/en/nothing-here', '/help/%E0%A4%A',  '/help/../../etc/passwd', '/help/%2e%2e/%2e%2e/package.json', `/help/${'a'.repeat(2000)}`]) {
      const page = await request(`${bot.url}${p}`);
      assert.equal(page.status, 404, p);
      assert.doesNotMatch(page.body, /at \S+ \(|node_modules/);
    }
  });

  it('saves the index in DATA_DIR, logs the skipped file, and a restart loads it instead of rebuilding', async () => {
    const saved = fs.readdirSync(path.join(bot.dataDir, 'search'));
    assert.equal(saved.filter((f) => f.startsWith('help-index-')).length, 1);
    assert.ok(bot.logs.some((l) => l.includes('help index built') && l.includes('broken.md') && /YAML/.test(l)));
    const second = await startTestBot({ KNOWLEDGE_DIRS: folder, DATA_DIR: bot.dataDir });
    try {
      assert.ok(second.logs.some((l) => l.includes('help index loaded')));
      assert.equal(second.app.knowledge.search.sectionCount, bot.app.knowledge.search.sectionCount);
    } finally {
      await second.app.close();
    }
  });

  it('records each search in the database without user or conversation ids', async () => {
    await ask('org-2', 'where do I find the board room mailbox?');
    const rows = await bot.app.db.all<Record<string, unknown>>('SELECT * FROM search_log');
    assert.ok(rows.length >= 1);
    const columns = Object.keys(rows[0]);
    assert.deepEqual(columns.sort(), ['cloud', 'created_at', 'feedback_at', 'helpful', 'id', 'language', 'query', 'result_count', 'results'].sort());
    assert.ok(!JSON.stringify(rows).includes('user-1'));
  });
});
