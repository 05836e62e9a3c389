// GitHub asks integrations to create content (comments, check runs, issues) one request at a time
// per installation, or it answers with secondary rate limits ("Best practices for using the REST
// API": avoid concurrent requests, make content-creating requests serially). One queue of
// concurrency 1 per installation id does that, while different installations go side by side.
// GitHub counts per installation, not per process: with workers sharing a store (Postgres), each
// write also holds the installation's lock in the store, so writes stay serial across workers.
import PQueue from "p-queue";
import type { Store } from "../store/types.js";

/** Serial per installation: GitHub's guidance for content-creating requests. */
export const CONTENT_CONCURRENCY = 1;

export interface ContentQueues {
  /** Runs `task` after every earlier task of the same installation has finished. */
  run<T>(installationId: number | null, task: () => Promise<T>): Promise<T>;
  onIdle(): Promise<void>;
}

export const contentLockName = (installationId: number | null): string => `github-writes:${installationId ?? "none"}`;

export interface ContentQueueOptions {
  /** The store whose lock serializes writes across processes; none: this process only. */
  shared?: Pick<Store, "withLock">;
}

export function createContentQueues(options: ContentQueueOptions = {}): ContentQueues {
  const { shared } = options;
  const queues = new Map<string, PQueue>();
  const queueFor = (installationId: number | null): PQueue => {
    const key = String(installationId ?? "none");
    let q = queues.get(key);
    if (!q) queues.set(key, (q = new PQueue({ concurrency: CONTENT_CONCURRENCY })));
    return q;
  };
  return {
    run<T>(installationId: number | null, task: () => Promise<T>): Promise<T> {
      const serial = shared ? () => shared.withLock(contentLockName(installationId), task) : task;
      return queueFor(installationId).add(serial);
    },
    async onIdle() {
      await Promise.all([...queues.values()].map((q) => q.onIdle()));
    },
  };
}
