// Redaction of free text whose content we do not control (an error message, a rotator's output, a
// Crisp reason): anything shaped like a keypair half is cut to the DESIGN.md redacted form.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Hex runs of 20+: well below a key (64), above the short ids and hashes people print (7-12). */
export const DEFAULT_MIN_HEX_RUN = 20;
/** Replaces every UUID with its first 8 characters + "…" and every long hex run with "…" + last 4. */
export function redactSecretShapes(text, options = {}) {
    const kept = new Set();
    for (const value of options.keep ?? [])
        kept.add(value.toLowerCase());
    const longHex = new RegExp(`[0-9a-f]{${options.minHexRun ?? DEFAULT_MIN_HEX_RUN},}`, "gi");
    return text
        .replace(UUID, (m) => (kept.has(m.toLowerCase()) ? m : `${m.slice(0, 8).toLowerCase()}…`))
        .replace(longHex, (m) => (kept.has(m.toLowerCase()) ? m : `…${m.slice(-4).toLowerCase()}`));
}
/** Redacts first, then truncates: cutting first could leave a partial key the patterns miss. */
export function redactAndTruncate(text, max, options = {}) {
    const redacted = redactSecretShapes(text, options);
    return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}
//# sourceMappingURL=redact-text.js.map