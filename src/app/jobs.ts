// The job queues. Every job is in the store before it is queued, so a crash or restart loses nothing.
// In one process (SQLite, the default) jobs run here, in a p-queue, after the webhook was answered;
// resume() queues what was left unfinished. With Postgres, pg-boss carries them to any number of
// workers instead (pg-boss-queue.ts). Either way a job runs through job-run.ts.
import PQueue from "p-queue";
import type { BackfillJobPayload, InstallationJobPayload, PullRequestJobPayload, PushJobPayload, UnfinishedJob } from "../store/types.js";
import { runBackfillJob, runInstallationJob, runPullRequestJob, runPushJob, type JobRunDeps } from "./job-run.js";
import { settlesWithin } from "./within.js";

/**
 * Pushes scanned at once per process. Each push already reads 4 commits at a time (sources/push.ts),
 * and GitHub's secondary limits count concurrent requests per installation: 2 pushes × 4 stays well
 * under the 100 concurrent requests GitHub allows ("About secondary rate limits").
 */
export const JOB_CONCURRENCY = 2;

/**
 * Repositories cloned and scanned at once per process. A backfill holds a whole repository on disk
 * (up to BACKFILL_CLONE_MAX_BYTES) and a history scan keeps a core busy (a machine of 2 cores runs
 * the pushes beside it); backfills run in their own lane, so pushes never wait behind them.
 */
export const BACKFILL_CONCURRENCY = 1;

/**
 * How often the in-process queue looks in the store for jobs another process recorded there
 * (`crisp-guard backfill` beside a running app on SQLite). Pushes never wait for it: their handler
 * queues them directly.
 */
export const STORE_POLL_MS = 5_000;

export interface JobRunnerDeps extends JobRunDeps {
  concurrency?: number;
  backfillConcurrency?: number;
}

/** What the webhook handlers hand jobs to, and what the app waits on. */
export interface JobQueue {
  /** Queues a recorded delivery's push job; resolves once it is queued (durably, with pg-boss). */
  enqueue(deliveryId: string, push: PushJobPayload): Promise<void>;
  /** Queues a recorded pull_request delivery's merge-gate job. */
  enqueuePullRequest(deliveryId: string, pr: PullRequestJobPayload): Promise<void>;
  /** Queues a recorded installation-wide request's job (it requests the repositories' backfills). */
  enqueueInstallation(deliveryId: string, installation: InstallationJobPayload): Promise<void>;
  /** Queues a recorded backfill job (store.requestBackfill), in the backfill lane. */
  enqueueBackfill(deliveryId: string, backfill: BackfillJobPayload): Promise<void>;
  /** Queues every job the store says is unfinished (queued, or running when the process stopped). */
  resume(): Promise<number>;
  /** Resolves when every job this process runs has finished. */
  onIdle(): Promise<void>;
  /**
   * Stops taking jobs. Waits at most `graceMs` for the running ones; what is still running then is
   * left to the queue (pg-boss hands it to another worker; in process, the next start resumes it).
   */
  stop(graceMs?: number): Promise<void>;
}

/** Hands an unfinished job to the queue method of its kind (its delivery's event). */
export async function enqueueUnfinished(queue: JobQueue, j: UnfinishedJob): Promise<void> {
  const d = j.delivery;
  if (d.event === "pull_request") {
    if (d.pullRequest) await queue.enqueuePullRequest(j.deliveryId, d.pullRequest);
  } else if (d.event === "installation") {
    if (d.installation) await queue.enqueueInstallation(j.deliveryId, d.installation);
  } else if (d.event === "backfill") {
    if (d.backfill) await queue.enqueueBackfill(j.deliveryId, d.backfill);
  } else await queue.enqueue(j.deliveryId, d.payload);
}

export function createJobRunner(deps: JobRunnerDeps): JobQueue & { watch(intervalMs?: number): void } {
  const { store, log } = deps;
  const queue = new PQueue({ concurrency: deps.concurrency ?? JOB_CONCURRENCY });
  const backfills = new PQueue({ concurrency: deps.backfillConcurrency ?? BACKFILL_CONCURRENCY });
  const queuedIds = new Set<string>();
  let admitted = 0;
  let poll: NodeJS.Timeout | null = null;

  /** Queues a job once per delivery in this process. */
  const admit = (lane: PQueue, deliveryId: string, job: () => Promise<void>, kind: string): void => {
    if (queuedIds.has(deliveryId)) return;
    queuedIds.add(deliveryId);
    admitted++;
    // Jobs handle their own errors; the catch only guards against a store failure escaping.
    void lane
      .add(job)
      .catch((error: unknown) => {
        log.error({ deliveryId, err: error instanceof Error ? error.message : String(error) }, `${kind} job crashed`);
      })
      .finally(() => queuedIds.delete(deliveryId));
  };

  const runner: JobQueue = {
    enqueue: async (deliveryId, push) => admit(queue, deliveryId, () => runPushJob(deps, deliveryId, push), "push"),
    enqueuePullRequest: async (deliveryId, pr) => admit(queue, deliveryId, () => runPullRequestJob(deps, deliveryId, pr), "pull request"),
    enqueueInstallation: async (deliveryId, installation) =>
      admit(queue, deliveryId, () => runInstallationJob(deps, deliveryId, installation), "installation"),
    enqueueBackfill: async (deliveryId, backfill) => admit(backfills, deliveryId, () => runBackfillJob(deps, deliveryId, backfill), "backfill"),
    async resume() {
      const before = admitted;
      for (const j of await store.unfinishedJobs()) await enqueueUnfinished(runner, j);
      const resumed = admitted - before;
      if (resumed > 0) log.info({ jobs: resumed }, "resuming unfinished jobs");
      return resumed;
    },
    async onIdle() {
      // A job of one lane may queue jobs in the other (an installation's backfills).
      while (queue.size + queue.pending + backfills.size + backfills.pending > 0) {
        await Promise.all([queue.onIdle(), backfills.onIdle()]);
      }
    },
    async stop(graceMs = 0) {
      if (poll) clearInterval(poll);
      // Queued jobs stay queued in the store, for the next start.
      queue.pause();
      backfills.pause();
      if (graceMs > 0) await settlesWithin(Promise.all([queue.onPendingZero(), backfills.onPendingZero()]), graceMs);
    },
  };
  return {
    ...runner,
    /** Picks up, every `intervalMs`, jobs recorded in the store by another process (the CLI). */
    watch(intervalMs = STORE_POLL_MS) {
      if (poll) return;
      poll = setInterval(() => {
        runner.resume().catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, "store poll failed"));
      }, intervalMs);
      poll.unref();
    },
  };
}
