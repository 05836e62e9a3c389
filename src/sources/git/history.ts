// The `git` source: every blob reachable from the repository's refs, each read once, scanned, and
// the few with findings mapped back to the commits that introduced them (Nosey Parker's approach:
// a blob shared by ten thousand commits is read and scanned once).
//
//   rev-list --objects ──ids, paths (streamed)──▶ cat-file --batch ×N ──▶ byte gate ▶ prefilter ▶ detect
//   blobs with findings ──▶ log -m --raw --find-object ──▶ introducing commits: author, date
//   blobs with lone halves ──▶ the trees they coexist in ──▶ pairs across files (history-cross-file.ts)
// Reading starts while the listing is still running. What the store lacks (a partial clone, a
// damaged mirror) is listed up front by rev-list and reported, not fetched and not fatal.
import { hasCrispContext, pathNamesCrisp } from "../../detect/context.js";
import { detect as realDetect, mayContainHalf as realPrefilter } from "../../detect/index.js";
import type { Candidate, LoneHalf } from "../../detect/types.js";
import { DEFAULT_MAX_FILE_SIZE, hasUuidShape, isBinary } from "../content.js";
import { ByteClass, classifyBytes } from "./crisp-bytes.js";
import { abortError, GitCommandError } from "./process.js";
import { assertRepository } from "./repository.js";
import { BlobSet } from "./blobs.js";
import { mayPair, pairAcrossTrees, type CrossFileCost, type LoneBlob } from "./cross-file.js";
import { countCommits, listBlobs, objectIdBytes, revisionArgs, shallowBoundary } from "./enumerate.js";
import { commitDetails, findIntroductions, introductionsAtPaths, type Introducer } from "./introducers.js";
import { dropInherited, readObjects } from "./inherited.js";
import { defaultReaders, ReaderPool } from "./read.js";
import type { SourceResult, SourceStats } from "../types.js";

export { cloneRepository, isRepository, assertRepository, looksLikeUrl, redactUrl, repositoryAround } from "./repository.js";
export type { ClonedRepository, CloneOptions } from "./repository.js";
export type { MissingObject, SourceResult, SourceStats } from "../types.js";

/**
 * A path that names Crisp, to ask the detector whether a blob would hold a keypair there; and the
 * pathspec for every such path of the history (the detector's rule: "crisp" anywhere in the path).
 */
const PROBE_PATH = "crisp";
const CRISP_PATHSPEC = ":(icase)*crisp*";

/** Blobs read at once when looking them up at their other paths: at most 8 × maxFileSize in memory. */
const PATH_LOOKUP_BATCH = 8;

/** Progress callbacks at most this often: a bar redraws ~10 times a second, no need for more. */
const PROGRESS_INTERVAL_MS = 100;

export interface HistoryProgress {
  /** listing: blobs are listed and read at once; reading: all are listed; attributing: finding commits. */
  phase: "listing" | "reading" | "attributing";
  blobsListed: number;
  blobsDone: number;
  /** Known once the listing is over (0 before). */
  blobsTotal: number;
  bytesDone: number;
  /** Known once the read is over (0 before). */
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
  /** Called at the start, as blobs are listed and read (at most every 100 ms), and at each phase. */
  onProgress?: (progress: HistoryProgress) => void;
  signal?: AbortSignal;
  /** git processes reading blobs at once; default: one per core, at most MAX_READERS (4). */
  readers?: number;
  /** Tests: ids per block when the read is split (see READ_BLOCK). */
  readBlock?: number;
  /** Tests: what pairing lone halves across the files of each commit's tree cost. */
  onCrossFileCost?: (cost: CrossFileCost) => void;
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
  const injected = options.detect !== undefined || options.mayContainKeypair !== undefined;
  const detect = options.detect ?? realDetect;
  const prefilter = options.mayContainKeypair ?? realPrefilter;
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const report = options.onProgress;

  const [revArgs, idBytes, boundary] = await Promise.all([
    revisionArgs(repoPath, { since: options.since, branch: options.branch }, signal),
    objectIdBytes(repoPath, signal),
    shallowBoundary(repoPath, signal),
  ]);
  const blobs = new BlobSet(idBytes);
  const stats: SourceStats = { blobsScanned: 0, bytesScanned: 0, commits: 0, skippedLarge: 0, skippedBinary: 0 };
  const websiteIds = new Set<string>();
  /** Per blob (index) with findings: the candidates as found in its content (no commit yet). */
  const hits = new Map<number, Candidate[]>();
  /** Blobs that hold a keypair only if some path names Crisp (see probe below). */
  const pathDependent = new Set<number>();
  /** Some blob was listed at a path naming Crisp: the history has such paths (see below). */
  let hasCrispPaths = false;
  /** Blobs over the size limit, not read. */
  const large = new Set<number>();
  /**
   * Per blob (index) with lone labelled halves (a half under a Crisp label, no partner in the
   * blob): those halves, for pairing across the files of a commit's tree. Most blobs have none.
   */
  const lones = new Map<number, LoneBlob>();
  const keepLone = (index: number, path: string, halves: readonly LoneHalf[] | undefined, plainKnownEmpty = false) => {
    if (halves === undefined || halves.length === 0) return;
    const entry = lones.get(index) ?? {};
    if (pathNamesCrisp(path)) entry.crisp = [...halves];
    else entry.plain = [...halves];
    if (plainKnownEmpty) entry.plain ??= [];
    lones.set(index, entry);
  };
  /** Object id → its path where known. */
  const missing = new Map<string, string | undefined>();
  const missingBlob = (index: number) => missing.set(blobs.hexAt(index), blobs.pathAt(index) || undefined);

  const progress: HistoryProgress = { phase: "listing", blobsListed: 0, blobsDone: 0, blobsTotal: 0, bytesDone: 0, bytesTotal: 0 };
  let lastReport = 0;
  const emit = (force = false) => {
    if (report === undefined) return;
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    report({ ...progress });
  };
  emit(true);

  const scanContent = (index: number, content: Buffer) => {
    progress.blobsDone++;
    progress.bytesDone += content.length;
    emit();
    if (isBinary(content)) {
      stats.skippedBinary++;
      return;
    }
    stats.blobsScanned!++;
    stats.bytesScanned += content.length;
    const path = blobs.pathAt(index);
    // The detector needs Crisp context from the text or from the path. Most blobs have neither,
    // and that is decided on the bytes, before any decoding (see crisp-bytes.ts).
    if (!injected && !pathNamesCrisp(path)) {
      const kind = classifyBytes(content);
      // Other paths of the same blob may name Crisp; a blob without a UUID cannot matter then.
      if (kind === ByteClass.UuidOnly) probe(index, content.toString("utf8"));
      if (kind !== ByteClass.MayHaveContext) return;
    }
    const text = content.toString("utf8");
    if (!prefilter(text, path)) {
      if ((injected || !hasCrispContext(text, path)) && hasUuidShape(content)) probe(index, text);
      return;
    }
    const result = detect(text, { path });
    for (const id of result.websiteIds) websiteIds.add(id);
    if (result.candidates.length > 0) hits.set(index, result.candidates);
    else if (injected) probe(index, text);
    keepLone(index, path, result.lone);
  };
  /**
   * Would the blob hold a keypair at a path naming Crisp? Then its other paths are looked up.
   * Its lone halves there are kept too: the text has no Crisp context of its own, so at a path
   * that does not name Crisp it has none.
   */
  const probe = (index: number, text: string) => {
    if (!prefilter(text, PROBE_PATH)) return;
    const result = detect(text, { path: PROBE_PATH });
    if (result.candidates.length > 0) pathDependent.add(index);
    keepLone(index, PROBE_PATH, result.lone, !injected);
  };

  const pool = new ReaderPool(
    repoPath,
    blobs,
    {
      maxSize,
      onBlob: scanContent,
      onLarge(index, size) {
        large.add(index);
        stats.skippedLarge++;
        progress.blobsDone++;
        progress.bytesDone += size;
        emit();
      },
      onMissing: missingBlob,
    },
    { readers: options.readers ?? defaultReaders(), block: options.readBlock, signal },
  );
  const counting = countCommits(repoPath, revArgs, signal);
  counting.catch(() => {});
  try {
    await listBlobs(
      repoPath,
      revArgs,
      {
        onBlob(hex, path) {
          const before = blobs.size;
          const index = blobs.add(hex, path);
          if (blobs.size === before) return;
          hasCrispPaths ||= pathNamesCrisp(path);
          progress.blobsListed++;
          pool.push(index);
          if (progress.blobsDone === 0) emit();
        },
        onMissing(hex) {
          if (!missing.has(hex)) missing.set(hex, undefined);
        },
        congested: () => (pool.congested ? pool.drained() : null),
      },
      signal,
    );
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  progress.phase = "reading";
  progress.blobsTotal = blobs.size;
  emit(true);
  const gaps = await pool.end();
  progress.bytesTotal = progress.bytesDone;
  for (const index of gaps.unreadable) missingBlob(index);
  stats.commits = await counting;
  progress.phase = "attributing";
  emit(true);

  // rev-list named each blob once, with the first path it met; the blob may sit at a path naming
  // Crisp elsewhere, where its content alone holds a keypair. The probe above caught such blobs
  // with a UUID; a blob without one (base64 of `identifier:key` in `TOKEN=…`) copied unchanged to
  // crisp.env is caught by looking up, in a history that has paths naming Crisp at all, every
  // blob at such a path that was first met elsewhere. Histories without such paths (most) pay
  // nothing.
  const atCrispPath = (index: number) =>
    pathDependent.has(index) ||
    (hasCrispPaths && !hits.has(index) && !large.has(index) && !missing.has(blobs.hexAt(index)) && !pathNamesCrisp(blobs.pathAt(index)));
  if (pathDependent.size > 0 || hasCrispPaths) {
    const atPaths = await introductionsAtPaths(repoPath, revArgs, CRISP_PATHSPEC, (hex) => {
      const index = blobs.indexOf(hex);
      return index >= 0 && atCrispPath(index);
    }, signal);
    const ids = [...atPaths.keys()];
    // Read in batches: readObjects holds a batch's contents in memory at once.
    for (let start = 0; start < ids.length; start += PATH_LOOKUP_BATCH) {
      const batch = ids.slice(start, start + PATH_LOOKUP_BATCH);
      const contents = await readObjects(repoPath, batch, signal);
      for (const hex of batch) {
        const content = contents.get(hex);
        if (content == null || isBinary(content)) continue;
        const text = content.toString("utf8");
        const found: Candidate[] = [];
        for (const path of new Set(atPaths.get(hex)!.map((i) => i.path))) {
          if (!prefilter(text, path)) continue;
          const result = detect(text, { path });
          for (const id of result.websiteIds) websiteIds.add(id);
          found.push(...result.candidates);
        }
        if (found.length > 0) hits.set(blobs.indexOf(hex), found);
      }
    }
  }

  // Only now, for the few blobs with findings or lone halves: which commits introduced them (one walk).
  const hitIds = new Map<string, number>();
  for (const index of hits.keys()) hitIds.set(blobs.hexAt(index), index);
  // Lone halves matter only when some blob holds a lone identifier and some blob a lone key.
  const loneBlobs = new Map<string, LoneBlob>();
  if (mayPair(lones.values())) for (const [index, entry] of lones) loneBlobs.set(blobs.hexAt(index), entry);
  const introduced = await findIntroductions(repoPath, revArgs, new Set([...hitIds.keys(), ...loneBlobs.keys()]), signal);
  // Lone halves of different files paired in the trees that hold both: none of this runs unless
  // some blob holds a lone identifier and some blob a lone key.
  const crossFile = await pairAcrossTrees(repoPath, revArgs, loneBlobs, introduced, {
    detect,
    signal,
    onCost: options.onCrossFileCost,
  });
  const commitIds = new Set<string>();
  for (const [hex, list] of introduced) if (hitIds.has(hex)) for (const i of list) commitIds.add(i.commit);
  for (const c of crossFile) commitIds.add(c.occurrence.commit!);
  const details = await commitDetails(repoPath, [...commitIds], signal);
  const candidates: Candidate[] = [];
  for (const [hex, index] of hitIds) {
    const introducers: Introducer[] = (introduced.get(hex) ?? []).map((i) => {
      const detail = details.get(i.commit);
      return { commit: i.commit, path: i.path, author: detail?.author ?? "", date: detail?.date ?? "" };
    });
    candidates.push(...attribute(hits.get(index)!, introducers, boundary));
  }
  const introducing = await dropInherited(repoPath, candidates, { detect, mayContainKeypair: prefilter, maxFileSize: maxSize, signal });
  for (const c of crossFile) {
    const commit = c.occurrence.commit!;
    const detail = details.get(commit);
    introducing.push({
      ...c,
      occurrence: {
        ...c.occurrence,
        author: detail?.author ?? "",
        date: detail?.date ?? "",
        ...(boundary.has(commit) ? { shallowBoundary: true as const } : {}),
      },
    });
  }
  const missingObjects = [...missing].map(([id, path]) => (path === undefined ? { id } : { id, path }));
  return {
    candidates: introducing,
    websiteIds: [...websiteIds],
    stats,
    ...(missingObjects.length > 0 ? { missingObjects } : {}),
    ...(boundary.size > 0 ? { shallow: true } : {}),
  };
}

/**
 * One candidate per (introducing commit, path, line, column). A blob no commit introduced (one a
 * tag points at directly) keeps its path in the tagged tree, without commit details.
 */
export function attribute(
  found: readonly Candidate[],
  introducers: readonly Introducer[],
  shallowBoundary: ReadonlySet<string> = new Set(),
): Candidate[] {
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
          ...(shallowBoundary.has(introducer.commit) ? { shallowBoundary: true as const } : {}),
        },
      });
    }
  }
  return out;
}
