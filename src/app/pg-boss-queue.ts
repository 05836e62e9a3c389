// The durable queue on Postgres (DATABASE_URL): pg-boss 10 carries push and pull_request jobs and
// delayed re-checks to any number of worker processes (SKIP LOCKED fetches, retries, expiry of the
// jobs of a worker that died). pg-boss 10 is the last major that runs on Node 20. A job carries only
// its delivery id or a fingerprint: the payload is in the store, and never a key anywhere.
import PgBoss from "pg-boss";
import { BACKFILL_CONCURRENCY, type JobQueue } from "./jobs.js";
import { runDeliveryJob, type JobRunDeps } from "./job-run.js";
import type { WorkerLog } from "./worker.js";

export const JOB_QUEUE = "crisp-guard-jobs";
export const RECHECK_QUEUE = "crisp-guard-rechecks";
/** Backfills have a queue of their own: a worker takes BACKFILL_CONCURRENCY of them, beside its pushes. */
export const BACKFILL_QUEUE = "crisp-guard-backfills";

/**
 * A backfill may run this long before pg-boss hands it to another worker: a clone and history scan
 * of a repository at the size limit takes minutes (BACKFILL_CLONE_TIMEOUT_MS bounds the clone alone
 * to 30), so a live worker must not be overtaken; a job overtaken anyway waits on its repository's lock.
 */
export const BACKFILL_EXPIRE_SECONDS = 60 * 60;

/**
 * How long a job may run before pg-boss takes it from its worker and hands it to another (the worker
 * died or hangs). pg-boss' own default; a push of 2048 commits scans in well under a minute, so a live
 * worker is not overtaken, and a second hand-over waits on the push's lock anyway (job-run.ts).
 */
export const DEFAULT_JOB_EXPIRE_SECONDS = 15 * 60;
/**
 * Runs after the first: after an expiry (worker died) or a store failure. A scan's own errors end the
 * job as failed in the store, not here; 3 covers a worker restart or two without looping for ever.
 */
export const JOB_RETRY_LIMIT = 3;
export const JOB_RETRY_DELAY_SECONDS = 5;
/** How often an idle worker asks for a job: the latency a push waits in the queue, at most. */
export const JOB_POLL_SECONDS = 1;
/** pg-boss' own default schema. */
const DEFAULT_BOSS_SCHEMA = "pgboss";
/** pg-boss' own connections per process: its polls and sends are single short statements. */
const BOSS_POOL_SIZE = 4;
/** pg-boss checks for expired jobs this often by default (2 min): never slower than a quarter of the expiry. */
const MAX_MAINTENANCE_SECONDS = 120;

export interface PgBossQueueOptions {
  expireInSeconds?: number;
  pollingIntervalSeconds?: number;
  /** pg-boss' schema in the database; default its own, "pgboss" (tests give each test its own). */
  schema?: string;
  log: WorkerLog;
}

export interface PgBossQueue {
  boss: PgBoss;
  pollingIntervalSeconds: number;
  expireInSeconds: number;
  /** pg-boss' schema, for the sweep's look at which deliveries its jobs still carry. */
  schema: string;
  /** Stops taking jobs, waits at most `graceMs` for the running ones, fails (releases) the rest, closes the pool. */
  stop(graceMs: number): Promise<void>;
}

/** pg-boss hands some errors on as plain objects with a message. */
function errorText(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

/**
 * How often a worker looks for jobs the store holds as unfinished that no queued job may carry any
 * more (a web process died between recording a job and queueing it; pg-boss gave up on one): each is
 * sent again. A job still carried runs once anyway (job-run.ts), so a second hand-over is harmless.
 */
export const STALE_SWEEP_MS = 10 * 60 * 1000;
/** Past its expiry by this much, an unfinished job is stale: pg-boss would have handed it on by now. */
const STALE_MARGIN_MS = 60_000;

/** Starts pg-boss on the database (creating or migrating its schema under its own lock) and its queues. */
export async function openPgBossQueue(databaseUrl: string, options: PgBossQueueOptions): Promise<PgBossQueue> {
  const expireInSeconds = options.expireInSeconds ?? DEFAULT_JOB_EXPIRE_SECONDS;
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: BOSS_POOL_SIZE,
    application_name: "crisp-guard-queue",
    ...(options.schema ? { schema: options.schema } : {}),
    expireInSeconds,
    maintenanceIntervalSeconds: Math.max(1, Math.min(MAX_MAINTENANCE_SECONDS, Math.floor(expireInSeconds / 4))),
    // Crisp Guard schedules nothing by cron: the clock checks only cost queries.
    schedule: false,
  });
  // pg's errors name hosts and statements, never the password; one line each, not a crash.
  boss.on("error", (error) => options.log.warn({ err: errorText(error) }, "job queue error"));
  await boss.start();
  const settings = { retryLimit: JOB_RETRY_LIMIT, retryDelay: JOB_RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds };
  const queues = [
    { name: JOB_QUEUE, ...settings },
    { name: RECHECK_QUEUE, ...settings },
    { name: BACKFILL_QUEUE, ...settings, expireInSeconds: Math.max(expireInSeconds, BACKFILL_EXPIRE_SECONDS) },
  ];
  for (const q of queues) {
    await boss.createQueue(q.name, q);
    // A queue made by an earlier start keeps its settings: this start's expiry applies from now on.
    await boss.updateQueue(q.name, q);
  }
  return {
    boss,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? JOB_POLL_SECONDS,
    expireInSeconds,
    schema: options.schema ?? DEFAULT_BOSS_SCHEMA,
    stop: (graceMs) => boss.stop({ graceful: true, wait: true, close: true, timeout: graceMs }),
  };
}

export interface PgBossJobQueueDeps extends JobRunDeps {
  queue: PgBossQueue;
  /** Jobs run at once in this process (one pg-boss worker loop each). */
  concurrency: number;
  /** Backfills run at once in this process, beside the other jobs (default BACKFILL_CONCURRENCY). */
  backfillConcurrency?: number;
  /** False on the web role: it sends jobs and runs none. */
  work: boolean;
}

/** The push and pull_request jobs on pg-boss. start() begins taking jobs (worker role). */
export function createPgBossJobQueue(deps: PgBossJobQueueDeps): JobQueue & { start(): Promise<void> } {
  const { queue, store, log } = deps;
  const { boss } = queue;
  const now = deps.now ?? Date.now;
  let running = 0;
  let sweeper: NodeJS.Timeout | null = null;

  const send = async (deliveryId: string, name: string = JOB_QUEUE): Promise<void> => {
    const id = await boss.send(name, { deliveryId });
    if (id === null) throw new Error(`the job queue did not take delivery ${deliveryId}`);
  };

  const handle = async (job: PgBoss.JobWithMetadata<{ deliveryId: string }>): Promise<void> => {
    const { deliveryId } = job.data;
    try {
      const delivery = await store.getDelivery(deliveryId);
      if (!delivery) {
        log.warn({ deliveryId }, "queued job names no recorded delivery: dropped");
        return;
      }
      await runDeliveryJob(deps, delivery);
    } catch (error) {
      // pg-boss runs it again (the store failed, a lock connection timed out); after the last try the
      // job is failed in the store too, so the operator's redelivery can queue it again.
      if (job.retryCount >= job.retryLimit) {
        await store.finishJob(deliveryId, { status: "failed", error: `gave up after ${job.retryCount + 1} tries: ${errorText(error)}` }).catch(() => {});
      }
      log.warn({ deliveryId, try: job.retryCount + 1, err: errorText(error) }, "queued job failed: retried later");
      throw error;
    }
  };

  /** Sends again every unfinished job the queue should have handed on by now. */
  const sweep = async (): Promise<number> => {
    const backfillExpiry = Math.max(queue.expireInSeconds, BACKFILL_EXPIRE_SECONDS);
    const old = (await store.unfinishedJobs()).filter((j) => {
      const expiry = j.delivery.event === "backfill" ? backfillExpiry : queue.expireInSeconds;
      return now() - Date.parse(j.status === "running" && j.startedAt ? j.startedAt : j.enqueuedAt) > expiry * 1000 + STALE_MARGIN_MS;
    });
    if (old.length === 0) return 0;
    const { rows } = await boss.getDb().executeSql(
      `SELECT DISTINCT data->>'deliveryId' AS id FROM ${queue.schema}.job WHERE name = ANY($1) AND state < 'completed'`,
      [[JOB_QUEUE, BACKFILL_QUEUE]],
    );
    const carried = new Set((rows as Array<{ id: string | null }>).map((r) => r.id));
    const stale = old.filter((j) => !carried.has(j.deliveryId));
    for (const j of stale) await send(j.deliveryId, j.delivery.event === "backfill" ? BACKFILL_QUEUE : JOB_QUEUE);
    if (stale.length > 0) log.warn({ jobs: stale.length }, "unfinished jobs no worker had: queued again");
    return stale.length;
  };

  const work = (name: string, concurrency: number) =>
    workEach<{ deliveryId: string }>(queue, name, concurrency, async (job) => {
      running++;
      try {
        await handle(job);
      } finally {
        running--;
      }
    });

  return {
    enqueue: (deliveryId) => send(deliveryId),
    enqueuePullRequest: (deliveryId) => send(deliveryId),
    enqueueInstallation: (deliveryId) => send(deliveryId),
    enqueueBackfill: (deliveryId) => send(deliveryId, BACKFILL_QUEUE),
    resume: () => sweep(),
    async start() {
      if (!deps.work) return;
      await work(JOB_QUEUE, deps.concurrency);
      await work(BACKFILL_QUEUE, deps.backfillConcurrency ?? BACKFILL_CONCURRENCY);
      sweeper = setInterval(() => {
        sweep().catch((error: unknown) => log.warn({ err: errorText(error) }, "stale job sweep failed"));
      }, STALE_SWEEP_MS);
      sweeper.unref();
    },
    async onIdle() {
      // Idle: nothing queued for any worker, nothing running here (tests and benchmarks wait on it).
      for (;;) {
        if (
          running === 0 &&
          (await boss.getQueueSize(JOB_QUEUE, { before: "completed" })) === 0 &&
          (await boss.getQueueSize(BACKFILL_QUEUE, { before: "completed" })) === 0
        ) {
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(graceMs = 0) {
      if (sweeper) clearInterval(sweeper);
      await queue.stop(graceMs);
    },
  };
}

/** The delayed re-check job of a secret: due at `dueAt` wherever a worker runs. */
export async function sendRecheck(queue: PgBossQueue, fingerprint: string, dueAt: Date): Promise<void> {
  const id = await queue.boss.send(RECHECK_QUEUE, { fingerprint }, { startAfter: dueAt });
  if (id === null) throw new Error("the job queue did not take the re-check");
}

/** Runs `run(fingerprint)` for each re-check job, in this process, `concurrency` at a time. */
export function workRechecks(queue: PgBossQueue, concurrency: number, run: (fingerprint: string) => Promise<void>): Promise<void> {
  return workEach<{ fingerprint: string }>(queue, RECHECK_QUEUE, concurrency, (job) => run(job.data.fingerprint));
}

/** Takes the queue's jobs one at a time in each of `concurrency` pg-boss worker loops. */
async function workEach<T extends object>(
  queue: PgBossQueue,
  name: string,
  concurrency: number,
  handle: (job: PgBoss.JobWithMetadata<T>) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < concurrency; i++) {
    let workerId: string | null = null;
    workerId = await queue.boss.work<T>(
      name,
      { batchSize: 1, pollingIntervalSeconds: queue.pollingIntervalSeconds, includeMetadata: true },
      async (jobs) => {
        try {
          for (const job of jobs) await handle(job);
        } finally {
          // pg-boss would wait out the rest of its polling interval even with jobs waiting (one job
          // a second per loop): after a job, look for the next at once; an empty fetch waits as usual.
          if (workerId !== null) queue.boss.notifyWorker(workerId);
        }
      },
    );
  }
}
