// The job queue: push and pull_request (merge gate) jobs run here, after the webhook has been
// answered. Every job is in the store before it is queued, so a crash or restart loses nothing:
// resume() queues what was left unfinished.
import PQueue from "p-queue";
/**
 * Pushes scanned at once. Each push already reads 4 commits at a time (sources/push.ts), and
 * GitHub's secondary limits count concurrent requests per installation: 2 pushes × 4 stays well
 * under the 100 concurrent requests GitHub allows ("About secondary rate limits").
 */
export const JOB_CONCURRENCY = 2;
const pushKey = (repository, after) => `${repository}\0${after}`;
const pullRequestKey = (repository, headSha) => `pull_request\0${repository}\0${headSha}`;
export function createJobRunner(deps) {
    const { store, log } = deps;
    const queue = new PQueue({ concurrency: deps.concurrency ?? JOB_CONCURRENCY });
    const inFlight = new Map();
    const queuedIds = new Set();
    const run = async (deliveryId, push, key) => {
        const repository = `${push.owner}/${push.repo}`;
        try {
            // Another delivery of the same push may have finished it while this one waited.
            if (await store.isPushProcessed(repository, push.after)) {
                await store.startJob(deliveryId);
                await store.finishJob(deliveryId, { status: "done" });
                log.info({ deliveryId, repository, after: push.after }, "push already processed: skipped");
                return;
            }
            const job = await store.startJob(deliveryId);
            let summary;
            try {
                summary = await deps.process({ deliveryId, push, attempt: job.attempts });
            }
            catch (error) {
                const msg = error instanceof Error ? error.message : String(error);
                await store.finishJob(deliveryId, { status: "failed", error: msg });
                log.error({ deliveryId, repository, after: push.after, err: msg }, "push job failed");
                return;
            }
            await store.finishJob(deliveryId, summary.errors.length > 0 ? { status: "failed", error: summary.errors.join("\n") } : { status: "done" });
            if (summary.skipped) {
                log.info({ deliveryId, repository, skipped: summary.skipped }, "push skipped");
                return;
            }
            log.info({
                deliveryId,
                repository,
                after: push.after,
                commits: summary.commits,
                files: summary.files,
                findings: summary.findings,
                live: summary.live,
                rotated: summary.rotated,
                comments: summary.comments,
                configError: summary.configError !== null,
                errors: summary.errors.length,
                ms: summary.ms,
            }, "push scanned");
            if (summary.errors.length > 0)
                log.warn({ deliveryId, repository, errors: summary.errors }, "push reported with errors");
        }
        finally {
            leave(deliveryId, key);
        }
    };
    /** Queues a job once per delivery, counted in flight under `key` until it leaves. */
    const admit = (deliveryId, key, job, kind) => {
        if (queuedIds.has(deliveryId))
            return;
        queuedIds.add(deliveryId);
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        // Jobs handle their own errors; the catch only guards against a store failure escaping.
        void queue.add(job).catch((error) => {
            log.error({ deliveryId, err: error instanceof Error ? error.message : String(error) }, `${kind} job crashed`);
        });
    };
    const leave = (deliveryId, key) => {
        queuedIds.delete(deliveryId);
        const n = (inFlight.get(key) ?? 1) - 1;
        if (n <= 0)
            inFlight.delete(key);
        else
            inFlight.set(key, n);
    };
    const enqueue = (deliveryId, push) => {
        const key = pushKey(`${push.owner}/${push.repo}`, push.after);
        admit(deliveryId, key, () => run(deliveryId, push, key), "push");
    };
    const runPullRequest = async (deliveryId, pr, key) => {
        const repository = `${pr.owner}/${pr.repo}`;
        const where = { deliveryId, repository, pullRequest: pr.number, head: pr.headSha };
        try {
            // Another delivery for the same head (reopened, a redelivery) may have finished it meanwhile.
            if (await store.isPullRequestProcessed(repository, pr.headSha)) {
                await store.startJob(deliveryId);
                await store.finishJob(deliveryId, { status: "done" });
                log.info(where, "pull request already gated: skipped");
                return;
            }
            const job = await store.startJob(deliveryId);
            if (!deps.processPullRequest)
                throw new Error("this job runner takes no pull_request jobs");
            let summary;
            try {
                summary = await deps.processPullRequest({ deliveryId, pullRequest: pr, attempt: job.attempts });
            }
            catch (error) {
                const msg = error instanceof Error ? error.message : String(error);
                await store.finishJob(deliveryId, { status: "failed", error: msg });
                log.error({ ...where, err: msg }, "pull request job failed");
                return;
            }
            // A gate that could not decide (Crisp unknown, a GitHub write failed) is failed: a redelivery runs it again.
            await store.finishJob(deliveryId, summary.errors.length > 0 ? { status: "failed", error: summary.errors.join("\n") } : { status: "done" });
            log.info({
                ...where,
                commits: summary.commits,
                reused: summary.reusedCommits,
                files: summary.files,
                findings: summary.findings,
                live: summary.live,
                rotated: summary.rotated,
                conclusion: summary.conclusion,
                errors: summary.errors.length,
                ms: summary.ms,
            }, "pull request gated");
            if (summary.errors.length > 0)
                log.warn({ ...where, errors: summary.errors }, "pull request gate reported with errors");
        }
        finally {
            leave(deliveryId, key);
        }
    };
    const enqueuePullRequest = (deliveryId, pr) => {
        const key = pullRequestKey(`${pr.owner}/${pr.repo}`, pr.headSha);
        admit(deliveryId, key, () => runPullRequest(deliveryId, pr, key), "pull request");
    };
    return {
        enqueue,
        inFlight: (repository, after) => inFlight.has(pushKey(repository, after)),
        enqueuePullRequest,
        pullRequestInFlight: (repository, headSha) => inFlight.has(pullRequestKey(repository, headSha)),
        async resume() {
            const jobs = await store.unfinishedJobs();
            for (const j of jobs) {
                if (j.delivery.event === "pull_request") {
                    if (j.delivery.pullRequest)
                        enqueuePullRequest(j.deliveryId, j.delivery.pullRequest);
                }
                else
                    enqueue(j.deliveryId, j.delivery.payload);
            }
            if (jobs.length > 0)
                log.info({ jobs: jobs.length }, "resuming unfinished push jobs");
            return jobs.length;
        },
        onIdle: () => queue.onIdle(),
        pause: () => queue.pause(),
    };
}
//# sourceMappingURL=jobs.js.map