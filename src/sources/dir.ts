// The `dir` source: every regular file under a root, each read once. Skips .git, symbolic links
// (no loops, nothing outside the root), binary files and files over the size limit, and counts them.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, sep } from "node:path";
import { displayPath } from "../escape/path.js";
import { detect as realDetect, mayContainHalf as realPrefilter, pairAcrossFiles } from "../detect/index.js";
import type { Candidate, LoneHalf } from "../detect/types.js";
import { DEFAULT_MAX_FILE_SIZE, isBinary } from "./content.js";
import type { SourceResult, SourceStats } from "./types.js";

/** Files read at once: enough to keep the disk busy while the CPU scans, on a 2-core machine. */
const READ_CONCURRENCY = 8;
/** Bytes held in flight at once, so peak memory stays flat whatever the tree holds (under 300 MB: BENCHMARKS.md). */
const READ_BYTE_BUDGET = 64 * 1024 * 1024;

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

export interface DirScanOptions {
  maxFileSize?: number;
  /** paths-ignore: relative '/'-separated path → true to skip. */
  ignore?: (path: string) => boolean;
  onProgress?: (p: { filesDone: number; bytesDone: number }) => void;
  /** An unreadable file is reported here and the scan goes on. */
  onWarning?: (message: string) => void;
  detect?: typeof realDetect;
  mayContainKeypair?: typeof realPrefilter;
  /** For tests: how a file is read. */
  readFile?: (path: Buffer) => Promise<Buffer>;
}

export interface DirScanStats extends SourceStats {
  filesScanned: number;
  unreadable: number;
  /** Files that paths-ignore matched. */
  skippedIgnored: number;
}

export interface DirScanResult extends SourceResult {
  stats: DirScanStats;
}

/** A file found by the walk: its bytes path to open, and its path relative to the scan base. */
interface Found {
  abs: Buffer;
  /** '/'-separated, relative to the scan base, still bytes. */
  rel: Buffer;
}

const SLASH = Buffer.from("/");

function joinBytes(dir: Buffer, name: Buffer): Buffer {
  return dir.length === 0 ? name : Buffer.concat([dir, SLASH, name]);
}

/**
 * Yields the regular files under root, a directory at a time (one readdir call each). Names are
 * read and joined as bytes: a name that is not valid UTF-8 turned into a string could not be opened.
 */
async function* walk(root: Buffer, onWarning: (m: string) => void): AsyncGenerator<Found[]> {
  const stack: Found[] = [{ abs: root, rel: Buffer.alloc(0) }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = await readdir(dir.abs, { withFileTypes: true, encoding: "buffer" });
    } catch (error) {
      onWarning(`cannot read directory ${displayPath(dir.rel) || "."}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
      continue;
    }
    const files: Found[] = [];
    const subdirs: Found[] = [];
    for (const entry of entries) {
      const name = entry.name as unknown as Buffer;
      const found = { abs: joinBytes(dir.abs, name), rel: joinBytes(dir.rel, name) };
      if (entry.isDirectory()) {
        if (!name.equals(GIT_DIR)) subdirs.push(found);
      } else if (entry.isFile()) {
        files.push(found);
      }
    }
    if (files.length > 0) yield files;
    // Reverse so directories are visited in the order they were listed.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

const GIT_DIR = Buffer.from(".git");

/** Bytes held by reads in flight; a read waits while the budget is spent (one read always may run). */
class ByteBudget {
  #used = 0;
  #waiters: Array<() => void> = [];
  constructor(readonly limit: number) {}

  async acquire(bytes: number): Promise<void> {
    while (this.#used > 0 && this.#used + bytes > this.limit) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#used += bytes;
  }

  release(bytes: number): void {
    this.#used -= bytes;
    const waiters = this.#waiters.splice(0);
    for (const wake of waiters) wake();
  }
}

/** Scans a directory tree. `root` must be an existing directory or file (the caller checks). */
export async function scanDirectory(root: string, options: DirScanOptions = {}): Promise<DirScanResult> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const detect = options.detect ?? realDetect;
  const prefilter = options.mayContainKeypair ?? realPrefilter;
  const warn = options.onWarning ?? (() => {});
  const read = options.readFile ?? ((path: Buffer) => readFile(path));
  const stats: DirScanStats = {
    filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0, unreadable: 0,
  };
  const candidates: Candidate[] = [];
  const websiteIds = new Set<string>();
  // The whole tree is one tree: halves left alone in their file may pair across files at the end.
  const lone: LoneHalf[] = [];

  const rootStat = await stat(root);
  const single = rootStat.isFile();
  const rootBytes = Buffer.from(root);

  const budget = new ByteBudget(READ_BYTE_BUDGET);

  async function scanFile(abs: Buffer, path: string): Promise<void> {
    let size = 0;
    try {
      size = (await stat(abs)).size;
      if (size > maxFileSize) {
        stats.skippedLarge++;
        return;
      }
      await budget.acquire(size);
      try {
        scanBuffer(await read(abs), path);
      } finally {
        budget.release(size);
      }
    } catch (error) {
      stats.unreadable++;
      warn(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    } finally {
      options.onProgress?.({ filesDone: stats.filesScanned, bytesDone: stats.bytesScanned });
    }
  }

  function scanBuffer(buf: Buffer, path: string): void {
    if (isBinary(buf)) {
      stats.skippedBinary++;
      return;
    }
    const text = buf.toString("utf8");
    stats.filesScanned++;
    stats.bytesScanned += buf.length;
    if (prefilter(text, path)) {
      const result = detect(text, { path });
      for (const c of result.candidates) candidates.push(c);
      for (const id of result.websiteIds) websiteIds.add(id);
      for (const half of result.lone ?? []) lone.push(half);
    }
  }

  const pending = new Set<Promise<void>>();
  const batches = single
    ? (async function* () { yield [{ abs: rootBytes, rel: Buffer.from(basename(root)) }]; })()
    : walk(rootBytes, warn);
  for await (const batch of batches) {
    for (const { abs, rel } of batch) {
      const path = toPosix(displayPath(rel));
      if (options.ignore?.(path)) {
        stats.skippedIgnored++;
        continue;
      }
      while (pending.size >= READ_CONCURRENCY) await Promise.race(pending);
      const p = scanFile(abs, path).finally(() => pending.delete(p));
      pending.add(p);
    }
  }
  await Promise.all(pending);
  for (const c of pairAcrossFiles(lone)) candidates.push(c);
  return { candidates, websiteIds: [...websiteIds], stats };
}
