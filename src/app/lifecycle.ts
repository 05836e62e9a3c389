// Wires the re-check scheduler (src/lifecycle/recheck.ts) into the app: a secret handed to a
// rotator gets its re-check series, and the scheduler's timer runs while the app runs.
import { createRecheckScheduler, type RecheckSchedulerDeps } from "../lifecycle/recheck.js";
import type { Store } from "../store/types.js";
import type { Verifier } from "../verify/types.js";
import type { createContentQueues } from "./content-queue.js";
import type { GitHubClient } from "../github/client.js";
import type { RotationScheduler, WorkerLog } from "./worker.js";

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
    const scheduler = createRecheckScheduler({
      store: context.store,
      verifier: options.verifier,
      octokitFor: async (repository) => await context.octokitForRepository(repository),
      now,
      log: { info: (m) => context.log.info({}, m), warn: (m) => context.log.warn({}, m) },
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.setTimeout ? { setTimeout: options.setTimeout } : {}),
      ...(options.clearTimeout ? { clearTimeout: options.clearTimeout } : {}),
    });
    return {
      async schedule(fingerprint) {
        await scheduler.scheduleAfterRotation(fingerprint, now());
      },
      start: () => scheduler.start(),
      stop: () => scheduler.stop(),
    };
  };
}
