// Reads each blob of a BlobSet exactly once through one streamed `git cat-file` process.
// Two ways, same result:
// - "all-objects": `--batch-all-objects --unordered` walks the object store in pack order (the
//   fastest order: delta bases are still cached when their deltas come) and the BlobSet filters
//   what is reachable. Used for a whole-history scan, where nearly every object is wanted anyway.
// - "by-id": the BlobSet's ids are fed on stdin. Used for --since/--branch, where only part of
//   the store is wanted.
import type { Writable } from "node:stream";
import { BatchParser, type BatchHeader } from "./git-batch.js";
import { BitSet, type BlobSet } from "./history-blobs.js";
import { abortError, spawnGit } from "./git-process.js";
import { LineSplitter } from "./git-lines.js";

export type ReadMode = "all-objects" | "by-id";

export interface BlobVisitor {
  /** Blobs larger than this are not handed over (their bytes stream past). */
  maxSize: number;
  onBlob(index: number, content: Buffer): void;
  onLarge(index: number, size: number): void;
  /** The id was in the set but is not a blob (an annotated tag object rev-list also prints). */
  onNotBlob?(index: number): void;
}

/** Ids per write to git's stdin: large enough to be cheap, small enough to respect backpressure. */
const IDS_PER_WRITE = 4096;

async function feedIds(stdin: Writable, blobs: BlobSet, signal?: AbortSignal): Promise<void> {
  for (let start = 0; start < blobs.size; start += IDS_PER_WRITE) {
    if (signal?.aborted) throw abortError(signal);
    const end = Math.min(blobs.size, start + IDS_PER_WRITE);
    let text = "";
    for (let i = start; i < end; i++) text += `${blobs.hexAt(i)}\n`;
    if (!stdin.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => { stdin.off("error", onError); resolve(); };
        const onError = (error: Error) => { stdin.off("drain", onDrain); reject(error); };
        stdin.once("drain", onDrain);
        stdin.once("error", onError);
      });
    }
  }
  stdin.end();
}

export async function readBlobs(
  repoPath: string,
  blobs: BlobSet,
  mode: ReadMode,
  visitor: BlobVisitor,
  signal?: AbortSignal,
): Promise<void> {
  const met = new BitSet(blobs.size);
  let metCount = 0;
  const missing: string[] = [];
  let current = -1;
  // --buffer: no flush after each object (we never wait for an answer before asking the next).
  const args =
    mode === "all-objects"
      ? ["cat-file", "--batch", "--buffer", "--batch-all-objects", "--unordered"]
      : ["cat-file", "--batch", "--buffer"];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git cat-file" });
  const parser = new BatchParser({
    wants(header: BatchHeader): boolean {
      current = blobs.indexOf(header.oid);
      if (current < 0 || met.has(current)) return false;
      met.set(current);
      metCount++;
      if (header.type !== "blob") {
        visitor.onNotBlob?.(current);
        current = -1;
        return false;
      }
      if (header.size > visitor.maxSize) {
        visitor.onLarge(current, header.size);
        current = -1;
        return false;
      }
      return true;
    },
    onObject(_header, content): void {
      visitor.onBlob(current, content);
    },
    onMissing(oid): void {
      if (missing.length < 5) missing.push(oid);
    },
  });
  let parseError: Error | null = null;
  child.stdout.on("data", (chunk: Buffer) => {
    if (parseError !== null) return;
    try {
      parser.push(chunk);
    } catch (error) {
      // A detector or parser failure stops git rather than reading on for nothing.
      parseError = error instanceof Error ? error : new Error(String(error));
      child.kill();
    }
  });
  if (mode === "by-id") {
    feedIds(child.stdin, blobs, signal).catch(() => {
      // git stopped reading (it failed); its own error is reported through `done`.
    });
  } else {
    child.stdin.end();
  }
  try {
    await done;
  } catch (error) {
    if (parseError !== null && !signal?.aborted) throw parseError;
    throw error;
  }
  if (parseError !== null) throw parseError;
  if (!parser.idle) throw new Error("git cat-file output ended in the middle of an object");
  if (missing.length > 0 || metCount < blobs.size) {
    const example = missing[0] ?? firstUnmet(blobs, met);
    const count = Math.max(missing.length, blobs.size - metCount);
    throw new Error(
      `${count} object${count === 1 ? "" : "s"} reachable from the refs cannot be read (e.g. ${example}): the repository is incomplete or corrupt`,
    );
  }
}

function firstUnmet(blobs: BlobSet, met: BitSet): string {
  for (let i = 0; i < blobs.size; i++) if (!met.has(i)) return blobs.hexAt(i);
  return "?";
}

/** Blob count and total bytes of a BlobSet, for progress totals (object headers only: cheap). */
export async function measureBlobs(
  repoPath: string,
  blobs: BlobSet,
  signal?: AbortSignal,
): Promise<{ blobs: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  const { child, done } = spawnGit(repoPath, ["cat-file", "--buffer", "--batch-check=%(objecttype) %(objectsize)"], {
    signal,
    what: "git cat-file",
  });
  const lines = new LineSplitter((line) => {
    const [type, size] = line.split(" ");
    if (type === "blob") {
      count++;
      bytes += Number(size) || 0;
    }
  });
  child.stdout.on("data", (chunk: Buffer) => lines.push(chunk));
  feedIds(child.stdin, blobs, signal).catch(() => {});
  await done;
  lines.end();
  return { blobs: count, bytes };
}
