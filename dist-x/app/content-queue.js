// GitHub asks integrations to create content (comments, check runs, issues) one request at a time
// per installation, or it answers with secondary rate limits ("Best practices for using the REST
// API": avoid concurrent requests, make content-creating requests serially). One queue of
// concurrency 1 per installation id does that, while different installations go side by side.
import PQueue from "p-queue";
/** Serial per installation: GitHub's guidance for content-creating requests. */
export const CONTENT_CONCURRENCY = 1;
export function createContentQueues() {
    const queues = new Map();
    const queueFor = (installationId) => {
        const key = String(installationId ?? "none");
        let q = queues.get(key);
        if (!q)
            queues.set(key, (q = new PQueue({ concurrency: CONTENT_CONCURRENCY })));
        return q;
    };
    return {
        run(installationId, task) {
            return queueFor(installationId).add(task);
        },
        async onIdle() {
            await Promise.all([...queues.values()].map((q) => q.onIdle()));
        },
    };
}
//# sourceMappingURL=content-queue.js.map