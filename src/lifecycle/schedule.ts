// The re-check schedule after rotation and what a re-check decides from its answer. Pure; the
// states are in states.ts, the I/O that acts on both in recheck.ts.
import type { VerificationStatus } from "../detect/types.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** DESIGN.md "Crisp API facts": Crisp may cache an answer for up to about 10 minutes (Bloom-Status: HIT). */
export const CRISP_CACHE_MS = 10 * MINUTE_MS;

/**
 * The first re-checks after rotation, as delays from the moment rotation was requested.
 * The first one waits past CRISP_CACHE_MS: any sooner and Crisp could answer "live" from its cache
 * for a key that was already rolled.
 */
export const EARLY_RECHECK_DELAYS_MS: readonly number[] = Object.freeze([15 * MINUTE_MS, HOUR_MS, 6 * HOUR_MS, DAY_MS]);

/** After the 24 h re-check, one a day... */
export const DAILY_RECHECK_INTERVAL_MS = DAY_MS;
/** ...for a week; a key still live after that is left to the issue and the check run that say so. */
export const DAILY_RECHECKS = 7;

/** A key Crisp still accepts this long after rotation was requested is reported loudly. */
export const STILL_LIVE_ALARM_MS = DAY_MS;

/** Delays from rotation of every re-check, attempt 1 first: 15 min, 1 h, 6 h, 24 h, then days 2 to 8. */
export const RECHECK_DELAYS_MS: readonly number[] = Object.freeze([
  ...EARLY_RECHECK_DELAYS_MS,
  ...Array.from({ length: DAILY_RECHECKS }, (_, i) => DAY_MS + (i + 1) * DAILY_RECHECK_INTERVAL_MS),
]);

/** How many re-checks a series holds. */
export const RECHECK_ATTEMPTS = RECHECK_DELAYS_MS.length;

/** When attempt N (1-based) of the series that began at `rotatedAt` is due; null past the last one. */
export function recheckDueAt(attempt: number, rotatedAt: Date): Date | null {
  const delay = Number.isInteger(attempt) && attempt >= 1 ? RECHECK_DELAYS_MS[attempt - 1] : undefined;
  return delay === undefined ? null : new Date(rotatedAt.getTime() + delay);
}

/**
 * The re-check after attempt `attempt` (0: none made yet), or null when the series is over.
 * `nextRecheck(0, t)` is attempt 1, 15 minutes after t. With `after`, attempts due at or before it
 * are skipped: after downtime the check just made stands for the ones missed, rather than each
 * being run in turn, one request to Crisp per poll, to catch up.
 */
export function nextRecheck(attempt: number, rotatedAt: Date, after?: Date): { attempt: number; dueAt: Date } | null {
  for (let n = Math.max(0, Math.floor(attempt)) + 1; ; n++) {
    const dueAt = recheckDueAt(n, rotatedAt);
    if (dueAt === null) return null;
    if (after === undefined || dueAt.getTime() > after.getTime()) return { attempt: n, dueAt };
  }
}

/** True once rotation was requested at least STILL_LIVE_ALARM_MS ago (24 h). */
export function isStillLiveAlarm(rotatedAt: Date, now: Date): boolean {
  return now.getTime() - rotatedAt.getTime() >= STILL_LIVE_ALARM_MS;
}

// ---------------------------------------------------------------------------------------------
// What a re-check does with its answer

export type RecheckDecision =
  /** 401: mark dead, cancel the rest, update comments and check runs, close the issue. */
  | { action: "dead" }
  /** Still live 24 h or more after rotation, said once: alarm, then go on with the series. */
  | { action: "alarm"; next: { attempt: number; dueAt: Date } | null }
  /** Live (before the alarm, or after it was raised) or unknown: wait for the next attempt. */
  | { action: "continue"; next: { attempt: number; dueAt: Date } | null };

export interface RecheckInput {
  status: VerificationStatus;
  attempt: number;
  rotatedAt: Date;
  now: Date;
  /** Whether the still-live alarm was already raised for this secret. */
  alarmRaised: boolean;
}

export function decideRecheck(input: RecheckInput): RecheckDecision {
  if (input.status === "dead") return { action: "dead" };
  const next = nextRecheck(input.attempt, input.rotatedAt, input.now);
  if (input.status === "live" && !input.alarmRaised && isStillLiveAlarm(input.rotatedAt, input.now)) {
    return { action: "alarm", next };
  }
  return { action: "continue", next };
}

/** The note a re-check leaves in the store; the alarm's prefix is how "said once" is remembered. */
export const RECHECK_NOTES = Object.freeze({
  dead: "dead: Crisp answered 401",
  alarm: "still live after 24 h: alarm raised",
  live: "still live",
  unknown: "unknown",
  impossible: "re-check impossible",
  failed: "re-check failed",
  alreadyDead: "already dead",
  unknownSecret: "no such secret",
});

export function isAlarmNote(note: string | null): boolean {
  return note !== null && note.startsWith(RECHECK_NOTES.alarm);
}
