import assert from 'node:assert/strict';
import type { Hours } from '../../knowledge/directory/types';
import { arrivalRate, averageSpeedOfAnswer, backlogMinutes, erlangC, expectedWait, roundUpMinutes, trafficErlangs } from '../../bot/requests/wait-time';

const TOLERANCE = 1e-3;
const at = (iso: string) => new Date(iso);
const weekly = (timeZone: string, open: string, close: string, days = [1, 2, 3, 4, 5]): Hours => ({ kind: 'weekly', timeZone, windows: [{ days, open, close }] });
const closeTo = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < TOLERANCE, `${message ?? ''} expected ${expected} ± ${TOLERANCE}, got ${actual}`);

describe('Erlang C', () => {
  it('is ρ for one agent (M/M/1)', () => {
    // N = 1: B = A/(1 + A), C = B/(1 − A/(1 + A)) = A.
    closeTo(erlangC(1, 0.5), 0.5);
    closeTo(erlangC(1, 0.9), 0.9);
  });

  it('matches a two-agent case worked by hand', () => {
    // A = 1: B(1) = 1/2, B(2) = (1·½)/(2 + ½) = 0.2, C = 2·0.2/(2 − 1·0.8) = 0.4/1.2 = 1/3.
    closeTo(erlangC(2, 1), 1 / 3);
  });

  it('matches the classic A = 10 Erlangs examples', () => {
    // N = 11: B = 0.163232, C = 11·0.163232/(11 − 10·0.836768) = 1.795556/2.632324 = 0.682118.
    closeTo(erlangC(11, 10), 0.6821);
    // N = 12: B = 0.119739, C = 12·0.119739/(12 − 10·0.880261) = 1.436870/3.197392 = 0.449388.
    closeTo(erlangC(12, 10), 0.4494);
  });

  it('is 1 when agents cannot keep up, and 0 with no traffic', () => {
    assert.equal(erlangC(10, 10), 1);
    assert.equal(erlangC(5, 10), 1);
    assert.equal(erlangC(0, 3), 1);
    assert.equal(erlangC(5, 0), 0);
    assert.equal(erlangC(0, 0), 0, 'no traffic wins: nobody arrives, so nobody waits');
  });

  it('stays finite and in [0, 1] for large call centres', () => {
    // A^N / N! would overflow a double here; the recursion does not.
    const probability = erlangC(400, 380);
    assert.ok(probability > 0 && probability < 1, String(probability));
  });

  it('counts whole agents only and rejects negative input', () => {
    assert.equal(erlangC(11.9, 10), erlangC(11, 10));
    assert.throws(() => erlangC(-1, 1), RangeError);
    assert.throws(() => erlangC(2, Number.NaN), RangeError);
  });
});

describe('average speed of answer', () => {
  it('is C · AHT / (N − A) with A = λ · AHT', () => {
    // 200 arrivals/h × 3 min = 10 Erlangs; ASA = 0.682118 · 3 / (11 − 10) = 2.046 min.
    closeTo(trafficErlangs(200, 3), 10);
    closeTo(averageSpeedOfAnswer({ agents: 11, arrivalsPerHour: 200, averageHandleMinutes: 3 }), 2.0464);
    // N = 12: 0.449388 · 3 / 2 = 0.674 min.
    closeTo(averageSpeedOfAnswer({ agents: 12, arrivalsPerHour: 200, averageHandleMinutes: 3 }), 0.6741);
    // M/M/1, A = 0.5: ASA = 0.5 · AHT / 0.5 = AHT.
    closeTo(averageSpeedOfAnswer({ agents: 1, arrivalsPerHour: 5, averageHandleMinutes: 6 }), 6);
  });

  it('is Infinity when agents ≤ traffic, including no agents', () => {
    assert.equal(averageSpeedOfAnswer({ agents: 10, arrivalsPerHour: 200, averageHandleMinutes: 3 }), Infinity);
    assert.equal(averageSpeedOfAnswer({ agents: 0, arrivalsPerHour: 1, averageHandleMinutes: 3 }), Infinity);
  });

  it('is 0 with no arrivals', () => {
    assert.equal(averageSpeedOfAnswer({ agents: 0, arrivalsPerHour: 0, averageHandleMinutes: 3 }), 0);
    assert.equal(averageSpeedOfAnswer({ agents: 3, arrivalsPerHour: 0, averageHandleMinutes: 3 }), 0);
  });
});

describe('arrival rate', () => {
  const now = at('2026-11-24T12:00:00Z');

  it('counts arrivals in (now − window, now] per hour', () => {
    const timestamps = [
      at('2026-11-24T10:59:00Z'), // before the hour
      at('2026-11-24T11:00:00Z'), // exactly at the window start: excluded
      at('2026-11-24T11:30:00Z'),
      at('2026-11-24T11:45:00Z'),
      at('2026-11-24T12:00:00Z'), // now: included
      at('2026-11-24T12:01:00Z'), // future: excluded
    ];
    assert.equal(arrivalRate(timestamps, now), 3);
    // 2 arrivals in the last 30 minutes = 4 an hour.
    assert.equal(arrivalRate(timestamps, now, 30), 4);
    assert.equal(arrivalRate([], now), 0);
  });

  it('rejects an empty window', () => {
    assert.throws(() => arrivalRate([], now, 0), RangeError);
  });
});

describe('expected wait', () => {
  const quiet = { queueLength: 0, agentsOnShift: 2, averageHandleMinutes: 6, arrivalsPerHour: 0 };

  it('is ASA plus the people ahead when open, rounded up to whole minutes', () => {
    const always: Hours = { kind: 'always' };
    const now = at('2026-11-24T03:00:00Z');
    const base = { agentsOnShift: 11, averageHandleMinutes: 3, arrivalsPerHour: 200, hours: always, now };
    // 2.046 → 3.
    assert.deepEqual(expectedWait({ ...base, queueLength: 0 }), { minutes: 3, reason: 'open' });
    // 2.046 + 5 · 3 / 11 = 2.046 + 1.364 = 3.410 → 4.
    assert.deepEqual(expectedWait({ ...base, queueLength: 5 }), { minutes: 4, reason: 'open' });
    // No arrivals: 22 · 3 / 11 = 6 exactly, not bumped to 7 by float noise.
    assert.deepEqual(expectedWait({ ...base, arrivalsPerHour: 0, queueLength: 22 }), { minutes: 6, reason: 'open' });
  });

  it('says no-agents when open with nobody on shift', () => {
    assert.deepEqual(expectedWait({ ...quiet, agentsOnShift: 0, hours: { kind: 'always' }, now: at('2026-11-24T03:00:00Z') }), {
      minutes: Infinity,
      reason: 'no-agents',
    });
  });

  it('is Infinity when the open queue cannot keep up', () => {
    const wait = expectedWait({ queueLength: 0, agentsOnShift: 2, averageHandleMinutes: 3, arrivalsPerHour: 60, hours: { kind: 'always' }, now: at('2026-11-24T03:00:00Z') });
    assert.deepEqual(wait, { minutes: Infinity, reason: 'open' });
  });

  it('is never closed for an always-open queue', () => {
    // Sunday 03:00 UTC: a weekly queue would be shut, an always-open one is not.
    const wait = expectedWait({ ...quiet, hours: { kind: 'always' }, now: at('2026-11-29T03:00:00Z') });
    assert.equal(wait.reason, 'open');
    assert.equal(wait.opensAt, undefined);
    assert.equal(wait.minutes, 0);
  });

  it('treats business hours without exact times as open', () => {
    const hours: Hours = { kind: 'businessHours', timeZone: 'Asia/Seoul', days: [1, 2, 3, 4, 5] };
    // Sunday in Seoul, yet unknown hours are not guessed closed.
    assert.equal(expectedWait({ ...quiet, hours, now: at('2026-11-29T03:00:00Z') }).reason, 'open');
  });

  it('waits for Monday 09:00 Sydney when asked on Saturday 10:00 Sydney', () => {
    const billing = weekly('Australia/Sydney', '09:00', '17:00');
    // Sat 28 Nov 2026 10:00 AEDT (UTC+11) = 23:00Z Fri; Mon 30 Nov 09:00 AEDT = 22:00Z Sun. Gap 47 h = 2820 min.
    const now = at('2026-11-27T23:00:00Z');
    // 4 waiting × 6 min / 2 agents = 12 min; 10/h × 6 min = 1 Erlang, C(2, 1) = 1/3, ASA = ⅓ · 6 / 1 = 2 min.
    const wait = expectedWait({ queueLength: 4, agentsOnShift: 2, averageHandleMinutes: 6, arrivalsPerHour: 10, hours: billing, now });
    assert.equal(wait.reason, 'closed');
    assert.equal(wait.opensAt?.toISOString(), '2026-11-29T22:00:00.000Z');
    assert.equal(wait.minutes, 2820 + 12 + 2);
  });

  it('follows the Sydney daylight-saving switch to the wall-clock opening', () => {
    const billing = weekly('Australia/Sydney', '09:00', '17:00');
    // Sat 3 Oct 2026 10:00 AEST (UTC+10) = 00:00Z; clocks go forward Sun 4 Oct; Mon 5 Oct 09:00 AEDT = 22:00Z Sun.
    // 47 h on the wall clock, 46 h = 2760 min of real time.
    const wait = expectedWait({ ...quiet, hours: billing, now: at('2026-10-03T00:00:00Z') });
    assert.equal(wait.opensAt?.toISOString(), '2026-10-04T22:00:00.000Z');
    assert.equal(wait.minutes, 2760);
  });

  it('waits 7 hours for a Beijing 09:00–24:00 queue asked at 02:00 Beijing', () => {
    const beijing = weekly('Asia/Shanghai', '09:00', '24:00', [1, 2, 3, 4, 5, 6, 7]);
    // Wed 25 Nov 2026 02:00 Beijing (UTC+8) = 18:00Z Tue; opens 09:00 Beijing = 01:00Z.
    const wait = expectedWait({ ...quiet, hours: beijing, now: at('2026-11-24T18:00:00Z') });
    assert.deepEqual(wait, { minutes: 7 * 60, opensAt: at('2026-11-25T01:00:00Z'), reason: 'closed' });
  });

  it('opens at 09:00 New York wall-clock time after the March daylight-saving switch', () => {
    const billing = weekly('America/New_York', '09:00', '17:00');
    // Sat 7 Mar 2026 12:00 EST (UTC−5) = 17:00Z; clocks go forward Sun 8 Mar; Mon 9 Mar 09:00 EDT (UTC−4) = 13:00Z.
    // 45 h on the wall clock, 44 h = 2640 min of real time.
    const wait = expectedWait({ ...quiet, hours: billing, now: at('2026-03-07T17:00:00Z') });
    assert.equal(wait.opensAt?.toISOString(), '2026-03-09T13:00:00.000Z');
    assert.equal(wait.minutes, 2640);
  });

  it('assumes one agent at opening when the closed queue has nobody on shift', () => {
    const beijing = weekly('Asia/Shanghai', '09:00', '24:00', [1, 2, 3, 4, 5, 6, 7]);
    // 420 min to opening + 3 waiting × 10 min / max(1, 0) = 30 min.
    const wait = expectedWait({ queueLength: 3, agentsOnShift: 0, averageHandleMinutes: 10, arrivalsPerHour: 0, hours: beijing, now: at('2026-11-24T18:00:00Z') });
    assert.equal(wait.reason, 'closed');
    assert.equal(wait.minutes, 420 + 30);
  });

  it('uses the caller’s zone for hours kept in local time', () => {
    const local: Hours = { kind: 'weekly', timeZone: 'America/New_York', callerLocal: true, windows: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }] };
    // Tue 24 Nov 2026 15:00Z is 10:00 in New York (open) but 07:00 in Los Angeles (opens 09:00 PST = 17:00Z).
    const now = at('2026-11-24T15:00:00Z');
    assert.equal(expectedWait({ ...quiet, hours: local, now, callerZone: 'America/New_York' }).reason, 'open');
    const inLosAngeles = expectedWait({ ...quiet, hours: local, now, callerZone: 'America/Los_Angeles' });
    assert.equal(inLosAngeles.opensAt?.toISOString(), '2026-11-24T17:00:00.000Z');
    assert.equal(inLosAngeles.minutes, 120);
  });

  it('is Infinity for weekly hours that never open', () => {
    const never: Hours = { kind: 'weekly', timeZone: 'UTC', windows: [] };
    assert.deepEqual(expectedWait({ ...quiet, hours: never, now: at('2026-11-24T03:00:00Z') }), { minutes: Infinity, reason: 'closed' });
  });
});

describe('wait helpers', () => {
  it('shares the backlog across agents', () => {
    assert.equal(backlogMinutes(6, 5, 3), 10);
    assert.equal(backlogMinutes(0, 5, 0), 0);
    assert.equal(backlogMinutes(1, 5, 0), Infinity);
  });

  it('rounds up, forgiving float noise, and keeps Infinity', () => {
    assert.equal(roundUpMinutes(2.01), 3);
    assert.equal(roundUpMinutes(6 + 1e-12), 6);
    assert.equal(roundUpMinutes(Infinity), Infinity);
  });
});
