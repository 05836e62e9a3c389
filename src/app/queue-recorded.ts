// A job the store holds as queued, handed to the queue: shared by the webhook handlers and the jobs
// that queue other jobs (an installation's backfills).
import type { Store } from "../store/types.js";

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
