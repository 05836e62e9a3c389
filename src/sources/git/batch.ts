// A streaming parser for `git cat-file --batch` output: `<oid> <type> <size>\n<content>\n` per
// object, or `<oid> missing\n`. Content the caller wants is assembled into one Buffer; content it
// does not want (other types, over the size limit) is counted and dropped as it streams past, so
// memory holds at most one wanted object at a time.

export interface BatchHeader {
  oid: string;
  type: string;
  size: number;
}

export interface BatchHandlers {
  /** Return true to receive the content through onObject, false to skip it. */
  wants(header: BatchHeader): boolean;
  onObject(header: BatchHeader, content: Buffer): void;
  /** Called after a skipped object's content has gone by. */
  onSkipped?(header: BatchHeader): void;
  /** `<oid> missing` (or ambiguous): the object cannot be read. */
  onMissing(oid: string, line: string): void;
}

/** Longest header line accepted: an oid, a type and a size; anything longer is not cat-file output. */
const MAX_HEADER_BYTES = 512;
const NEWLINE = 0x0a;

export class BatchParser {
  readonly #handlers: BatchHandlers;
  #headerParts: Buffer[] = [];
  #headerBytes = 0;
  #current: BatchHeader | null = null;
  #wanted = false;
  #content: Buffer | null = null;
  #filled = 0;
  /** Content bytes still to come for the current object, then 1 for its trailing newline. */
  #remaining = 0;

  constructor(handlers: BatchHandlers) {
    this.#handlers = handlers;
  }

  /** True when the stream ended on an object boundary. */
  get idle(): boolean {
    return this.#current === null && this.#headerBytes === 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#current === null) {
        const nl = chunk.indexOf(NEWLINE, pos);
        if (nl === -1) {
          this.#addHeaderPart(chunk.subarray(pos));
          return;
        }
        this.#addHeaderPart(chunk.subarray(pos, nl));
        pos = nl + 1;
        this.#startObject();
        continue;
      }
      const take = Math.min(this.#remaining, chunk.length - pos);
      if (this.#remaining > 0 && take > 0) {
        if (this.#wanted) {
          if (this.#content === null && take === this.#remaining) {
            // The whole object is in this chunk: a view, no copy.
            this.#content = chunk.subarray(pos, pos + take);
          } else {
            this.#content ??= Buffer.allocUnsafe(this.#current.size);
            chunk.copy(this.#content, this.#filled, pos, pos + take);
          }
        }
        this.#filled += take;
        this.#remaining -= take;
        pos += take;
      }
      if (this.#remaining === 0) {
        if (pos >= chunk.length) return;
        if (chunk[pos] !== NEWLINE) throw new Error("unexpected git cat-file output (no newline after an object)");
        pos++;
        this.#finishObject();
      }
    }
  }

  #addHeaderPart(part: Buffer): void {
    this.#headerBytes += part.length;
    if (this.#headerBytes > MAX_HEADER_BYTES) throw new Error("unexpected git cat-file output (header too long)");
    if (part.length > 0) this.#headerParts.push(Buffer.from(part));
  }

  #startObject(): void {
    const line = Buffer.concat(this.#headerParts).toString("utf8");
    this.#headerParts = [];
    this.#headerBytes = 0;
    const parts = line.split(" ");
    if (parts.length === 2 && (parts[1] === "missing" || parts[1] === "ambiguous")) {
      this.#handlers.onMissing(parts[0]!, line);
      return;
    }
    const size = Number(parts[2]);
    if (parts.length !== 3 || !Number.isSafeInteger(size) || size < 0) {
      throw new Error(`unexpected git cat-file output: ${line.slice(0, 100)}`);
    }
    const header: BatchHeader = { oid: parts[0]!, type: parts[1]!, size };
    this.#current = header;
    this.#wanted = this.#handlers.wants(header);
    this.#content = null;
    this.#filled = 0;
    this.#remaining = size;
  }

  #finishObject(): void {
    const header = this.#current!;
    const content = this.#content;
    this.#current = null;
    this.#content = null;
    if (this.#wanted) this.#handlers.onObject(header, content ?? Buffer.alloc(0));
    else this.#handlers.onSkipped?.(header);
  }
}
