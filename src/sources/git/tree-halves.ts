// The lone labelled halves of one commit's tree in a local repository (a fetched commit, see
// github-clone.ts): every blob listed once with `git ls-tree -r`, read through one streamed
// `git cat-file --batch`, the cheap half prefilter first, the detector only on what passes.
import { mayContainHalf } from "../../detect/index.js";
import type { LoneHalf } from "../../detect/types.js";
import { DEFAULT_MAX_FILE_SIZE, isBinary } from "../content.js";
import { BatchParser } from "./batch.js";
import { parseLsTreeEntries } from "./ls-tree.js";
import { runGit, spawnGit } from "./process.js";
import { wholeFileScanRequest, type FileScanner } from "../push-file.js";

export interface TreeEntry {
  oid: string;
  path: string;
}

/** Regular files and executables; links (120000) and submodules (160000) hold no text of this tree. */
const FILE_MODES = new Set(["100644", "100755"]);

/** The files of `git ls-tree -r -z` output: blobs with a regular or executable mode. */
export function parseLsTree(output: string): TreeEntry[] {
  return parseLsTreeEntries(output)
    .filter((e) => e.type === "blob" && FILE_MODES.has(e.mode))
    .map(({ oid, path }) => ({ oid, path }));
}

export interface TreeHalvesOptions {
  scanFile: FileScanner;
  pathsIgnore?: (path: string) => boolean;
  maxFileSize?: number;
  /** Blobs not in the repository (left out of a partial fetch): skipped without asking git. */
  missing?: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface TreeHalves {
  lone: LoneHalf[];
  /** Files given to the detector. */
  filesScanned: number;
  /** Files not read or not scanned (too large, missing, over the time budget). */
  notScanned: number;
}

/** Reads every file of `commit`'s tree and returns their lone labelled halves. */
export async function treeLoneHalves(gitDir: string, commit: string, options: TreeHalvesOptions): Promise<TreeHalves> {
  const ignore = options.pathsIgnore ?? (() => false);
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const listing = await runGit(gitDir, ["ls-tree", "-r", "-z", "--full-tree", commit], { signal: options.signal });
  const result: TreeHalves = { lone: [], filesScanned: 0, notScanned: 0 };
  const entries: TreeEntry[] = [];
  for (const e of parseLsTree(listing)) {
    if (ignore(e.path)) continue;
    if (options.missing?.has(e.oid)) result.notScanned++;
    else entries.push(e);
  }
  if (entries.length === 0) return result;

  const scans: Promise<void>[] = [];
  let next = 0; // cat-file answers in the order it was asked
  const { child, done } = spawnGit(gitDir, ["cat-file", "--batch", "--buffer"], { signal: options.signal, what: "git cat-file" });
  const parser = new BatchParser({
    wants: (header) => {
      if (header.type === "blob" && header.size <= maxFileSize) return true;
      next++;
      result.notScanned++;
      return false;
    },
    onObject: (_header, content) => {
      const entry = entries[next++]!;
      if (isBinary(content)) return;
      const text = content.toString("utf8");
      if (!mayContainHalf(text, entry.path)) return;
      scans.push(
        options.scanFile(wholeFileScanRequest(entry.path, text, null)).then((outcome) => {
          if ("notScanned" in outcome) {
            result.notScanned++;
            return;
          }
          result.filesScanned++;
          for (const half of outcome.scan.lone ?? []) result.lone.push(half);
        }),
      );
    },
    onMissing: () => {
      next++;
      result.notScanned++;
    },
  });
  // A holder, not a `let`: set in a callback, which the compiler's narrowing cannot see.
  const parse: { error: Error | null } = { error: null };
  child.stdout.on("data", (chunk: Buffer) => {
    if (parse.error !== null) return;
    try {
      parser.push(chunk);
    } catch (error) {
      parse.error = error instanceof Error ? error : new Error(String(error));
      child.kill();
    }
  });
  child.stdin.end(entries.map((e) => `${e.oid}\n`).join(""));
  // Every scan started settles before this returns (no thread work outlives the call), then the
  // first failure is thrown.
  const gitOutcome = await done.then(() => null, (error: unknown) => ({ error }));
  const settled = await Promise.allSettled(scans);
  if (parse.error !== null) throw parse.error;
  if (gitOutcome) throw gitOutcome.error;
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  // The file order of the tree, whatever order the scans finished in.
  const order = new Map(entries.map((e, i) => [e.path, i]));
  result.lone.sort((a, b) => (order.get(a.occurrence.path) ?? 0) - (order.get(b.occurrence.path) ?? 0));
  return result;
}
