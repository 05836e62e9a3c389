// What one re-check does, decided as data: which due rows to run, what to ask Crisp, and the
// outcome of the answer (the row's note, what becomes of the series, the log line, the news for
// comments and check runs, what to say on the leak issue). Pure; recheck.ts reads, verifies and
// applies an outcome, in the same order whatever its kind.
import type { Keypair } from "../detect/fingerprint.js";
import type { Tier, Verification } from "../detect/types.js";
import type { LeakUpdate } from "../report/github-text.js";
import type { RecheckRow, SecretRow } from "../store/types.js";
import type { VerifyRequest } from "../verify/types.js";
import { deadIssueComment, impossibleIssueComment, stillLiveIssueComment, type IssueNoteInput } from "./notes.js";
import { describeFailures, type ReadBack, type ReadFailure } from "./read-back.js";
import { RECHECK_NOTES, decideRecheck, nextRecheck } from "./schedule.js";
import type { LifecycleEvent } from "./states.js";

/** The attempt a re-check is about: the store's row, of which an outcome needs only this. */
export type RecheckAttempt = Pick<RecheckRow, "fingerprint" | "attempt" | "rotatedAt">;

export interface RecheckOutcome {
  /** Applied first, through the state machine (dead is where a 401 leads). */
  event?: LifecycleEvent;
  /** What the attempt's row says came of it. */
  note: string;
  /** "stop": the rest of the series is cancelled; otherwise the attempt to schedule next, if any. */
  next: "stop" | { attempt: number; dueAt: Date } | null;
  log?: { level: "info" | "warn"; message: string };
  /** The news every recorded commit comment and check run is rewritten with; `keypair`: the one read back. */
  publish?: { update: LeakUpdate; keypair?: Keypair };
  /** What to post on the leak issue, when there is one: a comment, or a comment that closes it. */
  issue?: { close: boolean; body: string };
}

/** Log lines name a secret by this much of its fingerprint. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 12);
}

function subjectOf(row: RecheckAttempt, secret: SecretRow): string {
  return `crisp-guard re-check ${shortFingerprint(row.fingerprint)} (${secret.redactedIdentifier}:${secret.keyHint})`;
}

function noteInput(row: RecheckAttempt, secret: SecretRow): IssueNoteInput {
  return {
    redacted: `${secret.redactedIdentifier}:${secret.keyHint}`,
    tier: secret.tier,
    websiteId: secret.websiteId,
    rotatedAt: row.rotatedAt.toISOString(),
  };
}

/**
 * Of the due rows (earliest first), the one to run for each secret, in the order the secrets first
 * appear. After downtime several attempts of one secret may be due at once: only the latest is worth
 * a request to Crisp; each earlier one is closed as superseded by the attempt `by`.
 */
export function latestDuePerSecret(rows: readonly RecheckRow[]): {
  run: RecheckRow[];
  superseded: Array<{ row: RecheckRow; by: number }>;
} {
  const latest = new Map<string, RecheckRow>();
  const superseded: Array<{ row: RecheckRow; by: number }> = [];
  for (const row of rows) {
    const seen = latest.get(row.fingerprint);
    if (seen && seen.attempt > row.attempt) {
      superseded.push({ row, by: seen.attempt });
      continue;
    }
    if (seen) superseded.push({ row: seen, by: row.attempt });
    latest.set(row.fingerprint, row);
  }
  return { run: [...latest.values()], superseded };
}

/**
 * What to ask Crisp about a keypair read back: the tier last verified, else the stored one, else
 * the one the file names; the stored website id first, then every one in the file.
 */
export function verificationRequest(secret: SecretRow, latestTier: Tier | null | undefined, found: ReadBack): VerifyRequest {
  const { candidate, websiteIds } = found;
  return {
    keypair: candidate.keypair,
    tier: latestTier ?? secret.tier ?? candidate.tier,
    websiteId: secret.websiteId ?? candidate.websiteId,
    websiteIds: [...new Set([...(secret.websiteId ? [secret.websiteId] : []), ...websiteIds])],
  };
}

/**
 * The keypair could not be read back. Every place gone for good: the re-check is impossible, said
 * on GitHub, and the series stops. A passing failure (5xx, rate limit) only goes on to the next
 * attempt, saying nothing on GitHub.
 */
export function outcomeOfReadFailure(
  row: RecheckAttempt,
  secret: SecretRow,
  failures: readonly ReadFailure[],
  now: Date,
): RecheckOutcome {
  const reason = describeFailures(failures);
  if (failures.every((f) => f.permanent)) {
    const at = now.toISOString();
    return {
      note: `${RECHECK_NOTES.impossible}: ${reason}`,
      next: "stop",
      log: { level: "warn", message: `${subjectOf(row, secret)}: impossible, ${reason}` },
      publish: { update: { kind: "recheck-impossible", reason, at } },
      issue: { close: false, body: impossibleIssueComment({ ...noteInput(row, secret), reason, at }) },
    };
  }
  return {
    note: `${RECHECK_NOTES.failed}: ${reason}`,
    next: nextRecheck(row.attempt, row.rotatedAt, now),
    log: { level: "warn", message: `${subjectOf(row, secret)}: failed for now, ${reason}` },
  };
}

/**
 * Crisp answered (decideRecheck): dead ends the series, rewrites comments and check runs and closes
 * the issue; still live 24 h after rotation raises the alarm once, everywhere; anything else waits
 * for the next attempt.
 */
export function outcomeOfVerification(
  row: RecheckAttempt,
  secret: SecretRow,
  answer: { verification: Verification; keypair: Keypair; alarmRaised: boolean; now: Date },
): RecheckOutcome {
  const { verification, keypair, now } = answer;
  const checkedAt = verification.checkedAt ?? now.toISOString();
  const decision = decideRecheck({
    status: verification.status,
    attempt: row.attempt,
    rotatedAt: row.rotatedAt,
    now,
    alarmRaised: answer.alarmRaised,
  });
  const subject = subjectOf(row, secret);
  if (decision.action === "dead") {
    return {
      event: { type: "verified", status: verification.status },
      note: RECHECK_NOTES.dead,
      next: "stop",
      log: { level: "info", message: `${subject}: dead since ${checkedAt}, re-checks stopped` },
      publish: { update: { kind: "dead", since: checkedAt }, keypair },
      issue: { close: true, body: deadIssueComment({ ...noteInput(row, secret), deadSince: checkedAt }) },
    };
  }
  if (decision.action === "alarm") {
    const since = row.rotatedAt.toISOString();
    return {
      note: RECHECK_NOTES.alarm,
      next: decision.next,
      log: { level: "warn", message: `${subject}: STILL LIVE ${since} + 24 h` },
      publish: { update: { kind: "still-live", since, checkedAt }, keypair },
      issue: { close: false, body: stillLiveIssueComment({ ...noteInput(row, secret), checkedAt }) },
    };
  }
  return {
    note: verification.status === "live" ? RECHECK_NOTES.live : `${RECHECK_NOTES.unknown}: ${verification.reason}`,
    next: decision.next,
    log: { level: "info", message: `${subject} attempt ${row.attempt}: ${verification.status}` },
  };
}

/**
 * The re-check itself failed (a bug, the store): the attempt is closed and the series goes on, since
 * a row left pending would be retried every poll, spending the owner's Crisp quota in a loop.
 */
export function outcomeOfError(row: RecheckAttempt, message: string, now: Date): Pick<RecheckOutcome, "note" | "next"> {
  return { note: `${RECHECK_NOTES.failed}: ${message}`, next: nextRecheck(row.attempt, row.rotatedAt, now) };
}
