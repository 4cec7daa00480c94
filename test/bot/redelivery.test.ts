// A message the channel delivers again (it never saw the 200, or the bot died before replying) gets
// the replies its first delivery produced, from the slots saved with the state, and never a second
// run of its turn. On the real server with SQLite.
import assert from 'node:assert/strict';
import { postJson } from '../support/http-client';
import { readable } from '../support/capture-connector';
import { useBotWithConnector } from '../support/test-bot';

describe('redelivered messages', () => {
  const { bot, connector } = useBotWithConnector();

  const post = (conversation: string, id: string, text: string) =>
    postJson(`${bot.url}/api/messages`, {
      type: 'message',
      id,
      text,
      channelId: 'webchat',
      serviceUrl: connector.url,
      conversation: { id: conversation },
      from: { id: 'user-1', name: 'Admin' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: 'en-US',
    });

  async function repliesTo(conversation: string, id: string, text: string): Promise<string[]> {
    const before = connector.activities(conversation).length;
    assert.equal((await post(conversation, id, text)).status, 200);
    return connector.activities(conversation).slice(before).map(readable);
  }

  it('say the same replies again for either of the last two messages, and nothing for older ones', async () => {
    const first = await repliesTo('again-1', 'm1', 'support phone number in Australia');
    const second = await repliesTo('again-1', 'm2', 'what are the support hours in Germany');
    assert.match(first.join('\n'), /1800/);
    assert.notDeepEqual(first, second);
    assert.deepEqual(await repliesTo('again-1', 'm1', 'support phone number in Australia'), first);
    assert.deepEqual(await repliesTo('again-1', 'm2', 'what are the support hours in Germany'), second);

    await repliesTo('again-1', 'm3', 'hi');
    assert.deepEqual(await repliesTo('again-1', 'm1', 'support phone number in Australia'), [], 'no second run of an old message');
  });

  it('replays replies that a state saved before the slots kept inside the state', async () => {
    await repliesTo('again-2', 'old-1', 'hi');
    const key = 'webchat/conversations/again-2/';
    const row = await bot.app.db.get<{ document: string }>('SELECT document FROM bot_state WHERE key = ?', [key]);
    assert.ok(row, `state saved under ${key}`);
    const state = JSON.parse(row.document) as Record<string, unknown>;
    const legacy = { type: 'message', text: 'Kept the old way.' };
    await bot.app.db.run('UPDATE bot_state SET document = ? WHERE key = ?', [JSON.stringify({ ...state, processedActivityIds: ['legacy-1'], repliesByActivity: { 'legacy-1': [legacy] } }), key]);
    await bot.app.db.run("DELETE FROM bot_state WHERE key LIKE ?", [`${key}/replies/%`]);
    assert.deepEqual(await repliesTo('again-2', 'legacy-1', 'hello'), ['Kept the old way.']);
  });
});
