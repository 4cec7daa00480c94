// Expected wait for one support queue: Erlang C (M/M/N) for the steady-state wait, plus the
// people already waiting, plus the closed time until the queue next opens.
import { isOpenAt, nextOpening } from '../../knowledge/directory/hours';
import type { Hours } from '../../knowledge/directory/types';

const MS_PER_MINUTE = 60_000;
// Float noise (2.0000000001) must not round a whole-minute wait up to the next minute.
const ROUNDING_SLACK = 1e-9;

function requireNonNegative(name: string, value: number): void {
  if (!(value >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
}

/** Whole agents only: a fraction of an agent answers nobody. */
function wholeAgents(agents: number): number {
  requireNonNegative('agents', agents);
  return Math.floor(agents);
}

/** Offered load in Erlangs: arrivals per hour × handle time in hours. */
export function trafficErlangs(arrivalsPerHour: number, averageHandleMinutes: number): number {
  requireNonNegative('arrivalsPerHour', arrivalsPerHour);
  requireNonNegative('averageHandleMinutes', averageHandleMinutes);
  return (arrivalsPerHour * averageHandleMinutes) / 60;
}

/**
 * Probability an arrival has to wait (Erlang C). Uses the Erlang B recursion
 * B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), then C = N·B / (N − A·(1 − B)),
 * which avoids the overflowing A^N / N! of the textbook formula.
 * No traffic means nobody waits (checked first, so 0 agents with 0 traffic is 0);
 * N ≤ A means the queue grows without bound, so everyone waits (1).
 */
export function erlangC(agents: number, trafficErlangs: number): number {
  const servers = wholeAgents(agents);
  requireNonNegative('trafficErlangs', trafficErlangs);
  if (trafficErlangs === 0) return 0;
  if (servers <= trafficErlangs) return 1;
  let blocking = 1;
  for (let k = 1; k <= servers; k++) blocking = (trafficErlangs * blocking) / (k + trafficErlangs * blocking);
  return (servers * blocking) / (servers - trafficErlangs * (1 - blocking));
}

export interface QueueLoad {
  agents: number;
  arrivalsPerHour: number;
  averageHandleMinutes: number;
}

/**
 * Mean wait in minutes before an agent answers (ASA = C · AHT / (N − A)), A in Erlangs and AHT in minutes.
 * No arrivals gives 0; N ≤ A (including 0 agents with arrivals) gives Infinity.
 */
export function averageSpeedOfAnswer({ agents, arrivalsPerHour, averageHandleMinutes }: QueueLoad): number {
  const servers = wholeAgents(agents);
  const traffic = trafficErlangs(arrivalsPerHour, averageHandleMinutes);
  if (traffic === 0) return 0;
  if (servers <= traffic) return Infinity;
  return (erlangC(servers, traffic) * averageHandleMinutes) / (servers - traffic);
}

/** Arrivals per hour over the window (now − windowMinutes, now]; later timestamps are ignored. */
export function arrivalRate(timestamps: Date[], now: Date, windowMinutes = 60): number {
  if (!(windowMinutes > 0)) throw new RangeError(`windowMinutes must be positive, got ${windowMinutes}`);
  const windowStart = now.getTime() - windowMinutes * MS_PER_MINUTE;
  const arrivals = timestamps.filter((t) => t.getTime() > windowStart && t.getTime() <= now.getTime()).length;
  return arrivals / (windowMinutes / 60);
}

/** Minutes to serve the people already waiting, shared across the agents. */
export function backlogMinutes(queueLength: number, averageHandleMinutes: number, agents: number): number {
  requireNonNegative('queueLength', queueLength);
  requireNonNegative('averageHandleMinutes', averageHandleMinutes);
  if (queueLength === 0) return 0;
  if (!(agents > 0)) return Infinity;
  return (queueLength * averageHandleMinutes) / agents;
}

/** Whole minutes, rounded up: a wait is never promised shorter than computed. */
export function roundUpMinutes(minutes: number): number {
  return Number.isFinite(minutes) ? Math.max(0, Math.ceil(minutes - ROUNDING_SLACK)) : minutes;
}

export interface WaitInput {
  /** People already waiting. */
  queueLength: number;
  agentsOnShift: number;
  averageHandleMinutes: number;
  /** Measured arrival rate, e.g. from arrivalRate. */
  arrivalsPerHour: number;
  hours: Hours;
  now: Date;
  /** The caller's IANA zone, for hours kept in the caller's local time. */
  callerZone?: string;
}

export interface WaitEstimate {
  minutes: number;
  /** When a closed queue opens again. */
  opensAt?: Date;
  reason: 'open' | 'closed' | 'no-agents';
}

/**
 * Expected wait for one queue.
 * Open (or hours unknown): ASA + backlog over the agents on shift.
 * Closed: time until the next opening + backlog + ASA, assuming at least one agent at opening
 * (today's roster may be empty only because the queue is closed).
 */
export function expectedWait(input: WaitInput): WaitEstimate {
  const { queueLength, agentsOnShift, averageHandleMinutes, arrivalsPerHour, hours, now, callerZone } = input;
  const agents = wholeAgents(agentsOnShift);
  const load = { arrivalsPerHour, averageHandleMinutes };

  // null means the source gives no exact times: assume open rather than invent a closure.
  if (isOpenAt(hours, now, callerZone) !== false) {
    if (agents === 0) return { minutes: Infinity, reason: 'no-agents' };
    const minutes = averageSpeedOfAnswer({ agents, ...load }) + backlogMinutes(queueLength, averageHandleMinutes, agents);
    return { minutes: roundUpMinutes(minutes), reason: 'open' };
  }

  const opensAt = nextOpening(hours, now, callerZone);
  // Weekly hours with no windows never open.
  if (!opensAt) return { minutes: Infinity, reason: 'closed' };
  const agentsAtOpening = Math.max(1, agents);
  const untilOpening = (opensAt.getTime() - now.getTime()) / MS_PER_MINUTE;
  const minutes =
    untilOpening + backlogMinutes(queueLength, averageHandleMinutes, agentsAtOpening) + averageSpeedOfAnswer({ agents: agentsAtOpening, ...load });
  return { minutes: roundUpMinutes(minutes), opensAt, reason: 'closed' };
}
