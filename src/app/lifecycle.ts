// Wires the re-check scheduler (src/lifecycle/recheck.ts) into the app: a secret handed to a
// rotator gets its re-check series, and the scheduler's timer runs while the app runs.
import { createRecheckScheduler, type RecheckSchedulerDeps } from "../lifecycle/recheck.js";
import type { Store } from "../store/types.js";
import type { Verifier } from "../verify/types.js";
import type { createContentQueues } from "./content-queue.js";
import type { GitHubClient } from "../github/client.js";
import type { RotationScheduler, WorkerLog } from "./worker.js";
import { sendRecheck, workRechecks, type PgBossQueue } from "./pg-boss-queue.js";

/**
 * A delayed job fires at its startAfter by the database's clock; a worker's clock may be a little
 * behind, so a re-check due within this margin counts as due (a re-check a minute early is harmless).
 */
export const RECHECK_CLOCK_SKEW_MS = 60_000;
/** Re-check jobs run at once per worker: each reads a file or two from GitHub and asks Crisp once. */
const RECHECK_CONCURRENCY = 1;

/** What the app hands a rotation lifecycle when it starts. */
export interface LifecycleContext {
  store: Store;
  verifier: Verifier;
  log: WorkerLog;
  /** An installation's Octokit. */
  octokitFor: (installationId: number) => Promise<GitHubClient>;
  /** The Octokit of the installation that covers "owner/repo". */
  octokitForRepository: (repository: string) => Promise<GitHubClient>;
  content: ReturnType<typeof createContentQueues>;
  /** False on the web role: re-checks are scheduled here but run by the workers. */
  runsJobs?: boolean;
  /** The shared queue (Postgres): re-checks become its delayed jobs instead of this process's timer. */
  queue?: PgBossQueue | null;
}

/** A rotation lifecycle: re-checks scheduled after a rotation, run by its own timer. */
export interface Lifecycle extends RotationScheduler {
  start(): void;
  stop(): void | Promise<void>;
}

export interface RecheckLifecycleOptions {
  /** A verifier that answers fresh (no cache): a re-check must ask Crisp again. */
  verifier: Verifier;
  now?: () => Date;
  pollIntervalMs?: number;
  setTimeout?: RecheckSchedulerDeps["setTimeout"];
  clearTimeout?: RecheckSchedulerDeps["clearTimeout"];
}

/** A lifecycle factory for createApp: re-checks after rotation, by the scheduler's own timer. */
export function recheckLifecycle(options: RecheckLifecycleOptions): (context: LifecycleContext) => Lifecycle {
  return (context) => {
    const now = options.now ?? (() => new Date());
    const queue = context.queue ?? null;
    const scheduler = createRecheckScheduler({
      store: context.store,
      verifier: options.verifier,
      octokitFor: async (repository) => await context.octokitForRepository(repository),
      now,
      log: { info: (m) => context.log.info({}, m), warn: (m) => context.log.warn({}, m) },
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.setTimeout ? { setTimeout: options.setTimeout } : {}),
      ...(options.clearTimeout ? { clearTimeout: options.clearTimeout } : {}),
      ...(queue ? { afterSchedule: (fingerprint: string, dueAt: Date) => sendRecheck(queue, fingerprint, dueAt) } : {}),
    });
    return {
      async schedule(fingerprint) {
        await scheduler.scheduleAfterRotation(fingerprint, now());
      },
      start() {
        if (context.runsJobs === false) return;
        // With the shared queue each re-check is a delayed job, run when due by whichever worker
        // takes it. The poll stays as the safety net (a job that could not be sent, one that fired
        // early by this host's clock): every attempt runs under its secret's lock, once.
        if (queue) {
          void workRechecks(queue, RECHECK_CONCURRENCY, async (fingerprint) => {
            await scheduler.runDueOf(fingerprint, RECHECK_CLOCK_SKEW_MS);
          }).catch((error: unknown) => context.log.warn({ err: String(error) }, "re-check jobs could not start"));
        }
        scheduler.start();
      },
      stop: () => scheduler.stop(),
    };
  };
}
