// Defence in depth for the free-text columns (a job's error, a rotation's detail, a verification's
// reason): we cannot know whether such text echoes a keypair, so anything shaped like a secret half
// is cut to the DESIGN.md redacted form before it is written.
import { redactAndTruncate } from "../detect/redact-text.js";
/** Longest free text kept in one column: enough for an error message, not for a dumped file. */
export const MAX_TEXT_CHARS = 2000;
/**
 * Hex runs of 41+ characters are cut: longer than a commit sha (40), so shas stay readable, and far
 * below a key (64), so a truncated key is cut too.
 */
const MIN_HEX_RUN = 41;
/** Redacts UUIDs (first 8 + "…") and long hex runs ("…" + last 4), then truncates. */
export function scrubText(text, max = MAX_TEXT_CHARS) {
    return redactAndTruncate(text, max, { minHexRun: MIN_HEX_RUN });
}
const FINGERPRINT = /^[0-9a-f]{64}$/;
const REDACTED_IDENTIFIER = /^[0-9a-f-]{0,8}…$/;
const KEY_HINT = /^…[0-9a-f]{0,4}$/;
/** Refuses anything but the redacted forms: the store must never be handed a raw half by mistake. */
export function assertRedacted(input) {
    if (!FINGERPRINT.test(input.fingerprint))
        throw new Error("store: fingerprint must be 64 lowercase hex characters");
    if (!REDACTED_IDENTIFIER.test(input.redactedIdentifier)) {
        throw new Error("store: redactedIdentifier must be at most 8 characters followed by …");
    }
    if (!KEY_HINT.test(input.keyHint))
        throw new Error("store: keyHint must be … followed by at most 4 hex characters");
}
//# sourceMappingURL=scrub.js.map