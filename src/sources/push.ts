// The push source: what a GitHub push added, read through the REST API. Lists the pushed commits
// with compare (or the payload's list), gets each commit's files, scans the added lines of each
// patch, and reads a whole file (its blob) when the patch is missing or holds only half a keypair.
import PQueue from "p-queue";
// The half prefilter: a file holding only a key must reach the detector for its lone half.
import { detect as realDetect, mayContainHalf as realPrefilter } from "../detect/index.js";
import type { Candidate, LoneHalf } from "../detect/types.js";
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import { DEFAULT_MAX_FILE_SIZE, isBinary } from "./content.js";
import { type DiffPositionMap, type ParsedPatch, parsePatch } from "./patch.js";
import {
  type DetectFn,
  type FileScan,
  type FileScanner,
  type PrefilterFn,
  inProcessScanner,
  needsWholeFile,
  patchScanRequest,
  wholeFileScanRequest,
} from "./push-file.js";

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

/** A lone labelled half a commit of the push added, with where a commit comment would go. */
export interface PushLoneHalf extends LoneHalf {
  position: number | null;
}

/** A candidate with where the commit comment goes. */
export interface PushCandidate extends Candidate {
  /** The diff position of the added line that introduced it; null when the file had no patch. */
  position: number | null;
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

/** Something that could not be scanned: the report should say the scan is incomplete. */
export interface ScanGap {
  commit?: string;
  path?: string;
  reason: string;
}

export interface PushScanResult {
  /** Why nothing was scanned, when so. */
  skipped: "deleted-ref" | null;
  /** How the commits were listed: compare base...head (three-dot: from the merge base), or the payload. */
  range: { source: "compare"; base: string; head: string } | { source: "payload"; reason: string } | null;
  candidates: PushCandidate[];
  /**
   * Labelled halves the push added with no partner in their file (commit order): their partner may
   * be in another file of the tree (see push-cross-file.ts). Empty in the common case.
   */
  lone: PushLoneHalf[];
  websiteIds: string[];
  stats: PushScanStats;
  commits: PushCommit[];
  /** `${commit}:${path}` → file line → diff position (the same maps as commits[].files). */
  diffPositions: Map<string, DiffPositionMap>;
  incomplete: ScanGap[];
}

/** The diff position of a file line in a commit, when that line is in the commit's patch. */
export function diffPosition(result: PushScanResult, commit: string, path: string, line: number): number | null {
  return result.diffPositions.get(`${commit}:${path}`)?.get(line) ?? null;
}

/** GitHub: the blob's bytes as the body (any size up to 100 MB), rather than base64 in JSON. */
const BLOB_RAW_MEDIA_TYPE = "application/vnd.github.raw+json";

/** A blob response: raw (text or bytes), or the JSON form `{ content, encoding }`; null if neither. */
function blobBytes(data: unknown): Buffer | null {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const d = data as { content?: unknown; encoding?: string } | null;
  if (d && typeof d.content === "string") return Buffer.from(d.content, d.encoding === "base64" ? "base64" : "utf8");
  return null;
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
type CommitFile = NonNullable<CommitData["files"]>[number];

type Blob =
  | { kind: "text"; text: string }
  | { kind: "binary" }
  | { kind: "large"; size: number }
  | { kind: "missing"; reason: string };

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
  const result = emptyResult();
  const detect = options.detect ?? realDetect;
  const prefilter = options.mayContainKeypair ?? realPrefilter;
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const scanFile = options.scanFile ?? inProcessScanner(detect, prefilter);
  const ignore = options.pathsIgnore ?? (() => false);

  // One blob is fetched once per push, however many commits touch it.
  const blobs = new Map<string, Promise<Blob>>();
  const readBlob = (sha: string): Promise<Blob> => {
    let blob = blobs.get(sha);
    if (!blob) {
      blob = fetchBlob(sha);
      blobs.set(sha, blob);
    }
    return blob;
  };
  const fetchBlob = async (sha: string): Promise<Blob> => {
    try {
      // Raw, not JSON: a blob of several MB is a base64 JSON body Octokit's parser cannot take (it
      // then hands back the body as a string, which would read as an empty file).
      const { data } = await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
        owner: repo.owner,
        repo: repo.repo,
        file_sha: sha,
        headers: { accept: BLOB_RAW_MEDIA_TYPE },
      });
      // The JSON form (the raw one was not honoured) declares the size: no need to decode a large one.
      const declared = (data as { size?: unknown } | null)?.size;
      if (typeof declared === "number" && declared > maxFileSize) return { kind: "large", size: declared };
      const bytes = blobBytes(data);
      if (bytes === null) return { kind: "missing", reason: `blob ${sha} came back in a form that could not be read` };
      if (bytes.length > maxFileSize) return { kind: "large", size: bytes.length };
      if (isBinary(bytes)) return { kind: "binary" };
      return { kind: "text", text: bytes.toString("utf8") };
    } catch (error) {
      if (isMissing(error)) return { kind: "missing", reason: `blob ${sha} could not be read (${(error as GitHubError).status})` };
      throw error;
    }
  };

  const scanCommit = async (sha: string) => {
    const stats = { filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0 };
    const gaps: ScanGap[] = [];
    const websiteIds: string[] = [];
    const found: PushCandidate[] = [];
    const lone: PushLoneHalf[] = [];
    const files = new Map<string, DiffPositionMap>();

    let data: CommitData | undefined;
    const changed: CommitFile[] = [];
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
        changed.push(...(page1.files ?? []));
        const more = /rel="next"/.test(response.headers.link ?? "");
        if (changed.length >= COMMIT_MAX_FILES) {
          gaps.push({ commit: sha, reason: `the commit changes ${COMMIT_MAX_FILES} files or more; GitHub lists no more` });
          break;
        }
        if (!more) break;
      }
    } catch (error) {
      if (!isMissing(error)) throw error;
      gaps.push({ commit: sha, reason: `commit could not be read (${(error as GitHubError).status})` });
      return { sha, author: null, date: null, merge: false, stats, gaps, websiteIds, found, lone, files };
    }
    const merge = (data?.parents?.length ?? 0) > 1;
    const author = data?.commit?.author?.name ?? null;
    const date = data?.commit?.author?.date ?? null;

    for (const file of changed) {
      const path = file.filename;
      if (file.status === "removed") continue;
      if (ignore(path)) {
        stats.skippedIgnored++;
        continue;
      }
      let parsed: ParsedPatch | null = null;
      let scan: FileScan | null = null;

      if (typeof file.patch === "string") {
        parsed = parsePatch(file.patch);
        if (parsed.added.size === 0) continue; // nothing added: nothing this commit could leak
        const patchScan = await scanFile(patchScanRequest(path, parsed));
        if ("notScanned" in patchScan) {
          gaps.push({ commit: sha, path, reason: patchScan.notScanned });
          continue;
        }
        scan = patchScan.scan;
        if (needsWholeFile(path, parsed, scan) && file.sha) {
          const blob = await readBlob(file.sha);
          // When the whole file cannot be read (or scanned in time), what the patch showed still counts.
          if (blob.kind === "text") {
            const whole = await scanFile(wholeFileScanRequest(path, blob.text, parsed));
            if ("scan" in whole) scan = whole.scan;
            else gaps.push({ commit: sha, path, reason: whole.notScanned });
          } else if (blob.kind === "large") stats.skippedLarge++;
          else if (blob.kind === "binary") stats.skippedBinary++;
          else gaps.push({ commit: sha, path, reason: blob.reason });
        }
      } else {
        // No patch: a binary file or a diff too large for GitHub to show. A pure rename adds nothing.
        if (file.status === "renamed" && !file.changes) continue;
        if (!file.sha) {
          gaps.push({ commit: sha, path, reason: "no patch and no blob" });
          continue;
        }
        const blob = await readBlob(file.sha);
        if (blob.kind === "large") stats.skippedLarge++;
        else if (blob.kind === "binary") stats.skippedBinary++;
        else if (blob.kind === "missing") gaps.push({ commit: sha, path, reason: blob.reason });
        else {
          const whole = await scanFile(wholeFileScanRequest(path, blob.text, null));
          if ("scan" in whole) scan = whole.scan;
          else gaps.push({ commit: sha, path, reason: whole.notScanned });
        }
      }
      if (!scan) continue;

      stats.filesScanned++;
      stats.bytesScanned += scan.bytesScanned;
      websiteIds.push(...scan.websiteIds);
      const halves = scan.lone ?? [];
      if ((scan.candidates.length > 0 || halves.length > 0) && parsed) files.set(path, parsed.positions);
      for (const half of halves) {
        lone.push({
          ...half,
          occurrence: {
            ...half.occurrence,
            commit: sha,
            ...(author !== null ? { author } : {}),
            ...(date !== null ? { date } : {}),
          },
          position: parsed ? (parsed.positions.get(half.occurrence.line) ?? null) : null,
        });
      }
      for (const { candidate, line } of scan.candidates) {
        found.push({
          ...candidate,
          occurrence: {
            ...candidate.occurrence,
            commit: sha,
            ...(author !== null ? { author } : {}),
            ...(date !== null ? { date } : {}),
          },
          position: parsed && line !== null ? (parsed.positions.get(line) ?? null) : null,
        });
      }
    }
    return { sha, author, date, merge, stats, gaps, websiteIds, found, lone, files };
  };

  // After the first failure no further commit is started, and the scan returns only once the
  // commits in flight have settled: no request outlives the call.
  const queue = new PQueue({ concurrency: options.concurrency ?? DEFAULT_CONCURRENCY });
  let failure: { error: unknown } | null = null;
  const settled = await Promise.all(
    shas.map((sha) =>
      queue.add(async () => {
        if (failure) return null;
        try {
          return await scanCommit(sha);
        } catch (error) {
          failure ??= { error };
          return null;
        }
      }),
    ),
  );
  if (failure) throw (failure as { error: unknown }).error;
  const scanned = settled.filter((c) => c !== null);

  // A merge's files are diffed against its first parent, so a merge shows what its branch's commits
  // added: a secret one of them (in this push) introduced is theirs, not the merge's. What only the
  // merge holds (a conflict resolution) stays the merge's.
  const byOrdinaryCommits = new Set(scanned.filter((c) => !c.merge).flatMap((c) => c.found.map((f) => f.fingerprint)));
  const halvesOfOrdinaryCommits = new Set(scanned.filter((c) => !c.merge).flatMap((c) => c.lone.map((l) => `${l.kind}:${l.half.reveal()}`)));
  for (const c of scanned) {
    if (c.merge) c.found = c.found.filter((f) => !byOrdinaryCommits.has(f.fingerprint));
    if (c.merge) c.lone = c.lone.filter((l) => !halvesOfOrdinaryCommits.has(`${l.kind}:${l.half.reveal()}`));
  }

  // Assembled in commit order, whatever order the requests finished in.
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
    for (const [path, map] of c.files) result.diffPositions.set(`${c.sha}:${path}`, map);
  }
  result.websiteIds = [...websiteIds];
  return result;
}
