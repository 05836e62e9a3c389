// Reads each blob of a BlobSet exactly once through one streamed `git cat-file --batch` process,
// fed the wanted ids. The order matters for speed: packs store most blobs as deltas against
// others, and git resolves a delta fastest while its base is still in its cache. Two orders:
// - "pack-order": the order objects sit in the packs, learnt from one pass over object headers
//   (`--batch-all-objects --batch-check --unordered`, cheap; it also gives every size, so progress
//   totals come free). Used for a whole-history scan. Unlike `--batch-all-objects --batch`, trees
//   and commits are never inflated: on a generated 50,000-commit history that is ~20% less work
//   than the floor itself.
// - "by-id": the order the history walk listed them (newest first). Used for --since/--branch,
//   where a pass over every object header of a large store could cost more than the read.
import { availableParallelism } from "node:os";
import type { Writable } from "node:stream";
import { BatchParser, type BatchHeader } from "./git-batch.js";
import { BitSet, type BlobSet } from "./history-blobs.js";
import { abortError, spawnGit } from "./git-process.js";
import { LineSplitter } from "./git-lines.js";

export type ReadMode = "pack-order" | "by-id";

export interface BlobVisitor {
  /** Blobs larger than this are not handed over (their bytes stream past). */
  maxSize: number;
  onBlob(index: number, content: Buffer): void;
  onLarge(index: number, size: number): void;
  /** The id was in the set but is not a blob (cannot happen with ids from the walk; checked anyway). */
  onNotBlob?(index: number): void;
  /** cat-file answered "missing" for the id. */
  onMissing?(index: number): void;
}

/** Ids per write to git's stdin: large enough to be cheap, small enough to respect backpressure. */
const IDS_PER_WRITE = 4096;

/** Writes the ids of `blobs` (in `order`, or in set order) to git, one per line, with backpressure. */
async function feedIds(stdin: Writable, blobs: BlobSet, order: Uint32Array | null, signal?: AbortSignal): Promise<void> {
  const total = order?.length ?? blobs.size;
  for (let start = 0; start < total; start += IDS_PER_WRITE) {
    if (signal?.aborted) throw abortError(signal);
    const end = Math.min(total, start + IDS_PER_WRITE);
    let text = "";
    for (let k = start; k < end; k++) text += `${blobs.hexAt(order === null ? k : order[k]!)}\n`;
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

/** Every blob of the object store, in pack order, with its size: raw ids packed in one buffer. */
export interface PackListing {
  idBytes: number;
  count: number;
  ids: Buffer;
  sizes: Float64Array;
}

/** One pass over object headers (no content is inflated): the store's blobs in pack order. */
export async function listPackOrder(repoPath: string, idBytes: number, signal?: AbortSignal): Promise<PackListing> {
  let capacity = 4096;
  let ids = Buffer.alloc(capacity * idBytes);
  let sizes = new Float64Array(capacity);
  let count = 0;
  const hexLength = idBytes * 2;
  const { child, done } = spawnGit(
    repoPath,
    ["cat-file", "--batch-all-objects", "--unordered", "--buffer", "--batch-check=%(objecttype) %(objectsize) %(objectname)"],
    { signal, what: "git cat-file" },
  );
  child.stdin.end();
  const lines = new LineSplitter((line) => {
    if (!line.startsWith("blob ")) return;
    const space = line.indexOf(" ", 5);
    if (space === -1 || line.length - space - 1 !== hexLength) return;
    if (count === capacity) {
      capacity *= 2;
      const grownIds = Buffer.alloc(capacity * idBytes);
      ids.copy(grownIds);
      ids = grownIds;
      const grownSizes = new Float64Array(capacity);
      grownSizes.set(sizes);
      sizes = grownSizes;
    }
    ids.write(line.slice(space + 1), count * idBytes, "hex");
    sizes[count] = Number(line.slice(5, space));
    count++;
  });
  child.stdout.on("data", (chunk: Buffer) => lines.push(chunk));
  await done;
  lines.end();
  return { idBytes, count, ids, sizes };
}

export interface ReadPlan {
  /** BlobSet indexes in the order to read them. */
  order: Uint32Array;
  /** Blobs and bytes the read will go through: progress totals. */
  blobs: number;
  bytes: number;
}

/**
 * The set's blobs in pack order. Ids the store listing lacks (missing objects, or ones that are
 * not blobs) go last: the read then tells which they are.
 */
export function planPackOrder(blobs: BlobSet, listing: PackListing): ReadPlan {
  const order = new Uint32Array(blobs.size);
  const placed = new BitSet(blobs.size);
  let n = 0;
  let bytes = 0;
  for (let k = 0; k < listing.count; k++) {
    const index = blobs.indexOfBytes(listing.ids, k * listing.idBytes);
    if (index < 0 || placed.has(index)) continue;
    placed.set(index);
    order[n++] = index;
    bytes += listing.sizes[k]!;
  }
  const found = n;
  for (let index = 0; index < blobs.size; index++) if (!placed.has(index)) order[n++] = index;
  return { order, blobs: found, bytes };
}

/**
 * Ids per block when the read is split between several git processes. Blocks go round-robin, so
 * each process gets old and new history alike (deep delta chains sit at one end of a pack) and
 * keeps runs long enough for its delta base cache. Measured on the 50,000-commit bench corpus:
 * two processes fed alternate 1,000-id blocks took 3.9 s together against 6.4 s for one, with the
 * same total CPU.
 */
const READ_BLOCK = 4096;

/** git processes reading at once: git inflates on one core each; more than 4 gains little. */
export const MAX_READERS = 4;

export function defaultReaders(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_READERS));
}

/** Splits `order` into `readers` slices made of alternate blocks. */
export function partition(order: Uint32Array, readers: number, block = READ_BLOCK): Uint32Array[] {
  const count = Math.max(1, Math.min(readers, Math.ceil(order.length / block)));
  if (count === 1) return [order];
  const parts: number[][] = Array.from({ length: count }, () => []);
  for (let start = 0, b = 0; start < order.length; start += block, b++) {
    const part = parts[b % count]!;
    for (let k = start; k < Math.min(order.length, start + block); k++) part.push(order[k]!);
  }
  return parts.map((p) => Uint32Array.from(p));
}

interface ReadState {
  met: BitSet;
  metCount: number;
  missing: string[];
}

/**
 * Reads every blob of the set once, in `order` (default: set order), split between `readers` git
 * processes, and checks that none is missing. The visitor runs on this thread, one blob at a time.
 */
export async function readBlobs(
  repoPath: string,
  blobs: BlobSet,
  order: Uint32Array | null,
  visitor: BlobVisitor,
  signal?: AbortSignal,
  readers = 1,
  block = READ_BLOCK,
): Promise<void> {
  const state: ReadState = { met: new BitSet(blobs.size), metCount: 0, missing: [] };
  const slices = readers > 1 ? partition(order ?? identity(blobs.size), readers, block) : [order];
  // One reader failing stops the others.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(
      slices.map((slice) =>
        readSlice(repoPath, blobs, slice, visitor, state, stop.signal).catch((error: unknown) => {
          stop.abort(error);
          throw error;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (state.missing.length > 0 || state.metCount < blobs.size) {
    const example = state.missing[0] ?? firstUnmet(blobs, state.met);
    const count = Math.max(state.missing.length, blobs.size - state.metCount);
    throw new Error(
      `${count} object${count === 1 ? "" : "s"} reachable from the refs cannot be read (e.g. ${example}): the repository is incomplete or corrupt`,
    );
  }
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

async function readSlice(
  repoPath: string,
  blobs: BlobSet,
  order: Uint32Array | null,
  visitor: BlobVisitor,
  state: ReadState,
  signal: AbortSignal,
): Promise<void> {
  let current = -1;
  // --buffer: no flush after each object (we never wait for an answer before asking the next).
  const { child, done } = spawnGit(repoPath, ["cat-file", "--batch", "--buffer"], { signal, what: "git cat-file" });
  const parser = new BatchParser({
    wants(header: BatchHeader): boolean {
      current = blobs.indexOf(header.oid);
      if (current < 0 || state.met.has(current)) return false;
      state.met.set(current);
      state.metCount++;
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
      if (state.missing.length < 5) state.missing.push(oid);
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
  feedIds(child.stdin, blobs, order, signal).catch(() => {
    // git stopped reading (it failed); its own error is reported through `done`.
  });
  try {
    await done;
  } catch (error) {
    if (parseError !== null && !signal.aborted) throw parseError;
    throw error;
  }
  if (parseError !== null) throw parseError;
  if (!parser.idle) throw new Error("git cat-file output ended in the middle of an object");
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
  feedIds(child.stdin, blobs, null, signal).catch(() => {});
  await done;
  lines.end();
  return { blobs: count, bytes };
}

/** What a read could not do: objects listed but not readable (missing, or corrupt in the store). */
export interface ReadGaps {
  /** BlobSet indexes of blobs cat-file could not read. */
  unreadable: number[];
}

/**
 * A corrupt object makes cat-file die; the reader restarts past it. More failures than this in one
 * scan is a store too damaged to go on reading object by object.
 */
const MAX_READER_RESTARTS = 1000;

/**
 * Reads blobs as they are handed over (`push`), while the enumeration is still running: ids go to
 * `readers` git cat-file processes in alternate blocks (see READ_BLOCK). An object cat-file cannot
 * read (missing, or corrupt: cat-file dies on it) is recorded and the read goes on without it.
 */
export class ReaderPool {
  readonly #repoPath: string;
  readonly #blobs: BlobSet;
  readonly #visitor: BlobVisitor;
  readonly #block: number;
  readonly #signal: AbortSignal;
  readonly #stop = new AbortController();
  readonly #readers: PoolReader[] = [];
  readonly #gaps: ReadGaps = { unreadable: [] };
  #pending: number[] = [];
  #next = 0;
  #restarts = 0;
  #failure: unknown = null;

  constructor(repoPath: string, blobs: BlobSet, visitor: BlobVisitor, options: { readers: number; block?: number; signal?: AbortSignal }) {
    this.#repoPath = repoPath;
    this.#blobs = blobs;
    this.#visitor = visitor;
    this.#block = options.block ?? READ_BLOCK;
    const outer = options.signal;
    if (outer !== undefined) {
      if (outer.aborted) this.#stop.abort(outer.reason);
      else outer.addEventListener("abort", () => this.#stop.abort(outer.reason), { once: true });
    }
    this.#signal = this.#stop.signal;
    for (let i = 0; i < Math.max(1, options.readers); i++) this.#readers.push(this.#start([]));
  }

  /** True while some reader's stdin is full: the producer should wait for `drained()`. */
  get congested(): boolean {
    return this.#readers.some((r) => r.congested);
  }

  drained(): Promise<void> {
    return Promise.all(this.#readers.map((r) => r.drained())).then(() => {});
  }

  /** Queues one BlobSet index for reading. */
  push(index: number): void {
    this.#pending.push(index);
    if (this.#pending.length >= this.#block) this.#flush();
  }

  /** No more ids: waits for every reader; rejects on abort or on a failure that is not an object's. */
  async end(): Promise<ReadGaps> {
    this.#flush();
    for (const r of this.#readers) r.close();
    // Readers may be replaced while we wait (a restart past a corrupt object).
    for (;;) {
      const current = [...this.#readers];
      await Promise.allSettled(current.map((r) => r.done));
      if (this.#failure !== null) throw this.#failure;
      if (this.#signal.aborted) throw abortError(this.#signal);
      if (current.every((r, i) => this.#readers[i] === r)) break;
    }
    return this.#gaps;
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const block = this.#pending;
    this.#pending = [];
    const reader = this.#readers[this.#next++ % this.#readers.length]!;
    reader.write(block);
  }

  #start(initial: number[]): PoolReader {
    const reader = new PoolReader(this.#repoPath, this.#blobs, this.#visitor, this.#signal, (r, error) => this.#onFailure(r, error));
    if (initial.length > 0) reader.write(initial);
    return reader;
  }

  /** A reader's git died. If it died on an object, note that object and go on with a new reader. */
  #onFailure(reader: PoolReader, error: unknown): void {
    if (this.#signal.aborted || this.#failure !== null) return;
    const at = reader.unanswered();
    if (at.length === 0 || reader.parseError !== null || ++this.#restarts > MAX_READER_RESTARTS) {
      this.#failure = reader.parseError ?? error;
      this.#stop.abort(this.#failure);
      return;
    }
    this.#gaps.unreadable.push(at[0]!);
    const replacement = this.#start(at.slice(1));
    if (reader.closed) replacement.close();
    this.#readers[this.#readers.indexOf(reader)] = replacement;
  }
}

/** One `git cat-file --batch` of a ReaderPool, remembering what it was asked and not yet answered. */
class PoolReader {
  readonly done: Promise<void>;
  readonly #child: ReturnType<typeof spawnGit>["child"];
  readonly #blobs: BlobSet;
  /** Indexes written, in order; [#head..] are not answered yet. */
  #asked: number[] = [];
  #head = 0;
  closed = false;
  parseError: Error | null = null;

  constructor(
    repoPath: string,
    blobs: BlobSet,
    visitor: BlobVisitor,
    signal: AbortSignal,
    onFailure: (reader: PoolReader, error: unknown) => void,
  ) {
    const { child, done } = spawnGit(repoPath, ["cat-file", "--batch", "--buffer"], { signal, what: "git cat-file" });
    this.#child = child;
    this.#blobs = blobs;
    let current = -1;
    const parser = new BatchParser({
      wants: (header: BatchHeader): boolean => {
        current = this.#answer(header.oid, blobs);
        if (current < 0) return false;
        if (header.type !== "blob") {
          visitor.onNotBlob?.(current);
          return false;
        }
        if (header.size > visitor.maxSize) {
          visitor.onLarge(current, header.size);
          return false;
        }
        return true;
      },
      onObject(_header, content): void {
        visitor.onBlob(current, content);
      },
      onMissing: (oid): void => {
        const index = this.#answer(oid, blobs);
        if (index >= 0) visitor.onMissing?.(index);
      },
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (this.parseError !== null) return;
      try {
        parser.push(chunk);
      } catch (error) {
        // A detector or parser failure stops git rather than reading on for nothing.
        this.parseError = error instanceof Error ? error : new Error(String(error));
        child.kill();
      }
    });
    this.done = done.then(
      () => {
        if (this.parseError !== null) throw this.parseError;
        if (!parser.idle) throw new Error("git cat-file output ended in the middle of an object");
      },
      (error: unknown) => {
        onFailure(this, error);
        throw error;
      },
    );
    this.done.catch(() => {});
  }

  get congested(): boolean {
    return this.#child.stdin.writableNeedDrain;
  }

  drained(): Promise<void> {
    const stdin = this.#child.stdin;
    if (!stdin.writableNeedDrain || stdin.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        stdin.off("drain", finish);
        stdin.off("close", finish);
        resolve();
      };
      stdin.on("drain", finish);
      stdin.on("close", finish);
    });
  }

  write(indexes: readonly number[]): void {
    let text = "";
    for (const index of indexes) {
      this.#asked.push(index);
      text += `${this.#blobs.hexAt(index)}\n`;
    }
    this.#child.stdin.write(text);
  }

  close(): void {
    this.closed = true;
    this.#child.stdin.end();
  }

  unanswered(): number[] {
    return this.#asked.slice(this.#head);
  }

  /** The next asked index, checked against the id git answered with; -1 when it is not ours. */
  #answer(oid: string, blobs: BlobSet): number {
    const index = blobs.indexOf(oid);
    if (index >= 0 && this.#asked[this.#head] === index) {
      this.#head++;
      if (this.#head > 65536) {
        this.#asked = this.#asked.slice(this.#head);
        this.#head = 0;
      }
    }
    return index;
  }
}
