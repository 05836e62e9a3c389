// The pg-boss job queue on a real Postgres (CRISP_GUARD_TEST_DATABASE_URL; scripts/test-postgres.sh
// starts one): a worker loop with jobs waiting takes the next at once, instead of waiting out the
// polling interval after every job (which capped a worker at one job a second per loop).
import { afterEach, expect, it } from "vitest";
import { createPgBossJobQueue, JOB_POLL_SECONDS, openPgBossQueue, type PgBossQueue } from "../../src/app/pg-boss-queue.js";
import type { WorkerLog } from "../../src/app/worker.js";
import type { PushJobPayload, Store } from "../../src/store/types.js";
import { describePostgres } from "../helpers/stores.js";

const JOBS = 6;

const quiet: WorkerLog = { info() {}, warn() {}, error() {} };

describePostgres("pg-boss job queue", (database) => {
  let queue: PgBossQueue | null = null;

  afterEach(async () => {
    await queue?.stop(0);
    queue = null;
  });

  it("runs waiting jobs back to back, not one per polling interval", async () => {
    queue = await openPgBossQueue(database().url, { log: quiet });
    const seen: string[] = [];
    // A delivery the store does not know: the job logs it and ends at once, the quickest job there is.
    const store = {
      getDelivery: async (id: string) => {
        seen.push(id);
        return null;
      },
    } as unknown as Store;
    const jobs = createPgBossJobQueue({
      queue,
      store,
      log: quiet,
      process: () => Promise.reject(new Error("no push runs here")),
      concurrency: 1,
      work: true,
    });
    // The pg-boss queue carries only the delivery id: the push is read from the store when the job runs.
    for (let i = 0; i < JOBS; i++) await jobs.enqueue(`delivery-${i}`, {} as PushJobPayload);
    const started = Date.now();
    await jobs.start();
    await jobs.onIdle();
    expect(seen.sort()).toEqual(Array.from({ length: JOBS }, (_, i) => `delivery-${i}`).sort());
    // One loop waiting out its interval after each job would take (JOBS - 1) intervals at least.
    expect(Date.now() - started).toBeLessThan(((JOBS - 1) * JOB_POLL_SECONDS * 1000) / 2);
  }, 30_000);
});
