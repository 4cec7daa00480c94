// When a first response is due, counting only the time a queue works: open hours for hour targets,
// working days for business-day targets. Luxon keeps wall-clock times across daylight saving.
import { DateTime } from 'luxon';
import { effectiveZone, isOpenAt, nextOpening } from '../../knowledge/directory/hours';
import type { Hours, ResponseTarget } from '../../knowledge/directory/types';

const MS_PER_HOUR = 3_600_000;
// nextOpening looks 8 days ahead; a weekly queue still open after that never closes.
const DAYS_SCANNED = 8;

function clockMinutes(hhmm: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  return hour * 60 + minute;
}

/**
 * The first instant after `instant` at which an open queue is closed, or null when it never closes
 * (24x7 written as weekly windows, 'always') or has no exact times. Window closes are only candidates;
 * isOpenAt decides, so adjacent or overlapping windows run on as one open stretch.
 */
export function nextClosing(hours: Hours, instant: Date, callerZone?: string): Date | null {
  if (hours.kind !== 'weekly') return null;
  const start = DateTime.fromJSDate(instant, { zone: effectiveZone(hours, callerZone)! });
  const candidates: DateTime[] = [];
  // From yesterday, since an overnight window opened yesterday closes today.
  for (let offset = -1; offset <= DAYS_SCANNED; offset++) {
    const day = start.plus({ days: offset }).startOf('day');
    for (const window of hours.windows) {
      if (!window.days.includes(day.weekday)) continue;
      const open = clockMinutes(window.open);
      const close = clockMinutes(window.close);
      // close ≤ open is overnight (as isOpenAt reads it): it closes on the next day.
      const closeDay = close > open ? day : day.plus({ days: 1 });
      const closing = close === 24 * 60 ? closeDay.plus({ days: 1 }).startOf('day') : closeDay.set({ hour: Math.floor(close / 60), minute: close % 60 });
      if (closing > start) candidates.push(closing);
    }
  }
  candidates.sort((a, b) => a.toMillis() - b.toMillis());
  const closing = candidates.find((c) => isOpenAt(hours, c.toJSDate(), callerZone) === false);
  return closing ? closing.toJSDate() : null;
}

/** `instant` if the queue is open (or its hours unknown), else its next opening. */
export function firstWorkingInstant(hours: Hours, instant: Date, callerZone?: string): Date {
  if (isOpenAt(hours, instant, callerZone) !== false) return instant;
  const opening = nextOpening(hours, instant, callerZone);
  if (!opening) throw new RangeError('These hours never open, so no response can be due');
  return opening;
}

/** `amount` hours of open time from `createdAt`; time outside the windows does not count. */
export function addOpenHours(hours: Hours, createdAt: Date, amount: number, callerZone?: string): Date {
  let remainingMs = Math.round(amount * MS_PER_HOUR);
  let cursor = firstWorkingInstant(hours, createdAt, callerZone);
  for (;;) {
    const closing = nextClosing(hours, cursor, callerZone);
    if (!closing) return new Date(cursor.getTime() + remainingMs);
    const stretchMs = closing.getTime() - cursor.getTime();
    // Ending exactly at closing time is due at closing, not at the next opening.
    if (remainingMs <= stretchMs) return new Date(cursor.getTime() + remainingMs);
    remainingMs -= stretchMs;
    cursor = firstWorkingInstant(hours, closing, callerZone);
  }
}

/** ISO weekdays the queue works, in the zone returned alongside; null for 'always' (every day, no zone). */
export function workingDays(hours: Hours, callerZone?: string): { days: Set<number>; zone: string } | null {
  if (hours.kind === 'always') return null;
  const zone = effectiveZone(hours, callerZone)!;
  if (hours.kind === 'businessHours') return { days: new Set(hours.days), zone };
  // A window belongs to the day it opens, so an overnight Fri 22:00–Sat 06:00 shift makes Friday a working day.
  return { days: new Set(hours.windows.flatMap((w) => w.days)), zone };
}

/**
 * The same wall-clock time `amount` working days later, in the queue's zone. A working day is a day
 * with an open window (Mon–Fri hours skip weekends; 21Vianet's every-day hours make it a calendar day).
 * A request created outside hours counts from the next opening; with business hours of unknown
 * times, from the start of the next working day. 'always' counts whole 24-hour days.
 */
export function addWorkingDays(hours: Hours, createdAt: Date, amount: number, callerZone?: string): Date {
  if (!Number.isInteger(amount)) throw new RangeError(`Business days must be a whole number, got ${amount}`);
  const calendar = workingDays(hours, callerZone);
  if (!calendar) return new Date(createdAt.getTime() + amount * 24 * MS_PER_HOUR);
  if (calendar.days.size === 0) throw new RangeError('These hours have no working days, so no response can be due');

  let day = DateTime.fromJSDate(firstWorkingInstant(hours, createdAt, callerZone), { zone: calendar.zone });
  // Business hours without times: isOpenAt cannot say, so move a non-working day to the next working midnight.
  if (hours.kind === 'businessHours' && !calendar.days.has(day.weekday)) {
    do day = day.plus({ days: 1 }).startOf('day');
    while (!calendar.days.has(day.weekday));
  }
  // plus({ days }) keeps the wall-clock time across daylight-saving changes.
  for (let counted = 0; counted < amount; ) {
    day = day.plus({ days: 1 });
    if (calendar.days.has(day.weekday)) counted++;
  }
  return day.toJSDate();
}

export interface ResponseDueInput {
  target: ResponseTarget;
  hours: Hours;
  createdAt: Date;
  /** The caller's IANA zone, for hours kept in the caller's local time. */
  callerZone?: string;
}

/**
 * When the first response is due under the target, counted in the queue's working time.
 * Hour targets count open time only; hours without exact times ('businessHours') count as open throughout.
 */
export function responseDue({ target, hours, createdAt, callerZone }: ResponseDueInput): Date {
  if (!(target.amount >= 0)) throw new RangeError(`Response target must be non-negative, got ${target.amount}`);
  if (target.unit === 'businessDay') return addWorkingDays(hours, createdAt, target.amount, callerZone);
  if (hours.kind === 'always') return new Date(createdAt.getTime() + target.amount * MS_PER_HOUR);
  return addOpenHours(hours, createdAt, target.amount, callerZone);
}
