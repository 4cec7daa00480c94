import assert from 'node:assert/strict';
import { SEED_DIRECTORY } from '../../knowledge/directory/seed-directory';
import type { Hours, SeverityId } from '../../knowledge/directory/types';
import { addOpenHours, addWorkingDays, nextClosing, responseDue, workingDays } from '../../bot/requests/response-due';

const at = (iso: string) => new Date(iso);
const weekly = (timeZone: string, open: string, close: string, days = [1, 2, 3, 4, 5]): Hours => ({ kind: 'weekly', timeZone, windows: [{ days, open, close }] });
const due = (...args: Parameters<typeof responseDue>) => responseDue(...args).toISOString();
const severity = (id: SeverityId) => SEED_DIRECTORY.severityPolicy.severities.find((s) => s.id === id)!;

const sydney = weekly('Australia/Sydney', '09:00', '17:00');
const newYork = weekly('America/New_York', '09:00', '17:00');
const beijing = weekly('Asia/Shanghai', '09:00', '24:00', [1, 2, 3, 4, 5, 6, 7]);

describe('response due: hour targets', () => {
  it('adds the hours straight on for a 24x7 queue (21Vianet severity A)', () => {
    const a = severity('A');
    assert.deepEqual(a.initialResponse, { amount: 1, unit: 'hour' });
    assert.equal(a.workingHours.kind, 'always');
    // Sunday 03:00 UTC: no hours to skip.
    assert.equal(due({ target: a.initialResponse, hours: a.workingHours, createdAt: at('2026-11-29T03:00:00Z') }), '2026-11-29T04:00:00.000Z');
  });

  it('counts only open time, starting from the next opening', () => {
    const target = { amount: 1, unit: 'hour' } as const;
    // 02:00 Beijing (18:00Z) → opens 09:00 (01:00Z) → due 10:00 Beijing.
    assert.equal(due({ target, hours: beijing, createdAt: at('2026-11-24T18:00:00Z') }), '2026-11-25T02:00:00.000Z');
    // 23:30 Beijing: 30 min tonight, 30 min from 09:00 → 09:30 Beijing next day.
    assert.equal(due({ target, hours: beijing, createdAt: at('2026-11-24T15:30:00Z') }), '2026-11-25T01:30:00.000Z');
    // 23:00 Beijing: the hour ends exactly at midnight closing, so that is when it is due.
    assert.equal(due({ target, hours: beijing, createdAt: at('2026-11-24T15:00:00Z') }), '2026-11-24T16:00:00.000Z');
  });

  it('skips the weekend for a Mon–Fri queue', () => {
    // Fri 27 Nov 2026 16:30 Sydney (05:30Z): 30 min Friday, 30 min from Mon 09:00 → Mon 09:30 AEDT (22:30Z Sun).
    assert.equal(due({ target: { amount: 1, unit: 'hour' }, hours: sydney, createdAt: at('2026-11-27T05:30:00Z') }), '2026-11-29T22:30:00.000Z');
    // 8 h from Fri 09:00 is exactly Friday's close; 9 h runs to Mon 10:00.
    assert.equal(due({ target: { amount: 9, unit: 'hour' }, hours: sydney, createdAt: at('2026-11-26T22:00:00Z') }), '2026-11-29T23:00:00.000Z');
  });

  it('keeps wall-clock opening times across daylight saving', () => {
    // Fri 6 Mar 2026 16:30 EST (21:30Z) + 2 h: 30 min Friday, then Mon 9 Mar 09:00 EDT + 1.5 h = 10:30 EDT (14:30Z).
    assert.equal(due({ target: { amount: 2, unit: 'hour' }, hours: newYork, createdAt: at('2026-03-06T21:30:00Z') }), '2026-03-09T14:30:00.000Z');
  });

  it('steps over a lunch break between two windows', () => {
    const split: Hours = {
      kind: 'weekly',
      timeZone: 'Asia/Tokyo',
      windows: [
        { days: [1, 2, 3, 4, 5], open: '09:00', close: '12:00' },
        { days: [1, 2, 3, 4, 5], open: '13:00', close: '17:00' },
      ],
    };
    // Tue 24 Nov 2026 11:30 JST (02:30Z) + 1 h: 30 min before lunch, 30 min after → 13:30 JST (04:30Z).
    assert.equal(due({ target: { amount: 1, unit: 'hour' }, hours: split, createdAt: at('2026-11-24T02:30:00Z') }), '2026-11-24T04:30:00.000Z');
  });

  it('runs through adjacent and overnight windows as one stretch', () => {
    const aroundTheClock = weekly('Europe/Berlin', '00:00', '24:00', [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(nextClosing(aroundTheClock, at('2026-11-24T03:00:00Z')), null);
    assert.equal(addOpenHours(aroundTheClock, at('2026-11-24T03:00:00Z'), 30).toISOString(), '2026-11-25T09:00:00.000Z');
    // Overnight 22:00–06:00 UTC, Mon–Fri: Tue 05:00 → 1 h left tonight, then Tue 22:00 + 1 h = 23:00.
    const nights = weekly('UTC', '22:00', '06:00');
    assert.equal(nextClosing(nights, at('2026-11-24T05:00:00Z'))?.toISOString(), '2026-11-24T06:00:00.000Z');
    assert.equal(addOpenHours(nights, at('2026-11-24T05:00:00Z'), 2).toISOString(), '2026-11-24T23:00:00.000Z');
  });

  it('runs hour targets on the clock when hours have no exact times', () => {
    const unknown: Hours = { kind: 'businessHours', timeZone: 'Asia/Seoul', days: [1, 2, 3, 4, 5] };
    assert.equal(due({ target: { amount: 4, unit: 'hour' }, hours: unknown, createdAt: at('2026-11-29T03:00:00Z') }), '2026-11-29T07:00:00.000Z');
  });
});

describe('response due: business-day targets', () => {
  const oneDay = { amount: 1, unit: 'businessDay' } as const;

  it('is the same wall-clock time on the next working day, skipping the weekend', () => {
    // Fri 27 Nov 2026 15:00 Sydney (04:00Z) → Mon 30 Nov 15:00 Sydney (04:00Z).
    assert.equal(due({ target: oneDay, hours: sydney, createdAt: at('2026-11-27T04:00:00Z') }), '2026-11-30T04:00:00.000Z');
  });

  it('counts from the next opening when created outside hours', () => {
    // Sat 28 Nov 13:00 Sydney → counts from Mon 09:00 → Tue 1 Dec 09:00 AEDT (22:00Z Mon).
    assert.equal(due({ target: oneDay, hours: sydney, createdAt: at('2026-11-28T02:00:00Z') }), '2026-11-30T22:00:00.000Z');
    // Fri 18:00 after closing counts from Mon 09:00 too.
    assert.equal(due({ target: oneDay, hours: sydney, createdAt: at('2026-11-27T07:00:00Z') }), '2026-11-30T22:00:00.000Z');
  });

  it('counts 3 business days across a weekend', () => {
    // Thu 26 Nov 10:00 Sydney (23:00Z Wed) → Fri (1), Mon (2), Tue 1 Dec (3) 10:00 AEDT (23:00Z Mon).
    assert.equal(due({ target: { amount: 3, unit: 'businessDay' }, hours: sydney, createdAt: at('2026-11-25T23:00:00Z') }), '2026-11-30T23:00:00.000Z');
  });

  it('treats every day as a working day for 21Vianet severities B and C, counting from 09:00 Beijing', () => {
    const b = severity('B');
    const c = severity('C');
    assert.deepEqual(b.initialResponse, oneDay);
    assert.deepEqual(c.initialResponse, { amount: 3, unit: 'businessDay' });
    // Wed 25 Nov 02:00 Beijing (18:00Z Tue) → counts from 09:00 → Thu 26 Nov 09:00 Beijing (01:00Z).
    assert.equal(due({ target: b.initialResponse, hours: b.workingHours, createdAt: at('2026-11-24T18:00:00Z') }), '2026-11-26T01:00:00.000Z');
    // Fri 27 Nov 15:00 Beijing (07:00Z) + 3 calendar days, weekend included → Mon 30 Nov 15:00 Beijing.
    assert.equal(due({ target: c.initialResponse, hours: c.workingHours, createdAt: at('2026-11-27T07:00:00Z') }), '2026-11-30T07:00:00.000Z');
  });

  it('keeps wall-clock time across daylight-saving changes', () => {
    // US spring forward: Fri 6 Mar 2026 15:00 EST (20:00Z) → Mon 9 Mar 15:00 EDT (19:00Z).
    assert.equal(due({ target: oneDay, hours: newYork, createdAt: at('2026-03-06T20:00:00Z') }), '2026-03-09T19:00:00.000Z');
    // Europe falls back Sun 25 Oct 2026: Fri 23 Oct 10:00 CEST (08:00Z) → Mon 26 Oct 10:00 CET (09:00Z).
    const berlin = weekly('Europe/Berlin', '09:00', '17:00');
    assert.equal(due({ target: oneDay, hours: berlin, createdAt: at('2026-10-23T08:00:00Z') }), '2026-10-26T09:00:00.000Z');
  });

  it('counts 24-hour days for an always-open queue', () => {
    assert.equal(due({ target: { amount: 2, unit: 'businessDay' }, hours: { kind: 'always' }, createdAt: at('2026-11-28T02:00:00Z') }), '2026-11-30T02:00:00.000Z');
  });

  it('uses the listed days, from the next working midnight, when hours have no exact times', () => {
    const unknown: Hours = { kind: 'businessHours', timeZone: 'Asia/Seoul', days: [1, 2, 3, 4, 5] };
    assert.deepEqual([...(workingDays(unknown)?.days ?? [])], [1, 2, 3, 4, 5]);
    // Sat 28 Nov 11:00 KST (02:00Z) → Mon 30 Nov 00:00 KST → Tue 1 Dec 00:00 KST (15:00Z Mon).
    assert.equal(addWorkingDays(unknown, at('2026-11-28T02:00:00Z'), 1).toISOString(), '2026-11-30T15:00:00.000Z');
  });

  it('rejects fractional business days, negative targets and hours that never open', () => {
    assert.throws(() => responseDue({ target: { amount: 1.5, unit: 'businessDay' }, hours: sydney, createdAt: at('2026-11-27T04:00:00Z') }), RangeError);
    assert.throws(() => responseDue({ target: { amount: -1, unit: 'hour' }, hours: sydney, createdAt: at('2026-11-27T04:00:00Z') }), RangeError);
    const never: Hours = { kind: 'weekly', timeZone: 'UTC', windows: [] };
    assert.throws(() => responseDue({ target: { amount: 1, unit: 'hour' }, hours: never, createdAt: at('2026-11-27T04:00:00Z') }), RangeError);
    assert.throws(() => responseDue({ target: oneDay, hours: never, createdAt: at('2026-11-27T04:00:00Z') }), RangeError);
  });
});
