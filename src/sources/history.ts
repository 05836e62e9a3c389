// The `git` source: every blob reachable from the repository's refs, each read once, scanned, and
// the few with findings mapped back to the commits that introduced them (Nosey Parker's approach:
// a blob shared by ten thousand commits is read and scanned once).
//
//   log -m --raw ──ids, paths, introductions──▶ BlobSet ──▶ cat-file --batch (pack order)
//                                                                   ──▶ prefilter ▶ detect
//   blobs with findings ──▶ their introductions ──▶ commits: author, date
import { detect as realDetect, mayContainKeypair as realPrefilter } from "../detect/index.js";
import type { Candidate } from "../detect/types.js";
import { DEFAULT_MAX_FILE_SIZE, isBinary } from "./content.js";
import { abortError, GitCommandError } from "./git-process.js";
import { assertRepository } from "./git-repository.js";
import { BlobSet } from "./history-blobs.js";
import { objectIdBytes, refTargetBlobs, revisionArgs } from "./history-enumerate.js";
import { commitDetails, walkHistory, type Introducer } from "./history-introducers.js";
import { dropInherited } from "./history-inherited.js";
import { defaultReaders, listPackOrder, measureBlobs, planPackOrder, readBlobs, type ReadMode } from "./history-read.js";
import type { SourceResult, SourceStats } from "./types.js";

export { cloneRepository, isRepository, assertRepository, looksLikeUrl, redactUrl } from "./git-repository.js";
export type { ClonedRepository, CloneOptions } from "./git-repository.js";
export type { SourceResult, SourceStats } from "./types.js";

/** Progress callbacks at most this often: a bar redraws ~10 times a second, no need for more. */
const PROGRESS_INTERVAL_MS = 100;

export interface HistoryProgress {
  blobsDone: number;
  blobsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface HistoryScanOptions {
  /** Only what is not reachable from this revision (`--since REV`: what is new since a commit). */
  since?: string;
  /** Only what is reachable from these refs instead of from every ref (`--branch REF`, repeatable). */
  branch?: string | readonly string[];
  /** Bytes; larger blobs are skipped and counted. Default 25 MB. */
  maxFileSize?: number;
  detect?: typeof realDetect;
  mayContainKeypair?: typeof realPrefilter;
  /**
   * Called as blobs are read (at most every 100 ms). A whole-history scan learns the totals for
   * free; with --since/--branch they cost one extra pass over object headers.
   */
  onProgress?: (progress: HistoryProgress) => void;
  signal?: AbortSignal;
  /** The order blobs are read in; default: pack-order for a whole-history scan, by-id for --since/--branch. */
  readMode?: ReadMode;
  /** git processes reading blobs at once; default: one per core, at most MAX_READERS (4). */
  readers?: number;
  /** Tests: ids per block when the read is split (see READ_BLOCK). */
  readBlock?: number;
}

/** Scans the history of the repository at `repoPath`. Errors are one-line Error messages. */
export async function scanHistory(repoPath: string, options: HistoryScanOptions = {}): Promise<SourceResult> {
  const { signal } = options;
  await assertRepository(repoPath);
  try {
    return await scan(repoPath, options);
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    if (error instanceof GitCommandError) {
      throw new Error(`cannot read the history of ${repoPath}: ${error.message}`);
    }
    throw error;
  }
}

async function scan(repoPath: string, options: HistoryScanOptions): Promise<SourceResult> {
  const { signal } = options;
  const detect = options.detect ?? realDetect;
  const prefilter = options.mayContainKeypair ?? realPrefilter;
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;

  const [revArgs, idBytes] = await Promise.all([
    revisionArgs(repoPath, { since: options.since, branch: options.branch }, signal),
    objectIdBytes(repoPath, signal),
  ]);
  const whole = options.since === undefined && options.branch === undefined;
  const mode: ReadMode = options.readMode ?? (whole ? "pack-order" : "by-id");
  const blobs = new BlobSet(idBytes);
  // The store listing (object headers only) runs beside the log walk: two git processes, two cores.
  const [walk, listing] = await Promise.all([
    walkHistory(repoPath, revArgs, blobs, signal),
    mode === "pack-order" ? listPackOrder(repoPath, idBytes, signal) : null,
    whole ? refTargetBlobs(repoPath, blobs, signal) : null,
  ]);
  const plan = listing !== null ? planPackOrder(blobs, listing) : null;

  const progress: HistoryProgress = { blobsDone: 0, blobsTotal: blobs.size, bytesDone: 0, bytesTotal: 0 };
  const report = options.onProgress;
  if (report !== undefined) {
    const totals = plan ?? (await measureBlobs(repoPath, blobs, signal));
    progress.blobsTotal = totals.blobs;
    progress.bytesTotal = totals.bytes;
    report({ ...progress });
  }
  let lastReport = 0;
  const tick = (bytes: number) => {
    progress.blobsDone++;
    progress.bytesDone += bytes;
    if (report === undefined) return;
    const now = performance.now();
    if (now - lastReport >= PROGRESS_INTERVAL_MS) {
      lastReport = now;
      report({ ...progress });
    }
  };

  const stats: SourceStats = { blobsScanned: 0, bytesScanned: 0, commits: walk.commitCount, skippedLarge: 0, skippedBinary: 0 };
  const websiteIds = new Set<string>();
  const pathsOf = (index: number): string[] => {
    const others = walk.otherPaths.get(index);
    const first = blobs.pathAt(index);
    return others === undefined ? [first] : [first, ...others.map((id) => blobs.pathById(id))];
  };
  /** Per blob (index) with findings: the candidates as found in its content (no commit yet). */
  const hits = new Map<number, Candidate[]>();

  await readBlobs(
    repoPath,
    blobs,
    plan?.order ?? null,
    {
      maxSize,
      onLarge(_index, size) {
        stats.skippedLarge++;
        tick(size);
      },
      onBlob(index, content) {
        tick(content.length);
        if (isBinary(content)) {
          stats.skippedBinary++;
          return;
        }
        stats.blobsScanned!++;
        stats.bytesScanned += content.length;
        const text = content.toString("utf8");
        const found: Candidate[] = [];
        for (const path of pathsOf(index)) {
          if (!prefilter(text, path)) continue;
          const result = detect(text, { path });
          for (const id of result.websiteIds) websiteIds.add(id);
          found.push(...result.candidates);
        }
        if (found.length > 0) hits.set(index, found);
      },
    },
    signal,
    options.readers ?? defaultReaders(),
    options.readBlock,
  );
  if (report !== undefined) report({ ...progress });

  // Only now, for the few blobs with findings: which commits introduced them, by whom, when.
  const introduced = walk.introductions.select(new Set(hits.keys()));
  const commitIds = new Set<string>();
  for (const list of introduced.values()) for (const i of list) commitIds.add(walk.commits.hexAt(i.commit));
  const details = await commitDetails(repoPath, [...commitIds], signal);
  const candidates: Candidate[] = [];
  for (const [blob, found] of hits) {
    const introducers: Introducer[] = (introduced.get(blob) ?? []).map((i) => {
      const commit = walk.commits.hexAt(i.commit);
      const detail = details.get(commit);
      return { commit, path: blobs.pathById(i.path), author: detail?.author ?? "", date: detail?.date ?? "" };
    });
    candidates.push(...attribute(found, introducers));
  }
  const introducing = await dropInherited(repoPath, candidates, { detect, mayContainKeypair: prefilter, maxFileSize: maxSize, signal });
  return { candidates: introducing, websiteIds: [...websiteIds], stats };
}

/**
 * One candidate per (introducing commit, path, line, column). A blob no commit introduced (one a
 * tag points at directly) keeps its path in the tagged tree, without commit details.
 */
export function attribute(found: readonly Candidate[], introducers: readonly Introducer[]): Candidate[] {
  if (introducers.length === 0) return [...found];
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const introducer of introducers) {
    for (const candidate of found) {
      const { line, column } = candidate.occurrence;
      const key = `${candidate.fingerprint}\u0000${introducer.commit}\u0000${introducer.path}\u0000${line}\u0000${column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ...candidate,
        occurrence: {
          ...candidate.occurrence,
          path: introducer.path,
          commit: introducer.commit,
          author: introducer.author,
          date: introducer.date,
        },
      });
    }
  }
  return out;
}
