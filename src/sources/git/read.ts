// Reads each blob of a BlobSet exactly once through streamed `git cat-file --batch` processes, fed
// the ids as the listing finds them. The order matters for speed: packs store most blobs as deltas
// against others, and git resolves a delta fastest while its base is still in its cache. rev-list
// lists blobs in the order of its walk, which is close to the order pack-objects wrote them in.
// Unlike `--batch-all-objects --batch`, trees and commits are never inflated.
import { availableParallelism } from "node:os";
import { BatchParser, type BatchHeader } from "./batch.js";
import type { BlobSet } from "./blobs.js";
import { abortError, spawnGit } from "./process.js";

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
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a reader's own error, forwarded
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
