// The `dir` source: every regular file under a root, each read once. Skips .git, symbolic links
// (no loops, nothing outside the root), binary files and files over the size limit, and counts them.
import { opendir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { detect as realDetect, mayContainKeypair as realPrefilter } from "../detect/index.js";
import type { Candidate } from "../detect/types.js";
import type { SourceResult, SourceStats } from "./types.js";

/** Issue #2: files over 25 MB are skipped by default (and counted). */
export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
/** Git's own heuristic: a NUL byte in the first 8000 bytes makes a file binary. */
const BINARY_SNIFF_BYTES = 8000;
/** Files read at once: enough to keep the disk busy while the CPU scans, on a 2-core machine. */
const READ_CONCURRENCY = 8;
/** Bytes held in flight at once, so peak memory stays flat whatever the tree holds (issue #2: < 300 MB). */
const READ_BYTE_BUDGET = 64 * 1024 * 1024;

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
  readFile?: (path: string) => Promise<Buffer>;
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

export function isBinary(buf: Uint8Array): boolean {
  const end = Math.min(buf.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (buf[i] === 0) return true;
  return false;
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

async function* walk(root: string, onWarning: (m: string) => void): AsyncGenerator<string> {
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      onWarning(`cannot read directory ${toPosix(relative(root, dir)) || "."}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
      continue;
    }
    const subdirs: string[] = [];
    for await (const entry of handle) {
      if (entry.isDirectory()) {
        if (entry.name !== ".git") subdirs.push(join(dir, entry.name));
      } else if (entry.isFile()) {
        yield join(dir, entry.name);
      }
    }
    // Reverse so directories are visited in the order they were listed.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

/** Scans a directory tree. `root` must be an existing directory or file (the caller checks). */
export async function scanDirectory(root: string, options: DirScanOptions = {}): Promise<DirScanResult> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const detect = options.detect ?? realDetect;
  const prefilter = options.mayContainKeypair ?? realPrefilter;
  const warn = options.onWarning ?? (() => {});
  const read = options.readFile ?? ((path: string) => readFile(path));
  const stats: DirScanStats = {
    filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0, unreadable: 0,
  };
  const candidates: Candidate[] = [];
  const websiteIds = new Set<string>();

  const rootStat = await stat(root);
  const single = rootStat.isFile();
  const base = single ? join(root, "..") : root;

  let inFlight = 0;
  let inFlightBytes = 0;
  const waiters: Array<() => void> = [];
  const release = () => waiters.shift()?.();

  async function scanFile(abs: string, size: number): Promise<void> {
    const path = toPosix(relative(base, abs));
    try {
      const buf = await read(abs);
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
      }
    } catch (error) {
      stats.unreadable++;
      warn(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    } finally {
      inFlight--;
      inFlightBytes -= size;
      options.onProgress?.({ filesDone: stats.filesScanned, bytesDone: stats.bytesScanned });
      release();
    }
  }

  const pending = new Set<Promise<void>>();
  const files = single ? (async function* () { yield root; })() : walk(root, warn);
  for await (const abs of files) {
    const path = toPosix(relative(base, abs));
    if (options.ignore?.(path)) {
      stats.skippedIgnored++;
      continue;
    }
    let size: number;
    try {
      size = (await stat(abs)).size;
    } catch (error) {
      stats.unreadable++;
      warn(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
      continue;
    }
    if (size > maxFileSize) {
      stats.skippedLarge++;
      continue;
    }
    while (inFlight > 0 && (inFlight >= READ_CONCURRENCY || inFlightBytes + size > READ_BYTE_BUDGET)) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    inFlight++;
    inFlightBytes += size;
    const p = scanFile(abs, size).finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  return { candidates, websiteIds: [...websiteIds], stats };
}
