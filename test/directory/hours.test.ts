import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatDays, formatHours, formatInstant, Hours, isOpenAt, nextOpening, zoneLabel } from '../../knowledge/directory';

const weekdays = (timeZone: string, open: string, close: string, days = [1, 2, 3, 4, 5]): Hours => ({ kind: 'weekly', timeZone, windows: [{ days, open, close }] });
const at = (iso: string) => new Date(iso);

describe('hours maths', () => {
  const sydneyBilling = weekdays('Australia/Sydney', '09:00', '18:00');
  const berlinBilling = weekdays('Europe/Berlin', '09:00', '17:00');
  const beijing = weekdays('Asia/Shanghai', '09:00', '24:00', [1, 2, 3, 4, 5, 6, 7]);

  it('is open from the opening minute until just before closing', () => {
    // 2026-11-27 is a Friday; Sydney is UTC+11 (daylight time).
    assert.equal(isOpenAt(sydneyBilling, at('2026-11-26T22:00:00Z')), true, '09:00 Fri');
    assert.equal(isOpenAt(sydneyBilling, at('2026-11-26T21:59:00Z')), false, '08:59 Fri');
    assert.equal(isOpenAt(sydneyBilling, at('2026-11-27T06:59:00Z')), true, '17:59 Fri');
    assert.equal(isOpenAt(sydneyBilling, at('2026-11-27T07:00:00Z')), false, '18:00 Fri');
  });

  it('is closed at the weekend and opens again on Monday morning', () => {
    const saturday = at('2026-11-28T02:00:00Z'); // Sat 13:00 Sydney
    assert.equal(isOpenAt(sydneyBilling, saturday), false);
    assert.equal(nextOpening(sydneyBilling, saturday)?.toISOString(), '2026-11-29T22:00:00.000Z'); // Mon 09:00 Sydney
  });

  it('follows daylight saving in Europe (last Sunday of March)', () => {
    // Friday 27 March 2026: Berlin is UTC+1, so 07:30Z is 08:30 local and closed.
    assert.equal(isOpenAt(berlinBilling, at('2026-03-27T07:30:00Z')), false);
    // Monday 30 March 2026: Berlin is UTC+2, so 07:30Z is 09:30 local and open.
    assert.equal(isOpenAt(berlinBilling, at('2026-03-30T07:30:00Z')), true);
    assert.equal(nextOpening(berlinBilling, at('2026-03-28T12:00:00Z'))?.toISOString(), '2026-03-30T07:00:00.000Z');
  });

  it('follows daylight saving in Australia (first Sunday of October)', () => {
    assert.equal(nextOpening(sydneyBilling, at('2026-10-02T12:00:00Z'))?.toISOString(), '2026-10-04T22:00:00.000Z'); // Mon 5 Oct, UTC+11
    assert.equal(nextOpening(sydneyBilling, at('2026-09-25T12:00:00Z'))?.toISOString(), '2026-09-27T23:00:00.000Z'); // Mon 28 Sep, UTC+10
  });

  it('treats 24:00 as midnight at the end of the day (21Vianet B/C, Beijing time)', () => {
    assert.equal(isOpenAt(beijing, at('2026-11-24T15:59:00Z')), true, '23:59 Beijing');
    assert.equal(isOpenAt(beijing, at('2026-11-24T16:00:00Z')), false, '00:00 Beijing');
    assert.equal(isOpenAt(beijing, at('2026-11-25T00:59:00Z')), false, '08:59 Beijing');
    assert.equal(isOpenAt(beijing, at('2026-11-25T01:00:00Z')), true, '09:00 Beijing');
    assert.equal(formatHours(beijing, 'en').team, 'every day 9:00 AM–midnight (Beijing time)');
    assert.equal(formatHours(beijing, 'ko').team, '매일 오전 9시–자정 (베이징 시간)');
  });

  it('is always open for 24/7 lines, and unknown for business hours without times', () => {
    assert.equal(isOpenAt({ kind: 'always' }, at('2026-11-29T03:00:00Z')), true);
    assert.equal(nextOpening({ kind: 'always' }, at('2026-11-29T03:00:00Z')), null);
    assert.equal(isOpenAt({ kind: 'businessHours', timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5] }, at('2026-11-24T03:00:00Z')), null);
  });

  it('says the hours in both languages and converts them to the viewer’s zone, across a day boundary', () => {
    const reference = at('2026-11-24T03:00:00Z');
    const sydney = formatHours(sydneyBilling, 'en', { viewerZone: 'America/Los_Angeles', reference });
    assert.equal(sydney.team, 'Mon–Fri 9:00 AM–6:00 PM (Sydney time)');
    // 09:00 Sydney (UTC+11) is 14:00 the previous day in Los Angeles (UTC-8).
    assert.equal(sydney.viewer, 'Sun–Thu 2:00 PM–11:00 PM (Los Angeles time)');
    assert.equal(formatHours(sydneyBilling, 'ko').team, '월–금 오전 9시–오후 6시 (시드니 시간)');
    assert.equal(formatHours(sydneyBilling, 'en', { viewerZone: 'Australia/Sydney' }).viewer, undefined, 'same zone: no second line');
  });

  it('names weekday ranges, including weeks that start on Sunday', () => {
    assert.equal(formatDays([1, 2, 3, 4, 5], 'en'), 'Mon–Fri');
    assert.equal(formatDays([7, 1, 2, 3, 4], 'en'), 'Sun–Thu');
    assert.equal(formatDays([7, 1, 2, 3, 4], 'ko'), '일–목');
    assert.equal(formatDays([1, 3, 5], 'en'), 'Mon, Wed, Fri');
    assert.equal(formatDays([1, 2, 3, 4, 5, 6, 7], 'ko'), '매일');
    assert.equal(formatInstant(at('2026-11-30T22:00:00Z'), 'Asia/Seoul', 'ko'), '화 오전 7시 (한국 시간)');
  });

  it('names zones the way people do, in both languages', () => {
    assert.equal(zoneLabel('Asia/Manila', 'ko'), '필리핀 시간');
    assert.equal(zoneLabel('Asia/Hong_Kong', 'en'), 'Hong Kong time');
    assert.equal(zoneLabel('America/Los_Angeles', 'ko'), '로스앤젤레스 시간', 'a multi-zone country is named by its city');
    assert.equal(zoneLabel('Asia/Shanghai', 'en'), 'Beijing time');
    // The Netherlands keeps Europe/Brussels time: the entry's own country names it, not a guess.
    assert.equal(formatHours(weekdays('Europe/Brussels', '09:00', '17:00'), 'ko', { placeName: '네덜란드' }).team, '월–금 오전 9시–오후 5시 (네덜란드 시간)');
  });

  describe('remembered answers (kept per zone and minute, and until the next opening)', () => {
    const zones = ['Australia/Sydney', 'Europe/Berlin', 'Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const window = fc.record({ days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), open: hhmm, close: hhmm });
    const hoursArbitrary = fc.record({ kind: fc.constant('weekly' as const), timeZone: fc.constantFrom(...zones), windows: fc.array(window, { minLength: 1, maxLength: 3 }) });
    // Instants around the 2026 daylight-saving changes, in any order, often minutes apart.
    const instant = fc.integer({ min: Date.parse('2026-03-20T00:00:00Z'), max: Date.parse('2026-11-10T00:00:00Z') });
    const walk = fc.tuple(instant, fc.array(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), { maxLength: 12 }));

    /** Worked out afresh, without anything remembered. */
    function expectedOpen(hours: Hours & { kind: 'weekly' }, when: Date): boolean {
      const local = DateTime.fromJSDate(when, { zone: hours.timeZone });
      const minute = local.hour * 60 + local.minute;
      const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
      return hours.windows.some((w) => {
        const open = minutes(w.open);
        const close = minutes(w.close);
        if (close > open) return w.days.includes(local.weekday) && minute >= open && minute < close;
        const yesterday = local.weekday === 1 ? 7 : local.weekday - 1;
        return (w.days.includes(local.weekday) && minute >= open) || (w.days.includes(yesterday) && minute < close);
      });
    }
    function expectedNext(hours: Hours & { kind: 'weekly' }, when: Date): number | undefined {
      const start = DateTime.fromJSDate(when, { zone: hours.timeZone });
      const found: number[] = [];
      for (let d = 0; d <= 8; d++) {
        const day = start.plus({ days: d }).startOf('day');
        for (const w of hours.windows) {
          if (!w.days.includes(day.weekday)) continue;
          const candidate = day.set({ hour: Number(w.open.slice(0, 2)), minute: Number(w.open.slice(3)) });
          if (candidate > start) found.push(candidate.toMillis());
        }
        if (found.length) break;
      }
      return found.length ? Math.min(...found) : undefined;
    }

    it('match a fresh computation at every step of a walk through time', () => {
      fc.assert(
        fc.property(hoursArbitrary, walk, (hours, [first, steps]) => {
          let t = first;
          for (const step of [0, ...steps, 1, 59_999, 60_000]) {
            t += step;
            const when = new Date(t);
            assert.equal(isOpenAt(hours, when), expectedOpen(hours, when), `open at ${when.toISOString()}`);
            assert.equal(nextOpening(hours, when)?.getTime(), expectedNext(hours, when), `next after ${when.toISOString()}`);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});

