// Random strings typed as PIN codes into the real PinService (SQLite in memory, real scrypt).
//
// A model of what each try must do, checked try by try:
//  - verify never throws, whatever is typed (any length, any Unicode) and whatever organisation is named;
//  - it is ok only when the exact code is typed, in the scope it was issued for, while the code is
//    unused and within its tries; full-width or Arabic-Indic digits, blanks around the code, a
//    zero-width space inside it or the code for another conversation never pass;
//  - every try against the issued code counts exactly once (also when locked or used), and tries
//    that name another organisation or come from another user/conversation count nothing;
//  - parallel guesses each take one try, and at most one of them succeeds.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openDatabase } from '../../bot/storage/database';
import { DEMO_ORGANISATIONS, OrganisationStore } from '../../bot/orgs/organisations';
import { DEFAULT_PIN_SETTINGS, PinCheck, PinScope, PinService } from '../../bot/pin/pin-service';
import type { CodeMessage } from '../../bot/pin/delivery';
import { createLogger } from '../../bot/logger';
import { fuzzParameters, hostileString } from './helpers';

const CONTOSO = 'contoso-demo';

async function setup(maxAttempts: number) {
  const db = openDatabase(':memory:');
  const organisations = new OrganisationStore(db);
  for (const org of DEMO_ORGANISATIONS) await organisations.save(org);
  const sent: CodeMessage[] = [];
  const pins = new PinService(db, organisations, { send: async (m) => void sent.push(m) }, createLogger('silent'), { ...DEFAULT_PIN_SETTINGS, maxAttempts });
  const row = () => db.raw.prepare('SELECT attempts, used_at FROM pin_codes').get() as { attempts: number; used_at: string | null } | undefined;
  return { db, organisations, pins, sent, row };
}

const SCOPE: PinScope = { channelId: 'emulator', conversationId: 'fuzz-conversation', userId: 'fuzz-user', purpose: 'act-for-organisation' };

/** What is typed: mostly near misses of the real code, sometimes the code itself, sometimes anything. */
type Typed = { kind: 'exact' } | { kind: 'variant'; make: (code: string) => string; name: string } | { kind: 'random'; text: string };

const toDigits = (code: string, zero: number) => [...code].map((d) => String.fromCharCode(zero + Number(d))).join('');
const variants: [string, (code: string) => string][] = [
  ['leading space', (c) => ` ${c}`],
  ['trailing newline', (c) => `${c}\n`],
  ['full-width digits', (c) => toDigits(c, 0xff10)],
  ['Arabic-Indic digits', (c) => toDigits(c, 0x0660)],
  ['zero-width space inside', (c) => `${c.slice(0, 3)}\u200b${c.slice(3)}`],
  ['BOM first', (c) => `\ufeff${c}`],
  ['five digits', (c) => c.slice(0, 5)],
  ['seven digits', (c) => `${c}0`],
  ['plus sign', (c) => `+${c}`],
  ['spaced', (c) => c.split('').join(' ')],
  ['off by one', (c) => String((Number(c) + 1) % 1_000_000).padStart(6, '0')],
  ['reversed', (c) => [...c].reverse().join('')],
  ['as a sentence', (c) => `my code is ${c}`],
  ['RTL override', (c) => `\u202e${c}`],
];

const typed: fc.Arbitrary<Typed> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Typed>({ kind: 'exact' }) },
  { weight: 4, arbitrary: fc.constantFrom(...variants).map(([name, make]): Typed => ({ kind: 'variant', name, make })) },
  { weight: 3, arbitrary: fc.oneof(hostileString(20), fc.stringMatching(/^[0-9]{6}$/), fc.constantFrom('', '000000', '999999', '123456', 'NaN', 'null', "' OR 1=1 --", '1'.repeat(100_000))).map((text): Typed => ({ kind: 'random', text })) },
);

/** Who and for what: mostly the real scope and organisation, sometimes another. */
const target = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ organisation: 'contoso.example', scope: SCOPE }) },
  { weight: 1, arbitrary: fc.constantFrom('CONTOSO.EXAMPLE', ' contoso.example ', 'admin@contoso.example', '00000000-0000-4000-8000-00000000c0de', 'contosodemo.onmicrosoft.com').map((organisation) => ({ organisation, scope: SCOPE })) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('fabrikam.example', 'unknown.example', '', '__proto__'), hostileString(10)).map((organisation) => ({ organisation, scope: SCOPE })) },
  { weight: 1, arbitrary: fc.constantFrom<Partial<PinScope>>({ userId: 'someone-else' }, { conversationId: 'other-conversation' }, { channelId: 'msteams' }, { purpose: 'agent-check' }).map((change) => ({ organisation: 'contoso.example', scope: { ...SCOPE, ...change } })) },
);

function text(t: Typed, code: string): string {
  return t.kind === 'exact' ? code : t.kind === 'variant' ? t.make(code) : t.text;
}

describe('fuzz: PIN entry', function () {
  it('ok only for the exact code in its scope; one counted try per try; never throws (80 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(typed, target), { minLength: 1, maxLength: 8 }), async (maxAttempts, tries) => {
        const { organisations, pins, sent, row } = await setup(maxAttempts);
        await pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey: 'fuzz-1', locale: 'en' });
        assert.equal(sent.length, 1);
        const code = sent[0].code;
        assert.match(code, /^[0-9]{6}$/);
        let used = false;
        for (const [t, { organisation, scope }] of tries) {
          const typedText = text(t, code);
          const before = row()!;
          let result: PinCheck;
          try {
            result = await pins.verify(scope, organisation, typedText);
          } catch (error) {
            assert.fail(`verify threw for ${JSON.stringify(typedText).slice(0, 80)}: ${(error as Error).message}`);
          }
          const after = row()!;
          const sameScope = scope === SCOPE && (await organisations.find(organisation))?.id === CONTOSO;
          const label = `${t.kind === 'variant' ? t.name : JSON.stringify(typedText).slice(0, 40)} for ${JSON.stringify(organisation)} in ${JSON.stringify(scope)}`;
          if (!sameScope) {
            assert.equal(after.attempts, before.attempts, `no try counted: ${label}`);
            assert.deepEqual(result, { ok: false, reason: 'none' }, label);
            continue;
          }
          assert.equal(after.attempts, before.attempts + 1, `exactly one try counted: ${label}`);
          const expected: PinCheck = used
            ? { ok: false, reason: 'none' }
            : after.attempts > maxAttempts
            ? { ok: false, reason: 'locked' }
            : typedText === code
            ? { ok: true, organisationId: CONTOSO }
            : { ok: false, reason: 'wrong' };
          assert.deepEqual(result, expected, label);
          if (result.ok) {
            used = true;
            assert.ok(after.used_at, 'the code is spent');
            assert.equal(await pins.isVerified(SCOPE, CONTOSO), true);
          }
        }
        if (!used) assert.equal(await pins.isVerified(SCOPE, CONTOSO), false, 'no verification without the exact code');
      }),
      fuzzParameters(80),
    );
  });

  it('counts parallel guesses one each and lets at most one through (25 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(typed, { minLength: 2, maxLength: 6 }), async (maxAttempts, guesses) => {
        const { pins, sent, row } = await setup(maxAttempts);
        await pins.request({ scope: SCOPE, organisation: 'contoso.example', activityKey: 'fuzz-2', locale: 'ko' });
        const code = sent[0].code;
        const results = await Promise.all(guesses.map((g) => pins.verify(SCOPE, 'contoso.example', text(g, code))));
        assert.equal(row()!.attempts, guesses.length, 'every parallel guess took one try');
        const wins = results.filter((r) => r.ok);
        assert.ok(wins.length <= 1, `at most one success, got ${wins.length}`);
        // Each call counts its try before its first await, so guess i holds try i + 1: an exact guess
        // within the allowed tries wins, and nothing else does.
        const eligible = guesses.some((g, i) => text(g, code) === code && i < maxAttempts);
        assert.equal(wins.length, eligible ? 1 : 0, `tries ${maxAttempts}, guesses ${guesses.map((g) => g.kind).join(',')}`);
        for (const [i, r] of results.entries()) if (r.ok) assert.ok(text(guesses[i], code) === code && i < maxAttempts);
      }),
      fuzzParameters(25),
    );
  });

  it('never throws and never verifies when no code was ever sent (100 runs)', async () => {
    const { pins, db } = await setup(5);
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileString(30), fc.stringMatching(/^[0-9]{6}$/)), fc.oneof(fc.constant('contoso.example'), hostileString(12)), async (typedText, organisation) => {
        assert.deepEqual(await pins.verify(SCOPE, organisation, typedText), { ok: false, reason: 'none' });
      }),
      fuzzParameters(100),
    );
    assert.equal((db.raw.prepare('SELECT COUNT(*) AS n FROM pin_codes').get() as { n: number }).n, 0, 'guessing creates no rows');
    assert.equal((db.raw.prepare('SELECT COUNT(*) AS n FROM verifications').get() as { n: number }).n, 0);
  });
});
