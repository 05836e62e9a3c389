// The job queue: push jobs run here, after the webhook has been answered. Every job is in the store
// before it is queued, so a crash or restart loses nothing: resume() queues what was left unfinished.
import PQueue from "p-queue";
import type { PushJobPayload, Store } from "../store/types.js";
import type { PushJob, PushSummary, WorkerLog } from "./worker.js";

/**
 * Pushes scanned at once. Each push already reads 4 commits at a time (sources/push.ts), and
 * GitHub's secondary limits count concurrent requests per installation: 2 pushes × 4 stays well
 * under the 100 concurrent requests GitHub allows ("About secondary rate limits").
 */
export const JOB_CONCURRENCY = 2;

export interface JobRunnerDeps {
  store: Store;
  log: WorkerLog;
  /** Runs one push (the worker with an installation's Octokit). */
  process: (job: PushJob) => Promise<PushSummary>;
  concurrency?: number;
}

export interface JobRunner {
  /** Queues a recorded delivery's job; returns at once. */
  enqueue(deliveryId: string, push: PushJobPayload): void;
  /** True while a job for this (repository, after) is queued or running in this process. */
  inFlight(repository: string, after: string): boolean;
  /** Queues every job the store says is unfinished (queued, or running when the process stopped). */
  resume(): number;
  /** Resolves when every queued job has finished. */
  onIdle(): Promise<void>;
  /** Stops taking queued jobs (they stay queued in the store, for the next start). */
  pause(): void;
}

const pushKey = (repository: string, after: string): string => `${repository}\0${after}`;

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { store, log } = deps;
  const queue = new PQueue({ concurrency: deps.concurrency ?? JOB_CONCURRENCY });
  const inFlight = new Map<string, number>();
  const queuedIds = new Set<string>();

  const run = async (deliveryId: string, push: PushJobPayload, key: string): Promise<void> => {
    const repository = `${push.owner}/${push.repo}`;
    try {
      // Another delivery of the same push may have finished it while this one waited.
      if (store.isPushProcessed(repository, push.after)) {
        store.startJob(deliveryId);
        store.finishJob(deliveryId, { status: "done" });
        log.info({ deliveryId, repository, after: push.after }, "push already processed: skipped");
        return;
      }
      const job = store.startJob(deliveryId);
      let summary: PushSummary;
      try {
        summary = await deps.process({ deliveryId, push, attempt: job.attempts });
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        store.finishJob(deliveryId, { status: "failed", error: msg });
        log.error({ deliveryId, repository, after: push.after, err: msg }, "push job failed");
        return;
      }
      store.finishJob(
        deliveryId,
        summary.errors.length > 0 ? { status: "failed", error: summary.errors.join("\n") } : { status: "done" },
      );
      if (summary.skipped) {
        log.info({ deliveryId, repository, skipped: summary.skipped }, "push skipped");
        return;
      }
      log.info(
        {
          deliveryId,
          repository,
          after: push.after,
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
        "push scanned",
      );
      if (summary.errors.length > 0) log.warn({ deliveryId, repository, errors: summary.errors }, "push reported with errors");
    } finally {
      queuedIds.delete(deliveryId);
      const n = (inFlight.get(key) ?? 1) - 1;
      if (n <= 0) inFlight.delete(key);
      else inFlight.set(key, n);
    }
  };

  const enqueue = (deliveryId: string, push: PushJobPayload): void => {
    if (queuedIds.has(deliveryId)) return;
    queuedIds.add(deliveryId);
    const key = pushKey(`${push.owner}/${push.repo}`, push.after);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    // run() handles its own errors; the catch only guards against a store failure escaping.
    void queue.add(() => run(deliveryId, push, key)).catch((error: unknown) => {
      log.error({ deliveryId, err: error instanceof Error ? error.message : String(error) }, "push job crashed");
    });
  };

  return {
    enqueue,
    inFlight: (repository, after) => inFlight.has(pushKey(repository, after)),
    resume() {
      const jobs = store.unfinishedJobs();
      for (const j of jobs) enqueue(j.deliveryId, j.delivery.payload);
      if (jobs.length > 0) log.info({ jobs: jobs.length }, "resuming unfinished push jobs");
      return jobs.length;
    },
    onIdle: () => queue.onIdle(),
    pause: () => queue.pause(),
  };
}
