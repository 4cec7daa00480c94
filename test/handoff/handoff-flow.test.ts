// Handoff as the user and the agent meet it, on the real bot, dialogs, SQLite and PIN service:
// the triggers, the queue card and its wait, the quiet bot while handed off, the relay both ways,
// one winner for two accepts, PIN checks the agent never sees, the end, and external mode.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { flatten, newClient, turn, Conversation } from '../support/dialog-harness';
import type { ConsoleEvent } from '../../bot/handoff/types';
import { averageSpeedOfAnswer, backlogMinutes, roundUpMinutes } from '../../bot/requests/wait-time';

const text = (replies: Partial<Activity>[]) => replies.map(flatten).join('\n');
const PASSWORD = 'correct horse battery';

async function onlineAgent(client: Conversation, name = 'Mina', languages = ['en', 'ko']): Promise<void> {
  await client.agents.add({ name, languages, password: PASSWORD });
  await client.agents.setPresence(name, 'online');
}

async function openHandoff(client: Conversation) {
  const [handoff] = await client.db.all<{ id: string }>("SELECT id FROM handoffs WHERE status IN ('waiting', 'active')");
  assert.ok(handoff, 'a handoff is open');
  return (await client.handoffs.store.get(handoff.id))!;
}

/** Replies that arrive outside a user turn (agent messages, card updates), as the channel gets them. */
function drained(client: Conversation): Partial<Activity>[] {
  return client.adapter.activeQueue.splice(0);
}

describe('handoff: asking for a person', () => {
  it('queues an English user with a position and an honest wait when no agent is online', async () => {
    const client = newClient('en-US');
    const replies = await turn(client, 'talk to a person');
    const card = text(replies);
    assert.match(card, /You're in the queue/);
    assert.match(card, /Your place: 1\n/);
    assert.match(card, /no agent is online right now/);
    const handoff = await openHandoff(client);
    assert.equal(handoff.trigger, 'asked');
    assert.equal(handoff.queue, 'worldwide:technical:en');
    assert.equal(handoff.summary.verified, false);
    assert.equal(handoff.summary.locale, 'en');
  });

  it('queues a Korean user in the Korean queue with a Korean card', async () => {
    const client = newClient('ko-KR');
    await onlineAgent(client);
    const card = text(await turn(client, '상담원 연결'));
    assert.match(card, /상담원 연결 대기 중입니다/);
    assert.match(card, /곧 상담원이 연결됩니다|약 \d+분/);
    assert.equal((await openHandoff(client)).queue, 'worldwide:technical:ko');
  });

  it('keeps the conversation so far, searches and articles in the summary and transcript', async () => {
    const client = newClient('en-US');
    await turn(client, 'how do I reset a user password');
    await turn(client, 'no');
    await turn(client, 'talk to a person');
    const handoff = await openHandoff(client);
    assert.equal(handoff.trigger, 'not-helped', '"no" then a person is the not-helped path');
    assert.deepEqual(handoff.summary.searches, ['how do I reset a user password']);
    assert.ok(handoff.summary.articles.length > 0, 'the articles shown are in the summary');
    const transcript = await client.handoffs.transcript(handoff.id);
    assert.equal(transcript[0].role, 'user');
    assert.equal(transcript[0].text, 'how do I reset a user password');
    assert.ok(transcript.some((e) => e.role === 'bot'), "the bot's answers are in the transcript");
  });

  it('hands off after the same question three times in a row', async () => {
    const client = newClient('en-US');
    for (let i = 0; i < 2; i++) await turn(client, 'why is my tenant flibbertigibbet');
    const third = text(await turn(client, 'Why is my tenant flibbertigibbet?'));
    assert.match(third, /going round in circles/);
    assert.equal((await openHandoff(client)).trigger, 'repeated');
  });

  it('hands off when the user is frustrated with the bot', async () => {
    const client = newClient('en-US');
    const replies = text(await turn(client, 'this bot is useless, you are not helping at all'));
    assert.match(replies, /sorry this hasn't gone well/i);
    assert.equal((await openHandoff(client)).trigger, 'frustrated');
  });
});

describe('handoff: while waiting and once an agent accepts', () => {
  it('stays quiet while waiting, lets the user leave, and answers again afterwards', async () => {
    const client = newClient('en-US');
    await turn(client, 'talk to a person');
    assert.deepEqual(await turn(client, 'what are the support hours'), [], 'the bot stays quiet');
    const handoff = await openHandoff(client);
    assert.ok((await client.handoffs.transcript(handoff.id)).some((e) => e.text === 'what are the support hours'), 'the message waits for the agent');
    assert.match(text(await turn(client, 'cancel')), /left the queue/);
    assert.equal((await client.handoffs.store.get(handoff.id))!.status, 'cancelled');
    assert.notEqual(text(await turn(client, 'what are the support hours')), '', 'the bot answers again');
  });

  it('relays both ways, sanitises agent text, and hands back on end', async () => {
    const client = newClient('en-US');
    await onlineAgent(client);
    await turn(client, 'talk to a person');
    const handoff = await openHandoff(client);
    const events: ConsoleEvent[] = [];
    const unsubscribe = client.handoffs.subscribe('Mina', (e) => events.push(e));

    const accepted = await client.handoffs.accept(handoff.id, 'Mina');
    assert.equal(accepted.ok, true);
    assert.match(text(drained(client)), /Mina from support has joined/);

    assert.deepEqual(await turn(client, 'mail to gmail bounces'), []);
    const relayed = events.find((e) => e.type === 'message');
    assert.ok(relayed && relayed.type === 'message' && relayed.entry.text === 'mail to gmail bounces', 'the agent got the message');

    await client.handoffs.send(handoff.id, 'Mina', 'Try <a href="javascript:alert(1)">this</a> <img src=x onerror=alert(1)> [link](javascript:alert(2))');
    const [message] = drained(client);
    assert.equal(message.textFormat, 'plain');
    assert.doesNotMatch(message.text!, /<|javascript:/i);
    assert.match(message.text!, /Try this/);

    await assert.rejects(client.handoffs.send(handoff.id, 'Somebody', 'hi'), /another agent/);
    await client.handoffs.end(handoff.id, 'Mina');
    assert.match(text(drained(client)), /Mina ended the chat/);
    assert.notEqual(text(await turn(client, 'what are the support hours')), '', 'the bot answers again');
    const transcript = (await client.handoffs.transcript(handoff.id)).map((e) => `${e.role}:${e.text}`);
    assert.ok(transcript.includes('user:mail to gmail bounces'));
    assert.ok(transcript.some((line) => line.startsWith('agent:Try this')));
    unsubscribe();
  });

  it('gives one winner when two agents accept at once', async () => {
    const client = newClient('en-US');
    await onlineAgent(client, 'Mina');
    await onlineAgent(client, 'Jun');
    await turn(client, 'talk to a person');
    const handoff = await openHandoff(client);
    const results = await Promise.all([client.handoffs.accept(handoff.id, 'Mina'), client.handoffs.accept(handoff.id, 'Jun')]);
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1);
    const loser = results.find((r) => !r.ok)!;
    assert.deepEqual(loser, { ok: false, reason: 'taken', by: (await client.handoffs.get(handoff.id))!.agentName });
  });

  it('checks a PIN the agent sent; the agent sees only verified, the code is stored nowhere', async () => {
    const client = newClient('en-US');
    await onlineAgent(client);
    await turn(client, 'talk to a person');
    const handoff = await openHandoff(client);
    await client.handoffs.accept(handoff.id, 'Mina');
    const events: ConsoleEvent[] = [];
    client.handoffs.subscribe('Mina', (e) => events.push(e));
    drained(client);

    const sent = await client.handoffs.sendPin(handoff.id, 'Mina', { organisation: 'contoso.example', via: 'email' });
    assert.equal(sent.outcome, 'sent');
    assert.match(text(drained(client)), /one-time code/);
    const code = client.identity.sent[0].code;
    assert.match(text(await turn(client, code)), /code matches/);
    assert.deepEqual(
      events.filter((e) => e.type === 'pin').map((e) => (e as { status: string }).status),
      ['sent', 'verified'],
    );
    assert.equal((await client.handoffs.get(handoff.id))!.summary.verified, true);
    const everything = JSON.stringify(await client.db.all('SELECT * FROM handoff_transcript')) + JSON.stringify(await client.db.all('SELECT * FROM conversation_log')) + JSON.stringify(events);
    assert.ok(!everything.includes(code), 'the code is not in the transcript, the log or the events');
  });

  it('puts the conversation back in the queue when the agent disconnects, and tells the user', async () => {
    const client = newClient('en-US', undefined, undefined, undefined, { agentTimeoutSeconds: 0.05 });
    await onlineAgent(client);
    await turn(client, 'talk to a person');
    const handoff = await openHandoff(client);
    const disconnect = client.handoffs.connected('Mina');
    await client.handoffs.accept(handoff.id, 'Mina');
    drained(client);
    disconnect();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await client.handoffs.get(handoff.id))!.status, 'waiting');
    assert.match(text(drained(client)), /Mina got disconnected[^]*You're in the queue/);
    assert.equal((await client.agents.get('Mina'))!.presence, 'offline');
  });
});

describe('handoff: agent consoles across instances', () => {
  // Two HandoffServices on one database are two instances; the clock is moved by hand and each
  // instance's renewal (its timer's work) is run by the test, so nothing depends on sleeping.
  function twoInstances() {
    let now = Date.parse('2026-11-24T03:00:00Z');
    const clock = () => new Date(now);
    const a = newClient('en-US', clock, 'emulator', undefined, { agentTimeoutSeconds: 60 });
    const b = newClient('en-US', clock, 'emulator', a.db, { agentTimeoutSeconds: 60 });
    return { a, b, advance: (seconds: number) => (now += seconds * 1000) };
  }

  it("puts an agent's chats back in the queue when the instance streaming their console dies", async () => {
    const { a, b, advance } = twoInstances();
    try {
      await onlineAgent(a);
      await turn(a, 'talk to a person');
      const handoff = await openHandoff(a);
      a.handoffs.connected('Mina');
      await a.handoffs.accept(handoff.id, 'Mina');
      await a.handoffs.renewStreams();
      // Instance A dies: its disconnect timer never runs, and it stops renewing.
      a.handoffs.close();
      advance(59);
      await b.handoffs.renewStreams();
      assert.equal((await b.handoffs.get(handoff.id))!.status, 'active', 'within the timeout the chat stays with the agent');
      advance(2);
      await b.handoffs.renewStreams();
      assert.equal((await b.handoffs.get(handoff.id))!.status, 'waiting');
      assert.equal((await b.agents.get('Mina'))!.presence, 'offline');
      assert.ok((await b.handoffs.store.transcript(handoff.id)).some((e) => e.text === 'Mina disconnected; back in the queue'));
      await b.handoffs.renewStreams();
      assert.equal((await b.handoffs.store.transcript(handoff.id)).filter((e) => /disconnected/.test(e.text)).length, 1, 'handled once');
    } finally {
      a.handoffs.close();
      b.handoffs.close();
    }
  });

  it('keeps the chats with an agent whose console comes back on another instance within the timeout', async () => {
    const { a, b, advance } = twoInstances();
    try {
      await onlineAgent(a);
      await turn(a, 'talk to a person');
      const handoff = await openHandoff(a);
      const leaveA = a.handoffs.connected('Mina');
      await a.handoffs.accept(handoff.id, 'Mina');
      leaveA();
      advance(5);
      b.handoffs.connected('Mina');
      await b.handoffs.renewStreams();
      advance(60);
      await b.handoffs.renewStreams();
      // A's disconnect timer fires now: the agent is streaming on B.
      await a.handoffs.agentGone('Mina');
      assert.equal((await a.handoffs.get(handoff.id))!.status, 'active');
      assert.equal((await a.agents.get('Mina'))!.presence, 'online');
    } finally {
      a.handoffs.close();
      b.handoffs.close();
    }
  });
});

describe('handoff: the queue card and the model', () => {
  it('shows the Erlang C wait for known inputs and updates the card as the queue moves', async () => {
    // Two agents online, four people joining within the hour, 12-minute handle time.
    const clock = () => new Date('2026-11-24T03:00:00Z');
    const first = newClient('en-US', clock);
    await onlineAgent(first, 'Mina');
    await onlineAgent(first, 'Jun');
    const users = [first];
    for (let i = 1; i < 4; i++) users.push(newClient('en-US', clock, 'emulator', first.db));
    // One database: four conversations in one queue.
    for (const user of users.slice(0, 3)) await turn(user, 'talk to a person');
    const fourth = text(await turn(users[3], 'talk to a person'));

    const expected = roundUpMinutes(averageSpeedOfAnswer({ agents: 2, arrivalsPerHour: 4, averageHandleMinutes: 12 }) + backlogMinutes(3, 12, 2));
    assert.equal(expected, 21, 'A = 0.8 Erlang, N = 2: ASA 2.29 min + 3 ahead × 12 / 2 = 20.29 → 21');
    assert.match(fourth, /Your place: 4\n/);
    assert.match(fourth, new RegExp(`Expected wait: about ${expected} min`));
  });
});

describe('handoff: external mode', () => {
  it('emits handoff.initiate with the transcript, then follows handoff.status', async () => {
    const client = newClient('en-US', undefined, undefined, undefined, { handoffMode: 'external' });
    await turn(client, 'what are the support hours');
    const replies = await turn(client, 'talk to a person');
    const initiate = replies.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    assert.ok(initiate, 'a handoff.initiate event');
    const transcript = initiate!.attachments?.find((a) => a.name === 'Transcript' && a.contentType === 'application/json');
    assert.ok(transcript, 'with a transcript attachment');
    const activities = (transcript!.content as { activities: Activity[] }).activities;
    assert.ok(activities.some((a) => a.text === 'what are the support hours'));
    assert.equal((initiate!.value as { queue: string }).queue, 'worldwide:technical:en');

    await turn(client, { type: 'event', name: 'handoff.status', value: { state: 'accepted' } });
    assert.deepEqual(await turn(client, 'hello agent'), [], 'the bot is quiet while the hub has the user');
    assert.match(text(await turn(client, { type: 'event', name: 'handoff.status', value: { state: 'completed' } })), /I'm back/);
    assert.notEqual(text(await turn(client, 'what are the support hours')), '');
  });

  it('tells the user when the hub fails', async () => {
    const client = newClient('ko-KR', undefined, undefined, undefined, { handoffMode: 'external' });
    await turn(client, '상담원 연결');
    assert.match(text(await turn(client, { type: 'event', name: 'handoff.status', value: { state: 'failed' } })), /연결하지 못했습니다/);
  });
});

describe('handoff: severity A, closed queues and the linked request', () => {
  async function verified(client: Conversation, organisation: string): Promise<void> {
    await turn(client, 'verify');
    await turn(client, organisation);
    await turn(client, 'Email');
    assert.match(text(await turn(client, client.identity.sent[client.identity.sent.length - 1].code)), /verified/);
  }
  const FORM = { action: 'requestForm', description: 'All mailboxes are down for the whole company.', category: 'technical', severity: 'A', phone: '+86 10 5555 0100', email: 'it@fabrikam.example', method: 'phone' };

  it('hands a severity A request to a person, and keeps the chat with the request', async () => {
    const client = newClient('en-US');
    await onlineAgent(client);
    await verified(client, 'fabrikam.example');
    await turn(client, 'new request');
    await turn(client, 'Open a request anyway');
    await turn(client, 'None of these');
    const done = text(await turn(client, { type: 'message', value: FORM }));
    assert.match(done, /is open/);
    assert.match(done, /Severity A means business is stopped/);
    assert.match(done, /You're in the queue/);
    const handoff = await openHandoff(client);
    const request = (await client.requests.store.list())[0];
    assert.equal(handoff.trigger, 'severity-a');
    assert.equal(handoff.requestNumber, request.number);
    assert.equal(handoff.queue, '21vianet:technical:en');
    assert.deepEqual(handoff.summary.organisation, { id: 'fabrikam-demo', name: (await client.identity.organisations.get('fabrikam-demo'))!.name });

    await client.handoffs.accept(handoff.id, 'Mina');
    assert.equal((await client.requests.store.get(request.number))!.status, 'in_progress', 'accepting the chat starts work on the request');
    await client.handoffs.updateRequest(handoff.id, 'Mina', { status: 'resolved', note: 'Mail flow restored' });
    assert.match(text(drained(client)), /resolved/i);
    await client.handoffs.end(handoff.id, 'Mina');
    const history = await client.requests.store.historyOf(request.number);
    assert.ok(history.some((h) => h.actor === 'agent:Mina' && h.change.status === 'resolved' && h.change.note === 'Mail flow restored'));
    assert.ok(history.some((h) => h.actor === 'handoff' && /transcript of \d+ messages/.test(h.change.note ?? '')));
    assert.deepEqual((await client.handoffs.store.forRequest(request.number)).map((h) => h.id), [handoff.id]);
  });

  it('outside the queue hours, says when it opens and offers a callback or waiting', async () => {
    // 01:00 in Beijing: the 21Vianet queue (09:00-24:00 Beijing time, every day) is closed.
    const saturday = () => new Date('2026-11-27T17:00:00Z');
    const client = newClient('en-US', saturday);
    await verified(client, 'fabrikam.example');
    const offer = text(await turn(client, 'talk to a person'));
    assert.match(offer, /Nobody is on this support queue right now/);
    assert.match(offer, /It opens Sat 9:00 AM \(/);
    assert.equal((await client.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM handoffs'))!.n, 0, 'nothing queued yet');
    assert.match(text(await turn(client, 'request a callback')), /Northwind Cloud Partners|known issues/, 'the request flow starts');

    const waiting = newClient('ko-KR', saturday);
    await turn(waiting, '본인 인증');
    await turn(waiting, 'fabrikam.example');
    await turn(waiting, '메일');
    await turn(waiting, waiting.identity.sent[0].code);
    assert.match(text(await turn(waiting, '상담원 연결')), /운영 시간이 아닙니다/);
    const queued = text(await turn(waiting, '상담원 기다리기'));
    assert.match(queued, /상담원 연결 대기 중입니다/);
    assert.match(queued, /운영|시작/);
  });
});

describe('handoff: the card keeps itself current', () => {
  it('rewrites the waiting users\' cards in place as the queue moves', async () => {
    const clock = () => new Date('2026-11-24T03:00:00Z');
    const first = newClient('en-US', clock);
    const second = newClient('en-US', clock, 'emulator', first.db);
    await turn(first, 'talk to a person');
    const card = (await turn(second, 'talk to a person')).find((a) => a.attachments?.length)!;
    assert.match(card.text!, /Your place: 2\n/);
    // The second user's card is in their channel's queue; when the first leaves, it is updated in place.
    second.adapter.activeQueue.push(card);
    await second.handoffs.refreshQueue('worldwide:technical:en');
    await turn(first, 'cancel');
    await second.handoffs.refreshQueue('worldwide:technical:en');
    const updated = second.adapter.activeQueue.find((a) => a.id === card.id)!;
    assert.notEqual(updated, card, 'the same activity id now holds a new card');
    assert.match(updated.text!, /Your place: 1\n/);
  });
});
