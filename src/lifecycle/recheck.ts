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
import type { Octokit } from "@octokit/rest";
import type { Keypair } from "../detect/fingerprint.js";
import type { Verification } from "../detect/types.js";
import { updateCheckRun, updateCommitComment } from "../report/github.js";
import { checkRunOutput, commitCommentBody, type LeakUpdate } from "../report/github-text.js";
import type { RecheckRow, RotationRow, SecretRow, Store } from "../store/types.js";
import type { Verifier } from "../verify/types.js";
import { closeLeakIssue } from "../rotate/github-issue.js";
import { RECHECK_NOTES, decideRecheck, isAlarmNote, nextRecheck } from "./schedule.js";
import { storedFinding, storedUpdate } from "./findings.js";
import { advanceSecretState } from "./store.js";
import { describeFailures, readKeypairBack } from "./read-back.js";
import { deadIssueComment, impossibleIssueComment, stillLiveIssueComment } from "./notes.js";

/** How often start() looks for due re-checks. The shortest delay in the schedule is 15 min, so a minute late is nothing. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/** The Octokit a re-check needs: @octokit/rest's, or Probot's (context.octokit / app.auth(id)). */
export type LifecycleOctokit = Pick<Octokit, "rest" | "paginate">;

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
  octokitFor: (repository: string) => Promise<LifecycleOctokit>;
  now?: () => Date;
  /** For fake timers; default the global ones. */
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  log?: RecheckLog;
  pollIntervalMs?: number;
}

export interface RecheckScheduler {
  /** Schedules the re-check series for a secret just handed to a rotator; false if it already has one. */
  scheduleAfterRotation(fingerprint: string, rotatedAt: Date): Promise<boolean>;
  /** Runs every due re-check; resolves to how many ran. */
  runDue(): Promise<number>;
  /** Runs what is due now, then polls every pollIntervalMs. */
  start(): void;
  /** Stops polling; resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

const silentLog: RecheckLog = { info() {}, warn() {} };

function short(fingerprint: string): string {
  return fingerprint.slice(0, 12);
}

function repoRef(repository: string): { owner: string; repo: string } | null {
  const [owner, repo, ...rest] = repository.split("/");
  return owner && repo && rest.length === 0 ? { owner, repo } : null;
}

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

export function createRecheckScheduler(deps: RecheckSchedulerDeps): RecheckScheduler {
  const { store, verifier } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? silentLog;
  const pollIntervalMs = deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  // Looked up at call time, so vitest's fake timers installed after creation still apply.
  const setTimer = deps.setTimeout ?? ((callback: () => void, ms: number): unknown => setTimeout(callback, ms));
  const clearTimer = deps.clearTimeout ?? ((handle: unknown): void => clearTimeout(handle as NodeJS.Timeout));

  let running: Promise<number> | null = null;
  let started = false;
  let timer: unknown = null;

  /** Best effort: one GitHub write failing (a deleted comment, say) must not stop the others. */
  async function attempt(what: string, repository: string, write: (octokit: LifecycleOctokit, ref: { owner: string; repo: string }) => Promise<unknown>): Promise<boolean> {
    const ref = repoRef(repository);
    if (!ref) return false;
    try {
      await write(await deps.octokitFor(repository), ref);
      return true;
    } catch (error) {
      log.warn(`crisp-guard re-check: could not ${what} in ${repository}: ${errorText(error)}`);
      return false;
    }
  }

  async function leakIssue(fingerprint: string): Promise<{ repository: string; number: number } | null> {
    const recorded = await store.issueOf(fingerprint);
    if (recorded) return recorded;
    const fromOutcome = issueFromRotations(await store.rotationsOf(fingerprint));
    if (fromOutcome) await store.recordIssue({ fingerprint, ...fromOutcome });
    return fromOutcome;
  }

  /** Rewrites every recorded commit comment and check run of the secret with the news. */
  async function publish(fingerprint: string, update: LeakUpdate, keypair?: Keypair): Promise<void> {
    for (const c of await store.commentsOf(fingerprint)) {
      const finding = await storedFinding(store, fingerprint, c.repository, keypair);
      if (!finding) continue;
      const body = commitCommentBody({ finding, commit: c.commit, update });
      await attempt(`update comment ${c.commentId}`, c.repository, (octokit, ref) =>
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
      await attempt(`update check run ${run.checkRunId}`, run.repository, (octokit, ref) =>
        updateCheckRun(octokit, ref, run.checkRunId, output),
      );
    }
  }

  async function scheduleNext(row: RecheckRow): Promise<void> {
    const next = nextRecheck(row.attempt, row.rotatedAt, now());
    if (next) await store.scheduleRecheck(row.fingerprint, next.dueAt, next.attempt, row.rotatedAt);
  }

  function noteInput(secret: SecretRow, redacted: string, rotatedAt: Date) {
    return { redacted, tier: secret.tier, websiteId: secret.websiteId, rotatedAt: rotatedAt.toISOString() };
  }

  async function recheckOne(row: RecheckRow): Promise<void> {
    const { fingerprint, attempt: n } = row;
    const secret = await store.getSecret(fingerprint);
    if (!secret) {
      await store.completeRecheck(fingerprint, n, RECHECK_NOTES.unknownSecret);
      return;
    }
    const redacted = `${secret.redactedIdentifier}:${secret.keyHint}`;
    if (secret.state === "dead") {
      await store.completeRecheck(fingerprint, n, RECHECK_NOTES.alreadyDead);
      await store.cancelRechecks(fingerprint);
      return;
    }
    const { rotatedAt } = row;

    const read = await readKeypairBack(fingerprint, await store.occurrencesOf(fingerprint), deps.octokitFor);
    if (!read.found) {
      const reason = describeFailures(read.failures);
      if (read.failures.every((f) => f.permanent)) {
        const at = now().toISOString();
        await store.completeRecheck(fingerprint, n, `${RECHECK_NOTES.impossible}: ${reason}`);
        await store.cancelRechecks(fingerprint);
        log.warn(`crisp-guard re-check ${short(fingerprint)} (${redacted}): impossible, ${reason}`);
        await publish(fingerprint, { kind: "recheck-impossible", reason, at });
        const issue = await leakIssue(fingerprint);
        if (issue) {
          const body = impossibleIssueComment({ ...noteInput(secret, redacted, rotatedAt), reason, at });
          await attempt(`comment on issue #${issue.number}`, issue.repository, (octokit, ref) =>
            octokit.rest.issues.createComment({ ...ref, issue_number: issue.number, body }),
          );
        }
      } else {
        await store.completeRecheck(fingerprint, n, `${RECHECK_NOTES.failed}: ${reason}`);
        await scheduleNext(row);
        log.warn(`crisp-guard re-check ${short(fingerprint)} (${redacted}): failed for now, ${reason}`);
      }
      return;
    }

    const { candidate, websiteIds } = read.found;
    const latest = await store.latestVerification(fingerprint);
    const verification: Verification = await verifier.verify({
      keypair: candidate.keypair,
      tier: latest?.tier ?? secret.tier ?? candidate.tier,
      websiteId: secret.websiteId ?? candidate.websiteId,
      websiteIds: [...new Set([...(secret.websiteId ? [secret.websiteId] : []), ...websiteIds])],
    });
    await store.recordVerification(fingerprint, verification);
    const checkedAt = verification.checkedAt ?? now().toISOString();

    const decision = decideRecheck({
      status: verification.status,
      attempt: n,
      rotatedAt,
      now: now(),
      alarmRaised: (await store.rechecksOf(fingerprint)).some((r) => isAlarmNote(r.note)),
    });

    if (decision.action === "dead") {
      // Through the state machine, like every other transition (dead is where a 401 leads).
      await advanceSecretState(store, fingerprint, { type: "verified", status: verification.status });
      await store.completeRecheck(fingerprint, n, RECHECK_NOTES.dead);
      await store.cancelRechecks(fingerprint);
      log.info(`crisp-guard re-check ${short(fingerprint)} (${redacted}): dead since ${checkedAt}, re-checks stopped`);
      await publish(fingerprint, { kind: "dead", since: checkedAt }, candidate.keypair);
      const issue = await leakIssue(fingerprint);
      if (issue) {
        const body = deadIssueComment({ ...noteInput(secret, redacted, rotatedAt), deadSince: checkedAt });
        await attempt(`close issue #${issue.number}`, issue.repository, (octokit, ref) =>
          closeLeakIssue(octokit, ref, issue.number, body),
        );
      }
      return;
    }

    if (decision.action === "alarm") {
      await store.completeRecheck(fingerprint, n, RECHECK_NOTES.alarm);
      if (decision.next) await store.scheduleRecheck(fingerprint, decision.next.dueAt, decision.next.attempt, rotatedAt);
      log.warn(`crisp-guard re-check ${short(fingerprint)} (${redacted}): STILL LIVE ${rotatedAt.toISOString()} + 24 h`);
      await publish(fingerprint, { kind: "still-live", since: rotatedAt.toISOString(), checkedAt }, candidate.keypair);
      const issue = await leakIssue(fingerprint);
      if (issue) {
        const body = stillLiveIssueComment({ ...noteInput(secret, redacted, rotatedAt), checkedAt });
        await attempt(`comment on issue #${issue.number}`, issue.repository, (octokit, ref) =>
          octokit.rest.issues.createComment({ ...ref, issue_number: issue.number, body }),
        );
      }
      return;
    }

    const note =
      verification.status === "live" ? RECHECK_NOTES.live : `${RECHECK_NOTES.unknown}: ${verification.reason}`;
    await store.completeRecheck(fingerprint, n, note);
    if (decision.next) await store.scheduleRecheck(fingerprint, decision.next.dueAt, decision.next.attempt, rotatedAt);
    log.info(`crisp-guard re-check ${short(fingerprint)} (${redacted}) attempt ${n}: ${verification.status}`);
  }

  async function runAll(): Promise<number> {
    // After downtime several attempts of one secret may be due at once: only the latest is worth a
    // request to Crisp; the earlier ones are closed as superseded.
    const latest = new Map<string, RecheckRow>();
    for (const row of await store.dueRechecks(now())) {
      const seen = latest.get(row.fingerprint);
      if (seen && seen.attempt > row.attempt) {
        await store.completeRecheck(row.fingerprint, row.attempt, `superseded by attempt ${seen.attempt}`);
        continue;
      }
      if (seen) await store.completeRecheck(seen.fingerprint, seen.attempt, `superseded by attempt ${row.attempt}`);
      latest.set(row.fingerprint, row);
    }
    let ran = 0;
    for (const row of latest.values()) {
      try {
        await recheckOne(row);
      } catch (error) {
        // Close the attempt and move on: left pending, it would be retried every poll, spending the
        // owner's Crisp quota in a loop.
        log.warn(`crisp-guard re-check ${short(row.fingerprint)} attempt ${row.attempt}: ${errorText(error)}`);
        try {
          await store.completeRecheck(row.fingerprint, row.attempt, `${RECHECK_NOTES.failed}: ${errorText(error)}`);
          await scheduleNext(row);
        } catch {
          // The store itself failed: nothing more to record.
        }
      }
      ran += 1;
    }
    return ran;
  }

  function runDue(): Promise<number> {
    if (running) return running;
    running = runAll().finally(() => {
      running = null;
    });
    return running;
  }

  function poll(): void {
    runDue()
      .catch((error: unknown) => log.warn(`crisp-guard re-checks: ${errorText(error)}`))
      .finally(() => {
        if (started) timer = setTimer(poll, pollIntervalMs);
      });
  }

  return {
    async scheduleAfterRotation(fingerprint, rotatedAt) {
      const secret = await store.getSecret(fingerprint);
      if (!secret) {
        log.warn(`crisp-guard re-checks: secret ${short(fingerprint)} is not in the store; nothing scheduled`);
        return false;
      }
      // One series per secret, whatever number of pushes, commits or deliveries hand it over.
      if (secret.state === "dead" || (await store.rechecksOf(fingerprint)).length > 0) return false;
      const first = nextRecheck(0, rotatedAt);
      if (!first) return false;
      await store.scheduleRecheck(fingerprint, first.dueAt, first.attempt, rotatedAt);
      return true;
    },
    runDue,
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
