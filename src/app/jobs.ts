// The job queue: push and pull_request (merge gate) jobs run here, after the webhook has been
// answered. Every job is in the store before it is queued, so a crash or restart loses nothing:
// resume() queues what was left unfinished.
import PQueue from "p-queue";
import { repositoryName } from "../github/repository.js";
import type { PullRequestJobPayload, PushJobPayload, Store } from "../store/types.js";
import type { PullRequestJob, PullRequestSummary } from "./pull-request-worker.js";
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
  /** Runs one pull request's merge gate. A job's kind is its delivery's event (push, pull_request). */
  processPullRequest?: (job: PullRequestJob) => Promise<PullRequestSummary>;
  concurrency?: number;
}

export interface JobRunner {
  /** Queues a recorded delivery's job; returns at once. */
  enqueue(deliveryId: string, push: PushJobPayload): void;
  /** True while a job for this (repository, after) is queued or running in this process. */
  inFlight(repository: string, after: string): boolean;
  /** Queues a recorded pull_request delivery's merge-gate job; returns at once. */
  enqueuePullRequest(deliveryId: string, pr: PullRequestJobPayload): void;
  /** True while a merge-gate job for this (repository, head sha) is queued or running in this process. */
  pullRequestInFlight(repository: string, headSha: string): boolean;
  /** Queues every job the store says is unfinished (queued, or running when the process stopped). */
  resume(): Promise<number>;
  /** Resolves when every queued job has finished. */
  onIdle(): Promise<void>;
  /** Stops taking queued jobs (they stay queued in the store, for the next start). */
  pause(): void;
}

const pushKey = (repository: string, after: string): string => `${repository}\0${after}`;
const pullRequestKey = (repository: string, headSha: string): string => `pull_request\0${repository}\0${headSha}`;

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { store, log } = deps;
  const queue = new PQueue({ concurrency: deps.concurrency ?? JOB_CONCURRENCY });
  const inFlight = new Map<string, number>();
  const queuedIds = new Set<string>();

  const run = async (deliveryId: string, push: PushJobPayload, key: string): Promise<void> => {
    const repository = repositoryName(push);
    try {
      // Another delivery of the same push may have finished it while this one waited.
      if (await store.isPushProcessed(repository, push.after)) {
        await store.startJob(deliveryId);
        await store.finishJob(deliveryId, { status: "done" });
        log.info({ deliveryId, repository, after: push.after }, "push already processed: skipped");
        return;
      }
      const job = await store.startJob(deliveryId);
      let summary: PushSummary;
      try {
        summary = await deps.process({ deliveryId, push, attempt: job.attempts });
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        await store.finishJob(deliveryId, { status: "failed", error: msg });
        log.error({ deliveryId, repository, after: push.after, err: msg }, "push job failed");
        return;
      }
      await store.finishJob(
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
      leave(deliveryId, key);
    }
  };

  /** Queues a job once per delivery, counted in flight under `key` until it leaves. */
  const admit = (deliveryId: string, key: string, job: () => Promise<void>, kind: string): void => {
    if (queuedIds.has(deliveryId)) return;
    queuedIds.add(deliveryId);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    // Jobs handle their own errors; the catch only guards against a store failure escaping.
    void queue.add(job).catch((error: unknown) => {
      log.error({ deliveryId, err: error instanceof Error ? error.message : String(error) }, `${kind} job crashed`);
    });
  };

  const leave = (deliveryId: string, key: string): void => {
    queuedIds.delete(deliveryId);
    const n = (inFlight.get(key) ?? 1) - 1;
    if (n <= 0) inFlight.delete(key);
    else inFlight.set(key, n);
  };

  const enqueue = (deliveryId: string, push: PushJobPayload): void => {
    const key = pushKey(repositoryName(push), push.after);
    admit(deliveryId, key, () => run(deliveryId, push, key), "push");
  };

  const runPullRequest = async (deliveryId: string, pr: PullRequestJobPayload, key: string): Promise<void> => {
    const repository = repositoryName(pr);
    const where = { deliveryId, repository, pullRequest: pr.number, head: pr.headSha };
    try {
      // Another delivery for the same head (reopened, a redelivery) may have finished it meanwhile.
      if (await store.isPullRequestProcessed(repository, pr.headSha)) {
        await store.startJob(deliveryId);
        await store.finishJob(deliveryId, { status: "done" });
        log.info(where, "pull request already gated: skipped");
        return;
      }
      const job = await store.startJob(deliveryId);
      if (!deps.processPullRequest) throw new Error("this job runner takes no pull_request jobs");
      let summary: PullRequestSummary;
      try {
        summary = await deps.processPullRequest({ deliveryId, pullRequest: pr, attempt: job.attempts });
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        await store.finishJob(deliveryId, { status: "failed", error: msg });
        log.error({ ...where, err: msg }, "pull request job failed");
        return;
      }
      // A gate that could not decide (Crisp unknown, a GitHub write failed) is failed: a redelivery runs it again.
      await store.finishJob(
        deliveryId,
        summary.errors.length > 0 ? { status: "failed", error: summary.errors.join("\n") } : { status: "done" },
      );
      log.info(
        {
          ...where,
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
        "pull request gated",
      );
      if (summary.errors.length > 0) log.warn({ ...where, errors: summary.errors }, "pull request gate reported with errors");
    } finally {
      leave(deliveryId, key);
    }
  };

  const enqueuePullRequest = (deliveryId: string, pr: PullRequestJobPayload): void => {
    const key = pullRequestKey(repositoryName(pr), pr.headSha);
    admit(deliveryId, key, () => runPullRequest(deliveryId, pr, key), "pull request");
  };

  return {
    enqueue,
    inFlight: (repository, after) => inFlight.has(pushKey(repository, after)),
    enqueuePullRequest,
    pullRequestInFlight: (repository, headSha) => inFlight.has(pullRequestKey(repository, headSha)),
    async resume() {
      const jobs = await store.unfinishedJobs();
      for (const j of jobs) {
        if (j.delivery.event === "pull_request") {
          if (j.delivery.pullRequest) enqueuePullRequest(j.deliveryId, j.delivery.pullRequest);
        } else enqueue(j.deliveryId, j.delivery.payload);
      }
      if (jobs.length > 0) log.info({ jobs: jobs.length }, "resuming unfinished push jobs");
      return jobs.length;
    },
    onIdle: () => queue.onIdle(),
    pause: () => queue.pause(),
  };
}
