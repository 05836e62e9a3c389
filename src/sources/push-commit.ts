// A commit's file-by-file scan: for each file GitHub lists for the commit, what to scan (its patch,
// its whole blob, or nothing), what is counted as skipped or listed as a gap, and which candidates
// and lone halves the commit introduced, at their diff positions. No request of its own: the blob
// reader and the file scanner are given (push.ts reads GitHub).
import type { Candidate, LoneHalf, Occurrence } from "../detect/types.js";
import type { Blob, BlobReader } from "./push-blobs.js";
import { type DiffPositionMap, type ParsedPatch, parsePatch } from "./patch.js";
import { type FileScan, type FileScanner, needsWholeFile, patchScanRequest, wholeFileScanRequest } from "./push-file.js";

/** Something that could not be scanned: the report should say the scan is incomplete. */
export interface ScanGap {
  commit?: string;
  path?: string;
  reason: string;
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

/** A file of a commit as GitHub lists it. */
export interface CommitFile {
  filename: string;
  status: string;
  sha: string | null;
  changes?: number;
  patch?: string;
}

/** Who made a commit, and whether it is a merge (its files are then diffed against the first parent). */
export interface CommitMeta {
  sha: string;
  author: string | null;
  date: string | null;
  merge: boolean;
}

export interface CommitScanStats {
  filesScanned: number;
  bytesScanned: number;
  skippedLarge: number;
  skippedBinary: number;
  skippedIgnored: number;
}

/** What one commit's scan found, before the push's commits are put together. */
export interface CommitScan extends CommitMeta {
  stats: CommitScanStats;
  gaps: ScanGap[];
  websiteIds: string[];
  found: PushCandidate[];
  lone: PushLoneHalf[];
  /** For each file with a candidate or a lone half and a patch: file line → diff position. */
  files: Map<string, DiffPositionMap>;
}

export interface CommitScanDeps {
  scanFile: FileScanner;
  /** The push's blob reader (one request per blob: see blobCache). */
  readBlob: BlobReader;
  /** paths-ignore: a file path → true to skip it. */
  ignore: (path: string) => boolean;
}

/**
 * One changed file's scan: what was scanned (null when nothing was), the patch that tells its added
 * lines (null without one), what it counts as skipped, and why part of it was not scanned.
 */
export interface ChangedFileScan {
  scan: FileScan | null;
  parsed: ParsedPatch | null;
  skipped: "ignored" | "large" | "binary" | null;
  gap: string | null;
}

const NOTHING: ChangedFileScan = Object.freeze({ scan: null, parsed: null, skipped: null, gap: null });
const IGNORED: ChangedFileScan = Object.freeze({ scan: null, parsed: null, skipped: "ignored", gap: null });

/** A commit with nothing scanned yet: its files are added with addChangedFile. */
export function emptyCommitScan(meta: CommitMeta, gaps: ScanGap[] = []): CommitScan {
  return {
    ...meta,
    stats: { filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0 },
    gaps,
    websiteIds: [],
    found: [],
    lone: [],
    files: new Map(),
  };
}

/** Scans a commit's files in order; `gaps` are the commit's own (its file list cut short). */
export async function scanCommitFiles(
  meta: CommitMeta,
  files: readonly CommitFile[],
  deps: CommitScanDeps,
  gaps: ScanGap[] = [],
): Promise<CommitScan> {
  const commit = emptyCommitScan(meta, gaps);
  for (const file of files) addChangedFile(commit, file.filename, await scanChangedFile(file, deps));
  return commit;
}

/**
 * Scans one changed file. With a patch: its added lines, then the whole file when an added line
 * holds half a keypair the patch cannot pair (needsWholeFile). Without one (a binary file, or a diff
 * too large for GitHub to show): the whole file. A removed file, a pure rename and a patch that adds
 * nothing cost no request.
 */
export async function scanChangedFile(file: CommitFile, deps: CommitScanDeps): Promise<ChangedFileScan> {
  const path = file.filename;
  if (file.status === "removed") return NOTHING;
  if (deps.ignore(path)) return IGNORED;

  if (typeof file.patch === "string") {
    const parsed = parsePatch(file.patch);
    if (parsed.added.size === 0) return NOTHING; // nothing added: nothing this commit could leak
    const patchScan = await deps.scanFile(patchScanRequest(path, parsed));
    if ("notScanned" in patchScan) return { scan: null, parsed, skipped: null, gap: patchScan.notScanned };
    if (!(needsWholeFile(path, parsed, patchScan.scan) && file.sha)) return { scan: patchScan.scan, parsed, skipped: null, gap: null };
    const whole = await scanWholeBlob(path, file.sha, parsed, deps);
    // When the whole file cannot be read (or scanned in time), what the patch showed still counts.
    return { ...whole, scan: whole.scan ?? patchScan.scan, parsed };
  }

  // A pure rename adds nothing.
  if (file.status === "renamed" && !file.changes) return NOTHING;
  if (!file.sha) return { scan: null, parsed: null, skipped: null, gap: "no patch and no blob" };
  return scanWholeBlob(path, file.sha, null, deps);
}

/** Reads a file's blob and scans it whole; `parsed` when it had a patch, to keep what the commit introduced. */
async function scanWholeBlob(path: string, sha: string, parsed: ParsedPatch | null, deps: CommitScanDeps): Promise<ChangedFileScan> {
  const blob = await deps.readBlob(sha);
  if (blob.kind !== "text") return { scan: null, parsed, ...blobNotScanned(blob) };
  const whole = await deps.scanFile(wholeFileScanRequest(path, blob.text, parsed));
  if ("scan" in whole) return { scan: whole.scan, parsed, skipped: null, gap: null };
  return { scan: null, parsed, skipped: null, gap: whole.notScanned };
}

/**
 * A blob that is not text: too large or binary is counted (a scan with other settings could read
 * it), one GitHub could not give is a gap (the scan is incomplete).
 */
export function blobNotScanned(blob: Exclude<Blob, { kind: "text" }>): Pick<ChangedFileScan, "skipped" | "gap"> {
  if (blob.kind === "large") return { skipped: "large", gap: null };
  if (blob.kind === "binary") return { skipped: "binary", gap: null };
  return { skipped: null, gap: blob.reason };
}

/** Adds one file's scan to its commit: counts, gap, website ids, and what it found, attributed to the commit. */
export function addChangedFile(commit: CommitScan, path: string, file: ChangedFileScan): void {
  const { stats } = commit;
  if (file.skipped === "ignored") stats.skippedIgnored++;
  else if (file.skipped === "large") stats.skippedLarge++;
  else if (file.skipped === "binary") stats.skippedBinary++;
  if (file.gap !== null) commit.gaps.push({ commit: commit.sha, path, reason: file.gap });
  const { scan, parsed } = file;
  if (!scan) return;

  stats.filesScanned++;
  stats.bytesScanned += scan.bytesScanned;
  commit.websiteIds.push(...scan.websiteIds);
  const halves = scan.lone ?? [];
  if ((scan.candidates.length > 0 || halves.length > 0) && parsed) commit.files.set(path, parsed.positions);
  for (const half of halves) {
    const position = parsed ? (parsed.positions.get(half.occurrence.line) ?? null) : null;
    commit.lone.push({ ...half, occurrence: atCommit(half.occurrence, commit), position });
  }
  for (const { candidate, line } of scan.candidates) {
    const position = parsed && line !== null ? (parsed.positions.get(line) ?? null) : null;
    commit.found.push({ ...candidate, occurrence: atCommit(candidate.occurrence, commit), position });
  }
}

/** An occurrence in this commit: its sha, and its author and date when GitHub gave them. */
function atCommit<O extends Occurrence>(occurrence: O, { sha, author, date }: CommitMeta): O {
  return {
    ...occurrence,
    commit: sha,
    ...(author !== null ? { author } : {}),
    ...(date !== null ? { date } : {}),
  };
}
