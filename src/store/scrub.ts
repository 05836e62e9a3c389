// Defence in depth for the free-text columns (a job's error, a rotation's detail, a verification's
// reason): we cannot know whether such text echoes a keypair, so anything shaped like a secret half
// is cut to the DESIGN.md redacted form before it is written.

/** Longest free text kept in one column: enough for an error message, not for a dumped file. */
export const MAX_TEXT_CHARS = 2000;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// Any hex run of 41+ characters: longer than a commit sha (40), so shas stay readable, and far below
// a key (64), so a truncated key is cut too. A fingerprint is cut as well; free text does not need one.
const LONG_HEX = /[0-9a-f]{41,}/gi;

/** Redacts UUIDs (first 8 + "…") and long hex runs ("…" + last 4), then truncates. */
export function scrubText(text: string, max = MAX_TEXT_CHARS): string {
  const redacted = text
    .replace(UUID, (m) => `${m.slice(0, 8).toLowerCase()}…`)
    .replace(LONG_HEX, (m) => `…${m.slice(-4).toLowerCase()}`);
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
const REDACTED_IDENTIFIER = /^[0-9a-f-]{0,8}…$/;
const KEY_HINT = /^…[0-9a-f]{0,4}$/;

/** Refuses anything but the redacted forms: the store must never be handed a raw half by mistake. */
export function assertRedacted(input: { fingerprint: string; redactedIdentifier: string; keyHint: string }): void {
  if (!FINGERPRINT.test(input.fingerprint)) throw new Error("store: fingerprint must be 64 lowercase hex characters");
  if (!REDACTED_IDENTIFIER.test(input.redactedIdentifier)) {
    throw new Error("store: redactedIdentifier must be at most 8 characters followed by …");
  }
  if (!KEY_HINT.test(input.keyHint)) throw new Error("store: keyHint must be … followed by at most 4 hex characters");
}
