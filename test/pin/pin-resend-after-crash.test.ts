// A process that wrote a PIN mail to the outbox and died before recording it as delivered: the
// redelivered activity must not send a second code, and one that died before writing must send.
// Over SMTP nobody can tell whether the server took the mail: no second code for the activity.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../bot/storage/database';
import { DEMO_ORGANISATIONS, OrganisationStore } from '../../bot/orgs/organisations';
import { PinService } from '../../bot/pin/pin-service';
import { createDelivery } from '../../bot/pin/delivery';
import { createLogger } from '../../bot/logger';
import { startSmtpCapture } from '../support/mail';

const SCOPE = { channelId: 'emulator', conversationId: 'c-1', userId: 'u-1', purpose: 'act-for-organisation' as const };

describe('PIN send interrupted by a crash', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pin-crash-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function setup(smtpUrl?: string) {
    const db = openDatabase(path.join(dir, 'bot.sqlite'));
    const organisations = new OrganisationStore(db);
    await organisations.save(DEMO_ORGANISATIONS[0]);
    const logger = createLogger('silent');
    const delivery = createDelivery({ dataDir: dir, from: 'bot <bot@localhost>', logger, smtpUrl });
    // Each service is a process: its own instance id.
    const process = () => new PinService(db, organisations, delivery, logger);
    const mails = () => (fs.existsSync(path.join(dir, 'outbox')) ? fs.readdirSync(path.join(dir, 'outbox')) : []).filter((f) => f.endsWith('.eml'));
    const ask = (pins: PinService, activityKey: string) => pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey, locale: 'en' });
    return { db, process, mails, ask };
  }

  it('does not send again when the first process wrote the mail and died before recording it', async () => {
    const { db, process, mails, ask } = await setup();
    await ask(process(), 'a-1');
    // What a kill between the outbox write and the delivered mark leaves behind.
    await db.run("UPDATE pin_sends SET delivered_at = NULL, claimed_by = 'a-process-that-died' WHERE activity_key = 'a-1'");
    assert.equal((await ask(process(), 'a-1')).outcome, 'sent');
    assert.equal(mails().length, 1, 'no second code for the same activity');
    assert.ok((await db.get<{ delivered_at: string | null }>("SELECT delivered_at FROM pin_sends WHERE activity_key = 'a-1'"))?.delivered_at);
    await db.close();
  });

  it('sends when the first process died before the mail was written', async () => {
    const { db, process, mails, ask } = await setup();
    await ask(process(), 'a-1');
    await db.run("UPDATE pin_sends SET delivered_at = NULL, claimed_by = 'a-process-that-died' WHERE activity_key = 'a-1'");
    for (const file of mails()) fs.rmSync(path.join(dir, 'outbox', file));
    await ask(process(), 'a-1');
    assert.equal(mails().length, 1, 'the lost mail is sent by the next process');
    await db.close();
  });

  it('over SMTP, sends no second code for an activity another process claimed and never marked sent', async () => {
    const smtp = await startSmtpCapture();
    try {
      const { db, process, mails, ask } = await setup(smtp.url);
      await ask(process(), 'a-1');
      assert.equal(smtp.received.length, 1);
      // A kill after the server took the mail, or another instance still sending: the same row.
      await db.run("UPDATE pin_sends SET delivered_at = NULL, claimed_by = 'another-process' WHERE activity_key = 'a-1'");
      assert.equal((await ask(process(), 'a-1')).outcome, 'sent', 'the user is told the code is on its way, as the first time');
      assert.equal(smtp.received.length, 1, 'no second code for the same activity');
      assert.deepEqual(mails(), [], 'mail went to the server, not the outbox');
      await ask(process(), 'a-2');
      assert.equal(smtp.received.length, 2, 'a new request (resend) sends a new code');
      await db.close();
    } finally {
      await smtp.stop();
    }
  });
});
