// Two bot processes on one PostgreSQL, the way "Scaling out" in the README runs them. The channel
// (a loopback capture connector) and the agents reach them through a round-robin proxy, or one
// instance each on purpose, and nothing may depend on which instance took a request.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BotProcess, freePort, spawnBot, waitUntilListening } from '../support/bot-process';
import { CaptureConnector, readable } from '../support/capture-connector';
import { postJson, request } from '../support/http-client';
import { codeFromMail, startSmtpCapture } from '../support/mail';
import { RunningPostgres, startPostgres } from '../support/postgres';
import { openPostgres } from '../../bot/storage/postgres';
import type { PostgresSql } from '../../bot/storage/sql';
import { AgentStore } from '../../bot/agents/agents';
import { closeServer, listenOnLoopback } from '../support/loopback';

const PASSWORD = 'a long console password';
const AGENT_TIMEOUT_SECONDS = 5;

/** Alternates whole requests between the instances; counts who served what. */
class RoundRobin {
  private readonly server: http.Server;
  private next = 0;
  readonly served = [0, 0];

  constructor(private readonly targets: string[]) {
    this.server = http.createServer((req, res) => {
      const i = this.next++ % this.targets.length;
      this.served[i] += 1;
      const target = new URL(req.url ?? '/', this.targets[i]);
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

describe('two instances on one PostgreSQL', function () {
  this.timeout(180_000);
  let postgres: RunningPostgres | undefined;
  let db: PostgresSql;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>> | undefined;
  let mails: string[] = [];
  const connector = new CaptureConnector();
  const bots: { process: BotProcess; url: string; dataDir: string }[] = [];
  let proxy: RoundRobin;
  let front = '';
  let ids = 0;

  before(async function () {
    postgres = await startPostgres(this);
    const url = await postgres.createDatabase('scale_out');
    smtp = await startSmtpCapture();
    mails = smtp.received;
    await connector.start();
    // What each instance needs (README, "Scaling out"): the same DATABASE_URL, token secret and mail
    // server; its own port and data directory (only the help index cache lives there).
    const shared = {
      DATABASE_URL: url,
      DIRECT_LINE_TOKEN_SECRET: 'a-shared-secret-for-every-instance-0123456789',
      SMTP_URL: smtp.url,
      SEED_DEMO: 'true',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Short, so the test of a killed instance waits seconds, not a minute.
      HANDOFF_AGENT_TIMEOUT_SECONDS: String(AGENT_TIMEOUT_SECONDS),
    };
    for (let i = 0; i < 2; i++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `scale-${i}-`));
      const port = await freePort();
      const bot = spawnBot({ ...shared, PORT: String(port), DATA_DIR: dataDir });
      bots.push({ process: bot, url: `http://127.0.0.1:${port}`, dataDir });
    }
    await Promise.all(bots.map((b) => waitUntilListening(b.process, 90_000)));
    proxy = new RoundRobin(bots.map((b) => b.url));
    front = await proxy.start();
    db = await openPostgres(url, 2);
    const agents = new AgentStore(db);
    for (const name of ['Mina', 'Jun']) await agents.add({ name, languages: ['en'], password: PASSWORD });
  });

  after(async () => {
    await proxy?.stop();
    for (const bot of bots) {
      bot.process.child.kill('SIGTERM');
      await bot.process.exited;
      fs.rmSync(bot.dataDir, { recursive: true, force: true });
    }
    await db?.close();
    await connector.stop();
    await smtp?.stop();
    await postgres?.stop();
  });

  const activity = (conversation: string, text: string, user = `${conversation}-user`) => ({
    type: 'message',
    id: `${conversation}-${++ids}`,
    channelId: 'emulator',
    serviceUrl: connector.url,
    conversation: { id: conversation },
    from: { id: user, name: 'Admin' },
    recipient: { id: 'bot' },
    locale: 'en-US',
    text,
  });

  /** Sends one message through `via` (the proxy unless named) and returns what the bot answered to it. */
  async function say(conversation: string, text: string, via = front): Promise<string> {
    const before = connector.activities(conversation).length;
    const response = await postJson(`${via}/api/messages`, activity(conversation, text));
    assert.equal(response.status, 200, response.body);
    return connector.activities(conversation).slice(before).filter((a) => a.type === 'message').map(readable).join('\n');
  }

  async function signIn(base: string, name: string): Promise<{ cookie: string; csrf: string }> {
    const response = await postJson(`${base}/agent/api/login`, { name, password: PASSWORD });
    assert.equal(response.status, 200, response.body);
    return { cookie: String(response.headers['set-cookie']).split(';')[0], csrf: (JSON.parse(response.body) as { csrf: string }).csrf };
  }

  it('keeps a multi-turn dialog and its PIN check across instances', async () => {
    const served = [...proxy.served];
    await say('dialog-1', 'verify');
    await say('dialog-1', 'contoso.example');
    assert.match(await say('dialog-1', 'Email'), /a\u2022\u2022\u2022@contoso\.example/);
    assert.equal(mails.length, 1);
    assert.match(await say('dialog-1', codeFromMail(mails[0])), /you're verified/);
    assert.deepEqual(proxy.served.map((n, i) => n - served[i]), [2, 2], 'each instance took two of the four turns');
  });

  it('holds the PIN send limit and the attempt counter across instances', async () => {
    const sentBefore = mails.length;
    await say('limit-1', 'verify');
    await say('limit-1', 'contoso.example');
    assert.match(await say('limit-1', 'Email'), /6-digit code is on its way/);
    assert.match(await say('limit-1', 'resend'), /6-digit code is on its way/);
    assert.match(await say('limit-1', 'resend'), /6-digit code is on its way/);
    assert.match(await say('limit-1', 'resend'), /can't send another yet/);
    assert.equal(mails.length - sentBefore, 3, 'three codes for one user and organisation, whichever instance was asked');

    // Another user: five wrong codes on alternating instances, then the right one is refused too.
    await say('tries-1', 'verify');
    await say('tries-1', 'contoso.example');
    await say('tries-1', 'Email');
    const code = codeFromMail(mails[mails.length - 1]);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) assert.doesNotMatch(await say('tries-1', wrong), /you're verified/);
    assert.doesNotMatch(await say('tries-1', code), /you're verified/, 'the sixth try is over the limit even with the right code');
    const { attempts } = (await db.get<{ attempts: number }>('SELECT MAX(attempts) AS attempts FROM pin_codes'))!;
    assert.equal(attempts, 6);
  });

  it('agrees on queue positions, whichever instance is asked', async () => {
    for (const user of ['queue-1', 'queue-2', 'queue-3']) {
      const answer = await say(user, 'talk to a person');
      assert.match(answer, /You're in the queue/);
    }
    // Each user's card shows their place: 1, 2, 3 in the order they asked.
    const places = ['queue-1', 'queue-2', 'queue-3'].map((c) => {
      const card = connector.activities(c).filter((a) => /You're in the queue/.test(readable(a))).pop()!;
      return /"Your place","value":"(\d+)"/.exec(JSON.stringify(card.attachments))?.[1];
    });
    assert.deepEqual(places, ['1', '2', '3']);
    const views = [];
    for (const bot of bots) {
      const mina = await signIn(bot.url, 'Mina');
      const { queues } = JSON.parse((await request(`${bot.url}/agent/api/queues`, { headers: { cookie: mina.cookie } })).body) as {
        queues: { queue: string; waiting: { handoff: { summary: { userName?: string } }; position: number }[] }[];
      };
      views.push(queues.find((q) => q.queue === 'worldwide:technical:en')!.waiting.map((w) => w.position));
    }
    assert.deepEqual(views[0], [1, 2, 3]);
    assert.deepEqual(views[1], views[0], 'both instances list the same queue in the same order');
  });

  it('relays a handoff when the user and the agent are on different instances', async () => {
    const [a, b] = bots.map((bot) => bot.url);
    const mina = await signIn(b, 'Mina');
    // Mina's console listens on instance B.
    const events: { type: string; entry?: { text: string } }[] = [];
    const stream = http.get(`${b}/agent/api/events`, { headers: { cookie: mina.cookie } }, (res) => {
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data) events.push(JSON.parse(data) as { type: string; entry?: { text: string } });
        }
      });
    });
    try {
      const { queues } = JSON.parse((await request(`${a}/agent/api/queues`, { headers: { cookie: mina.cookie } })).body) as {
        queues: { queue: string; waiting: { handoff: { id: string } }[] }[];
      };
      const id = queues.find((q) => q.queue === 'worldwide:technical:en')!.waiting[0].handoff.id;
      // Accepted through instance A with the session made on B.
      const accepted = await postJson(`${a}/agent/api/handoffs/${id}/accept`, {}, { cookie: mina.cookie, 'x-csrf-token': mina.csrf });
      assert.equal(accepted.status, 200, accepted.body);
      assert.ok(connector.activities('queue-1').some((x) => /Mina/.test(readable(x))), 'the user heard that Mina joined');

      // The user writes to instance A; the console on B receives it.
      await say('queue-1', 'my mailbox stopped syncing an hour ago', a);
      const deadline = Date.now() + 10_000;
      while (!events.some((e) => e.type === 'message' && /mailbox stopped syncing/.test(e.entry?.text ?? '')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(events.some((e) => e.type === 'message' && /mailbox stopped syncing/.test(e.entry?.text ?? '')), `the console on B got the message; events: ${JSON.stringify(events.map((e) => e.type))}`);

      // Mina answers through B; the user's channel receives it from B (proactive).
      const before = connector.activities('queue-1').length;
      const sent = await postJson(`${b}/agent/api/handoffs/${id}/messages`, { text: 'Checking your mailbox now.' }, { cookie: mina.cookie, 'x-csrf-token': mina.csrf });
      assert.equal(sent.status, 202, sent.body);
      assert.ok(connector.activities('queue-1').slice(before).some((x) => x.text === 'Checking your mailbox now.'));
      // The other two users moved up, on the cards of both.
      const transcript = await db.all<{ text: string }>('SELECT text FROM handoff_transcript WHERE handoff_id = ? ORDER BY id', [id]);
      assert.ok(transcript.some((t) => /mailbox stopped syncing/.test(t.text)) && transcript.some((t) => t.text === 'Checking your mailbox now.'));
    } finally {
      stream.destroy();
    }
  });

  it('loses no update when turns of one conversation run at once on both instances', async () => {
    const [a, b] = bots.map((bot) => bot.url);
    const sent: string[] = [];
    for (let pair = 0; pair < 10; pair++) {
      const first = activity('race-1', 'what are your support hours?');
      const second = activity('race-1', 'phone number for Korea');
      sent.push(first.id, second.id);
      const answers = await Promise.all([postJson(`${a}/api/messages`, first), postJson(`${b}/api/messages`, second)]);
      assert.deepEqual(answers.map((r) => r.status), [200, 200]);
    }
    // The state itself, not the reply slots saved beside it.
    const state = await db.get<{ document: string }>("SELECT document FROM bot_state WHERE key LIKE '%/conversations/race-1/'");
    assert.ok(state, `state saved; keys: ${JSON.stringify(await db.all('SELECT key FROM bot_state'))}`);
    const processed = (JSON.parse(state!.document) as { processedActivityIds: string[] }).processedActivityIds;
    assert.deepEqual([...processed].sort(), [...sent].sort(), 'every turn is in the saved state');
    // Each message answered by exactly one saved attempt.
    const replies = connector.activities('race-1').filter((x) => x.type === 'message');
    for (const id of sent) assert.ok(replies.some((r) => r.replyToId === id), `an answer to ${id}`);
    // A discarded attempt's replies would show as extra replies to one message of its kind.
    const count = (id: string) => replies.filter((r) => r.replyToId === id).length;
    assert.equal(new Set(sent.filter((_, i) => i % 2 === 0).map(count)).size, 1, 'every hours question got the same number of replies');
    assert.equal(new Set(sent.filter((_, i) => i % 2 === 1).map(count)).size, 1, 'every phone question got the same number of replies');
    const retries = bots.map((bot) => (bot.process.output().match(/turn\.retry/g) ?? []).length);
    console.log(`      eTag conflicts retried: ${retries.join(' + ')} over ${sent.length} turns`);
    assert.ok(retries[0] + retries[1] > 0, 'the instances did meet each other\'s writes');
  });
  // Last: it kills instance B.
  it("puts an agent's chats back in the queue when the instance streaming their console is killed", async () => {
    const [a, b] = bots.map((bot) => bot.url);
    const jun = await signIn(b, 'Jun');
    const stream = http.get(`${b}/agent/api/events`, { headers: { cookie: jun.cookie } }, (res) => res.resume());
    try {
      await say('vanish-1', 'talk to a person', a);
      const waiting = async () => db.get<{ id: string; status: string; agent_name: string | null }>("SELECT id, status, agent_name FROM handoffs WHERE conversation_key = 'emulator|vanish-1'");
      const { id } = (await waiting())!;
      const accepted = await postJson(`${b}/agent/api/handoffs/${id}/accept`, {}, { cookie: jun.cookie, 'x-csrf-token': jun.csrf });
      assert.equal(accepted.status, 200, accepted.body);
      assert.deepEqual(await waiting(), { id, status: 'active', agent_name: 'Jun' });
      assert.ok(await db.get("SELECT 1 AS yes FROM agent_console_streams WHERE agent_name = 'Jun'"), 'B recorded the stream it serves');

      // B dies with Jun's console on it: no disconnect timer will ever run there.
      bots[1].process.child.kill('SIGKILL');
      await bots[1].process.exited;
      const killed = Date.now();
      const deadline = killed + (AGENT_TIMEOUT_SECONDS + 10) * 1000;
      while ((await waiting())!.status !== 'waiting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const seconds = (Date.now() - killed) / 1000;
      assert.equal((await waiting())!.status, 'waiting', 'instance A put the chat back in the queue');
      console.log(`      back in the queue ${seconds.toFixed(1)} s after the kill (timeout ${AGENT_TIMEOUT_SECONDS} s)`);
      assert.ok(seconds >= AGENT_TIMEOUT_SECONDS - 1.5, 'not before the timeout, give or take one renewal');
      // The user hears of it in a proactive message sent after the chat is back in the queue.
      const told = () => connector.activities('vanish-1').map(readable).join('\n');
      while (!/Jun got disconnected/.test(told()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(told(), /Jun got disconnected/);
      assert.equal((await db.get<{ presence: string }>("SELECT presence FROM agents WHERE name = 'Jun'"))!.presence, 'offline');
    } finally {
      stream.destroy();
    }
  });
});
