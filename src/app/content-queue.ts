// GitHub asks integrations to create content (comments, check runs, issues) one request at a time
// per installation, or it answers with secondary rate limits ("Best practices for using the REST
// API": avoid concurrent requests, make content-creating requests serially). One queue of
// concurrency 1 per installation id does that, while different installations go side by side.
import PQueue from "p-queue";

/** Serial per installation: GitHub's guidance for content-creating requests. */
export const CONTENT_CONCURRENCY = 1;

export interface ContentQueues {
  /** Runs `task` after every earlier task of the same installation has finished. */
  run<T>(installationId: number | null, task: () => Promise<T>): Promise<T>;
  onIdle(): Promise<void>;
}

export function createContentQueues(): ContentQueues {
  const queues = new Map<string, PQueue>();
  const queueFor = (installationId: number | null): PQueue => {
    const key = String(installationId ?? "none");
    let q = queues.get(key);
    if (!q) queues.set(key, (q = new PQueue({ concurrency: CONTENT_CONCURRENCY })));
    return q;
  };
  return {
    run<T>(installationId: number | null, task: () => Promise<T>): Promise<T> {
      return queueFor(installationId).add(task);
    },
    async onIdle() {
      await Promise.all([...queues.values()].map((q) => q.onIdle()));
    },
  };
}
