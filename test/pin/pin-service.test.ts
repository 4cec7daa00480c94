// PIN verification under attack: expiry, reuse, other conversations, resends, the attempt limit,
// parallel guesses, odd input, redelivery, rate limits, and what never leaves the service.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../bot/storage/database';
import type { SqliteSql } from '../../bot/storage/sql';
import { createLogger } from '../../bot/logger';
import { OrganisationStore, DEMO_ORGANISATIONS } from '../../bot/orgs/organisations';
import { PinService, PinScope, DEFAULT_PIN_SETTINGS } from '../../bot/pin/pin-service';
import { CodeMessage, createDelivery, PinDelivery } from '../../bot/pin/delivery';
import { maskEmail, maskPhone } from '../../bot/pin/mask';
import { codeFromMail, startSmtpCapture } from '../support/mail';

const SCOPE: PinScope = { channelId: 'emulator', conversationId: 'conv-1', userId: 'user-1', purpose: 'act-for-organisation' };
let activity = 0;
const nextActivity = () => `emulator|conv-1|act-${++activity}`;

interface Harness {
  db: SqliteSql;
  pins: PinService;
  sent: CodeMessage[];
  logs: string[];
  clock: { now: Date };
}

async function harness(codes?: string[]): Promise<Harness> {
  const db = openDatabase(':memory:');
  const orgs = new OrganisationStore(db);
  for (const org of DEMO_ORGANISATIONS) await orgs.save(org);
  const sent: CodeMessage[] = [];
  const logs: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }));
  const delivery: PinDelivery = { send: async (m) => void sent.push(m) };
  const clock = { now: new Date('2026-11-25T10:00:00Z') };
  const queue = codes ? [...codes] : undefined;
  const pins = new PinService(db, orgs, delivery, logger, DEFAULT_PIN_SETTINGS, () => clock.now, queue ? () => queue.shift()! : undefined);
  return { db, pins, sent, logs, clock };
}

async function issue(h: Harness, scope = SCOPE, organisation = 'contoso.example'): Promise<string> {
  const before = h.sent.length;
  const result = await h.pins.request({ scope, organisation, activityKey: nextActivity(), locale: 'en' });
  assert.equal(result.outcome, 'sent');
  assert.equal(h.sent.length, before + 1, 'one code delivered');
  return h.sent[h.sent.length - 1].code;
}

describe('PIN verification', () => {
  it('issues a 6-digit code to the registered email and verifies it once', async () => {
    const h = await harness();
    const result = await h.pins.request({ scope: SCOPE, organisation: 'admin@contoso.example', activityKey: nextActivity(), locale: 'en' });
    assert.deepEqual(result, { outcome: 'sent', destination: 'a\u2022\u2022\u2022@contoso.example' });
    const code = h.sent[0].code;
    assert.match(code, /^\d{6}$/);
    assert.equal(h.sent[0].to, 'admin@contoso.example');
    assert.deepEqual(await h.pins.verify(SCOPE, 'contoso.example', code), { ok: true, organisationId: 'contoso-demo' });
    assert.ok(await h.pins.isVerified(SCOPE, 'contoso-demo'));
    assert.deepEqual(await h.pins.verify(SCOPE, 'contoso.example', code), { ok: false, reason: 'none' }, 'reuse fails');
  });

  it('fails a correct code at 10 minutes and 1 second', async () => {
    const h = await harness();
    const code = await issue(h);
    h.clock.now = new Date(h.clock.now.getTime() + 10 * 60_000 + 1000);
    assert.deepEqual(await h.pins.verify(SCOPE, 'contoso.example', code), { ok: false, reason: 'expired' });
  });

  it('fails the code in another conversation, for another user, or another purpose', async () => {
    const h = await harness();
    const code = await issue(h);
    for (const other of [{ ...SCOPE, conversationId: 'conv-2' }, { ...SCOPE, userId: 'user-2' }, { ...SCOPE, purpose: 'agent-check' as const }]) {
      assert.equal((await h.pins.verify(other, 'contoso.example', code)).ok, false);
    }
    assert.equal((await h.pins.verify(SCOPE, 'fabrikam.example', code)).ok, false, 'another organisation');
    assert.equal((await h.pins.verify(SCOPE, 'contoso.example', code)).ok, true, 'still good where it was issued');
  });

  it('fails the old code after a resend', async () => {
    const h = await harness(['111111', '222222']);
    const first = await issue(h);
    const second = await issue(h);
    assert.equal((await h.pins.verify(SCOPE, 'contoso.example', first)).ok, false);
    assert.equal((await h.pins.verify(SCOPE, 'contoso.example', second)).ok, true);
  });

  it('fails the 6th try even with the right code', async () => {
    const h = await harness(['123456']);
    await issue(h);
    for (let i = 0; i < 5; i++) assert.deepEqual(await h.pins.verify(SCOPE, 'contoso.example', '000000'), { ok: false, reason: 'wrong' });
    assert.deepEqual(await h.pins.verify(SCOPE, 'contoso.example', '123456'), { ok: false, reason: 'locked' });
  });

  it('counts 50 parallel wrong guesses exactly, and lets exactly one of 10 parallel right answers through', async () => {
    const h = await harness(['654321', '777777']);
    await issue(h);
    const attempts = () => (h.db.raw.prepare('SELECT attempts FROM pin_codes').get() as { attempts: number }).attempts;
    await Promise.all(Array.from({ length: 50 }, () => h.pins.verify(SCOPE, 'contoso.example', '000000')));
    assert.equal(attempts(), 50);
    await issue(h); // a fresh code: attempts back to 0
    const results = await Promise.all(Array.from({ length: 10 }, () => h.pins.verify(SCOPE, 'contoso.example', '777777')));
    assert.equal(results.filter((r) => r.ok).length, 1);
  });

  it('treats odd input as a failed try, never an exception', async () => {
    for (const typed of [' 123456', '１２３４５６', '1234567', "1' OR '1'='1", '', '12345\u0000', '123456\n']) {
      const h = await harness(['123456']);
      await issue(h);
      assert.deepEqual(await h.pins.verify(SCOPE, 'contoso.example', typed), { ok: false, reason: 'wrong' }, JSON.stringify(typed));
      assert.equal((h.db.raw.prepare('SELECT attempts FROM pin_codes').get() as { attempts: number }).attempts, 1, 'it used up a try');
    }
  });

  it('gives unknown and known organisations replies of the same shape, and sends nothing for unknown ones', async () => {
    const h = await harness();
    const known = await h.pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey: nextActivity(), locale: 'en' });
    const unknown = await h.pins.request({ scope: SCOPE, organisation: 'nobody-here.example', activityKey: nextActivity(), locale: 'en' });
    const shape = (d: string) => d.replace(/^[a-z]/, 'x').replace(/@.*/, '@');
    assert.equal(known.outcome, unknown.outcome);
    assert.equal(shape(known.destination), shape(unknown.destination));
    assert.equal(h.sent.length, 1);
    const again = await h.pins.request({ scope: SCOPE, organisation: 'nobody-here.example', activityKey: nextActivity(), locale: 'en' });
    assert.equal(again.destination, unknown.destination, 'stable for the same name');
    assert.deepEqual(await h.pins.verify(SCOPE, 'nobody-here.example', '123456'), { ok: false, reason: 'none' });
  });

  it('sends one code for a redelivered activity', async () => {
    const h = await harness();
    const activityKey = nextActivity();
    const first = await h.pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey, locale: 'en' });
    const second = await h.pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey, locale: 'en' });
    assert.deepEqual(first, second);
    assert.equal(h.sent.length, 1);
  });

  it('allows 3 sends per 15 minutes per user and organisation', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await issue(h);
    const refused = await h.pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey: nextActivity(), locale: 'en' });
    assert.equal(refused.outcome, 'rate-limited');
    assert.equal(h.sent.length, 3);
    const other = await h.pins.request({ scope: { ...SCOPE, userId: 'user-2' }, organisation: 'contoso.example', activityKey: nextActivity(), locale: 'en' });
    assert.equal(other.outcome, 'sent', 'another user has their own allowance');
    h.clock.now = new Date(h.clock.now.getTime() + 15 * 60_000 + 1000);
    await issue(h);
  });

  it('keeps the code out of logs and the database', async () => {
    const h = await harness(['482913']);
    await issue(h);
    await h.pins.verify(SCOPE, 'contoso.example', '000000');
    await h.pins.verify(SCOPE, 'contoso.example', '482913');
    assert.ok(h.logs.length >= 2);
    assert.ok(!h.logs.join('\n').includes('482913'));
    const dump = JSON.stringify(h.db.raw.prepare("SELECT * FROM pin_codes").all()) + JSON.stringify(h.db.raw.prepare('SELECT * FROM pin_sends').all()) + JSON.stringify(h.db.raw.prepare('SELECT * FROM verifications').all());
    assert.ok(!dump.includes('482913'));
  });

  it('sends to the registered phone when asked, masked in the reply', async () => {
    const h = await harness();
    const result = await h.pins.request({ scope: SCOPE, organisation: '00000000-0000-4000-8000-00000000c0de', via: 'phone', activityKey: nextActivity(), locale: 'ko' });
    assert.equal(result.destination, '+1 \u2022\u2022\u2022 \u2022\u2022\u2022 0100');
    assert.equal(h.sent[0].kind, 'sms');
    assert.equal(h.sent[0].to, '+14255550100');
  });

  it('masks destinations', () => {
    assert.equal(maskEmail('jane.doe@contoso.com'), 'j\u2022\u2022\u2022@contoso.com');
    assert.equal(maskPhone('+1 425 555 4567'), '+1 \u2022\u2022\u2022 \u2022\u2022\u2022 4567');
    assert.equal(maskPhone('+82 2 1234 5678'), '+82 \u2022\u2022\u2022 \u2022\u2022\u2022 5678');
  });
});

describe('PIN delivery', () => {
  it('sends real mail to an SMTP server, and the code in it verifies', async () => {
    const smtp = await startSmtpCapture();
    const { received } = smtp;
    const logs: string[] = [];
    const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }));
    try {
      const db = openDatabase(':memory:');
      const orgs = new OrganisationStore(db);
      await orgs.save(DEMO_ORGANISATIONS[0]);
      const delivery = createDelivery({ dataDir: os.tmpdir(), smtpUrl: smtp.url, from: 'Support bot <bot@localhost>', logger });
      const pins = new PinService(db, orgs, delivery, logger);
      await pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey: nextActivity(), locale: 'en' });
      assert.equal(received.length, 1);
      assert.match(received[0], /To: admin@contoso\.example/);
      const code = codeFromMail(received[0]);
      assert.ok(code, 'the mail carries a 6-digit code');
      assert.equal((await pins.verify(SCOPE, 'contoso.example', code)).ok, true);
      assert.ok(!logs.join('\n').includes(code));
    } finally {
      await smtp.stop();
    }
  });

  it('writes an .eml to DATA_DIR/outbox without SMTP, logging the file but not the code', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
    const logs: string[] = [];
    const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }));
    try {
      const delivery = createDelivery({ dataDir, from: 'bot@localhost', logger });
      await delivery.send({ kind: 'email', to: 'admin@contoso.example', code: '314159', locale: 'en', ttlMinutes: 10, organisationName: 'Contoso' });
      await delivery.send({ kind: 'sms', to: '+14255550100', code: '271828', locale: 'ko', ttlMinutes: 10, organisationName: 'Contoso' });
      const files = fs.readdirSync(path.join(dataDir, 'outbox'));
      assert.equal(files.filter((f) => f.endsWith('.eml')).length, 1);
      assert.equal(files.filter((f) => f.endsWith('.sms.txt')).length, 1);
      const eml = fs.readFileSync(path.join(dataDir, 'outbox', files.find((f) => f.endsWith('.eml'))!), 'utf8');
      assert.match(eml, /Subject: Your Microsoft 365 support verification code/);
      assert.match(eml, /314159/);
      const joined = logs.join('\n');
      assert.ok(!joined.includes('314159') && !joined.includes('271828'));
      assert.ok(files.every((f) => joined.includes(f)), 'each log line names its file');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
