// The push webhook handler: thin on purpose. GitHub waits at most 10 s for an answer and never
// redelivers by itself, so the handler only validates, records the delivery, queues the job, and
// returns; the scan runs in the job queue. An invalid payload is the caller's to report (the webhook
// ingress answers it 400 with one log line), so this module never logs one.
import { NULL_SHA } from "../sources/push.js";
import { pickPushPayload } from "../store/push-payload.js";
import type { PushJobPayload, Store } from "../store/types.js";
import type { JobQueue } from "./jobs.js";
import { queueRecorded } from "./queue-recorded.js";
import type { WorkerLog } from "./worker.js";
import { invalidRepoRef, repositoryName } from "../github/repository.js";

export type PushHandlerOutcome =
  | "enqueued"
  /** The same X-GitHub-Delivery again (a manual redelivery). */
  | "duplicate"
  /** A manual redelivery of a push whose job had failed: queued again. */
  | "retried"
  /** Another delivery of the same (repository, after) is done or under way. */
  | "already-processed"
  | "deleted-ref"
  | "invalid";

export type PushHandlerResult =
  | { outcome: Exclude<PushHandlerOutcome, "invalid"> }
  | { outcome: "invalid"; reason: string };

export interface PushEvent {
  /** X-GitHub-Delivery (Probot's context.id). */
  id: string;
  payload: unknown;
}

export interface PushHandlerDeps {
  store: Store;
  jobs: Pick<JobQueue, "enqueue">;
  log: WorkerLog;
}

const SHA = /^[0-9a-f]{40}$/;

/** Why the payload cannot be a push the worker can scan, or null when it can. */
export function invalidPush(push: PushJobPayload): string | null {
  // The names end up in API paths: refuse what GitHub could not have named (`..` would traverse).
  const repository = invalidRepoRef(push);
  if (repository) return repository;
  if (!push.ref.startsWith("refs/")) return "no ref";
  if (!SHA.test(push.after)) return "after is not a commit id";
  if (!SHA.test(push.before)) return "before is not a commit id";
  return null;
}

export async function handlePush(event: PushEvent, deps: PushHandlerDeps): Promise<PushHandlerResult> {
  const { store, jobs, log } = deps;
  const push = pickPushPayload(event.payload);
  const invalid = invalidPush(push);
  if (invalid) return { outcome: "invalid", reason: invalid };
  const repository = repositoryName(push);
  if (push.deleted || push.after === NULL_SHA) {
    log.info({ deliveryId: event.id, repository, ref: push.ref }, "deleted ref: nothing to scan");
    return { outcome: "deleted-ref" };
  }
  const recorded = await store.recordDelivery({
    id: event.id,
    event: "push",
    repository,
    installationId: push.installationId,
    after: push.after,
    payload: event.payload,
  });
  // Done, or under way in any process sharing the store (queued or running).
  const alreadyDone =
    (await store.isPushProcessed(repository, push.after)) || (await store.hasUnfinishedJob("push", repository, push.after));
  if (recorded === "duplicate") {
    // GitHub never redelivers on its own: a redelivery of a failed job is the operator's retry.
    if (!alreadyDone && (await store.requeueFailedJob(event.id))) {
      log.info({ deliveryId: event.id, repository }, "failed job redelivered: queued again");
      await queueRecorded(store, event.id, () => jobs.enqueue(event.id, push));
      return { outcome: "retried" };
    }
    log.info({ deliveryId: event.id, repository }, "delivery already received: ignored");
    return { outcome: "duplicate" };
  }
  if (alreadyDone) {
    log.info({ deliveryId: event.id, repository, after: push.after }, "push already processed: ignored");
    return { outcome: "already-processed" };
  }
  await store.enqueueJob(event.id);
  await queueRecorded(store, event.id, () => jobs.enqueue(event.id, push));
  return { outcome: "enqueued" };
}
