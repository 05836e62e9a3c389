// The pull_request webhook handler: thin, like the push handler. It validates, records the delivery,
// queues the merge-gate job and returns; the gate runs in the job queue. Actions other than opened,
// synchronize and reopened change no commit, so they are answered and ignored. An invalid payload is
// the caller's to report (the ingress answers it 400 with one log line).
import { pickPullRequestPayload } from "../store/pull-request-payload.js";
import type { PullRequestJobPayload, Store } from "../store/types.js";
import type { JobQueue } from "./jobs.js";
import { queueRecorded } from "./queue-recorded.js";
import type { WorkerLog } from "./worker.js";
import { invalidRepoRef, repositoryName } from "../github/repository.js";

/** The actions that put new commits (or a new head) under the gate. */
export const GATED_ACTIONS: ReadonlySet<string> = new Set(["opened", "synchronize", "reopened"]);

export type PullRequestHandlerResult =
  | { outcome: "enqueued" | "duplicate" | "retried" | "already-processed" | "ignored-action" }
  | { outcome: "invalid"; reason: string };

export interface PullRequestEvent {
  /** X-GitHub-Delivery. */
  id: string;
  payload: unknown;
}

export interface PullRequestHandlerDeps {
  store: Store;
  jobs: Pick<JobQueue, "enqueuePullRequest">;
  log: WorkerLog;
}

const SHA = /^[0-9a-f]{40}$/;

/** Why the payload cannot be a pull request the gate can check, or null when it can. */
export function invalidPullRequest(pr: PullRequestJobPayload): string | null {
  // The names end up in API paths: refuse what GitHub could not have named (`..` would traverse).
  const repository = invalidRepoRef(pr);
  if (repository) return repository;
  if (!Number.isSafeInteger(pr.number) || pr.number < 1) return "no pull request number";
  if (!SHA.test(pr.baseSha)) return "pull_request.base.sha is not a commit id";
  if (!SHA.test(pr.headSha)) return "pull_request.head.sha is not a commit id";
  return null;
}

export async function handlePullRequest(event: PullRequestEvent, deps: PullRequestHandlerDeps): Promise<PullRequestHandlerResult> {
  const { store, jobs, log } = deps;
  const pr = pickPullRequestPayload(event.payload);
  if (pr.action === "") return { outcome: "invalid", reason: "no action" };
  if (!GATED_ACTIONS.has(pr.action)) return { outcome: "ignored-action" };
  const invalid = invalidPullRequest(pr);
  if (invalid) return { outcome: "invalid", reason: invalid };
  const repository = repositoryName(pr);
  const where = { deliveryId: event.id, repository, pullRequest: pr.number, head: pr.headSha };

  const recorded = await store.recordDelivery({
    id: event.id,
    event: "pull_request",
    repository,
    installationId: pr.installationId,
    after: pr.headSha,
    payload: event.payload,
  });
  const alreadyDone =
    (await store.isPullRequestProcessed(repository, pr.headSha)) ||
    (await store.hasUnfinishedJob("pull_request", repository, pr.headSha));
  if (recorded === "duplicate") {
    // GitHub never redelivers on its own: a redelivery of a failed gate is the operator's retry.
    if (!alreadyDone && (await store.requeueFailedJob(event.id))) {
      log.info(where, "failed pull request job redelivered: queued again");
      await queueRecorded(store, event.id, () => jobs.enqueuePullRequest(event.id, pr));
      return { outcome: "retried" };
    }
    log.info(where, "delivery already received: ignored");
    return { outcome: "duplicate" };
  }
  if (alreadyDone) {
    log.info(where, "pull request head already gated: ignored");
    return { outcome: "already-processed" };
  }
  await store.enqueueJob(event.id);
  await queueRecorded(store, event.id, () => jobs.enqueuePullRequest(event.id, pr));
  return { outcome: "enqueued" };
}
