// The push source: what a GitHub push added, read through the REST API. Lists the pushed commits
// with compare (or the payload's list), gets each commit's files, scans the added lines of each
// patch, and reads a whole file (its blob) when the patch is missing or holds only half a keypair.
import PQueue from "p-queue";
// The half prefilter: a file holding only a key must reach the detector for its lone half.
import { detect as realDetect, mayContainHalf as realPrefilter } from "../detect/index.js";
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import { DEFAULT_MAX_FILE_SIZE } from "./content.js";
import { type DiffPositionMap, positionKey } from "./patch.js";
import { type Blob, blobCache, blobFromResponse, missingBlob } from "./push-blobs.js";
import {
  type CommitFile,
  type CommitScan,
  type CommitScanDeps,
  type PushCandidate,
  type PushLoneHalf,
  type ScanGap,
  emptyCommitScan,
  scanCommitFiles,
} from "./push-commit.js";
import { type DetectFn, type FileScanner, type PrefilterFn, inProcessScanner } from "./push-file.js";

export type { PushCandidate, PushLoneHalf, ScanGap } from "./push-commit.js";

/** GitHub: compare lists at most 250 commits unless paginated. We always paginate. */
export const COMPARE_UNPAGED_COMMITS = 250;
/** GitHub: compare lists at most 300 files; we never rely on compare's files, but on each commit's. */
export const COMPARE_MAX_FILES = 300;
/** GitHub: a commit's files paginate up to 3000 and no further. */
export const COMMIT_MAX_FILES = 3000;
/** GitHub: a push payload lists at most 2048 commits. */
export const PUSH_PAYLOAD_MAX_COMMITS = 2048;
/** GitHub's largest per_page: fewest requests for compare pages and commit file pages. */
export const PER_PAGE = 100;
/** Commits read at once: a few in flight hide latency without tripping GitHub's secondary limits. */
export const DEFAULT_CONCURRENCY = 4;
/** A deleted ref's `after`, and a created ref's `before`. */
export const NULL_SHA = "0000000000000000000000000000000000000000";

/** The parts of a push webhook payload the scan needs (see PushJobPayload in the store). */
export interface PushInfo {
  ref: string;
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  /** The payload's commits (oldest first) or their ids, used when compare cannot list them. */
  commits?: ReadonlyArray<string | { id: string }>;
  defaultBranch: string | null;
}

export interface PushScanOptions {
  detect?: DetectFn;
  mayContainKeypair?: PrefilterFn;
  maxFileSize?: number;
  /** paths-ignore: a file path → true to skip it. */
  pathsIgnore?: (path: string) => boolean;
  concurrency?: number;
  /**
   * Where each file is scanned: the app passes a worker-thread pool with a time budget
   * (scan-pool.ts). By default, `detect` in this thread.
   */
  scanFile?: FileScanner;
}

export interface PushCommit {
  sha: string;
  author: string | null;
  date: string | null;
  /** For each file of this commit with a candidate and a patch: file line → diff position. */
  files: Map<string, DiffPositionMap>;
  /** Files of this commit skipped by paths-ignore (a scan with other settings could find more). */
  skippedIgnored: number;
  /** More than one parent: its files are diffed against the first. */
  merge: boolean;
}

export interface PushScanStats {
  commits: number;
  filesScanned: number;
  bytesScanned: number;
  skippedLarge: number;
  skippedBinary: number;
  skippedIgnored: number;
}

export interface PushScanResult {
  /** Why nothing was scanned, when so. */
  skipped: "deleted-ref" | null;
  /**
   * How the commits were listed: compare base...head (three-dot: from the merge base), the payload,
   * or a git fetch (head minus what base reaches; no base: the whole history), see push-git.ts.
   */
  range:
    | { source: "compare"; base: string; head: string }
    | { source: "payload"; reason: string }
    | { source: "git"; base: string | null; head: string }
    | null;
  candidates: PushCandidate[];
  /**
   * Labelled halves the push added with no partner in their file (commit order): their partner may
   * be in another file of the tree (see push-cross-file.ts). Empty in the common case.
   */
  lone: PushLoneHalf[];
  websiteIds: string[];
  stats: PushScanStats;
  commits: PushCommit[];
  /** positionKey(commit, path) → file line → diff position (the same maps as commits[].files). */
  diffPositions: Map<string, DiffPositionMap>;
  incomplete: ScanGap[];
}

/** The diff position of a file line in a commit, when that line is in the commit's patch. */
export function diffPosition(result: PushScanResult, commit: string, path: string, line: number): number | null {
  return result.diffPositions.get(positionKey(commit, path))?.get(line) ?? null;
}

/**
 * A JSON body, parsed. Octokit hands back a body its JSON parser could not take (very large ones
 * overflow its stack) as a string: read as an object, that would look like no commits and no files,
 * a clean push. Fail instead.
 */
function parsed<T extends object>(data: T, what: string): T {
  // The type says object; at run time it can be that string.
  if (typeof (data as unknown) !== "object" || data === null) throw new Error(`GitHub's ${what} response could not be parsed`);
  return data;
}

interface GitHubError {
  status?: number;
}
/** Statuses that mean "that object is not there (any more)" rather than a failure worth retrying. */
function isMissing(error: unknown): boolean {
  const status = (error as GitHubError | null)?.status;
  return status === 404 || status === 409 || status === 422;
}

function emptyResult(): PushScanResult {
  return {
    skipped: null,
    range: null,
    candidates: [],
    lone: [],
    websiteIds: [],
    stats: { commits: 0, filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0 },
    commits: [],
    diffPositions: new Map(),
    incomplete: [],
  };
}

/** Lists the commits of base...head, oldest first, page by page (past the 250 unpaged). */
export async function compareCommits(gh: GitHubClient, repo: RepoRef, base: string, head: string): Promise<string[]> {
  const shas: string[] = [];
  for (let page = 1; ; page++) {
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({
      owner: repo.owner,
      repo: repo.repo,
      basehead: `${base}...${head}`,
      per_page: PER_PAGE,
      page,
    });
    const d = parsed(data, "compare");
    const commits = d.commits ?? [];
    // Every page repeats the comparison's files; only the commits page.
    for (const c of commits) shas.push(c.sha);
    if (commits.length === 0 || shas.length >= (d.total_commits ?? 0)) return shas;
  }
}

interface CommitList {
  shas: string[];
  range: NonNullable<PushScanResult["range"]>;
  incomplete: ScanGap[];
}

async function listPushCommits(gh: GitHubClient, repo: RepoRef, push: PushInfo): Promise<CommitList> {
  const fromPayload = (reason: string): CommitList => {
    const shas = push.commits ? push.commits.map((c) => (typeof c === "string" ? c : c.id)) : [push.after];
    const incomplete: ScanGap[] =
      shas.length >= PUSH_PAYLOAD_MAX_COMMITS
        ? [{ reason: `the push payload lists ${shas.length} commits, GitHub's cap: older commits may be missing` }]
        : [];
    return { shas, range: { source: "payload", reason }, incomplete };
  };

  let base: string;
  if (push.created || push.before === NULL_SHA) {
    // A new branch or tag: what it holds beyond the default branch is new.
    if (!push.defaultBranch) return fromPayload("no default branch to compare with");
    if (push.ref === `refs/heads/${push.defaultBranch}`) return fromPayload("the default branch itself was created");
    base = push.defaultBranch;
  } else {
    // A forced push too: three-dot compare starts at the merge base, so only the new commits are listed.
    base = push.before;
  }
  try {
    const shas = await compareCommits(gh, repo, base, push.after);
    return { shas, range: { source: "compare", base, head: push.after }, incomplete: [] };
  } catch (error) {
    // The old head may be gone after a forced push, or the histories unrelated: the payload still lists the commits.
    if (isMissing(error)) return fromPayload(`compare ${base}...${push.after} failed (${(error as GitHubError).status})`);
    throw error;
  }
}

// A commit's body, in the client's own OpenAPI types. Pages are read by number here (not with
// paginate), so the requests are predictable.
type CommitData = Awaited<ReturnType<GitHubClient["rest"]["repos"]["getCommit"]>>["data"];

/**
 * Scans a push: every commit it added, each changed file's added lines, whole files where needed.
 * Throws on GitHub errors other than "not found" (the job fails and can be retried); what is missing
 * is listed in `incomplete`.
 */
export async function scanPush(
  gh: GitHubClient,
  repo: RepoRef,
  push: PushInfo,
  options: PushScanOptions = {},
): Promise<PushScanResult> {
  if (push.deleted || push.after === NULL_SHA) {
    const result = emptyResult();
    result.skipped = "deleted-ref";
    return result;
  }

  const list = await listPushCommits(gh, repo, push);
  const result = await scanCommits(gh, repo, list.shas, options);
  result.range = list.range;
  result.incomplete.unshift(...list.incomplete);
  return result;
}

/**
 * Scans these commits (oldest first): each changed file's added lines, whole files where needed.
 * Throws on GitHub errors other than "not found"; what is missing is listed in `incomplete`.
 */
export async function scanCommits(
  gh: GitHubClient,
  repo: RepoRef,
  shas: readonly string[],
  options: PushScanOptions = {},
): Promise<PushScanResult> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const deps: CommitScanDeps = {
    scanFile: options.scanFile ?? inProcessScanner(options.detect ?? realDetect, options.mayContainKeypair ?? realPrefilter),
    readBlob: blobCache((sha) => fetchBlob(gh, repo, sha, maxFileSize)),
    ignore: options.pathsIgnore ?? (() => false),
  };
  const scanned = await eachUntilFailure(shas, options.concurrency ?? DEFAULT_CONCURRENCY, (sha) => scanCommit(gh, repo, sha, deps));
  creditOrdinaryCommits(scanned);
  return assemble(scanned);
}

/** One commit: its files listed, then scanned one by one. A commit GitHub no longer has is a gap. */
async function scanCommit(gh: GitHubClient, repo: RepoRef, sha: string, deps: CommitScanDeps): Promise<CommitScan> {
  const read = await readCommit(gh, repo, sha);
  if ("unreadable" in read) return emptyCommitScan({ sha, author: null, date: null, merge: false }, [read.unreadable]);
  const { data, files, gaps } = read;
  const meta = {
    sha,
    author: data?.commit?.author?.name ?? null,
    date: data?.commit?.author?.date ?? null,
    merge: (data?.parents?.length ?? 0) > 1,
  };
  return scanCommitFiles(meta, files, deps, gaps);
}

/**
 * A commit and its changed files, page by page up to GitHub's COMMIT_MAX_FILES (a gap then says the
 * list was cut). "Not found": the gap that replaces the commit. Other errors are thrown.
 */
async function readCommit(
  gh: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<{ data: CommitData | undefined; files: CommitFile[]; gaps: ScanGap[] } | { unreadable: ScanGap }> {
  let data: CommitData | undefined;
  const files: CommitFile[] = [];
  const gaps: ScanGap[] = [];
  try {
    for (let page = 1; ; page++) {
      const response = await gh.rest.repos.getCommit({
        owner: repo.owner,
        repo: repo.repo,
        ref: sha,
        per_page: PER_PAGE,
        page,
      });
      const page1 = parsed(response.data, `commit ${sha}`);
      data ??= page1;
      files.push(...(page1.files ?? []));
      const more = /rel="next"/.test(response.headers.link ?? "");
      if (files.length >= COMMIT_MAX_FILES) {
        gaps.push({ commit: sha, reason: `the commit changes ${COMMIT_MAX_FILES} files or more; GitHub lists no more` });
        break;
      }
      if (!more) break;
    }
  } catch (error) {
    if (!isMissing(error)) throw error;
    return { unreadable: { commit: sha, reason: `commit could not be read (${(error as GitHubError).status})` } };
  }
  return { data, files, gaps };
}

/** GitHub: the blob's bytes as the body (any size up to 100 MB), rather than base64 in JSON. */
const BLOB_RAW_MEDIA_TYPE = "application/vnd.github.raw+json";

/** One blob of the repository (see blobFromResponse); "not found" is a missing blob, other errors are thrown. */
export async function fetchBlob(gh: GitHubClient, repo: RepoRef, sha: string, maxFileSize: number): Promise<Blob> {
  let data: unknown;
  try {
    // Raw, not JSON: a blob of several MB is a base64 JSON body Octokit's parser cannot take (it
    // then hands back the body as a string, which would read as an empty file).
    ({ data } = await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      owner: repo.owner,
      repo: repo.repo,
      file_sha: sha,
      headers: { accept: BLOB_RAW_MEDIA_TYPE },
    }));
  } catch (error) {
    if (isMissing(error)) return missingBlob(sha, (error as GitHubError).status);
    throw error;
  }
  return blobFromResponse(sha, data, maxFileSize);
}

/**
 * Runs `task` on each item, at most `concurrency` at once, and gives the results in the items'
 * order. After the first failure no further item is started, and the call rejects with that failure
 * only once the tasks in flight have settled: no request outlives the call.
 */
export async function eachUntilFailure<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const queue = new PQueue({ concurrency });
  let failure: { error: unknown } | null = null;
  const settled = await Promise.all(
    items.map((item) =>
      queue.add(async () => {
        if (failure) return null;
        try {
          return { value: await task(item) };
        } catch (error) {
          failure ??= { error };
          return null;
        }
      }),
    ),
  );
  if (failure) throw (failure as { error: unknown }).error;
  return settled.map((s) => (s as { value: R }).value);
}

/**
 * A merge's files are diffed against its first parent, so a merge shows what its branch's commits
 * added: a secret one of them (in this push) introduced is theirs, not the merge's. What only the
 * merge holds (a conflict resolution) stays the merge's. Changes the merges' scans in place.
 */
export function creditOrdinaryCommits(scanned: CommitScan[]): void {
  const byOrdinaryCommits = new Set(scanned.filter((c) => !c.merge).flatMap((c) => c.found.map((f) => f.fingerprint)));
  const halvesOfOrdinaryCommits = new Set(scanned.filter((c) => !c.merge).flatMap((c) => c.lone.map((l) => `${l.kind}:${l.half.reveal()}`)));
  for (const c of scanned) {
    if (c.merge) c.found = c.found.filter((f) => !byOrdinaryCommits.has(f.fingerprint));
    if (c.merge) c.lone = c.lone.filter((l) => !halvesOfOrdinaryCommits.has(`${l.kind}:${l.half.reveal()}`));
  }
}

/** The push's result from its commits' scans, in commit order, whatever order the requests finished in. */
function assemble(scanned: readonly CommitScan[]): PushScanResult {
  const result = emptyResult();
  const websiteIds = new Set<string>();
  for (const c of scanned) {
    result.stats.commits++;
    result.stats.filesScanned += c.stats.filesScanned;
    result.stats.bytesScanned += c.stats.bytesScanned;
    result.stats.skippedLarge += c.stats.skippedLarge;
    result.stats.skippedBinary += c.stats.skippedBinary;
    result.stats.skippedIgnored += c.stats.skippedIgnored;
    result.incomplete.push(...c.gaps);
    result.candidates.push(...c.found);
    result.lone.push(...c.lone);
    for (const id of c.websiteIds) websiteIds.add(id);
    result.commits.push({ sha: c.sha, author: c.author, date: c.date, files: c.files, skippedIgnored: c.stats.skippedIgnored, merge: c.merge });
    for (const [path, map] of c.files) result.diffPositions.set(positionKey(c.sha, path), map);
  }
  result.websiteIds = [...websiteIds];
  return result;
}
