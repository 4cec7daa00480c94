// Requests: server-side validation of whatever the form sent, the seed's severity rules, yearly
// numbers, one request per delivered activity, due times, status changes with history.
import assert from 'node:assert/strict';
import { openDatabase } from '../../bot/storage/database';
import { DEMO_ORGANISATIONS, OrganisationStore } from '../../bot/orgs/organisations';
import { RequestError, RequestStore, severityRefusal, validateForm, NewRequest } from '../../bot/requests/requests';

const RULES = { severityACategories: ['technical' as const], billingMaxSeverity: 'B' as const };
const FORM = { description: 'Mail to external domains bounces since this morning.', category: 'technical', severity: 'B', phone: '+1 425 555 0100', email: 'Admin@Contoso.example', method: 'email' };

async function setup(now = new Date('2026-11-27T15:00:00Z')) {
  const db = openDatabase(':memory:');
  const orgs = new OrganisationStore(db);
  for (const org of DEMO_ORGANISATIONS) await orgs.save(org);
  const contoso = (await orgs.get('contoso-demo'))!;
  const clock = { now };
  const store = new RequestStore(db, () => clock.now);
  const base = (key: string, form: unknown = FORM): NewRequest => {
    const valid = validateForm(form);
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    return {
      idempotencyKey: key,
      organisation: contoso,
      requester: { channelId: 'emulator', userId: 'user-1' },
      form: valid.form,
      language: 'en',
      conversationReference: { conversation: { id: 'conv-1' } },
      target: { amount: 1, unit: 'businessDay' },
      hours: { kind: 'weekly', timeZone: 'America/New_York', windows: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }] },
    };
  };
  return { db, orgs, store, clock, base };
}

describe('service requests', () => {
  it('validates a form on the server and normalises phone and email', () => {
    const result = validateForm(FORM);
    assert.ok(result.ok);
    assert.equal(result.form.phone, '+14255550100');
    assert.equal(result.form.email, 'admin@contoso.example');
  });

  it('refuses forged or broken submissions field by field, without throwing', () => {
    const cases: [unknown, string][] = [
      [{ ...FORM, description: 'x'.repeat(100 * 1024) }, 'description'],
      [{ ...FORM, description: 'short' }, 'description'],
      [{ ...FORM, severity: 'AA' }, 'severity'],
      [{ ...FORM, category: 'free-coffee' }, 'category'],
      [{ ...FORM, phone: '12' }, 'phone'],
      [{ ...FORM, phone: "1' OR '1'='1" }, 'phone'],
      [{ ...FORM, email: 'not an email' }, 'email'],
      [{ ...FORM, method: 'pigeon' }, 'method'],
      [{ ...FORM, description: { $gt: '' } }, 'description'],
    ];
    for (const [form, field] of cases) {
      const result = validateForm(form);
      assert.equal(result.ok, false, field);
      if (!result.ok) assert.ok(result.errors[field]?.startsWith('request.error.'), `${field}: ${JSON.stringify(result.errors)}`);
    }
    assert.equal(validateForm(null).ok, false);
    assert.equal(validateForm('text').ok, false);
  });

  it('enforces the severity rules: A needs the agreement and is technical only; billing and subscription stop at B', () => {
    const withAgreement = { advancedSupport: true };
    const without = { advancedSupport: false };
    assert.equal(severityRefusal(without, 'technical', 'A', RULES), 'request.refused.severityA.agreement');
    assert.equal(severityRefusal(withAgreement, 'technical', 'A', RULES), undefined);
    assert.equal(severityRefusal(withAgreement, 'billing', 'A', RULES), 'request.refused.severityA.category');
    assert.equal(severityRefusal(withAgreement, 'billing', 'B', RULES), undefined);
    assert.equal(severityRefusal(without, 'subscription', 'C', RULES), undefined);
    assert.equal(severityRefusal(without, 'presales', 'B', RULES), undefined);
  });

  it('numbers requests per year and creates one request per delivered activity', async () => {
    const { store, base, db } = await setup();
    const first = await store.create(base('emulator|conv-1|act-1'));
    const again = await store.create(base('emulator|conv-1|act-1'));
    const second = await store.create(base('emulator|conv-1|act-2'));
    assert.equal(first.request.number, '2026-000001');
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.request.number, '2026-000001');
    assert.equal(second.request.number, '2026-000002');
    assert.equal((db.raw.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n, 2);
  });

  it('sets the first-response due time from the target and the queue hours', async () => {
    const { store, base } = await setup(new Date('2026-11-27T20:00:00Z')); // Friday 15:00 in New York
    const { request } = await store.create(base('k-due'));
    assert.equal(request.firstResponseDue, '2026-11-30T20:00:00.000Z'); // Monday 15:00 New York
    assert.equal(request.queue, 'worldwide:technical:en');
  });

  it("hides another organisation's request behind the same answer as a missing one", async () => {
    const { store, base } = await setup();
    const { request } = await store.create(base('k-own'));
    assert.ok(await store.get(request.number, 'contoso-demo'));
    assert.equal(await store.get(request.number, 'fabrikam-demo'), undefined);
    assert.equal(await store.get('2026-999999', 'fabrikam-demo'), undefined);
  });

  it('moves through statuses with a history, and refuses to reopen a closed request', async () => {
    const { store, base, clock } = await setup();
    const { request } = await store.create(base('k-status'));
    clock.now = new Date(clock.now.getTime() + 60_000);
    await store.setStatus(request.number, 'in_progress', 'agent:kim');
    await store.addNote(request.number, 'requester', 'Still happening for two users.');
    await store.setStatus(request.number, 'resolved', 'agent:kim', 'Connector fixed');
    await assert.rejects(() => store.setStatus(request.number, 'queued', 'agent:kim'), RequestError);
    await assert.rejects(() => store.setStatus('2026-404404', 'queued', 'agent:kim'), RequestError);
    const history = await store.historyOf(request.number);
    assert.deepEqual(history.map((h) => [h.actor, h.change.status ?? null, h.change.note ?? null]), [
      ['requester', 'new', null],
      ['agent:kim', 'in_progress', null],
      ['requester', null, 'Still happening for two users.'],
      ['agent:kim', 'resolved', 'Connector fixed'],
    ]);
  });

  it("reports a queue's waiting requests and recent arrivals", async () => {
    const { store, base } = await setup();
    await store.create(base('q-1'));
    const { request } = await store.create(base('q-2'));
    await store.setStatus(request.number, 'in_progress', 'agent');
    const load = await store.queueLoad('worldwide:technical:en', new Date('2026-11-27T14:00:00Z'));
    assert.equal(load.waiting, 1);
    assert.equal(load.arrivals.length, 2);
  });
});
