// A compact set of object ids, each with one path: what the history scan keeps per blob. Ids are
// stored as raw bytes in one growing buffer and looked up through an open-addressing table of
// indexes, so a million blobs cost about 36 MB instead of the ~150 MB a Map of hex strings would.
// Paths are interned: a history has far fewer distinct paths than blob versions.

/** Initial capacity, in ids; grows by doubling. */
const INITIAL_CAPACITY = 1024;
const EMPTY = -1;

export class BlobSet {
  /** Bytes per id: 20 for SHA-1 repositories, 32 for SHA-256 ones. */
  readonly idBytes: number;
  #ids: Buffer;
  #pathOf: Uint32Array;
  #size = 0;
  #table: Int32Array;
  #mask: number;
  readonly #paths: string[] = [];
  readonly #pathIds = new Map<string, number>();
  readonly #scratch: Buffer;

  constructor(idBytes = 20) {
    this.idBytes = idBytes;
    this.#ids = Buffer.alloc(INITIAL_CAPACITY * idBytes);
    this.#pathOf = new Uint32Array(INITIAL_CAPACITY);
    this.#table = new Int32Array(INITIAL_CAPACITY * 2).fill(EMPTY);
    this.#mask = this.#table.length - 1;
    this.#scratch = Buffer.alloc(idBytes);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds `hex` with `path` (kept only for the first add); returns its index. */
  add(hex: string, path: string): number {
    this.#toScratch(hex);
    const found = this.#find(this.#scratch);
    if (found.index !== EMPTY) return found.index;
    if (this.#size === this.#pathOf.length) {
      this.#grow();
      return this.add(hex, path);
    }
    const index = this.#size++;
    this.#scratch.copy(this.#ids, index * this.idBytes);
    this.#pathOf[index] = this.internPath(path);
    this.#table[found.slot] = index;
    return index;
  }

  /** The index of `hex`, or -1. */
  indexOf(hex: string): number {
    if (hex.length !== this.idBytes * 2) return EMPTY;
    this.#toScratch(hex);
    return this.#find(this.#scratch).index;
  }

  /** The index of the id stored raw in `source` at `offset`, or -1. */
  indexOfBytes(source: Buffer, offset: number): number {
    return this.#find(source, offset).index;
  }

  hexAt(index: number): string {
    const start = index * this.idBytes;
    return this.#ids.toString("hex", start, start + this.idBytes);
  }

  pathAt(index: number): string {
    return this.#paths[this.#pathOf[index]!]!;
  }

  pathById(id: number): string {
    return this.#paths[id]!;
  }

  #toScratch(hex: string): void {
    if (hex.length !== this.idBytes * 2 || this.#scratch.write(hex, "hex") !== this.idBytes) {
      throw new Error(`not an object id: ${hex.slice(0, 80)}`);
    }
  }

  /** The path's number (each distinct path is stored once). */
  internPath(path: string): number {
    let id = this.#pathIds.get(path);
    if (id === undefined) {
      id = this.#paths.length;
      this.#paths.push(path);
      this.#pathIds.set(path, id);
    }
    return id;
  }

  /** Object ids are uniformly random: their first four bytes are a good enough hash. */
  #slotOf(id: Buffer, offset: number): number {
    return id.readUInt32LE(offset) & this.#mask;
  }

  #find(id: Buffer, offset = 0): { index: number; slot: number } {
    const n = this.idBytes;
    let slot = this.#slotOf(id, offset);
    for (;;) {
      const index = this.#table[slot]!;
      if (index === EMPTY) return { index: EMPTY, slot };
      if (this.#ids.compare(id, offset, offset + n, index * n, index * n + n) === 0) return { index, slot };
      slot = (slot + 1) & this.#mask;
    }
  }

  #grow(): void {
    const capacity = this.#pathOf.length * 2;
    const ids = Buffer.alloc(capacity * this.idBytes);
    this.#ids.copy(ids);
    this.#ids = ids;
    const pathOf = new Uint32Array(capacity);
    pathOf.set(this.#pathOf);
    this.#pathOf = pathOf;
    // Table stays at twice the capacity: probes stay short at a load factor of at most 1/2.
    this.#table = new Int32Array(capacity * 2).fill(EMPTY);
    this.#mask = this.#table.length - 1;
    for (let index = 0; index < this.#size; index++) {
      let slot = this.#slotOf(this.#ids, index * this.idBytes);
      while (this.#table[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
      this.#table[slot] = index;
    }
  }
}
