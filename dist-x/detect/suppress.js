// What the detector itself suppresses: Crisp's documented examples, obvious placeholders, and
// lines the author marked with crisp-guard:allow. Suppressed candidates are still returned (the
// report lists them as suppressed), but never verified.
/**
 * DESIGN.md: identifier prefixes of the example keypairs in Crisp's client READMEs. Prefixes only:
 * the full example keys are not repeated here.
 */
export const DOCUMENTED_EXAMPLE_PREFIXES = ["7c3ef21c-1e04", "13937834-f6ce", "43f34724-9eeb"];
/** DESIGN.md: a line containing this marker is not reported. */
export const INLINE_ALLOW_MARKER = "crisp-guard:allow";
/**
 * Shannon entropy (bits per hex digit) under which a value is hand-typed, not generated. Random
 * 64-hex averages ≈ 3.83 (σ ≈ 0.05) and a random UUID's 32 digits ≈ 3.6 (σ ≈ 0.1): these floors
 * sit more than ten σ below, yet above `abcdabcd…` (2.0) and `deadbeef…` (≈ 2.2).
 */
export const MIN_KEY_ENTROPY = 3.0;
export const MIN_IDENTIFIER_ENTROPY = 2.5;
/**
 * A run of this many consecutive ascending or descending hex digits (`12345678`, `0123456789abcdef`)
 * is typed, not random: a random 64-hex value holds one with probability below 1e-6.
 */
export const MAX_SEQUENTIAL_RUN = 8;
/** Periods up to this long (`abcd` repeated, `0123456789abcdef` repeated) make a value a pattern. */
export const MAX_PATTERN_PERIOD = 16;
export function isDocumentedExample(identifier) {
    const id = identifier.toLowerCase();
    return DOCUMENTED_EXAMPLE_PREFIXES.some((p) => id.startsWith(p));
}
export function shannonEntropy(hex) {
    const counts = new Map();
    for (const c of hex)
        counts.set(c, (counts.get(c) ?? 0) + 1);
    let h = 0;
    for (const n of counts.values()) {
        const p = n / hex.length;
        h -= p * Math.log2(p);
    }
    return h;
}
function hasSequentialRun(hex) {
    let up = 1;
    let down = 1;
    for (let i = 1; i < hex.length; i++) {
        const prev = parseInt(hex[i - 1], 16);
        const cur = parseInt(hex[i], 16);
        // 9 → 0 continues a decimal run (1234567890), f → 0 a hex one.
        up = cur === (prev + 1) % 16 || (prev === 9 && cur === 0) ? up + 1 : 1;
        down = cur === (prev + 15) % 16 ? down + 1 : 1;
        if (up >= MAX_SEQUENTIAL_RUN || down >= MAX_SEQUENTIAL_RUN)
            return true;
    }
    return false;
}
function isPeriodic(hex) {
    for (let p = 1; p <= MAX_PATTERN_PERIOD && p < hex.length; p++) {
        let periodic = true;
        for (let i = p; i < hex.length && periodic; i++)
            periodic = hex[i] === hex[i - p];
        if (periodic)
            return true;
    }
    return false;
}
function isPlaceholderValue(hexDigits, minEntropy) {
    return isPeriodic(hexDigits) || hasSequentialRun(hexDigits) || shannonEntropy(hexDigits) < minEntropy;
}
/** Obviously fake values that still match the shapes: all zeros, repeats, sequences, low entropy. */
export function isPlaceholder(identifier, key) {
    return (isPlaceholderValue(identifier.toLowerCase().replace(/-/g, ""), MIN_IDENTIFIER_ENTROPY) ||
        isPlaceholderValue(key.toLowerCase(), MIN_KEY_ENTROPY));
}
/** One half alone is obviously fake (a lone half is checked before it may pair across files). */
export function isPlaceholderHalf(kind, value) {
    return kind === "identifier"
        ? isPlaceholderValue(value.toLowerCase().replace(/-/g, ""), MIN_IDENTIFIER_ENTROPY)
        : isPlaceholderValue(value.toLowerCase(), MIN_KEY_ENTROPY);
}
/** Offsets of every inline-allow marker, found once per text. */
export function allowMarkerOffsets(text) {
    const out = [];
    for (let i = text.indexOf(INLINE_ALLOW_MARKER); i !== -1; i = text.indexOf(INLINE_ALLOW_MARKER, i + 1))
        out.push(i);
    return out;
}
/**
 * Documented example first (it is Crisp's, whoever copied it), then placeholder (not a secret at
 * all), then the author's inline allow.
 */
export function suppressionFor(identifier, key, onAllowedLine) {
    if (isDocumentedExample(identifier))
        return "documented-example";
    if (isPlaceholder(identifier, key))
        return "placeholder";
    if (onAllowedLine)
        return "inline-allow";
    return null;
}
//# sourceMappingURL=suppress.js.map