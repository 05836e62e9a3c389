// The push worker: domain code that takes an Octokit and plain data (never a Probot Context), so a
// queued job, a resumed job after a restart, and a benchmark run the same code. It reads the
// repository config, scans what the push added, verifies, rotates, records, and reports.
import type { Finding, RotationRecord } from "../detect/types.js";
import { runPipeline, type PipelineResult } from "../pipeline.js";
import { pathMatcher, type RepoConfig } from "../config/repo-config.js";
import { reportCheckRunOnce } from "../report/check-run-once.js";
import type { GitHubClient } from "../github/client.js";
import { repoRefOf, repositoryName, type RepoRef } from "../github/repository.js";
import { postCommitComments } from "../report/github.js";
import { checkRunOutput, knownTier } from "../report/github-text.js";
import {
  createRotators,
  rotateChoice,
  serializeContentRotators,
  RotatorSelectionError,
  type Rotator,
  type ServerConfig,
} from "../rotate/index.js";
import { runRotatorsOnce } from "../rotate/attempts.js";
import { startsRechecks } from "../lifecycle/states.js";
import type { Leak } from "../rotate/types.js";
import { advanceSecretState, shouldRotateStored } from "../lifecycle/store.js";
import { detect as realDetect, mayContainHalf } from "../detect/index.js";
import type { FetchedCommit, FetchedRepository } from "../sources/git/github-clone.js";
import { scanPush, type PushCandidate, type PushScanOptions, type PushScanResult } from "../sources/push.js";
import { pairPushHalves } from "../sources/push-cross-file.js";
import { scanPushFromGit } from "../sources/push-git.js";
import { choosePushRoute } from "../sources/push-route.js";
import { inProcessScanner } from "../sources/push-file.js";
import { sharedScanPool } from "../sources/scan-pool.js";
import { treeLoneHalves } from "../sources/git/tree-halves.js";
import type { PushJobPayload, Store } from "../store/types.js";
import type { Verifier } from "../verify/types.js";
import type { ContentQueues } from "./content-queue.js";
import { loadRepoConfig } from "./repo-config-loader.js";
import { withIncompleteScan } from "./report-notes.js";
import { completelyScannedCommits } from "./scanned-commits.js";
import { VERSION } from "../version.js";

/** The slice of pino the worker logs through (Probot's app.log fits). */
export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What the rotation lifecycle needs from the worker: a secret whose rotation was just recorded. */
export interface RotationScheduler {
  schedule(fingerprint: string): void | Promise<void>;
}

export interface WorkerDeps {
  store: Store;
  verifier: Verifier;
  serverConfig: ServerConfig;
  content: ContentQueues;
  log: WorkerLog;
  /** The GitHub web address, for links the rotators write. */
  githubUrl?: string;
  /** Milliseconds clock for the timing in the log line. */
  now?: () => number;
  lifecycle?: RotationScheduler;
  /** An installation Octokit for any repository the app is installed on (rotators writing elsewhere). */
  octokitForRepository?: (repository: string) => Promise<GitHubClient>;
  /**
   * True when a pull request's merge gate was queued for this head (it reports, or failed). Both
   * runs are named "Crisp Guard" and a required check follows the latest: a push's run, which covers
   * only the pushed commits, must not land after the gate's and hide a failure in earlier commits.
   */
  gateCovers?: (repository: string, headSha: string) => Promise<boolean>;
  /**
   * Detector, scanner and concurrency overrides (tests, benchmarks). By default files are scanned
   * in the process's worker-thread pool (sources/scan-pool.ts); a given detector runs in-process.
   */
  scan?: Pick<PushScanOptions, "detect" | "mayContainKeypair" | "concurrency" | "maxFileSize" | "scanFile">;
  /**
   * The repository at a commit, fetched with the installation's token (sources/git/github-clone.ts),
   * for pairing a half the push added with its partner in another file. Called only for a push
   * that added a lone labelled half; absent: no cross-file pass.
   */
  repositoryAt?: (octokit: GitHubClient, repo: RepoRef, commit: string) => Promise<FetchedCommit>;
  /**
   * These commits with their whole history, fetched with the installation's token, for scanning a
   * push too big for the REST API from git (sources/push-route.ts). Absent: every push goes through
   * the REST API.
   */
  repositoryCommits?: (octokit: GitHubClient, repo: RepoRef, commits: string[]) => Promise<FetchedRepository>;
}

export interface PushJob {
  deliveryId: string;
  push: PushJobPayload;
  /** 1 on the first run; more when resumed after a crash (comments already posted are then looked up). */
  attempt: number;
}

export interface PushSummary {
  repository: string;
  after: string;
  skipped: "deleted-ref" | null;
  /** How the push was read: commit by commit through the REST API, or from a git fetch of its range. */
  route: "rest" | "git";
  commits: number;
  files: number;
  findings: number;
  live: number;
  rotated: number;
  comments: number;
  checkRunId: number | null;
  configError: string | null;
  /** GitHub writes that failed (comments, check run): the job is marked failed with these. */
  errors: string[];
  ms: number;
}

/** DESIGN.md: with no server config, the only rotator is `noop` (nothing leaves the app). */
export const NO_SERVER_CONFIG: ServerConfig = Object.freeze({
  rotators: {},
  defaults: { rotate: { when: "live", rotators: ["noop"] } },
}) as ServerConfig;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The rotators for this repository: its choice among what the server enables, else the server default. */
export function chooseRotators(
  deps: WorkerDeps,
  choice: { when: ReturnType<typeof rotateChoice>["when"] | null; rotators: string[] | null },
  octokit: GitHubClient,
  pushed: RepoRef,
): { when: ReturnType<typeof rotateChoice>["when"]; rotators: Rotator[]; error: string | null } {
  // The github-issue rotator may open its issue in a security repository of another installation:
  // it gets that repository's installation token, not the pushing one's.
  const octokitFor = async (target: RepoRef): Promise<GitHubClient> => {
    const same = target.owner.toLowerCase() === pushed.owner.toLowerCase() && target.repo.toLowerCase() === pushed.repo.toLowerCase();
    return same || !deps.octokitForRepository ? octokit : deps.octokitForRepository(repositoryName(target));
  };
  const rotatorDeps = { octokitFor, githubUrl: deps.githubUrl };
  // A repository that says nothing gets the operator's defaults, `when` included.
  const chosen = rotateChoice(deps.serverConfig, {
    ...(choice.when ? { when: choice.when } : {}),
    ...(choice.rotators ? { rotators: choice.rotators } : {}),
  });
  try {
    return { when: chosen.when, rotators: createRotators(deps.serverConfig, chosen.rotators, rotatorDeps), error: null };
  } catch (error) {
    if (!(error instanceof RotatorSelectionError)) throw error;
    // The repository asked for what the operator did not enable: say so, use the server's default list.
    const fallback = rotateChoice(deps.serverConfig, { when: chosen.when });
    return {
      when: fallback.when,
      rotators: createRotators(deps.serverConfig, fallback.rotators, rotatorDeps),
      error: `rotate.rotators: ${error.message}; the server's default rotators were used`,
    };
  }
}

/**
 * Starts the re-checks of the secrets rotated now. One that cannot be scheduled is one log line:
 * the findings are recorded, and the re-check poll is the safety net.
 */
export async function scheduleRechecks(deps: Pick<WorkerDeps, "lifecycle" | "log">, fingerprints: readonly string[], where: Record<string, unknown>): Promise<void> {
  for (const fingerprint of fingerprints) {
    try {
      await deps.lifecycle?.schedule(fingerprint);
    } catch (error) {
      deps.log.error({ ...where, fingerprint, err: message(error) }, "re-check could not be scheduled");
    }
  }
}

/** Records what the pipeline found and did; returns the secrets whose re-checks should start now. */
export async function recordFindings(
  store: Store,
  repository: string,
  findings: readonly Finding[],
  rotatedNow: ReadonlySet<string>,
): Promise<string[]> {
  const scheduled: string[] = [];
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
    if (!rotatedNow.has(f.fingerprint)) continue;
    for (const r of f.rotations) {
      await store.recordRotation(f.fingerprint, r);
      await advanceSecretState(store, f.fingerprint, { type: "rotation", status: r.status });
    }
    if (f.rotations.some((r) => startsRechecks(r.status))) scheduled.push(f.fingerprint);
  }
  return scheduled;
}

/** Drops the occurrences in commits that already carry our comment for that secret (recorded in the store). */
async function notYetCommented(store: Store, repository: string, findings: readonly Finding[]): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const f of findings) {
    const done = new Set((await store.commentsOf(f.fingerprint)).filter((c) => c.repository === repository).map((c) => c.commit));
    const occurrences = f.occurrences.filter((o) => o.commit && !done.has(o.commit));
    if (occurrences.length > 0) out.push({ ...f, occurrences });
  }
  return out;
}

export const rotationLockName = (fingerprint: string): string => `rotate:${fingerprint}`;

/**
 * The pipeline's rotation step for a job: a secret is rotated once, not per push or pull request
 * (later sightings show what was already done), and the fingerprints rotated now are added to
 * `rotatedNow`.
 */
export function rotateOnce(
  deps: WorkerDeps,
  installationId: number | null,
  selection: { when: ReturnType<typeof rotateChoice>["when"]; rotators: Rotator[] },
  rotatedNow: Set<string>,
) {
  return {
    when: selection.when,
    // Under the secret's lock in the store: whichever worker meets it first rotates it, and the
    // others find its attempt answered (or, after it, the rotation recorded).
    run: (leak: Leak): Promise<RotationRecord[]> =>
      deps.store.withLock(rotationLockName(leak.fingerprint), async () => {
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
      }),
  };
}

/**
 * How a job scans files: off the event loop that answers webhooks, in the worker-thread pool with a
 * time budget per file, unless a test or benchmark gives its own detector or scanner.
 */
export function scanOptions(scan: WorkerDeps["scan"]): NonNullable<WorkerDeps["scan"]> {
  const inProcess = scan?.detect !== undefined || scan?.mayContainKeypair !== undefined;
  return { ...scan, scanFile: scan?.scanFile ?? (inProcess ? undefined : sharedScanPool().scanFile) };
}

/**
 * The keypairs the push completed across files: only when the push added a lone labelled half
 * (the common push costs nothing more), by fetching the repository at the pushed head and pairing
 * the lone halves of its whole tree. When the fetch fails (no permission, too large, a timeout),
 * one log line says so and the push's ordinary findings are reported as they are.
 */
async function crossFileCandidates(
  octokit: GitHubClient,
  job: PushJob,
  deps: WorkerDeps,
  scan: PushScanResult,
  pathsIgnore: (path: string) => boolean,
): Promise<PushCandidate[]> {
  if (scan.lone.length === 0 || !deps.repositoryAt) return [];
  const { push, deliveryId } = job;
  const repository = repositoryName(push);
  const options = scanOptions(deps.scan);
  // The half prefilter in-process too: the tree's files holding only a key must reach the detector.
  const scanFile = options.scanFile ?? inProcessScanner(options.detect ?? realDetect, mayContainHalf);
  let fetched: FetchedCommit;
  try {
    fetched = await deps.repositoryAt(octokit, repoRefOf(push), push.after);
  } catch (error) {
    deps.log.warn({ deliveryId, repository, lone: scan.lone.length, err: message(error) }, "cross-file pairing skipped: the repository could not be fetched");
    return [];
  }
  try {
    const tree = await treeLoneHalves(fetched.gitDir, fetched.commit, {
      scanFile,
      pathsIgnore,
      maxFileSize: options.maxFileSize,
      missing: fetched.missing,
    });
    const found = pairPushHalves(scan.lone, tree.lone);
    deps.log.info(
      { deliveryId, repository, lone: scan.lone.length, treeFiles: tree.filesScanned, treeNotScanned: tree.notScanned, paired: new Set(found.map((c) => c.fingerprint)).size },
      "cross-file pairing done",
    );
    return found;
  } catch (error) {
    deps.log.warn({ deliveryId, repository, err: message(error) }, "cross-file pairing skipped: the fetched tree could not be read");
    return [];
  } finally {
    await fetched.cleanup();
  }
}

/** Scans one push end to end. Throws on GitHub read errors (the job fails); write errors are in `errors`. */
export async function processPush(octokit: GitHubClient, job: PushJob, deps: WorkerDeps): Promise<PushSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { push } = job;
  const repoRef = repoRefOf(push);
  const summary = emptySummary(push);

  const loaded = await loadRepoConfig(octokit, repoRef);
  const config = loaded.config;
  const pathsIgnore = pathMatcher(config.pathsIgnore);
  const { scan, route } = await scanPushByRoute(octokit, job, deps, pathsIgnore);
  summary.route = route;
  summary.commits = scan.stats.commits;
  summary.files = scan.stats.filesScanned;
  if (scan.skipped) return { ...summary, skipped: scan.skipped, ms: now() - started };

  scan.candidates.push(...(await crossFileCandidates(octokit, job, deps, scan, pathsIgnore)));
  const selection = chooseRotators(deps, config.rotate, octokit, repoRef);
  summary.configError = joinConfigErrors([loaded.error, selection.error]);
  const rotatedNow = new Set<string>();
  const result = await runPushPipeline(scan, config, job, deps, selection, rotatedNow);
  Object.assign(summary, findingCounts(result.findings, rotatedNow));
  await recordPush(deps, job, scan, result, rotatedNow);
  if (config.report.commitComment) {
    const target = { repo: repoRef, installationId: push.installationId, attempt: job.attempt };
    const comments = await commentOnFindings(octokit, target, deps, result.findings, scan.diffPositions);
    summary.comments = comments.posted;
    summary.errors.push(...comments.errors);
  }
  const checkRun = await reportPushCheckRun(octokit, job, deps, config, result.findings, scan.incomplete, summary.configError);
  summary.checkRunId = checkRun.checkRunId;
  summary.errors.push(...checkRun.errors);

  if (scan.incomplete.length > 0) {
    deps.log.warn({ deliveryId: job.deliveryId, repository: summary.repository, gaps: scan.incomplete.length }, "push scan incomplete");
  }
  summary.ms = now() - started;
  return summary;
}

/**
 * The push's scan: from git when it is too big for the REST API (see push-route.ts) and the app
 * can fetch, else through the REST API. When the git path fails (no permission, over a budget, a
 * timeout), one log line says why and the push is scanned through the REST API as a small one is.
 */
async function scanPushByRoute(
  octokit: GitHubClient,
  job: PushJob,
  deps: WorkerDeps,
  pathsIgnore: (path: string) => boolean,
): Promise<{ scan: PushScanResult; route: PushSummary["route"] }> {
  const { push, deliveryId } = job;
  const repoRef = repoRefOf(push);
  const options = scanOptions(deps.scan);
  const decision = choosePushRoute(push);
  if (decision.route === "git" && deps.repositoryCommits) {
    try {
      const scan = await scanPushFromGit(octokit, repoRef, decision, {
        repositoryCommits: deps.repositoryCommits,
        pathsIgnore,
        maxFileSize: options.maxFileSize,
        detect: options.detect,
        mayContainKeypair: options.mayContainKeypair,
      });
      return { scan, route: "git" };
    } catch (error) {
      deps.log.warn(
        { deliveryId, repository: repositoryName(push), commits: push.commits.length, err: message(error) },
        "push scanned through the REST API instead: its range could not be scanned from git",
      );
    }
  }
  // A stored push extends PushInfo: it goes to the scan as it is.
  return { scan: await scanPush(octokit, repoRef, push, { ...options, pathsIgnore }), route: "rest" };
}

/** A push's summary before anything is done. */
function emptySummary(push: PushJob["push"]): PushSummary {
  return {
    repository: repositoryName(push), after: push.after, skipped: null, route: "rest", commits: 0, files: 0, findings: 0, live: 0,
    rotated: 0, comments: 0, checkRunId: null, configError: null, errors: [], ms: 0,
  };
}

/** What was wrong with the config (the repository's file, its rotator choice), one per line; null when nothing. */
export function joinConfigErrors(errors: ReadonlyArray<string | null>): string | null {
  const present = errors.filter((e): e is string => e !== null && e !== "");
  return present.length > 0 ? present.join("\n") : null;
}

/** The pipeline over what the push added: the repository's allow list and verify setting, rotation once per secret. */
function runPushPipeline(
  scan: PushScanResult,
  config: RepoConfig,
  job: PushJob,
  deps: WorkerDeps,
  selection: { when: ReturnType<typeof rotateChoice>["when"]; rotators: Rotator[] },
  rotatedNow: Set<string>,
): Promise<PipelineResult> {
  const { push } = job;
  return runPipeline(
    { candidates: scan.candidates, websiteIds: scan.websiteIds },
    {
      verifier: config.verify ? deps.verifier : undefined,
      allow: new Map(config.allow.map((a) => [a.fingerprint, a.reason])),
      repository: repoRefOf(push),
      pusher: push.pusher,
      rotate: rotateOnce(deps, push.installationId, selection, rotatedNow),
    },
  );
}

/** The summary's counts of what the pipeline found and rotated. */
export function findingCounts(findings: readonly Finding[], rotatedNow: ReadonlySet<string>): Pick<PushSummary, "findings" | "live" | "rotated"> {
  return {
    findings: findings.length,
    live: findings.filter((f) => f.verification.status === "live").length,
    rotated: rotatedNow.size,
  };
}

/**
 * Records the findings, then the commits the scan read in full, then starts the re-checks of the
 * secrets rotated now. A re-check that cannot be scheduled is logged: the findings are recorded.
 */
async function recordPush(deps: WorkerDeps, job: PushJob, scan: PushScanResult, result: PipelineResult, rotatedNow: ReadonlySet<string>): Promise<void> {
  const repository = repositoryName(job.push);
  const toSchedule = await recordFindings(deps.store, repository, result.findings, rotatedNow);
  // After the findings: a commit listed here is one whose findings the store holds in full.
  await deps.store.recordScannedCommits(repository, completelyScannedCommits(scan, result.suppressed), VERSION);
  await scheduleRechecks(deps, toSchedule, { deliveryId: job.deliveryId, repository });
}

/** Where comments go: the repository, its installation (for the write queue), and the job's attempt. */
export interface CommentTarget {
  repo: RepoRef;
  installationId: number | null;
  /** More than 1: an earlier attempt may have posted some; they are looked up first. */
  attempt: number;
}

/**
 * A comment on each commit that introduced a finding and does not carry ours yet, recorded in the
 * store. A resumed job looks up the comments an earlier attempt posted first. Returns how many were
 * posted now, and the failures.
 */
export async function commentOnFindings(
  octokit: GitHubClient,
  target: CommentTarget,
  deps: WorkerDeps,
  findings: readonly Finding[],
  diffPositions: PushScanResult["diffPositions"],
): Promise<{ posted: number; errors: string[] }> {
  const repository = repositoryName(target.repo);
  // Looked up, posted and recorded in one turn of the installation's writes: another job (another
  // push sharing the commit, on another worker) sees the comment recorded rather than posting its own.
  const posted = await deps.content.run(target.installationId, async () => {
    const pending = await notYetCommented(deps.store, repository, findings);
    if (pending.length === 0) return null;
    const result = await postCommitComments(octokit, target.repo, pending, diffPositions, { skipExisting: target.attempt > 1 });
    for (const c of [...result.posted, ...result.existing]) {
      await deps.store.recordComment({ fingerprint: c.fingerprint, repository, commit: c.commit, commentId: c.commentId });
    }
    return result;
  });
  if (!posted) return { posted: 0, errors: [] };
  return {
    posted: posted.posted.length,
    errors: posted.failed.map((f) => `commit comment on ${f.commit.slice(0, 12)} failed (${f.status ?? "no status"}): ${f.message}`),
  };
}

/**
 * Whether a push makes a check run: when the config asks for one, or has an error to explain (even
 * when the valid part turned check runs off), unless a pull request's merge gate reports on the same
 * head. Both runs are named alike and the gate's covers more; it explains a config error too.
 */
export function wantsCheckRun(checkRunOn: boolean, configError: string | null, gated: boolean): boolean {
  return (checkRunOn || Boolean(configError)) && !gated;
}

/**
 * The push's check run on its head (see wantsCheckRun), recorded for the re-check lifecycle.
 * Returns the run's id (null when none) and a failure.
 */
async function reportPushCheckRun(
  octokit: GitHubClient,
  job: PushJob,
  deps: WorkerDeps,
  config: RepoConfig,
  findings: readonly Finding[],
  incomplete: PushScanResult["incomplete"],
  configError: string | null,
): Promise<{ checkRunId: number | null; errors: string[] }> {
  const { push, deliveryId } = job;
  const repoRef = repoRefOf(push);
  const repository = repositoryName(push);
  const gated = (await deps.gateCovers?.(repository, push.after)) === true;
  if (!wantsCheckRun(config.report.checkRun, configError, gated)) return { checkRunId: null, errors: [] };
  const output = withIncompleteScan(checkRunOutput(findings, configError ? { configError } : {}), incomplete);
  // The run's id once it exists, even when recording it then fails.
  let checkRunId: number | null = null;
  try {
    // external_id = the delivery id: a resumed job finds the run an earlier attempt created.
    const run = await deps.content.run(push.installationId, () =>
      reportCheckRunOnce(octokit, repoRef, push.after, output, { externalId: deliveryId, resumed: job.attempt > 1 }),
    );
    checkRunId = run.checkRunId;
    await deps.store.recordCheckRun({
      repository,
      headSha: push.after,
      checkRunId: run.checkRunId,
      fingerprints: findings.map((f) => f.fingerprint),
    });
    return { checkRunId, errors: [] };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return { checkRunId, errors: [`check run failed (${typeof status === "number" ? status : "no status"}): ${message(error)}`] };
  }
}
