// GET /metrics on the real app: turns and their latency, intents, help searches and feedback, PIN
// sends and checks, a request, a handoff and its queue, in Prometheus text with bounded labels and
// nothing the user typed. Then the handoff's accept and end, and the registry's independence.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { readable } from '../support/capture-connector';
import { postJson, request } from '../support/http-client';
import { startTestBot, useBotWithConnector } from '../support/test-bot';
import { codeFromMail } from '../support/mail';
import { identityServices, newClient, turn } from '../support/dialog-harness';
import { BotMetrics } from '../../bot/metrics';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parse(body: string): Sample[] {
  return body
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
      assert.ok(match, `a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3].replace('+Inf', 'Infinity')) };
    });
}

/** Sum of the samples of a metric whose labels include the given ones. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

describe('metrics over HTTP', () => {
  const { bot, connector } = useBotWithConnector();
  let sequence = 0;

  async function say(conversation: string, text: string | undefined, extra: Partial<Activity> = {}): Promise<string> {
    const before = connector.activities(conversation).length;
    const response = await postJson(`${bot.url}/api/messages`, {
      type: 'message',
      id: `m-${++sequence}`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation: { id: conversation },
      from: { id: `user-${conversation}` },
      recipient: { id: 'bot' },
      locale: 'en-US',
      text,
      ...extra,
    });
    assert.equal(response.status, 200);
    return connector.activities(conversation).slice(before).filter((a) => a.type === 'message').map(readable).join('\n');
  }

  async function scrape(): Promise<{ body: string; type: string; samples: Sample[] }> {
    const response = await request(`${bot.url}/metrics`);
    assert.equal(response.status, 200);
    return { body: response.body, type: String(response.headers['content-type']), samples: parse(response.body) };
  }

  it('counts turns, intents, searches, feedback, PIN sends and checks, a request and a handoff', async () => {
    const first = await scrape();
    assert.equal(total(first.samples, 'supportbot_turns_total'), 0, 'no turns yet');

    // Understood and answered; a search with results and "yes"; a search that finds nothing.
    assert.match(await say('phone', 'support phone number in the United States'), /800/);
    await say('search', 'how do I reset a user password');
    assert.match(await say('search', 'yes'), /glad|Great|helped/i);
    await say('miss', 'why is my tenant flibbertigibbet');

    // PIN by email to the outbox, the code typed back, then the request form.
    await say('request', 'new request');
    await say('request', 'contoso.example');
    await say('request', 'Email');
    const outbox = path.join(bot.dataDir, 'outbox');
    const mail = fs.readdirSync(outbox).find((f) => f.endsWith('.eml'))!;
    const code = codeFromMail(fs.readFileSync(path.join(outbox, mail), 'utf8'));
    assert.match(await say('request', code), /verified/);
    await say('request', 'None of these');
    const form = { action: 'requestForm', description: 'Mail to flibbertigibbet@contoso.example bounces', category: 'billing', severity: 'B', phone: '+1 425 555 0100', email: 'admin@contoso.example', method: 'email' };
    assert.match(await say('request', undefined, { value: form }), /is open/);

    // A person, please: a handoff in the English worldwide queue, with no agent online.
    assert.match(await say('person', 'talk to a person'), /queue/i);
    const turns = sequence;

    const { body, type, samples } = await scrape();
    assert.match(type, /^text\/plain; version=0\.0\.4; charset=utf-8$/);
    assert.equal(total(samples, 'supportbot_turns_total', { channel: 'emulator', type: 'message' }), turns);
    assert.equal(total(samples, 'supportbot_turn_duration_seconds_count', { channel: 'emulator', type: 'message' }), turns);
    assert.equal(total(samples, 'supportbot_turn_duration_seconds_bucket', { channel: 'emulator', type: 'message', le: '+Inf' }), turns);
    assert.ok(total(samples, 'supportbot_turn_duration_seconds_sum') > 0, 'latency observed');
    const buckets = samples.filter((s) => s.name === 'supportbot_turn_duration_seconds_bucket' && s.labels.type === 'message').map((s) => s.labels.le);
    assert.deepEqual(buckets, ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2', '+Inf']);

    assert.equal(total(samples, 'supportbot_intents_total', { intent: 'phone_number', locale: 'en' }), 1);
    assert.ok(total(samples, 'supportbot_intents_total') >= 3, 'every routed question counts');
    assert.equal(total(samples, 'supportbot_help_searches_total', { language: 'en', outcome: 'hit' }), 1);
    assert.equal(total(samples, 'supportbot_help_searches_total', { language: 'en', outcome: 'miss' }), 1);
    assert.equal(total(samples, 'supportbot_help_feedback_total', { helpful: 'yes' }), 1);
    assert.equal(total(samples, 'supportbot_pin_sends_total', { outcome: 'sent' }), 1);
    assert.equal(total(samples, 'supportbot_pin_checks_total', { result: 'ok' }), 1);
    assert.equal(total(samples, 'supportbot_requests_created_total', { severity: 'B', category: 'billing' }), 1);
    assert.equal(total(samples, 'supportbot_handoffs_opened_total', { trigger: 'asked' }), 1);
    assert.equal(total(samples, 'supportbot_handoff_queue_length', { queue: 'worldwide:technical:en' }), 1);
    assert.equal(total(samples, 'supportbot_handoff_expected_wait_seconds', { queue: 'worldwide:technical:en' }), Infinity, 'no agent online');
    assert.ok(total(samples, 'process_cpu_user_seconds_total') > 0, 'process metrics');
    assert.ok(total(samples, 'nodejs_heap_size_used_bytes') > 0, 'Node.js metrics');

    // Bounded labels only: nothing typed, no ids, no addresses, no code.
    // Sample values are numbers (memory, CPU) that may contain any digits: look at names and labels only.
    const named = body.split('\n').map((line) => (line.startsWith('#') ? line : line.replace(/\s\S+$/, ''))).join('\n');
    for (const secret of [code, 'flibbertigibbet', 'password', 'United', 'bounces', 'contoso', '@', '425', 'user-', 'm-1', 'search"', 'person"']) {
      assert.ok(!named.includes(secret), `"${secret}" is not in the metrics`);
    }
    for (const s of samples.filter((x) => x.name.startsWith('supportbot_'))) {
      for (const value of Object.values(s.labels)) assert.match(value, /^[A-Za-z0-9_.:+-]{1,40}$/, `${s.name} label ${value}`);
    }
  });

  it('counts a wrong PIN', async () => {
    const before = parse((await request(`${bot.url}/metrics`)).body);
    await say('wrong', 'verify');
    await say('wrong', 'contoso.example');
    await say('wrong', 'Email');
    assert.match(await say('wrong', '000000'), /didn't work/);
    const after = parse((await request(`${bot.url}/metrics`)).body);
    const delta = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
    assert.equal(delta('supportbot_pin_sends_total', { outcome: 'sent' }), 1);
    assert.equal(delta('supportbot_pin_checks_total', { result: 'wrong' }), 1);
  });

  it('answers GET only', async () => {
    const post = await request(`${bot.url}/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(post.status, 405);
  });
});

describe('metrics from the dialogs and the handoff service', () => {
  it('counts a handoff accepted and ended, and the queue empties', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    const client = newClient('en-US', undefined, 'emulator', undefined, { metrics });
    metrics.watchQueues(() => client.handoffs.queueSnapshot());
    await client.agents.add({ name: 'Mina', languages: ['en'], password: 'correct horse battery' });
    await client.agents.setPresence('Mina', 'online');
    await turn(client, 'talk to a person');
    let samples = parse(await metrics.expose());
    assert.equal(total(samples, 'supportbot_handoff_queue_length', { queue: 'worldwide:technical:en' }), 1);
    const wait = total(samples, 'supportbot_handoff_expected_wait_seconds', { queue: 'worldwide:technical:en' });
    assert.ok(Number.isFinite(wait) && wait >= 0, `a finite wait with an agent online (${wait})`);

    const [{ id }] = await client.db.all<{ id: string }>("SELECT id FROM handoffs WHERE status = 'waiting'");
    assert.ok((await client.handoffs.accept(id, 'Mina')).ok);
    await client.handoffs.end(id, 'Mina');
    samples = parse(await metrics.expose());
    assert.equal(total(samples, 'supportbot_handoffs_opened_total', { trigger: 'asked' }), 1);
    assert.equal(total(samples, 'supportbot_handoffs_accepted_total'), 1);
    assert.equal(total(samples, 'supportbot_handoffs_ended_total', { by: 'agent', status: 'ended' }), 1);
    assert.equal(total(samples, 'supportbot_handoff_queue_length', { queue: 'worldwide:technical:en' }), 0, 'the agent queue stays, empty');
    assert.equal(total(samples, 'supportbot_turns_total', { channel: 'emulator', type: 'message' }), 1);
  });

  it('counts a user leaving the queue as cancelled, and "no" as unhelpful', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    const client = newClient('en-US', undefined, 'emulator', undefined, { metrics });
    await turn(client, 'how do I reset a user password');
    await turn(client, 'no');
    await turn(client, 'talk to a person');
    await turn(client, 'cancel');
    const samples = parse(await metrics.expose());
    assert.equal(total(samples, 'supportbot_help_feedback_total', { helpful: 'no' }), 1);
    assert.equal(total(samples, 'supportbot_handoffs_opened_total', { trigger: 'not-helped' }), 1);
    assert.equal(total(samples, 'supportbot_handoffs_ended_total', { by: 'user', status: 'cancelled' }), 1);
  });

  it('counts a redelivered PIN send once, and sends past the limit as rate-limited', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    const { pins } = identityServices(undefined, metrics);
    const scope = { channelId: 'emulator', conversationId: 'c', userId: 'u', purpose: 'act-for-organisation' as const };
    const send = (activityKey: string) => pins.request({ scope, organisation: 'contoso.example', activityKey, locale: 'en' });
    await send('a-1');
    await send('a-1');
    for (const key of ['a-2', 'a-3', 'a-4']) await send(key);
    await pins.verify(scope, 'nowhere.example', '123456');
    const samples = parse(await metrics.expose());
    assert.equal(total(samples, 'supportbot_pin_sends_total', { outcome: 'sent' }), 3, 'the default limit is 3 per window');
    assert.equal(total(samples, 'supportbot_pin_sends_total', { outcome: 'rate-limited' }), 1);
    assert.equal(total(samples, 'supportbot_pin_checks_total', { result: 'none' }), 1);
  });

  it('keeps each app in its own registry and maps unknown label values to "other"', async () => {
    const a = new BotMetrics({ processMetrics: false });
    const b = new BotMetrics({ processMetrics: false });
    a.turn({ channelId: 'some user text', type: 'message' }, 0.003);
    a.intentUnderstood('Call me at +1 425 555 0100', 'en');
    a.requestCreated('Z', 'jane@contoso.example');
    a.watchQueues(async () => [{ queue: 'jane@contoso.example', waiting: 3, expectedWaitMinutes: 1 }, { queue: 'worldwide:billing:ko', waiting: 2, expectedWaitMinutes: 1.5 }]);
    const samples = parse(await a.expose());
    assert.equal(total(samples, 'supportbot_turns_total', { channel: 'other', type: 'message' }), 1);
    assert.equal(total(samples, 'supportbot_turn_duration_seconds_bucket', { le: '0.0025' }), 0);
    assert.equal(total(samples, 'supportbot_turn_duration_seconds_bucket', { le: '0.005' }), 1);
    assert.equal(total(samples, 'supportbot_intents_total', { intent: 'other' }), 1);
    assert.equal(total(samples, 'supportbot_requests_created_total', { severity: 'other', category: 'other' }), 1);
    assert.deepEqual(samples.filter((s) => s.name === 'supportbot_handoff_queue_length').map((s) => [s.labels.queue, s.value]), [['worldwide:billing:ko', 2]]);
    assert.equal(total(samples, 'supportbot_handoff_expected_wait_seconds', { queue: 'worldwide:billing:ko' }), 90);
    assert.equal(total(parse(await b.expose()), 'supportbot_turns_total'), 0, 'the other app saw nothing');
    a.watchQueues(async () => {
      throw new Error('database closed');
    });
    assert.equal(total(parse(await a.expose()), 'supportbot_handoff_queue_length'), 0, 'a failing snapshot shows no queues');
  });
});

describe('GET /metrics access', () => {
  it('asks for the token when METRICS_TOKEN is set', async () => {
    const token = 'scraper-token-0123456789abcdef';
    const bot = await startTestBot({ METRICS_TOKEN: token });
    try {
      assert.equal((await request(`${bot.url}/metrics`)).status, 401);
      assert.equal((await request(`${bot.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).status, 401);
      const ok = await request(`${bot.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /supportbot_turns_total/);
    } finally {
      await bot.stop();
    }
  });
});
