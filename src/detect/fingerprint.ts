import { createHash } from "node:crypto";

// node:crypto is computation, not I/O: detect/ stays pure.

/** DESIGN.md: sha256(identifier + ":" + key), both halves lowercased first, lowercase hex. */
export function fingerprint(identifier: string, key: string): string {
  return createHash("sha256")
    .update(`${identifier.toLowerCase()}:${key.toLowerCase()}`)
    .digest("hex");
}

/** DESIGN.md redaction: first 8 characters of the identifier, then an ellipsis. */
export function redactIdentifier(identifier: string): string {
  return `${identifier.slice(0, 8).toLowerCase()}…`;
}

/** DESIGN.md redaction: at most the key's last 4 characters. */
export function keyHint(key: string): string {
  return `…${key.slice(-4).toLowerCase()}`;
}

export function redactKeypair(identifier: string, key: string): string {
  return `${redactIdentifier(identifier)}:${keyHint(key)}`;
}

/** A raw keypair. Lives in memory only; Keypair below is the safe wrapper. */
export interface RawKeypair {
  identifier: string;
  key: string;
}

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * A keypair held in memory. Its raw halves are reachable only through `reveal()`, so that
 * JSON.stringify, template strings, console.log and pino all see the redacted form: a report or
 * log line cannot leak a key by accident, only by calling reveal() on purpose.
 */
export class Keypair {
  readonly #identifier: string;
  readonly #key: string;
  readonly fingerprint: string;
  readonly redactedIdentifier: string;
  readonly keyHint: string;

  constructor(identifier: string, key: string) {
    this.#identifier = identifier.toLowerCase();
    this.#key = key.toLowerCase();
    this.fingerprint = fingerprint(identifier, key);
    this.redactedIdentifier = redactIdentifier(identifier);
    this.keyHint = keyHint(key);
  }

  /** The raw halves: only for the Crisp verification request and a rotator configured to receive them. */
  reveal(): RawKeypair {
    return { identifier: this.#identifier, key: this.#key };
  }

  get redacted(): string {
    return `${this.redactedIdentifier}:${this.keyHint}`;
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): { identifier: string; keyHint: string; fingerprint: string } {
    return { identifier: this.redactedIdentifier, keyHint: this.keyHint, fingerprint: this.fingerprint };
  }

  [inspectCustom](): string {
    return `Keypair(${this.redacted})`;
  }
}

/**
 * One half of a keypair held alone (a lone half waiting for its partner in another file). Like
 * Keypair, its raw value is reachable only through `reveal()`; every printed form is redacted the
 * way reports redact that half.
 */
export class HalfValue {
  readonly #value: string;
  readonly kind: "identifier" | "key";
  readonly redacted: string;

  constructor(kind: "identifier" | "key", value: string) {
    this.kind = kind;
    this.#value = value.toLowerCase();
    this.redacted = kind === "identifier" ? redactIdentifier(value) : keyHint(value);
  }

  /** The raw half: only to build the Keypair once its partner is found. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): { kind: string; redacted: string } {
    return { kind: this.kind, redacted: this.redacted };
  }

  [inspectCustom](): string {
    return `HalfValue(${this.kind} ${this.redacted})`;
  }
}
