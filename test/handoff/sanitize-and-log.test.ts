// Agent text is made inert before it reaches a user; the conversation log redacts codes and keeps
// only web links, and stays bounded.
import assert from 'node:assert/strict';
import { plainAgentText, MAX_AGENT_TEXT } from '../../bot/handoff/sanitize';
import { ConversationLog, entryFromActivity, redact, RECENT_MESSAGES } from '../../bot/handoff/conversation-log';
import { openDatabase } from '../../bot/storage/database';

describe('agent text sanitising', () => {
  const cases: [string, RegExp, RegExp?][] = [
    ['<b>bold</b> and <i>italic</i>', /^bold and italic$/],
    ['<script>alert(1)</script>Hello', /Hello/, /<script/],
    ['<img src=x onerror=alert(1)>after', /^after$/],
    ['<a href="javascript:alert(1)">click</a>', /^click$/],
    ['[click](javascript:alert(1))', /\[link removed\]/, /javascript:/i],
    ['JaVaScRiPt :alert(1)', /\[link removed\]/, /javascript/i],
    ['data:text/html;base64,PHNjcmlwdD4=', /\[link removed\]/, /data:/],
    ['&lt;b&gt;entity&lt;/b&gt;', /<b>entity<\/b>/],
    ['zero\u200bwidth\u202eflip', /^zerowidthflip$/],
    ['keeps https://learn.microsoft.com/microsoft-365 links', /https:\/\/learn\.microsoft\.com/],
    ['line one\n\n\n\nline two', /^line one\n\nline two$/],
  ];
  for (const [input, keeps, drops] of cases) {
    it(`${JSON.stringify(input).slice(0, 50)}`, () => {
      const out = plainAgentText(input);
      assert.match(out, keeps);
      if (drops) assert.doesNotMatch(out, drops);
    });
  }

  it('caps the length', () => {
    assert.equal(plainAgentText('x'.repeat(MAX_AGENT_TEXT * 2)).length, MAX_AGENT_TEXT);
  });
});

describe('conversation log', () => {
  it('redacts code-shaped messages and nothing else', () => {
    assert.equal(redact('482913'), '[code hidden]');
    assert.equal(redact(' 482 913 '), '[code hidden]');
    assert.equal(redact('４８２９１３'), '[code hidden]');
    assert.equal(redact('my code is 482913 please'), 'my code is [code hidden] please');
    assert.equal(redact('request 2026-000123 is open'), 'request 2026-000123 is open');
    assert.equal(redact('2026'), '[code hidden]');
    assert.equal(redact('12'), '12');
    assert.equal(redact('how do I add a user'), 'how do I add a user');
  });

  it('describes card submits and keeps only http(s) attachment links', () => {
    const entry = entryFromActivity(
      {
        type: 'message',
        value: { action: 'requestForm', description: 'Mail bounces', severity: 'B', msteams: { x: 1 } },
        attachments: [
          { contentType: 'image/png', name: 'shot.png', contentUrl: 'https://files.example/shot.png' },
          { contentType: 'text/html', name: 'evil.html', contentUrl: 'javascript:alert(1)' },
        ],
      },
      'user',
      new Date('2026-11-24T03:00:00Z'),
    )!;
    assert.equal(entry.text, 'description: Mail bounces\nseverity: B');
    assert.deepEqual(entry.attachments, [
      { contentType: 'image/png', name: 'shot.png', url: 'https://files.example/shot.png' },
      { contentType: 'text/html', name: 'evil.html' },
    ]);
  });

  it('keeps the last messages of a conversation', async () => {
    const db = openDatabase(':memory:');
    const log = new ConversationLog(db);
    for (let i = 0; i < RECENT_MESSAGES + 30; i++) await log.record('c', { at: new Date().toISOString(), role: 'user', text: `m${i}` });
    const recent = await log.recent('c');
    assert.equal(recent.length, RECENT_MESSAGES);
    assert.equal(recent[recent.length - 1].text, `m${RECENT_MESSAGES + 29}`);
    await log.prune('c');
    const { n } = db.raw.prepare('SELECT COUNT(*) AS n FROM conversation_log').get() as { n: number };
    assert.equal(n, RECENT_MESSAGES);
  });
});
