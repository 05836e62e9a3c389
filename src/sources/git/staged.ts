// The `staged` source: what `git commit` is about to record. Only the blobs the index holds for
// added, copied, modified or renamed paths are read (never history, never the work tree), so a
// pre-commit hook stays fast in a big repository.
import { detect as realDetect, mayContainKeypair as realPrefilter } from "../../detect/index.js";
import type { Candidate } from "../../detect/types.js";
import { DEFAULT_MAX_FILE_SIZE, isBinary } from "../content.js";
import { BatchParser, type BatchHeader } from "./batch.js";
import { runGit, spawnGit } from "./process.js";
import type { SourceResult, SourceStats } from "../types.js";

/** Index entry modes that hold file content (regular, executable); links and submodules do not. */
const FILE_MODES = new Set(["100644", "100755"]);

export interface StagedScanOptions {
  maxFileSize?: number;
  /** paths-ignore: relative '/'-separated path → true to skip. */
  ignore?: (path: string) => boolean;
  /**
   * The index to read, when not the repository's own: git hands a pre-commit hook a temporary
   * index in GIT_INDEX_FILE for `git commit -a` or `git commit PATH`.
   */
  indexFile?: string;
  signal?: AbortSignal;
}

export interface StagedScanStats extends SourceStats {
  filesScanned: number;
  skippedIgnored: number;
}

export interface StagedScanResult extends SourceResult {
  stats: StagedScanStats;
}

export interface StagedEntry {
  path: string;
  blob: string;
}

/**
 * Parses `git diff --cached --raw -z --no-abbrev` output: `:<old mode> <new mode> <old id> <new id>
 * <status>\0<path>\0` (renames and copies: two paths, the new one last). Keeps file blobs only.
 */
export function parseRawDiff(output: string): StagedEntry[] {
  const fields = output.split("\u0000");
  const entries: StagedEntry[] = [];
  for (let i = 0; i < fields.length; ) {
    const head = fields[i++]!;
    if (!head.startsWith(":")) continue;
    const [, newMode, , newId, status] = head.slice(1).split(" ");
    const twoPaths = status !== undefined && /^[RC]/.test(status);
    if (twoPaths) i++;
    const path = fields[i++];
    if (path === undefined || newMode === undefined || newId === undefined) break;
    if (FILE_MODES.has(newMode)) entries.push({ path, blob: newId });
  }
  return entries;
}

/** The top-level directory of the work tree around `cwd`; a one-line Error outside one. */
export async function workTreeRoot(cwd: string): Promise<string> {
  try {
    // -C rather than the repository path: git must look upwards from a subdirectory.
    return (await runGit(null, ["-C", cwd, "rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new Error(`${cwd} is not inside a git work tree (staged scans what is staged in one)`);
  }
}

export async function scanStaged(root: string, options: StagedScanOptions = {}): Promise<StagedScanResult> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const env = options.indexFile ? { GIT_INDEX_FILE: options.indexFile } : undefined;
  const stats: StagedScanStats = { filesScanned: 0, bytesScanned: 0, skippedLarge: 0, skippedBinary: 0, skippedIgnored: 0 };
  const candidates: Candidate[] = [];
  const websiteIds = new Set<string>();

  // Against HEAD, or the empty tree before the first commit (git diff --cached handles both).
  const raw = await runGit(
    root,
    ["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=ACMR", "--no-ext-diff", "--no-textconv"],
    { env, signal: options.signal, what: "git diff --cached" },
  );
  const entries = parseRawDiff(raw).filter((e) => {
    if (!options.ignore?.(e.path)) return true;
    stats.skippedIgnored++;
    return false;
  });
  if (entries.length === 0) return { candidates, websiteIds: [], stats };

  // The same blob may be staged under several paths: read it once, scan it under each.
  const pathsOf = new Map<string, string[]>();
  for (const e of entries) pathsOf.set(e.blob, [...(pathsOf.get(e.blob) ?? []), e.path]);

  const { child, done } = spawnGit(root, ["cat-file", "--batch", "--buffer"], { env, signal: options.signal, what: "git cat-file" });
  const missing: string[] = [];
  const parser = new BatchParser({
    wants(header: BatchHeader) {
      const paths = pathsOf.get(header.oid) ?? [];
      if (header.type !== "blob") return false;
      if (header.size > maxFileSize) {
        stats.skippedLarge += paths.length;
        return false;
      }
      return true;
    },
    onObject(header, content) {
      const paths = pathsOf.get(header.oid) ?? [];
      if (isBinary(content)) {
        stats.skippedBinary += paths.length;
        return;
      }
      const text = content.toString("utf8");
      for (const path of paths) {
        stats.filesScanned++;
        stats.bytesScanned += content.length;
        if (!realPrefilter(text, path)) continue;
        const result = realDetect(text, { path });
        for (const c of result.candidates) candidates.push(c);
        for (const id of result.websiteIds) websiteIds.add(id);
      }
    },
    onMissing(oid) {
      missing.push(oid);
    },
  });
  let parseError: unknown = null;
  child.stdout.on("data", (chunk: Buffer) => {
    if (parseError !== null) return;
    try {
      parser.push(chunk);
    } catch (error) {
      // Output we cannot follow: stop git rather than read on.
      parseError = error;
      child.kill();
    }
  });
  child.stdin.end([...pathsOf.keys()].map((id) => `${id}\n`).join(""));
  try {
    await done;
  } catch (error) {
    throw parseError ?? error;
  }
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the parser's own error, forwarded
  if (parseError !== null) throw parseError;
  if (missing.length > 0) throw new Error(`${missing.length} staged object${missing.length === 1 ? "" : "s"} cannot be read (e.g. ${missing[0]})`);
  return { candidates, websiteIds: [...websiteIds], stats };
}
