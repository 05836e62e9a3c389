// Splits a byte stream into lines (or NUL-terminated records) without holding more than one
// partial record between chunks.

export class LineSplitter {
  readonly #onLine: (line: string) => void;
  readonly #separator: number;
  #carry: Buffer | null = null;

  /** `separator`: 0x0a for lines, 0x00 for `-z` output. */
  constructor(onLine: (line: string) => void, separator = 0x0a) {
    this.#onLine = onLine;
    this.#separator = separator;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let data = chunk;
    if (this.#carry !== null) {
      const first = chunk.indexOf(this.#separator);
      if (first === -1) {
        this.#carry = Buffer.concat([this.#carry, chunk]);
        return;
      }
      this.#onLine(Buffer.concat([this.#carry, chunk.subarray(0, first)]).toString("utf8"));
      this.#carry = null;
      start = first + 1;
      data = chunk;
    }
    for (;;) {
      const end = data.indexOf(this.#separator, start);
      if (end === -1) break;
      this.#onLine(data.toString("utf8", start, end));
      start = end + 1;
    }
    if (start < data.length) this.#carry = Buffer.from(data.subarray(start));
  }

  /** Emits a last record that had no terminator. */
  end(): void {
    if (this.#carry !== null && this.#carry.length > 0) this.#onLine(this.#carry.toString("utf8"));
    this.#carry = null;
  }
}
