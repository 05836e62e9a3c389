// A big push scanned from git rather than commit by commit through the REST API: its new head and
// what it is compared with fetched once with the installation's token, the range scanned by the
// history engine (each blob read once, occurrences on the commits that introduced them), and the
// result handed back in the REST path's shape, so the worker's pipeline, records and reports are
// the same for both.
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import { authorName } from "./git/author.js";
import { FETCHED_REF_PREFIX, type FetchedRepository } from "./git/github-clone.js";
import { scanHistory, type HistoryScanOptions } from "./git/history.js";
import { scanHistoryInThread } from "./git/history-thread.js";
import { runGit } from "./git/process.js";
import type { PushCandidate, PushCommit, PushScanResult, ScanGap } from "./push.js";
import type { GitExclude } from "./push-route.js";
import type { SourceResult } from "./types.js";

export interface PushGitDeps {
  /** The commits (full ids) with their whole history, fetched with the installation's token. */
  repositoryCommits: (octokit: GitHubClient, repo: RepoRef, commits: string[]) => Promise<FetchedRepository>;
  /** paths-ignore: a file path → true to leave its findings out. */
  pathsIgnore: (path: string) => boolean;
  maxFileSize?: number;
  /** A detector given by a test or benchmark: the scan then runs in this thread (a thread cannot take one). */
  detect?: HistoryScanOptions["detect"];
  mayContainKeypair?: HistoryScanOptions["mayContainKeypair"];
}

/**
 * Scans `head` minus `exclude` from a fetch. Throws when the range cannot be fetched or read (the
 * caller falls back to the REST path); the temporary repository is removed in every case.
 */
export async function scanPushFromGit(
  octokit: GitHubClient,
  repo: RepoRef,
  range: { head: string; exclude: GitExclude },
  deps: PushGitDeps,
): Promise<PushScanResult> {
  const base = await baseCommit(octokit, repo, range.exclude);
  const fetched = await deps.repositoryCommits(octokit, repo, base === null ? [range.head] : [range.head, base]);
  try {
    const options = { branch: `${FETCHED_REF_PREFIX}${range.head}`, ...(base === null ? {} : { since: base }), maxFileSize: deps.maxFileSize };
    const injected = deps.detect !== undefined || deps.mayContainKeypair !== undefined;
    const result = injected
      ? await scanHistory(fetched.gitDir, { ...options, detect: deps.detect, mayContainKeypair: deps.mayContainKeypair })
      : await scanHistoryInThread(fetched.gitDir, options);
    const shas = await rangeCommits(fetched.gitDir, range.head, base);
    return pushScanFromHistory(result, shas, { base, head: range.head }, deps.pathsIgnore);
  } finally {
    await fetched.cleanup();
  }
}

/** The commit the range starts after: the old head, the default branch's head (one request), or none. */
async function baseCommit(octokit: GitHubClient, repo: RepoRef, exclude: GitExclude): Promise<string | null> {
  if (exclude.kind === "none") return null;
  if (exclude.kind === "commit") return exclude.sha;
  const { data } = await octokit.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${exclude.name}` });
  return data.object.sha;
}

/** The range's commits, oldest first (as compare lists them). */
async function rangeCommits(gitDir: string, head: string, base: string | null): Promise<string[]> {
  const args = ["rev-list", "--reverse", `${FETCHED_REF_PREFIX}${head}`, ...(base === null ? [] : ["--not", `${FETCHED_REF_PREFIX}${base}`])];
  return (await runGit(gitDir, args)).split("\n").filter((line) => line !== "");
}

/**
 * The history scan as a push scan (pure). Authors by name only. No diff positions (comments go on the commit), no lone
 * halves left (the engine paired them across the range's trees itself). Findings at ignored paths
 * are dropped and their commits count as not completely scanned; an incomplete fetch is a gap, and
 * then no commit counts as completely scanned (a gap names no commit).
 */
export function pushScanFromHistory(
  result: SourceResult,
  shas: readonly string[],
  range: { base: string | null; head: string },
  pathsIgnore: (path: string) => boolean,
): PushScanResult {
  const ignoredIn = new Map<string, Set<string>>();
  const candidates: PushCandidate[] = [];
  for (const c of result.candidates) {
    const { commit, path } = c.occurrence;
    if (pathsIgnore(path)) {
      if (commit) ignoredIn.set(commit, (ignoredIn.get(commit) ?? new Set()).add(path));
      continue;
    }
    // Names only, as the REST path records (the store holds no e-mail address).
    const occurrence = c.occurrence.author ? { ...c.occurrence, author: authorName(c.occurrence.author) } : c.occurrence;
    candidates.push({ ...c, occurrence, position: null });
  }
  const incomplete = historyGaps(result);
  const commits: PushCommit[] =
    incomplete.length > 0
      ? []
      : shas.map((sha) => ({ sha, author: null, date: null, files: new Map(), skippedIgnored: ignoredIn.get(sha)?.size ?? 0, merge: false }));
  let skippedIgnored = 0;
  for (const paths of ignoredIn.values()) skippedIgnored += paths.size;
  return {
    skipped: null,
    range: { source: "git", base: range.base, head: range.head },
    candidates,
    lone: [],
    websiteIds: result.websiteIds,
    stats: {
      commits: shas.length,
      filesScanned: result.stats.blobsScanned ?? 0,
      bytesScanned: result.stats.bytesScanned,
      skippedLarge: result.stats.skippedLarge,
      skippedBinary: result.stats.skippedBinary,
      skippedIgnored,
    },
    commits,
    diffPositions: new Map(),
    incomplete,
  };
}

/** What the fetched history lacked, as the REST path's gaps (the check run is then never green). */
function historyGaps(result: SourceResult): ScanGap[] {
  const gaps: ScanGap[] = [];
  if (result.shallow) gaps.push({ reason: "the fetched history is shallow: commits before its boundary were not scanned" });
  for (const m of result.missingObjects ?? []) {
    gaps.push({ ...(m.path ? { path: m.path } : {}), reason: `object ${m.id.slice(0, 12)} is missing from the fetched history` });
  }
  return gaps;
}
