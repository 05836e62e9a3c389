// The job queues. Every job is in the store before it is queued, so a crash or restart loses nothing.
// In one process (SQLite, the default) jobs run here, in a p-queue, after the webhook was answered;
// resume() queues what was left unfinished. With Postgres, pg-boss carries them to any number of
// workers instead (pg-boss-queue.ts). Either way a job runs through job-run.ts.
import PQueue from "p-queue";
import type { PullRequestJobPayload, PushJobPayload, Store } from "../store/types.js";
import { runPullRequestJob, runPushJob, type JobRunDeps } from "./job-run.js";
import { settlesWithin } from "./within.js";

/**
 * Pushes scanned at once per process. Each push already reads 4 commits at a time (sources/push.ts),
 * and GitHub's secondary limits count concurrent requests per installation: 2 pushes × 4 stays well
 * under the 100 concurrent requests GitHub allows ("About secondary rate limits").
 */
export const JOB_CONCURRENCY = 2;

export interface JobRunnerDeps extends JobRunDeps {
  concurrency?: number;
}

/** What the webhook handlers hand jobs to, and what the app waits on. */
export interface JobQueue {
  /** Queues a recorded delivery's push job; resolves once it is queued (durably, with pg-boss). */
  enqueue(deliveryId: string, push: PushJobPayload): Promise<void>;
  /** Queues a recorded pull_request delivery's merge-gate job. */
  enqueuePullRequest(deliveryId: string, pr: PullRequestJobPayload): Promise<void>;
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

/**
 * Hands a job the store holds as queued to the queue. When the queue refuses it (Postgres down),
 * the job is marked failed before the error goes on: the webhook fails, and the operator's
 * redelivery queues it again, rather than a queued row no worker will ever see.
 */
export async function queueRecorded(store: Store, deliveryId: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The reason (a database host, a user) stays in the store; GitHub's delivery log gets this.
    await store.finishJob(deliveryId, { status: "failed", error: `could not queue the job: ${reason}` }).catch(() => {});
    throw new Error("the job queue is unavailable: the job was not queued (redeliver once it is back)");
  }
}

export function createJobRunner(deps: JobRunnerDeps): JobQueue {
  const { store, log } = deps;
  const queue = new PQueue({ concurrency: deps.concurrency ?? JOB_CONCURRENCY });
  const queuedIds = new Set<string>();

  /** Queues a job once per delivery in this process. */
  const admit = (deliveryId: string, job: () => Promise<void>, kind: string): void => {
    if (queuedIds.has(deliveryId)) return;
    queuedIds.add(deliveryId);
    // Jobs handle their own errors; the catch only guards against a store failure escaping.
    void queue
      .add(job)
      .catch((error: unknown) => {
        log.error({ deliveryId, err: error instanceof Error ? error.message : String(error) }, `${kind} job crashed`);
      })
      .finally(() => queuedIds.delete(deliveryId));
  };

  const enqueue = async (deliveryId: string, push: PushJobPayload): Promise<void> => {
    admit(deliveryId, () => runPushJob(deps, deliveryId, push), "push");
  };
  const enqueuePullRequest = async (deliveryId: string, pr: PullRequestJobPayload): Promise<void> => {
    admit(deliveryId, () => runPullRequestJob(deps, deliveryId, pr), "pull request");
  };

  return {
    enqueue,
    enqueuePullRequest,
    async resume() {
      const jobs = await store.unfinishedJobs();
      for (const j of jobs) {
        if (j.delivery.event === "pull_request") {
          if (j.delivery.pullRequest) await enqueuePullRequest(j.deliveryId, j.delivery.pullRequest);
        } else await enqueue(j.deliveryId, j.delivery.payload);
      }
      if (jobs.length > 0) log.info({ jobs: jobs.length }, "resuming unfinished push jobs");
      return jobs.length;
    },
    onIdle: () => queue.onIdle(),
    async stop(graceMs = 0) {
      // Queued jobs stay queued in the store, for the next start.
      queue.pause();
      if (graceMs > 0) await settlesWithin(queue.onPendingZero(), graceMs);
    },
  };
}
