// The backfill worker: one repository's whole history, scanned once. Domain code taking an Octokit
// and plain data, like the push worker. It reads the repository (size, archived, default branch),
// clones every branch and tag bare with the installation token, scans the history with the engine
// `crisp-guard git` uses (each blob once, merges included), removes the clone, and hands the
// findings to the same pipeline as a push: one secret per fingerprint across the organization,
// verified once, rotated once. It reports in one "Crisp Guard: history" check run on the default
// branch's head, and comments on old commits only when the repository asks for it.
import type { Candidate, Finding, Occurrence } from "../detect/types.js";
import { detect } from "../detect/index.js";
import { pathMatcher, type RepoConfig } from "../config/repo-config.js";
import type { GitHubClient } from "../github/client.js";
import { repositoryName, type RepoRef } from "../github/repository.js";
import { runPipeline } from "../pipeline.js";
import { reportCheckRunOnce } from "../report/check-run-once.js";
import { HISTORY_CHECK_RUN_NAME, historyCheckOutput } from "../report/history-check.js";
import { authorName } from "../sources/git/author.js";
import { readObjects } from "../sources/git/inherited.js";
import type { FetchedRepository } from "../sources/git/github-clone.js";
import { runGit } from "../sources/git/process.js";
import type { SourceResult } from "../sources/types.js";
import type { BackfillJobPayload, BackfillResult } from "../store/types.js";
import { loadRepoConfig } from "./repo-config-loader.js";
import { chooseRotators, commentOnFindings, joinConfigErrors, recordFindings, rotateOnce, type WorkerDeps } from "./worker.js";

/**
 * Repositories larger than this (GitHub's `size`, KB of packed objects) are skipped, the reason
 * recorded. GitHub recommends repositories stay under 1 GB and warns past it ("Repository
 * limits"); past that, a clone is a job of many minutes and gigabytes on the worker's disk.
 */
export const BACKFILL_MAX_REPOSITORY_KB = 1024 * 1024;

/**
 * Disk one clone may use: twice the largest repository a backfill takes, for the pack as it
 * arrives and its index. With BACKFILL_CONCURRENCY clones at once this is the worker's disk budget.
 */
export const BACKFILL_CLONE_MAX_BYTES = 2 * BACKFILL_MAX_REPOSITORY_KB * 1024;

/** How long one clone may take: 1 GB at a modest 10 MB/s is under two minutes; thirty is generous. */
export const BACKFILL_CLONE_TIMEOUT_MS = 30 * 60 * 1000;

/** Annotated places of one secret in the head tree are looked up in at most this many files. */
const HEAD_LOOKUP_MAX_FILES = 50;

export interface BackfillJob {
  deliveryId: string;
  backfill: BackfillJobPayload;
  /** 1 on the first run; more when resumed after a crash (the check run and comments are then looked up). */
  attempt: number;
}

export interface BackfillDeps extends WorkerDeps {
  /** Clones every branch and tag of the repository with the installation's token (github-clone.ts fetchHistory). */
  repositoryHistory: (octokit: GitHubClient, repo: RepoRef) => Promise<FetchedRepository>;
  /** The history scan (default: scanHistoryInThread, off the event loop). */
  scanHistory: (gitDir: string) => Promise<SourceResult>;
  maxRepositoryKb?: number;
}

export interface BackfillSummary {
  repository: string;
  generation: number;
  status: BackfillResult["status"];
  reason: string | null;
  commits: number;
  blobs: number;
  findings: number;
  live: number;
  rotated: number;
  comments: number;
  checkRunId: number | null;
  incomplete: boolean;
  /** Bytes the clone took on disk. */
  cloneBytes: number;
  /** GitHub writes that failed (check run, comments): the job is marked failed with these. */
  errors: string[];
  ms: number;
}

interface RepositoryFacts {
  sizeKb: number;
  archived: boolean;
  defaultBranch: string | null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

/** The repository as GitHub describes it; null when the installation cannot see it (404). */
async function repositoryFacts(octokit: GitHubClient, repo: RepoRef): Promise<RepositoryFacts | null> {
  try {
    const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
    return { sizeKb: data.size ?? 0, archived: data.archived === true, defaultBranch: data.default_branch ?? null };
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The full id a branch points at in the clone, or null when the clone has no such branch. */
async function branchHead(gitDir: string, branch: string): Promise<string | null> {
  try {
    return (await runGit(gitDir, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`])).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Where each secret still sits in the head's files: the files its occurrences name, read at the
 * head and scanned again (a later edit may have moved its line, or removed it).
 */
export async function secretsInHead(gitDir: string, head: string, findings: readonly Finding[]): Promise<Map<string, Occurrence[]>> {
  const wanted = new Set(findings.map((f) => f.fingerprint));
  const paths = new Set<string>();
  for (const f of findings) {
    const own = [...new Set(f.occurrences.map((o) => o.path))].filter((p) => !p.includes("\n")).slice(0, HEAD_LOOKUP_MAX_FILES);
    for (const p of own) paths.add(p);
  }
  const names = [...paths].map((p) => `${head}:${p}`);
  const contents = names.length > 0 ? await readObjects(gitDir, names) : new Map<string, Buffer | null>();
  const out = new Map<string, Occurrence[]>();
  for (const path of paths) {
    const content = contents.get(`${head}:${path}`);
    if (!content) continue;
    for (const c of detect(content.toString("utf8"), { path }).candidates) {
      if (!wanted.has(c.fingerprint)) continue;
      const { commit: _c, author: _a, date: _d, shallowBoundary: _s, ...place } = c.occurrence;
      const list = out.get(c.fingerprint) ?? [];
      list.push(place);
      out.set(c.fingerprint, list);
    }
  }
  return out;
}

/** Per secret: how many repositories other than this one the store holds an occurrence in. */
async function otherRepositories(deps: WorkerDeps, repository: string, findings: readonly Finding[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of findings) {
    const repos = new Set((await deps.store.occurrencesOf(f.fingerprint)).map((o) => o.repository.toLowerCase()));
    repos.delete(repository.toLowerCase());
    out.set(f.fingerprint, repos.size);
  }
  return out;
}

/** The candidates the app records: paths-ignore applied, authors by name only (no e-mail address). */
function appCandidates(candidates: readonly Candidate[], config: RepoConfig): Candidate[] {
  const ignored = pathMatcher(config.pathsIgnore);
  return candidates
    .filter((c) => !ignored(c.occurrence.path))
    .map((c) => (c.occurrence.author ? { ...c, occurrence: { ...c.occurrence, author: authorName(c.occurrence.author) } } : c));
}

/**
 * Backfills one repository. Throws on GitHub read and clone errors (the job fails; the backfill is
 * recorded failed first, and a new request queues it again); write errors are in `errors`.
 */
export async function processBackfill(octokit: GitHubClient, job: BackfillJob, deps: BackfillDeps): Promise<BackfillSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { backfill, deliveryId } = job;
  const repoRef: RepoRef = { owner: backfill.owner, repo: backfill.repo };
  const repository = repositoryName(repoRef);
  const summary: BackfillSummary = {
    repository, generation: backfill.generation, status: "done", reason: null, commits: 0, blobs: 0, findings: 0, live: 0,
    rotated: 0, comments: 0, checkRunId: null, incomplete: false, cloneBytes: 0, errors: [], ms: 0,
  };
  const finish = async (result: BackfillResult): Promise<BackfillSummary> => {
    await deps.store.finishBackfill(repository, backfill.generation, result);
    summary.status = result.status;
    summary.reason = result.reason ?? null;
    summary.ms = now() - started;
    return summary;
  };

  if (!(await deps.store.startBackfill(repository, backfill.generation))) {
    // A forced request replaced this generation while it waited: the newer job does the work.
    summary.status = "skipped";
    summary.reason = "superseded by a newer backfill of the repository";
    summary.ms = now() - started;
    return summary;
  }
  try {
    const facts = await repositoryFacts(octokit, repoRef);
    if (!facts) return await finish({ status: "skipped", reason: "the installation cannot read the repository (404)" });
    const maxKb = deps.maxRepositoryKb ?? BACKFILL_MAX_REPOSITORY_KB;
    if (facts.sizeKb > maxKb) {
      return await finish({ status: "skipped", reason: `larger than the backfill limit: ${facts.sizeKb} KB (limit ${maxKb} KB)` });
    }
    const loaded = await loadRepoConfig(octokit, repoRef);
    const config = loaded.config;

    const clone = await deps.repositoryHistory(octokit, repoRef);
    let scan: SourceResult;
    let head: string | null;
    let inHead: Map<string, Occurrence[]>;
    let result: Awaited<ReturnType<typeof runPipeline>>;
    const rotatedNow = new Set<string>();
    let configError: string | null;
    try {
      summary.cloneBytes = clone.bytes;
      if (clone.empty) return await finish({ status: "done", reason: "empty repository: nothing to scan", commits: 0, blobs: 0, findings: 0 });
      scan = await deps.scanHistory(clone.gitDir);
      head = facts.defaultBranch ? await branchHead(clone.gitDir, facts.defaultBranch) : null;
      const selection = chooseRotators(deps, config.rotate, octokit, repoRef);
      configError = joinConfigErrors([loaded.error, selection.error]);
      result = await runPipeline(
        { candidates: appCandidates(scan.candidates, config), websiteIds: scan.websiteIds },
        {
          verifier: config.verify ? deps.verifier : undefined,
          allow: new Map(config.allow.map((a) => [a.fingerprint, a.reason])),
          repository: repoRef,
          pusher: null,
          rotate: rotateOnce(deps, backfill.installationId, selection, rotatedNow),
        },
      );
      inHead = head ? await secretsInHead(clone.gitDir, head, result.findings) : new Map<string, Occurrence[]>();
    } finally {
      await clone.cleanup();
    }
    summary.commits = scan.stats.commits ?? 0;
    summary.blobs = scan.stats.blobsScanned ?? 0;
    summary.findings = result.findings.length;
    summary.live = result.findings.filter((f) => f.verification.status === "live").length;
    summary.rotated = rotatedNow.size;
    const missingObjects = scan.missingObjects?.length ?? 0;
    const incomplete = missingObjects > 0 || scan.shallow === true ? { missingObjects, shallow: scan.shallow === true } : null;
    summary.incomplete = incomplete !== null;

    const toSchedule = await recordFindings(deps.store, repository, result.findings, rotatedNow);
    for (const fingerprint of toSchedule) {
      try {
        await deps.lifecycle?.schedule(fingerprint);
      } catch (error) {
        deps.log.error({ deliveryId, repository, fingerprint, err: message(error) }, "re-check could not be scheduled");
      }
    }

    const notes: string[] = [];
    if (configError) notes.push(`config: ${configError.split("\n")[0]}`);
    const target = { repo: repoRef, installationId: backfill.installationId, attempt: job.attempt };
    if (facts.archived) notes.push("archived: read-only, so no check run or comments");
    else if (config.backfill.commitComments && config.report.commitComment) {
      const comments = await commentOnFindings(octokit, target, deps, result.findings, new Map());
      summary.comments = comments.posted;
      summary.errors.push(...comments.errors);
    }
    if (!head) notes.push("no default branch head: no check run");
    else if (!facts.archived && config.report.checkRun) {
      const output = historyCheckOutput({
        findings: result.findings,
        inHead,
        elsewhere: await otherRepositories(deps, repository, result.findings),
        commits: summary.commits,
        defaultBranch: facts.defaultBranch ?? "",
        incomplete,
      });
      try {
        const run = await deps.content.run(backfill.installationId, () =>
          reportCheckRunOnce(octokit, repoRef, head, output, { externalId: deliveryId, resumed: job.attempt > 1, name: HISTORY_CHECK_RUN_NAME }),
        );
        summary.checkRunId = run.checkRunId;
        // A complete history's run follows its secrets (the re-checks turn it once they are dead); an
        // incomplete one stays neutral, whatever they become.
        if (!incomplete) {
          await deps.store.recordCheckRun({ repository, headSha: head, checkRunId: run.checkRunId, fingerprints: result.findings.map((f) => f.fingerprint) });
        }
      } catch (error) {
        summary.errors.push(`history check run failed (${statusOf(error) ?? "no status"}): ${message(error)}`);
      }
    }
    return await finish({
      status: "done",
      reason: notes.length > 0 ? notes.join("; ") : null,
      headSha: head,
      commits: summary.commits,
      blobs: summary.blobs,
      findings: summary.findings,
      incomplete: summary.incomplete,
    });
  } catch (error) {
    await deps.store.finishBackfill(repository, backfill.generation, { status: "failed", reason: message(error) }).catch(() => false);
    throw error;
  }
}
