import { runPipeline } from "../pipeline.js";
import { pathMatcher } from "../repo-config.js";
import { reportCheckRunOnce } from "../report/check-run-once.js";
import { postCommitComments } from "../report/github.js";
import { checkRunOutput, knownTier } from "../report/github-text.js";
import { createRotators, rotateChoice, serializeContentRotators, RotatorSelectionError, } from "../rotate/index.js";
import { runRotatorsOnce } from "../rotate/attempts.js";
import { startsRechecks } from "../rotate/lifecycle.js";
import { advanceSecretState, shouldRotateStored } from "../rotate/lifecycle-store.js";
import { scanPush } from "../sources/push.js";
import { sharedScanPool } from "../sources/scan-pool.js";
import { loadRepoConfig } from "./repo-config-loader.js";
import { withIncompleteScan } from "./report-notes.js";
import { completelyScannedCommits } from "./scanned-commits.js";
import { VERSION } from "../version.js";
/** DESIGN.md: with no server config, the only rotator is `noop` (nothing leaves the app). */
export const NO_SERVER_CONFIG = Object.freeze({
    rotators: {},
    defaults: { rotate: { when: "live", rotators: ["noop"] } },
});
function message(error) {
    return error instanceof Error ? error.message : String(error);
}
/** The rotators for this repository: its choice among what the server enables, else the server default. */
export function chooseRotators(deps, choice, octokit, pushed) {
    // The github-issue rotator may open its issue in a security repository of another installation:
    // it gets that repository's installation token, not the pushing one's.
    const octokitFor = async (target) => {
        const same = target.owner.toLowerCase() === pushed.owner.toLowerCase() && target.repo.toLowerCase() === pushed.repo.toLowerCase();
        return same || !deps.octokitForRepository ? octokit : deps.octokitForRepository(`${target.owner}/${target.repo}`);
    };
    const rotatorDeps = { octokitFor, githubUrl: deps.githubUrl };
    // A repository that says nothing gets the operator's defaults, `when` included.
    const chosen = rotateChoice(deps.serverConfig, {
        ...(choice.when ? { when: choice.when } : {}),
        ...(choice.rotators ? { rotators: choice.rotators } : {}),
    });
    try {
        return { when: chosen.when, rotators: createRotators(deps.serverConfig, chosen.rotators, rotatorDeps), error: null };
    }
    catch (error) {
        if (!(error instanceof RotatorSelectionError))
            throw error;
        // The repository asked for what the operator did not enable: say so, use the server's default list.
        const fallback = rotateChoice(deps.serverConfig, { when: chosen.when });
        return {
            when: fallback.when,
            rotators: createRotators(deps.serverConfig, fallback.rotators, rotatorDeps),
            error: `rotate.rotators: ${error.message}; the server's default rotators were used`,
        };
    }
}
/** Records what the pipeline found and did; returns the secrets whose re-checks should start now. */
export async function recordFindings(store, repository, findings, rotatedNow) {
    const scheduled = [];
    for (const f of findings) {
        // The store holds fingerprints and redacted halves only (it refuses anything else).
        await store.upsertSecret({
            fingerprint: f.fingerprint,
            redactedIdentifier: f.keypair.redactedIdentifier,
            keyHint: f.keypair.keyHint,
            tier: knownTier(f),
            websiteId: f.websiteId,
        });
        for (const o of f.occurrences) {
            await store.addOccurrence(f.fingerprint, {
                repository,
                ...(o.commit ? { commit: o.commit } : {}),
                path: o.path,
                line: o.line,
                column: o.column,
                encoding: o.encoding,
                ...(o.author ? { author: o.author } : {}),
                ...(o.date ? { date: o.date } : {}),
            });
        }
        if (f.verification.status !== "unverified") {
            await store.recordVerification(f.fingerprint, f.verification);
            await advanceSecretState(store, f.fingerprint, { type: "verified", status: f.verification.status });
        }
        if (!rotatedNow.has(f.fingerprint))
            continue;
        for (const r of f.rotations) {
            await store.recordRotation(f.fingerprint, r);
            await advanceSecretState(store, f.fingerprint, { type: "rotation", status: r.status });
        }
        if (f.rotations.some((r) => startsRechecks(r.status)))
            scheduled.push(f.fingerprint);
    }
    return scheduled;
}
/** Drops the occurrences in commits that already carry our comment for that secret (recorded in the store). */
async function notYetCommented(store, repository, findings) {
    const out = [];
    for (const f of findings) {
        const done = new Set((await store.commentsOf(f.fingerprint)).filter((c) => c.repository === repository).map((c) => c.commit));
        const occurrences = f.occurrences.filter((o) => o.commit && !done.has(o.commit));
        if (occurrences.length > 0)
            out.push({ ...f, occurrences });
    }
    return out;
}
/**
 * The pipeline's rotation step for a job: a secret is rotated once, not per push or pull request
 * (later sightings show what was already done), and the fingerprints rotated now are added to
 * `rotatedNow`.
 */
export function rotateOnce(deps, installationId, selection, rotatedNow) {
    return {
        when: selection.when,
        run: async (leak) => {
            if (!(await shouldRotateStored(deps.store, leak.fingerprint, leak.verification.status, selection.when))) {
                return (await deps.store.rotationsOf(leak.fingerprint)).map(({ recordedAt: _at, ...r }) => r);
            }
            // github-issue creates content: serialized with the installation's other writes, while the
            // other rotators of different leaks run side by side. Each rotator's intent is in the store
            // first, so a crash mid-rotation resumes the same attempt.
            const rotators = serializeContentRotators(selection.rotators, (task) => deps.content.run(installationId, task));
            const records = await runRotatorsOnce(deps.store, rotators, leak);
            rotatedNow.add(leak.fingerprint);
            return records;
        },
    };
}
/**
 * How a job scans files: off the event loop that answers webhooks, in the worker-thread pool with a
 * time budget per file, unless a test or benchmark gives its own detector or scanner.
 */
export function scanOptions(scan) {
    const inProcess = scan?.detect !== undefined || scan?.mayContainKeypair !== undefined;
    return { ...scan, scanFile: scan?.scanFile ?? (inProcess ? undefined : sharedScanPool().scanFile) };
}
/** Scans one push end to end. Throws on GitHub read errors (the job fails); write errors are in `errors`. */
export async function processPush(octokit, job, deps) {
    const now = deps.now ?? Date.now;
    const started = now();
    const { push, deliveryId } = job;
    const repoRef = { owner: push.owner, repo: push.repo };
    const repository = `${push.owner}/${push.repo}`;
    const summary = {
        repository, after: push.after, skipped: null, commits: 0, files: 0, findings: 0, live: 0, rotated: 0,
        comments: 0, checkRunId: null, configError: null, errors: [], ms: 0,
    };
    const loaded = await loadRepoConfig(octokit, repoRef);
    const config = loaded.config;
    const configErrors = loaded.error ? [loaded.error] : [];
    const scan = await scanPush(octokit, repoRef, {
        ref: push.ref,
        before: push.before,
        after: push.after,
        created: push.created,
        deleted: push.deleted,
        forced: push.forced,
        commits: push.commits,
        defaultBranch: push.defaultBranch,
    }, { ...scanOptions(deps.scan), pathsIgnore: pathMatcher(config.pathsIgnore) });
    summary.commits = scan.stats.commits;
    summary.files = scan.stats.filesScanned;
    if (scan.skipped) {
        summary.skipped = scan.skipped;
        summary.ms = now() - started;
        return summary;
    }
    const selection = chooseRotators(deps, config.rotate, octokit, repoRef);
    if (selection.error)
        configErrors.push(selection.error);
    summary.configError = configErrors.length > 0 ? configErrors.join("\n") : null;
    const rotatedNow = new Set();
    const result = await runPipeline({ candidates: scan.candidates, websiteIds: scan.websiteIds }, {
        verifier: config.verify ? deps.verifier : undefined,
        allow: new Map(config.allow.map((a) => [a.fingerprint, a.reason])),
        repository: repoRef,
        pusher: push.pusher,
        rotate: rotateOnce(deps, push.installationId, selection, rotatedNow),
    });
    const findings = result.findings;
    summary.findings = findings.length;
    summary.live = findings.filter((f) => f.verification.status === "live").length;
    summary.rotated = rotatedNow.size;
    const toSchedule = await recordFindings(deps.store, repository, findings, rotatedNow);
    // After the findings: a commit listed here is one whose findings the store holds in full.
    await deps.store.recordScannedCommits(repository, completelyScannedCommits(scan, result.suppressed), VERSION);
    for (const fingerprint of toSchedule) {
        try {
            await deps.lifecycle?.schedule(fingerprint);
        }
        catch (error) {
            deps.log.error({ deliveryId, repository, fingerprint, err: message(error) }, "re-check could not be scheduled");
        }
    }
    if (config.report.commitComment) {
        const pending = await notYetCommented(deps.store, repository, findings);
        if (pending.length > 0) {
            const posted = await deps.content.run(push.installationId, () => postCommitComments(octokit, repoRef, pending, scan.diffPositions, { skipExisting: job.attempt > 1 }));
            for (const c of [...posted.posted, ...posted.existing]) {
                await deps.store.recordComment({ fingerprint: c.fingerprint, repository, commit: c.commit, commentId: c.commentId });
            }
            summary.comments = posted.posted.length;
            for (const f of posted.failed) {
                summary.errors.push(`commit comment on ${f.commit.slice(0, 12)} failed (${f.status ?? "no status"}): ${f.message}`);
            }
        }
    }
    // A bad config is always explained in a check run, even when the (valid) config turned check runs
    // off; the merge gate's run on the same head explains it too, and then stands alone.
    const gated = (await deps.gateCovers?.(repository, push.after)) === true;
    if ((config.report.checkRun || summary.configError) && !gated) {
        const output = withIncompleteScan(checkRunOutput(findings, summary.configError ? { configError: summary.configError } : {}), scan.incomplete);
        try {
            // external_id = the delivery id: a resumed job finds the run an earlier attempt created.
            const run = await deps.content.run(push.installationId, () => reportCheckRunOnce(octokit, repoRef, push.after, output, { externalId: deliveryId, resumed: job.attempt > 1 }));
            summary.checkRunId = run.checkRunId;
            await deps.store.recordCheckRun({
                repository,
                headSha: push.after,
                checkRunId: run.checkRunId,
                fingerprints: findings.map((f) => f.fingerprint),
            });
        }
        catch (error) {
            const status = error.status;
            summary.errors.push(`check run failed (${typeof status === "number" ? status : "no status"}): ${message(error)}`);
        }
    }
    if (scan.incomplete.length > 0) {
        deps.log.warn({ deliveryId, repository, gaps: scan.incomplete.length }, "push scan incomplete");
    }
    summary.ms = now() - started;
    return summary;
}
//# sourceMappingURL=worker.js.map