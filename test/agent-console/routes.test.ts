// The agent console's HTTP surface on a real restify server with real SQLite, agents and sessions.
// The handoff service is replaced by a small in-memory ConsoleBackend (memory-backend.ts; the real one
// is tested on its own): these tests are about the wire — sign-in, cookies, CSRF, status mapping, the event stream.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Server } from 'restify';
import { createServer } from '../../bot/server';
import { createLogger } from '../../bot/logger';
import { openDatabase } from '../../bot/storage/database';
import { AgentStore } from '../../bot/agents/agents';
import { AgentSessions, LOGIN_FAILURES } from '../../bot/agent-console/sessions';
import { agentConsoleRoutes } from '../../bot/agent-console/routes';
import type { ConsoleEvent, Handoff, QueueView, TranscriptEntry } from '../../bot/handoff/types';
import { postJson, request, RawResponse } from '../support/http-client';
import { MemoryBackend } from './memory-backend';

const PASSWORD = 'correct horse battery staple';

interface Running {
  url: string;
  server: Server;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const cookieOf = (response: RawResponse) => {
  const header = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0] ?? '';
  return { header, value: /^agent_session=([^;]*)/.exec(header)?.[1] ?? '' };
};

describe('agent console over HTTP', function () {
  this.timeout(60_000);
  let dir: string;
  let db: ReturnType<typeof openDatabase>;
  let agents: AgentStore;
  let sessions: AgentSessions;
  let backend: MemoryBackend;
  let logs: string[];
  let plain: Running;
  let secure: Running;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-console-'));
    db = openDatabase(path.join(dir, 'bot.sqlite'));
    agents = new AgentStore(db);
    await agents.add({ name: 'Kim', languages: ['en'], queues: ['worldwide:technical:en'], password: PASSWORD });
    await agents.add({ name: 'Ana', languages: ['en', 'ko'], queues: ['*'], password: PASSWORD });
    sessions = new AgentSessions(db);
    backend = new MemoryBackend(agents);
    logs = [];
    const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }));
    const start = async (secureCookies: boolean): Promise<Running> => {
      const routes = agentConsoleRoutes({ backend, agents, sessions, secureCookies, logger, publicUrl: 'http://localhost:3978', heartbeatSeconds: 0.2 });
      const server = createServer({ maxBodyBytes: 64 * 1024, logger, routes });
      return { server, url: await listen(server) };
    };
    plain = await start(false);
    secure = await start(true);
  });

  after(async () => {
    for (const running of [plain, secure]) {
      running?.server.server.closeAllConnections();
      await new Promise<void>((resolve) => running?.server.close(() => resolve()));
    }
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function login(name: string, url = plain.url): Promise<{ cookie: string; csrf: string; response: RawResponse }> {
    const response = await postJson(`${url}/agent/api/login`, { name, password: PASSWORD });
    assert.equal(response.status, 200, response.body);
    return { cookie: `agent_session=${cookieOf(response).value}`, csrf: JSON.parse(response.body).csrf, response };
  }
  const get = (p: string, cookie?: string) => request(`${plain.url}${p}`, { headers: cookie ? { cookie } : {} });
  const post = (p: string, body: unknown, who?: { cookie: string; csrf?: string }) =>
    postJson(`${plain.url}${p}`, body, { ...(who ? { cookie: who.cookie } : {}), ...(who?.csrf ? { 'x-csrf-token': who.csrf } : {}) });

  it('serves the page with a strict CSP, its script, style and chart.js', async () => {
    const page = await get('/agent');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.doesNotMatch(page.body, /<script>|<style|\sstyle=|\son[a-z]+=/i, 'no inline script, style or handlers');
    const js = await get('/agent/console.js');
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.doesNotMatch(js.body, /innerHTML/);
    assert.match(String((await get('/agent/console.css')).headers['content-type']), /text\/css/);
    const chart = await get('/agent/chart.js');
    assert.equal(chart.status, 200);
    assert.match(String(chart.headers['content-type']), /javascript/);
    assert.match(chart.body, /Chart\.js v4\./);
  });

  it('refuses the API without a session, with a forged or an expired cookie', async () => {
    const forged = `agent_session=${crypto.randomBytes(32).toString('base64url')}`;
    const expired = await new AgentSessions(db, () => new Date(Date.now() - 13 * 3600_000)).create('Kim');
    for (const cookie of [undefined, forged, 'agent_session=not-even-a-token', `agent_session=${expired.token}`]) {
      for (const p of ['/agent/api/session', '/agent/api/queues', '/agent/api/events', '/agent/api/dashboard']) {
        const response = await get(p, cookie);
        assert.equal(response.status, 401, `${p} with ${cookie}`);
        assert.deepEqual(JSON.parse(response.body), { error: 'Sign in to continue.' });
      }
      const csrf = cookie === `agent_session=${expired.token}` ? expired.csrf : 'x';
      assert.equal((await post('/agent/api/presence', { presence: 'online' }, { cookie: cookie ?? '', csrf })).status, 401);
    }
  });

  it('answers a wrong name or password with one generic 401', async () => {
    const wrong = await postJson(`${plain.url}/agent/api/login`, { name: 'Kim', password: 'not the password' });
    const unknown = await postJson(`${plain.url}/agent/api/login`, { name: 'Nobody', password: PASSWORD });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body, unknown.body);
    assert.equal(wrong.headers['set-cookie'], undefined);
    assert.equal((await postJson(`${plain.url}/agent/api/login`, { name: 'Kim' })).status, 400);
    assert.equal((await request(`${plain.url}/agent/api/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Kim' })).status, 415);
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie (Secure behind https) and returns the session', async () => {
    const { response, cookie, csrf } = await login('Kim');
    const { header } = cookieOf(response);
    assert.match(header, /^agent_session=[A-Za-z0-9_-]{43}; /);
    assert.match(header, /; Path=\/agent(;|$)/);
    assert.match(header, /; HttpOnly(;|$)/);
    assert.match(header, /; SameSite=Strict(;|$)/);
    assert.doesNotMatch(header, /Secure/);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.deepEqual(Object.keys(JSON.parse(response.body)).sort(), ['csrf', 'name']);
    const session = await get('/agent/api/session', cookie);
    assert.equal(session.status, 200);
    assert.deepEqual(JSON.parse(session.body), { name: 'Kim', languages: ['en'], queues: ['worldwide:technical:en'], presence: 'offline', csrf });

    const secured = await login('Kim', secure.url);
    assert.match(cookieOf(secured.response).header, /; HttpOnly; SameSite=Strict; Secure$/);

    const all = logs.join('\n');
    assert.ok(!all.includes(PASSWORD), 'no password in the log');
    assert.ok(!all.includes(cookie.split('=')[1]), 'no session token in the log');
  });

  it('requires the session CSRF token on every POST', async () => {
    const kim = await login('Kim');
    const other = await login('Kim');
    assert.equal((await post('/agent/api/presence', { presence: 'online' }, { cookie: kim.cookie })).status, 403);
    assert.equal((await post('/agent/api/presence', { presence: 'online' }, { cookie: kim.cookie, csrf: 'wrong' })).status, 403);
    assert.equal((await post('/agent/api/presence', { presence: 'online' }, { cookie: kim.cookie, csrf: other.csrf })).status, 403, "another session's token does not do");
    assert.equal((await agents.get('Kim'))?.presence, 'offline');
    const ok = await post('/agent/api/presence', { presence: 'online' }, kim);
    assert.equal(ok.status, 200);
    assert.equal((await agents.get('Kim'))?.presence, 'online');
    assert.equal((await post('/agent/api/presence', { presence: 'busy' }, kim)).status, 400);

    const logout = await post('/agent/api/logout', {}, { cookie: kim.cookie });
    assert.equal(logout.status, 403, 'logout needs the token too');
    const out = await post('/agent/api/logout', {}, kim);
    assert.equal(out.status, 200);
    assert.match(cookieOf(out).header, /^agent_session=; .*Max-Age=0/);
    assert.equal((await get('/agent/api/session', kim.cookie)).status, 401, 'the session is gone');
    assert.equal((await get('/agent/api/session', other.cookie)).status, 200, 'other sessions stay');
  });

  it('lets an invite link sign in once', async () => {
    const token = await sessions.invite('Ana');
    const first = await postJson(`${plain.url}/agent/api/invite`, { token });
    assert.equal(first.status, 200);
    assert.equal(JSON.parse(first.body).name, 'Ana');
    const { header, value } = cookieOf(first);
    assert.match(header, /HttpOnly; SameSite=Strict/);
    assert.equal((await get('/agent/api/session', `agent_session=${value}`)).status, 200);
    const second = await postJson(`${plain.url}/agent/api/invite`, { token });
    assert.equal(second.status, 401);
    assert.equal(second.headers['set-cookie'], undefined);
    assert.equal((await postJson(`${plain.url}/agent/api/invite`, { token: 'made-up' })).status, 401);
    assert.ok(!logs.join('\n').includes(token), 'the invite token is not logged');
  });

  it('lists queues, shows a conversation, and maps accept, send and the rest to statuses', async () => {
    const kim = await login('Kim');
    const ana = await login('Ana');
    backend.add('h-1', 'worldwide:technical:en');
    backend.add('h-2', 'worldwide:billing:ko', { locale: 'ko' });
    backend.add('h-3', 'worldwide:technical:en', { requestNumber: '2026-000042' });

    const queues = JSON.parse((await get('/agent/api/queues', kim.cookie)).body);
    assert.deepEqual(queues.queues.map((q: QueueView) => q.queue), ['worldwide:technical:en']);
    assert.deepEqual(queues.queues[0].waiting.map((w: { handoff: Handoff }) => w.handoff.id), ['h-1', 'h-3']);
    assert.deepEqual(queues.mine, []);

    const read = await get('/agent/api/handoffs/h-1', kim.cookie);
    assert.equal(read.status, 200);
    assert.deepEqual(JSON.parse(read.body).transcript.map((e: TranscriptEntry) => e.text), ['I want a person']);
    assert.equal((await get('/agent/api/handoffs/h-2', kim.cookie)).status, 403, 'not a queue Kim serves');
    assert.equal((await get('/agent/api/handoffs/nope', kim.cookie)).status, 404);
    assert.equal((await post('/agent/api/handoffs/h-2/accept', {}, kim)).status, 403);
    assert.equal((await post('/agent/api/handoffs/nope/accept', {}, kim)).status, 404);

    const accepted = await post('/agent/api/handoffs/h-1/accept', {}, ana);
    assert.equal(accepted.status, 200);
    assert.equal(JSON.parse(accepted.body).handoff.agentName, 'Ana');
    const taken = await post('/agent/api/handoffs/h-1/accept', {}, kim);
    assert.equal(taken.status, 409);
    assert.match(JSON.parse(taken.body).error, /already taken by Ana/);
    assert.equal((await get('/agent/api/handoffs/h-1', kim.cookie)).status, 403, "once taken, only its agent reads it");
    assert.equal((await get('/agent/api/handoffs/h-1', ana.cookie)).status, 200);
    assert.deepEqual(JSON.parse((await get('/agent/api/queues', ana.cookie)).body).mine.map((h: Handoff) => h.id), ['h-1']);

    assert.equal((await post('/agent/api/handoffs/h-1/messages', { text: 'Hello, I am Ana.' }, kim)).status, 403, 'not yours');
    assert.equal((await post('/agent/api/handoffs/h-1/messages', { text: 'Hello, I am Ana.' }, ana)).status, 202);
    assert.equal((await post('/agent/api/handoffs/h-1/messages', { text: '  ' }, ana)).status, 400);
    assert.equal((await post('/agent/api/handoffs/h-1/messages', { text: 'x'.repeat(4001) }, ana)).status, 400);
    assert.equal((await post('/agent/api/handoffs/h-1/messages', { text: 'x'.repeat(4000) }, ana)).status, 202);
    assert.equal((await post('/agent/api/handoffs/h-1/typing', {}, ana)).status, 202);
    const pin = await post('/agent/api/handoffs/h-1/pin', { organisation: 'contoso.example', via: 'email' }, ana);
    assert.equal(pin.status, 200);
    assert.deepEqual(JSON.parse(pin.body), { outcome: 'sent', destination: 'a\u2022\u2022\u2022@contoso.example' });
    assert.equal((await post('/agent/api/handoffs/h-1/pin', { organisation: 'contoso.example', via: 'pigeon' }, ana)).status, 400);
    const noRequest = await post('/agent/api/handoffs/h-1/request', { status: 'in_progress' }, ana);
    assert.equal(noRequest.status, 400);
    assert.deepEqual(JSON.parse(noRequest.body), { error: 'No request is linked to this conversation.' });

    assert.equal((await post('/agent/api/handoffs/h-3/accept', {}, kim)).status, 200);
    const updated = await post('/agent/api/handoffs/h-3/request', { status: 'in_progress', note: 'Calling back' }, kim);
    assert.equal(updated.status, 200);
    assert.deepEqual(JSON.parse(updated.body), { request: { number: '2026-000042', status: 'in_progress' } });
    assert.equal((await post('/agent/api/handoffs/h-3/request', {}, kim)).status, 400, 'a change needs a status or a note');
    assert.equal((await post('/agent/api/handoffs/h-3/request', { status: 'lost' }, kim)).status, 400);

    assert.equal((await post('/agent/api/handoffs/h-1/end', {}, ana)).status, 200);
    assert.equal((await post('/agent/api/handoffs/h-1/messages', { text: 'still there?' }, ana)).status, 409, 'not active');
    assert.equal((await post('/agent/api/handoffs/h-1/accept', {}, ana)).status, 404, 'an ended handoff is gone');
    assert.deepEqual(backend.calls.filter((c) => c.startsWith('send')).map((c) => c.slice(0, 30)), ['send h-1 Hello, I am Ana.', `send h-1 ${'x'.repeat(21)}`]);

    backend.failWith = new Error('SQLITE_BUSY at /srv/secret/path.ts:42');
    const broken = await post('/agent/api/handoffs/h-3/typing', {}, kim);
    backend.failWith = undefined;
    assert.equal(broken.status, 500);
    assert.deepEqual(JSON.parse(broken.body), { error: 'Internal error.' });
  });

  it('streams events to the agent and tells the backend when the console connects and leaves', async () => {
    const kim = await login('Kim');
    const connectedBefore = backend.connections.length;
    let received = '';
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get(`${plain.url}/agent/api/events`, { headers: { cookie: kim.cookie }, agent: false }, resolve);
      req.on('error', reject);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (received += chunk));
    stream.on('error', () => undefined);
    assert.equal(stream.statusCode, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.equal(stream.headers['cache-control'], 'no-store');
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 5000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stream so far: ${received}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => backend.connections.length === connectedBefore + 1 && (backend.listeners.get('Kim')?.size ?? 0) === 1, 'connect');
    assert.equal(backend.connections.at(-1), 'Kim');

    const event: ConsoleEvent = { type: 'message', handoffId: 'h-3', entry: { at: '2026-11-24T03:00:00.000Z', role: 'user', text: 'line one\nline two' } };
    backend.publish('Kim', event);
    backend.publish('Kim', { type: 'queues' });
    backend.publish('Ana', { type: 'typing', handoffId: 'h-9' });
    await until(() => received.includes('"type":"queues"'), 'the queues event');
    const data = received.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
    assert.deepEqual(data, [event, { type: 'queues' }], "only Kim's events, one JSON line each");
    await until(() => received.includes(': heartbeat\n\n'), 'a heartbeat');

    const disconnectedBefore = backend.disconnections.length;
    stream.destroy();
    await until(() => backend.disconnections.length === disconnectedBefore + 1, 'the disconnect hook');
    assert.equal(backend.disconnections.at(-1), 'Kim');
    assert.equal(backend.listeners.get('Kim')?.size, 0, 'unsubscribed');
  });

  it('ends an open event stream when its session logs out', async () => {
    const kim = await login('Kim');
    const before = backend.disconnections.length;
    const ended = new Promise<void>((resolve, reject) => {
      const req = http.get(`${plain.url}/agent/api/events`, { headers: { cookie: kim.cookie }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      });
      req.on('error', reject);
    });
    while (backend.connections.length === 0 || (backend.listeners.get('Kim')?.size ?? 0) === 0) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await post('/agent/api/logout', {}, kim)).status, 200);
    await ended;
    while (backend.disconnections.length === before) await new Promise((r) => setTimeout(r, 20));
  });

  it('serves the dashboard for 1 to 168 hours', async () => {
    const kim = await login('Kim');
    const standard = await get('/agent/api/dashboard', kim.cookie);
    assert.equal(standard.status, 200);
    assert.equal(JSON.parse(standard.body).hours.length, 24);
    assert.equal(JSON.parse((await get('/agent/api/dashboard?hours=168', kim.cookie)).body).hours.length, 168);
    assert.equal((await get('/agent/api/dashboard?hours=1', kim.cookie)).status, 200);
    for (const hours of ['0', '1000', '169', '-1', '2.5', 'abc', '']) {
      assert.equal((await get(`/agent/api/dashboard?hours=${hours}`, kim.cookie)).status, 400, `hours=${hours}`);
    }
    assert.deepEqual(backend.dashboardHours, [24, 168, 1]);
  });

  it('refuses logins for a name after repeated failures, even with the right password', async () => {
    await agents.add({ name: 'Lee', languages: ['en'], password: PASSWORD });
    for (let i = 0; i < LOGIN_FAILURES; i++) {
      assert.equal((await postJson(`${plain.url}/agent/api/login`, { name: 'Lee', password: `guess number ${i}` })).status, 401);
    }
    const limited = await postJson(`${plain.url}/agent/api/login`, { name: 'Lee', password: PASSWORD });
    assert.equal(limited.status, 429);
    assert.ok(limited.headers['retry-after']);
    assert.equal(limited.headers['set-cookie'], undefined);
    assert.equal((await postJson(`${plain.url}/agent/api/login`, { name: 'Kim', password: PASSWORD })).status, 200, 'other agents can still sign in');
  });

  it('limits parallel guesses too', async () => {
    await agents.add({ name: 'Sam', languages: ['en'], password: PASSWORD });
    const statuses = await Promise.all(Array.from({ length: LOGIN_FAILURES + 5 }, (_v, i) => postJson(`${plain.url}/agent/api/login`, { name: 'Sam', password: `guess ${i}` }).then((r) => r.status)));
    assert.equal(statuses.filter((s) => s === 401).length, LOGIN_FAILURES);
    assert.equal(statuses.filter((s) => s === 429).length, 5);
  });
});
