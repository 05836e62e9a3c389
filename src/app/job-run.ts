// One job, run once, whichever queue handed it over (the in-process queue, or pg-boss to one of many
// workers): under the store's lock for its push or pull request head, so two workers never scan the
// same push at once; a job that is already finished, or whose push another delivery finished, is
// skipped; a job taken over from a worker that died runs again as a resumed attempt (its writes look
// for what the first attempt may have posted). One log line per job, with its time in the queue.
import { repositoryName } from "../github/repository.js";
import { LockBusyError } from "../store/local-lock.js";
import type { DeliveryRow, JobRow, PullRequestJobPayload, PushJobPayload, Store } from "../store/types.js";
import type { BackfillJobPayload, InstallationJobPayload } from "../store/types.js";
import type { BackfillJob, BackfillSummary } from "./backfill-worker.js";
import type { InstallationJob, InstallationSummary } from "./installation-worker.js";
import type { PullRequestJob, PullRequestSummary } from "./pull-request-worker.js";
import type { PushJob, PushSummary, WorkerLog } from "./worker.js";

export interface JobRunDeps {
  store: Store;
  log: WorkerLog;
  /** Runs one push (the worker with an installation's Octokit). */
  process: (job: PushJob) => Promise<PushSummary>;
  /** Runs one pull request's merge gate. A job's kind is its delivery's event (push, pull_request). */
  processPullRequest?: (job: PullRequestJob) => Promise<PullRequestSummary>;
  /** Requests the backfills of an installation-wide request. */
  processInstallation?: (job: InstallationJob) => Promise<InstallationSummary>;
  /** Backfills one repository. */
  processBackfill?: (job: BackfillJob) => Promise<BackfillSummary>;
  now?: () => number;
}

/**
 * How long a job waits for its push's lock. The holder is another worker scanning the same push (a
 * second delivery, or a job pg-boss handed on while its first worker still ran): it finishes the
 * push, and this job leaves it to it rather than hold a connection for the whole scan.
 */
export const JOB_LOCK_WAIT_MS = 10_000;

/** The lock a push's jobs take: one per (repository, after), whatever delivery brought it. */
export const pushLockName = (repository: string, after: string): string => `job:push:${repository}:${after}`;
export const pullRequestLockName = (repository: string, headSha: string): string => `job:pull_request:${repository}:${headSha}`;
/** One backfill of a repository at a time, whichever generation (a forced one waits for the other). */
export const backfillLockName = (repository: string): string => `job:backfill:${repository.toLowerCase()}`;

/**
 * How long a backfill job waits for its repository's lock: its holder is cloning and scanning the
 * whole history, so this job leaves it to it (the holder's row says what came of it).
 */
export const BACKFILL_LOCK_WAIT_MS = 10_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function queueMs(row: JobRow, now: number): number {
  return Math.max(0, now - Date.parse(row.enqueuedAt));
}

/** Runs the job of a recorded delivery, whichever its kind. */
export async function runDeliveryJob(deps: JobRunDeps, delivery: DeliveryRow): Promise<void> {
  if (delivery.event === "installation") {
    if (!delivery.installation) throw new Error(`delivery ${delivery.id}: an installation delivery without its request`);
    return runInstallationJob(deps, delivery.id, delivery.installation);
  }
  if (delivery.event === "backfill") {
    if (!delivery.backfill) throw new Error(`delivery ${delivery.id}: a backfill delivery without its repository`);
    return runBackfillJob(deps, delivery.id, delivery.backfill);
  }
  if (delivery.event === "pull_request") {
    if (!delivery.pullRequest) throw new Error(`delivery ${delivery.id}: a pull_request delivery without its pull request`);
    return runPullRequestJob(deps, delivery.id, delivery.pullRequest);
  }
  return runPushJob(deps, delivery.id, delivery.payload);
}

/**
 * The row to run, or a reason to skip: a job already finished (a queue's second hand-over after the
 * first run ended) or whose push another delivery finished. A skipped unfinished job is closed as done.
 */
async function admitted(
  store: Store,
  deliveryId: string,
  processed: () => Promise<boolean>,
): Promise<{ row: JobRow } | { skipped: string; row?: JobRow }> {
  const row = await store.getJob(deliveryId);
  if (!row) return { skipped: "no job recorded for the delivery" };
  if (row.status === "done" || row.status === "failed") return { skipped: `job already ${row.status}` };
  if (await processed()) {
    await store.startJob(deliveryId);
    await store.finishJob(deliveryId, { status: "done" });
    return { skipped: "already processed by another delivery", row };
  }
  return { row: await store.startJob(deliveryId) };
}

/** What differs between a push job and a merge-gate job; the run around it is one. */
interface JobKind<S extends { errors: string[] }> {
  /** "push", "pull request": the log lines' subject. */
  label: string;
  lock: string;
  where: Record<string, unknown>;
  processed: () => Promise<boolean>;
  /** How long to wait for the lock (default JOB_LOCK_WAIT_MS). */
  waitMs?: number;
  run: (attempt: number) => Promise<S>;
  /** The finished job's log line: its fields and message. */
  report: (summary: S) => { fields: Record<string, unknown>; msg: string };
}

async function runJob<S extends { errors: string[] }>(deps: JobRunDeps, deliveryId: string, kind: JobKind<S>): Promise<void> {
  const { store, log } = deps;
  const now = deps.now ?? Date.now;
  const { where, label } = kind;
  const locked = store.withLock(kind.lock, async () => {
    const admission = await admitted(store, deliveryId, kind.processed);
    if ("skipped" in admission) {
      const waited = admission.row ? { queueMs: queueMs(admission.row, now()) } : {};
      log.info({ ...where, ...waited, reason: admission.skipped }, `${label} job skipped`);
      return;
    }
    const { row } = admission;
    const timing = { attempt: row.attempts, queueMs: queueMs(row, now()) };
    let summary: S;
    try {
      summary = await kind.run(row.attempts);
    } catch (error) {
      await store.finishJob(deliveryId, { status: "failed", error: errorText(error) });
      log.error({ ...where, ...timing, err: errorText(error) }, `${label} job failed`);
      return;
    }
    // A job that could not finish its work (Crisp unknown, a GitHub write failed) is failed: a
    // redelivery runs it again.
    await store.finishJob(
      deliveryId,
      summary.errors.length > 0 ? { status: "failed", error: summary.errors.join("\n") } : { status: "done" },
    );
    // One line per job: at warn, with the errors, when some of its work failed.
    const { fields, msg } = kind.report(summary);
    if (summary.errors.length > 0) log.warn({ ...where, ...timing, ...fields, errors: summary.errors }, msg);
    else log.info({ ...where, ...timing, ...fields }, msg);
  }, { waitMs: kind.waitMs ?? JOB_LOCK_WAIT_MS });
  await locked.catch((error: unknown) => {
    if (!(error instanceof LockBusyError)) throw error;
    log.info({ ...where, reason: "another worker is running it" }, `${label} job skipped`);
  });
}

export function runPushJob(deps: JobRunDeps, deliveryId: string, push: PushJobPayload): Promise<void> {
  const repository = repositoryName(push);
  return runJob<PushSummary>(deps, deliveryId, {
    label: "push",
    lock: pushLockName(repository, push.after),
    where: { deliveryId, repository, after: push.after },
    processed: () => deps.store.isPushProcessed(repository, push.after),
    run: (attempt) => deps.process({ deliveryId, push, attempt }),
    report: (summary) =>
      summary.skipped
        ? { fields: { skipped: summary.skipped }, msg: "push skipped" }
        : {
            fields: {
              route: summary.route,
              commits: summary.commits,
              files: summary.files,
              findings: summary.findings,
              live: summary.live,
              rotated: summary.rotated,
              comments: summary.comments,
              configError: summary.configError !== null,
              errors: summary.errors.length,
              ms: summary.ms,
            },
            msg: "push scanned",
          },
  });
}

export function runPullRequestJob(deps: JobRunDeps, deliveryId: string, pr: PullRequestJobPayload): Promise<void> {
  const repository = repositoryName(pr);
  const { processPullRequest } = deps;
  return runJob<PullRequestSummary>(deps, deliveryId, {
    label: "pull request",
    lock: pullRequestLockName(repository, pr.headSha),
    where: { deliveryId, repository, pullRequest: pr.number, head: pr.headSha },
    // Another delivery for the same head (reopened, a redelivery) may have finished it meanwhile.
    processed: () => deps.store.isPullRequestProcessed(repository, pr.headSha),
    run: async (attempt) => {
      if (!processPullRequest) throw new Error("this job runner takes no pull_request jobs");
      return processPullRequest({ deliveryId, pullRequest: pr, attempt });
    },
    report: (summary) => ({
      fields: {
        commits: summary.commits,
        reused: summary.reusedCommits,
        files: summary.files,
        findings: summary.findings,
        live: summary.live,
        rotated: summary.rotated,
        conclusion: summary.conclusion,
        errors: summary.errors.length,
        ms: summary.ms,
      },
      msg: "pull request gated",
    }),
  });
}

export function runInstallationJob(deps: JobRunDeps, deliveryId: string, installation: InstallationJobPayload): Promise<void> {
  const { processInstallation } = deps;
  return runJob<InstallationSummary>(deps, deliveryId, {
    label: "installation",
    lock: `job:installation:${deliveryId}`,
    where: { deliveryId, installationId: installation.installationId, trigger: installation.trigger },
    processed: async () => false,
    run: async (attempt) => {
      if (!processInstallation) throw new Error("this job runner takes no installation jobs");
      return processInstallation({ deliveryId, installation, attempt });
    },
    report: (summary) => ({
      fields: {
        repositories: summary.repositories,
        queued: summary.queued,
        alreadyBackfilled: summary.alreadyBackfilled,
        alreadyQueued: summary.alreadyQueued,
        errors: summary.errors.length,
        ms: summary.ms,
      },
      msg: "backfills requested",
    }),
  });
}

export function runBackfillJob(deps: JobRunDeps, deliveryId: string, backfill: BackfillJobPayload): Promise<void> {
  const repository = repositoryName(backfill);
  const { processBackfill, store } = deps;
  return runJob<BackfillSummary>(deps, deliveryId, {
    label: "backfill",
    lock: backfillLockName(repository),
    waitMs: BACKFILL_LOCK_WAIT_MS,
    where: { deliveryId, repository, installationId: backfill.installationId, generation: backfill.generation },
    // A later generation, or this one finished, means there is nothing left for this job to do.
    processed: async () => {
      const row = await store.getBackfill(repository);
      if (!row) return false;
      return row.generation > backfill.generation || (row.generation === backfill.generation && (row.status === "done" || row.status === "skipped"));
    },
    run: async (attempt) => {
      if (!processBackfill) throw new Error("this job runner takes no backfill jobs");
      const summary = await processBackfill({ deliveryId, backfill, attempt });
      // Progress per installation, in the store and in the log: repositories done / total.
      const progress = await store.backfillProgress(backfill.installationId);
      deps.log.info(
        { installationId: backfill.installationId, done: progress.done + progress.skipped + progress.failed, total: progress.total, failed: progress.failed },
        "backfill progress",
      );
      return summary;
    },
    report: (summary) => ({
      fields: {
        status: summary.status,
        ...(summary.reason ? { reason: summary.reason } : {}),
        commits: summary.commits,
        blobs: summary.blobs,
        findings: summary.findings,
        live: summary.live,
        rotated: summary.rotated,
        comments: summary.comments,
        incomplete: summary.incomplete,
        cloneBytes: summary.cloneBytes,
        errors: summary.errors.length,
        ms: summary.ms,
      },
      msg: summary.status === "skipped" ? "backfill skipped" : "repository backfilled",
    }),
  });
}
