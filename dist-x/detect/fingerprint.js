import { createHash } from "node:crypto";
// node:crypto is computation, not I/O: detect/ stays pure.
/** DESIGN.md: sha256(identifier + ":" + key), both halves lowercased first, lowercase hex. */
export function fingerprint(identifier, key) {
    return createHash("sha256")
        .update(`${identifier.toLowerCase()}:${key.toLowerCase()}`)
        .digest("hex");
}
/** DESIGN.md redaction: first 8 characters of the identifier, then an ellipsis. */
export function redactIdentifier(identifier) {
    return `${identifier.slice(0, 8).toLowerCase()}…`;
}
/** DESIGN.md redaction: at most the key's last 4 characters. */
export function keyHint(key) {
    return `…${key.slice(-4).toLowerCase()}`;
}
export function redactKeypair(identifier, key) {
    return `${redactIdentifier(identifier)}:${keyHint(key)}`;
}
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");
/**
 * A keypair held in memory. Its raw halves are reachable only through `reveal()`, so that
 * JSON.stringify, template strings, console.log and pino all see the redacted form: a report or
 * log line cannot leak a key by accident, only by calling reveal() on purpose.
 */
export class Keypair {
    #identifier;
    #key;
    fingerprint;
    redactedIdentifier;
    keyHint;
    constructor(identifier, key) {
        this.#identifier = identifier.toLowerCase();
        this.#key = key.toLowerCase();
        this.fingerprint = fingerprint(identifier, key);
        this.redactedIdentifier = redactIdentifier(identifier);
        this.keyHint = keyHint(key);
    }
    /** The raw halves: only for the Crisp verification request and a rotator configured to receive them. */
    reveal() {
        return { identifier: this.#identifier, key: this.#key };
    }
    get redacted() {
        return `${this.redactedIdentifier}:${this.keyHint}`;
    }
    toString() {
        return this.redacted;
    }
    toJSON() {
        return { identifier: this.redactedIdentifier, keyHint: this.keyHint, fingerprint: this.fingerprint };
    }
    [inspectCustom]() {
        return `Keypair(${this.redacted})`;
    }
}
/**
 * One half of a keypair held alone (a lone half waiting for its partner in another file). Like
 * Keypair, its raw value is reachable only through `reveal()`; every printed form is redacted the
 * way reports redact that half.
 */
export class HalfValue {
    #value;
    kind;
    redacted;
    constructor(kind, value) {
        this.kind = kind;
        this.#value = value.toLowerCase();
        this.redacted = kind === "identifier" ? redactIdentifier(value) : keyHint(value);
    }
    /** The raw half: only to build the Keypair once its partner is found. */
    reveal() {
        return this.#value;
    }
    toString() {
        return this.redacted;
    }
    toJSON() {
        return { kind: this.kind, redacted: this.redacted };
    }
    [inspectCustom]() {
        return `HalfValue(${this.kind} ${this.redacted})`;
    }
}
//# sourceMappingURL=fingerprint.js.map