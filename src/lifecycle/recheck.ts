// The re-check scheduler: follows a leak after rotation until Crisp refuses the old key.
//
// Usage (the app's worker):
//
//   const scheduler = createRecheckScheduler({
//     store,                                                   // await openStore(…)
//     verifier: createVerifier({ cacheTtlMs: 0, unknownTtlMs: 0 }), // uncached: see below
//     octokitFor: (repository) => installationOctokit(repository),    // "owner/repo" → Octokit
//     log: app.log,
//   });
//   scheduler.start();                                // runs what is due now, then polls every 60 s
//   // after the rotators ran for a secret and one answered "requested" or "rotated":
//   await scheduler.scheduleAfterRotation(fingerprint, rotatedAt);
//   // on shutdown:
//   await scheduler.stop();
//
// - scheduleAfterRotation(fingerprint, rotatedAt): Promise<boolean> schedules the series (15 min, 1 h, 6 h,
//   24 h, then daily for a week after rotatedAt; see lifecycle.ts). Once per secret: a second call
//   (another push, commit or delivery of the same secret) changes nothing and returns false. The
//   secret must already be in the store (upsertSecret).
// - runDue(): Promise<number> runs every re-check due now and returns how many it ran. Calls made
//   while one is running share it.
// - start() / stop(): poll runDue every pollIntervalMs (default 60 s), first at once. Due times are
//   in the store, so re-checks survive restarts: a new scheduler on the same store runs them.
//
// A re-check reads the keypair back from the repository (the store never holds it), verifies it
// with `verifier`, which must not answer from a cache (Crisp's own cache is waited out by the
// schedule; ours would hide a roll for an hour), and then:
// - 401: the secret is dead; the remaining re-checks are cancelled; every recorded commit comment
//   and check run is rewritten to say it was rotated and since when; the leak issue is closed.
// - still live 24 h or more after rotation: said once, loudly (issue comment, comments, check runs).
// - the keypair cannot be read back (file, commit or repository gone): recorded in the store note,
//   said on the issue, comments and check runs, and the series stops. A passing GitHub error only
//   skips to the next attempt.
//
// What a re-check decides is data (recheck-plan.ts: a RecheckOutcome); the steps that read, verify
// and apply it are the plain functions below, each given what it uses, so each can run alone.
import type { Keypair } from "../detect/fingerprint.js";
import type { GitHubClient } from "../github/client.js";
import { parseRepository, type RepoRef } from "../github/repository.js";
import { updateCheckRun, updateCommitComment } from "../report/github.js";
import { checkRunOutput, commitCommentBody, type LeakUpdate } from "../report/github-text.js";
import type { RecheckRow, RotationRow, Store } from "../store/types.js";
import type { Verifier } from "../verify/types.js";
import { closeLeakIssue } from "../rotate/github-issue.js";
import { RECHECK_NOTES, isAlarmNote, nextRecheck } from "./schedule.js";
import { storedFinding, storedUpdate } from "./findings.js";
import { advanceSecretState } from "./store.js";
import { readKeypairBack } from "./read-back.js";
import {
  latestDuePerSecret, outcomeOfError, outcomeOfReadFailure, outcomeOfVerification, shortFingerprint as short,
  verificationRequest, type RecheckAttempt, type RecheckOutcome,
} from "./recheck-plan.js";

/** How often start() looks for due re-checks. The shortest delay in the schedule is 15 min, so a minute late is nothing. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/** Probot's app.log (pino) fits. Lines name secrets by short fingerprint and redacted halves only. */
export interface RecheckLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RecheckSchedulerDeps {
  store: Store;
  /** Must answer fresh: createVerifier({ cacheTtlMs: 0, unknownTtlMs: 0 }). */
  verifier: Verifier;
  /** An Octokit allowed to read contents and write comments, check runs and issues in "owner/repo". */
  octokitFor: (repository: string) => Promise<GitHubClient>;
  now?: () => Date;
  /** For fake timers; default the global ones. */
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  log?: RecheckLog;
  pollIntervalMs?: number;
  /** Called after each re-check is scheduled (a shared queue's delayed job). */
  afterSchedule?: AfterSchedule;
}

export interface RecheckScheduler {
  /** Schedules the re-check series for a secret just handed to a rotator; false if it already has one. */
  scheduleAfterRotation(fingerprint: string, rotatedAt: Date): Promise<boolean>;
  /** Runs every due re-check; resolves to how many ran. */
  runDue(): Promise<number>;
  /** Runs the secret's re-check due by `earlyMs` from now (a delayed job fired); resolves to how many ran. */
  runDueOf(fingerprint: string, earlyMs?: number): Promise<number>;
  /** Runs what is due now, then polls every pollIntervalMs. */
  start(): void;
  /** Stops polling; resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

/** What a re-check reads, asks and writes with: the scheduler's dependencies, defaults applied. */
export interface RecheckIo {
  store: Store;
  verifier: Verifier;
  octokitFor: (repository: string) => Promise<GitHubClient>;
  now: () => Date;
  log: RecheckLog;
  /**
   * Called after each re-check is scheduled in the store: with a shared queue (pg-boss), it sends the
   * delayed job that runs it when due, on whichever worker takes it.
   */
  afterSchedule?: AfterSchedule;
}

export type AfterSchedule = (fingerprint: string, dueAt: Date) => Promise<void>;

/**
 * Runs the hook; a failure is one log line, not the attempt's: the re-check is in the store, and the
 * scheduler's poll runs it when due if no delayed job does.
 */
async function notifyScheduled(io: Pick<RecheckIo, "afterSchedule" | "log">, fingerprint: string, dueAt: Date): Promise<void> {
  try {
    await io.afterSchedule?.(fingerprint, dueAt);
  } catch (error) {
    io.log.warn(`crisp-guard re-check ${short(fingerprint)}: not queued (${errorText(error)}); the poll will run it when due`);
  }
}

/** The lock a secret's re-checks run under: one at a time per secret, across workers. */
export const recheckLockName = (fingerprint: string): string => `recheck:${fingerprint}`;

/** What writing to GitHub needs. */
export type GitHubIo = Pick<RecheckIo, "octokitFor" | "log">;

const silentLog: RecheckLog = { info() {}, warn() {} };

function errorText(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : String(error);
  return typeof status === "number" ? `HTTP ${status}: ${message}` : message;
}

/** The leak issue a github-issue rotator reported, from its outcome URL (…/owner/repo/issues/N). */
export function issueFromRotations(rotations: readonly RotationRow[]): { repository: string; number: number } | null {
  for (const r of rotations) {
    if (r.rotator !== "github-issue" || !r.url) continue;
    const m = /\/([^/?#]+)\/([^/?#]+)\/issues\/(\d+)(?:[?#].*)?$/.exec(r.url);
    if (m) return { repository: `${m[1]}/${m[2]}`, number: Number(m[3]) };
  }
  return null;
}

/**
 * One GitHub write, best effort: a failure (a deleted comment, say) is logged and must not stop the
 * others. False when it failed, or when `repository` is not "owner/repo".
 */
export async function writeBestEffort(
  io: GitHubIo,
  what: string,
  repository: string,
  write: (octokit: GitHubClient, ref: RepoRef) => Promise<unknown>,
): Promise<boolean> {
  const ref = parseRepository(repository);
  if (!ref) return false;
  try {
    await write(await io.octokitFor(repository), ref);
    return true;
  } catch (error) {
    io.log.warn(`crisp-guard re-check: could not ${what} in ${repository}: ${errorText(error)}`);
    return false;
  }
}

/** The secret's leak issue: the one recorded, else the github-issue rotator's (then recorded). */
export async function leakIssue(store: Store, fingerprint: string): Promise<{ repository: string; number: number } | null> {
  const recorded = await store.issueOf(fingerprint);
  if (recorded) return recorded;
  const fromOutcome = issueFromRotations(await store.rotationsOf(fingerprint));
  if (fromOutcome) await store.recordIssue({ fingerprint, ...fromOutcome });
  return fromOutcome;
}

/** Rewrites every recorded commit comment and check run of the secret with the news. */
export async function publishUpdate(
  io: GitHubIo & { store: Store },
  fingerprint: string,
  update: LeakUpdate,
  keypair?: Keypair,
): Promise<void> {
  const { store } = io;
  for (const c of await store.commentsOf(fingerprint)) {
    const finding = await storedFinding(store, fingerprint, c.repository, keypair);
    if (!finding) continue;
    const body = commitCommentBody({ finding, commit: c.commit, update });
    await writeBestEffort(io, `update comment ${c.commentId}`, c.repository, (octokit, ref) =>
      updateCommitComment(octokit, ref, c.commentId, body),
    );
  }
  for (const run of await store.checkRunsOf(fingerprint)) {
    const updates = new Map<string, LeakUpdate>();
    const findings = [];
    for (const fp of await store.fingerprintsOfCheckRun(run.checkRunId)) {
      const finding = await storedFinding(store, fp, run.repository, fp === fingerprint ? keypair : undefined);
      if (!finding) continue;
      findings.push(finding);
      const u = fp === fingerprint ? update : await storedUpdate(store, fp);
      if (u) updates.set(fp, u);
    }
    // annotate: false, since GitHub appends annotations on update and these were sent already.
    const output = checkRunOutput(findings, { updates, annotate: false });
    await writeBestEffort(io, `update check run ${run.checkRunId}`, run.repository, (octokit, ref) =>
      updateCheckRun(octokit, ref, run.checkRunId, output),
    );
  }
}

/** Comments on the secret's leak issue, closing it with `close`; nothing when it has none. */
export async function postOnLeakIssue(
  io: GitHubIo & { store: Store },
  fingerprint: string,
  post: { close: boolean; body: string },
): Promise<void> {
  const issue = await leakIssue(io.store, fingerprint);
  if (!issue) return;
  const { number } = issue;
  await writeBestEffort(io, `${post.close ? "close" : "comment on"} issue #${number}`, issue.repository, (octokit, ref) =>
    post.close
      ? closeLeakIssue(octokit, ref, number, post.body)
      : octokit.rest.issues.createComment({ ...ref, issue_number: number, body: post.body }),
  );
}

/** Closes the attempt with its note, then cancels the rest of the series or schedules the next attempt. */
export async function settleAttempt(
  store: Store,
  row: RecheckAttempt,
  outcome: Pick<RecheckOutcome, "note" | "next">,
  notify?: Pick<RecheckIo, "afterSchedule" | "log">,
): Promise<void> {
  await store.completeRecheck(row.fingerprint, row.attempt, outcome.note);
  if (outcome.next === "stop") await store.cancelRechecks(row.fingerprint);
  else if (outcome.next) {
    await store.scheduleRecheck(row.fingerprint, outcome.next.dueAt, outcome.next.attempt, row.rotatedAt);
    if (notify) await notifyScheduled(notify, row.fingerprint, outcome.next.dueAt);
  }
}

/**
 * Applies an outcome in one order, whatever its kind: the state, the attempt and the series, the
 * log line, comments and check runs, the leak issue.
 */
export async function applyOutcome(io: GitHubIo & Pick<RecheckIo, "store" | "afterSchedule">, row: RecheckAttempt, outcome: RecheckOutcome): Promise<void> {
  if (outcome.event) await advanceSecretState(io.store, row.fingerprint, outcome.event);
  await settleAttempt(io.store, row, outcome, io);
  if (outcome.log) io.log[outcome.log.level](outcome.log.message);
  if (outcome.publish) await publishUpdate(io, row.fingerprint, outcome.publish.update, outcome.publish.keypair);
  if (outcome.issue) await postOnLeakIssue(io, row.fingerprint, outcome.issue);
}

/** One re-check: read the keypair back, ask Crisp, and act on the answer. */
export async function recheckOne(io: RecheckIo, row: RecheckRow): Promise<void> {
  const { store } = io;
  const { fingerprint } = row;
  const secret = await store.getSecret(fingerprint);
  if (!secret) return applyOutcome(io, row, { note: RECHECK_NOTES.unknownSecret, next: null });
  if (secret.state === "dead") return applyOutcome(io, row, { note: RECHECK_NOTES.alreadyDead, next: "stop" });

  const read = await readKeypairBack(fingerprint, await store.occurrencesOf(fingerprint), io.octokitFor);
  if (!read.found) return applyOutcome(io, row, outcomeOfReadFailure(row, secret, read.failures, io.now()));

  const latest = await store.latestVerification(fingerprint);
  const verification = await io.verifier.verify(verificationRequest(secret, latest?.tier, read.found));
  await store.recordVerification(fingerprint, verification);
  const alarmRaised = (await store.rechecksOf(fingerprint)).some((r) => isAlarmNote(r.note));
  const keypair = read.found.candidate.keypair;
  await applyOutcome(io, row, outcomeOfVerification(row, secret, { verification, keypair, alarmRaised, now: io.now() }));
}

/**
 * Runs every re-check due now, or within `earlyMs` (only the secret `only`, when given), the latest attempt of each secret
 * only; resolves to how many ran. Each runs under its secret's lock and only while still pending, so
 * workers sharing the store never run one attempt twice.
 */
export async function runDueRechecks(io: RecheckIo, only?: string, earlyMs = 0): Promise<number> {
  const asOf = new Date(io.now().getTime() + earlyMs);
  const due = (await io.store.dueRechecks(asOf)).filter((r) => only === undefined || r.fingerprint === only);
  const { run, superseded } = latestDuePerSecret(due);
  for (const { row, by } of superseded) await io.store.completeRecheck(row.fingerprint, row.attempt, `superseded by attempt ${by}`);
  let ran = 0;
  for (const row of run) {
    await io.store.withLock(recheckLockName(row.fingerprint), async () => {
      const current = (await io.store.rechecksOf(row.fingerprint)).find((r) => r.attempt === row.attempt);
      if (current?.status !== "pending") return;
      ran++;
      try {
        await recheckOne(io, row);
      } catch (error) {
        io.log.warn(`crisp-guard re-check ${short(row.fingerprint)} attempt ${row.attempt}: ${errorText(error)}`);
        try {
          await settleAttempt(io.store, row, outcomeOfError(row, errorText(error), io.now()), io);
        } catch {
          // The store itself failed: nothing more to record.
        }
      }
    });
  }
  return ran;
}

/** Schedules the series of a secret just handed to a rotator; false when it is unknown, dead or has one. */
export async function scheduleSeries(io: Pick<RecheckIo, "store" | "log" | "afterSchedule">, fingerprint: string, rotatedAt: Date): Promise<boolean> {
  const { store } = io;
  const secret = await store.getSecret(fingerprint);
  if (!secret) {
    io.log.warn(`crisp-guard re-checks: secret ${short(fingerprint)} is not in the store; nothing scheduled`);
    return false;
  }
  // One series per secret, whatever number of pushes, commits or deliveries hand it over.
  if (secret.state === "dead" || (await store.rechecksOf(fingerprint)).length > 0) return false;
  const first = nextRecheck(0, rotatedAt);
  if (!first) return false;
  await store.scheduleRecheck(fingerprint, first.dueAt, first.attempt, rotatedAt);
  await notifyScheduled(io, fingerprint, first.dueAt);
  return true;
}

export function createRecheckScheduler(deps: RecheckSchedulerDeps): RecheckScheduler {
  const io: RecheckIo = {
    store: deps.store,
    verifier: deps.verifier,
    octokitFor: deps.octokitFor,
    now: deps.now ?? (() => new Date()),
    log: deps.log ?? silentLog,
    ...(deps.afterSchedule ? { afterSchedule: deps.afterSchedule } : {}),
  };
  const pollIntervalMs = deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  // Looked up at call time, so vitest's fake timers installed after creation still apply.
  const setTimer = deps.setTimeout ?? ((callback: () => void, ms: number): unknown => setTimeout(callback, ms));
  const clearTimer = deps.clearTimeout ?? ((handle: unknown): void => clearTimeout(handle as NodeJS.Timeout));

  let running: Promise<number> | null = null;
  let started = false;
  let timer: unknown = null;

  function runDue(): Promise<number> {
    if (running) return running;
    running = runDueRechecks(io).finally(() => {
      running = null;
    });
    return running;
  }

  function poll(): void {
    runDue()
      .catch((error: unknown) => io.log.warn(`crisp-guard re-checks: ${errorText(error)}`))
      .finally(() => {
        if (started) timer = setTimer(poll, pollIntervalMs);
      });
  }

  return {
    scheduleAfterRotation: (fingerprint, rotatedAt) => scheduleSeries(io, fingerprint, rotatedAt),
    runDue,
    runDueOf: (fingerprint, earlyMs = 0) => runDueRechecks(io, fingerprint, earlyMs),
    start() {
      if (started) return;
      started = true;
      poll();
    },
    async stop() {
      started = false;
      if (timer !== null) clearTimer(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
