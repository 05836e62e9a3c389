import { patchText } from "./patch.js";
import { base64Segments } from "../detect/decoders.js";
// Half a keypair: a UUID (an identifier) or a run of exactly 64 hex characters (a key).
const UUID = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/i;
const KEY = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/i;
// Crisp named in the path or anywhere the patch shows.
const CRISP = /crisp/i;
// A half labelled as a credential on its own line ("KEY=…", "identifier: …"), for a file whose Crisp
// context is outside the patch. Lock files' checksums carry no such label, so they are not fetched.
const CREDENTIAL_LABEL = /identifier|token|secret|key|auth|passw/i;
export function holdsHalfKeypair(text) {
    return UUID.test(text) || KEY.test(text) || base64Segments(text).some((s) => UUID.test(s.text) || KEY.test(s.text));
}
const UUID_ALL = new RegExp(UUID.source, "gi");
const KEY_ALL = new RegExp(KEY.source, "gi");
function plainHalves(text) {
    return [...text.matchAll(UUID_ALL), ...text.matchAll(KEY_ALL)].map((m) => m[0].toLowerCase());
}
/**
 * Every identifier-shaped and key-shaped value in a text, lowercased: plain, or inside a base64
 * run (a Kubernetes Secret's `data:` holds each half base64-encoded; changing the key there is a leak).
 */
function halvesIn(text) {
    return [...plainHalves(text), ...base64Segments(text).flatMap((s) => plainHalves(s.text))];
}
/**
 * True when the commit added a line holding half a keypair that the patch alone did not pair (or
 * name as a website id), in a file with Crisp context (its path, the patch, or a credential label on
 * that line): the other half may sit on an unchanged line the patch does not show, so the whole file
 * at that commit must be read to pair them.
 */
export function needsWholeFile(path, parsed, patchScan) {
    const known = new Set();
    for (const { candidate } of patchScan?.candidates ?? []) {
        // In memory only, to tell which halves the patch already paired.
        const { identifier, key } = candidate.keypair.reveal();
        known.add(identifier);
        known.add(key);
    }
    for (const id of patchScan?.websiteIds ?? [])
        known.add(id.toLowerCase());
    const halves = parsed.lines.filter((l) => l.added && halvesIn(l.text).some((h) => !known.has(h)));
    if (halves.length === 0)
        return false;
    if (CRISP.test(path) || parsed.lines.some((l) => CRISP.test(l.text)))
        return true;
    return halves.some((l) => CREDENTIAL_LABEL.test(l.text));
}
/**
 * Did the commit introduce this candidate? Yes when its occurrence line is an added line, or when an
 * added line holds its identifier or its key (a key added under an existing identifier is a leak).
 * Returns the added line that makes it so (the occurrence line first), or null.
 */
export function introducingLine(candidate, parsed) {
    if (parsed.added.has(candidate.occurrence.line))
        return candidate.occurrence.line;
    // In memory only, to compare with the added lines; never stored or printed.
    const { identifier, key } = candidate.keypair.reveal();
    for (const l of parsed.lines) {
        if (!l.added)
            continue;
        const text = l.text.toLowerCase();
        if (text.includes(key) || text.includes(identifier))
            return l.line;
        const decoded = halvesIn(l.text);
        if (decoded.includes(key) || decoded.includes(identifier))
            return l.line;
    }
    return null;
}
/** The scanner that runs the given detector in this thread. */
export function inProcessScanner(detect, prefilter) {
    return async (request) => ({ scan: scanFileText(request, detect, prefilter) });
}
/** What the commit's added lines show (added and context lines at their own line numbers). */
export function patchScanRequest(path, parsed) {
    const bytesScanned = parsed.lines.reduce((n, l) => n + (l.added ? Buffer.byteLength(l.text) + 1 : 0), 0);
    return { path, text: patchText(parsed), parsed, bytesScanned };
}
/** A whole file at the commit; `parsed` when it had a patch, to keep what the commit introduced. */
export function wholeFileScanRequest(path, text, parsed) {
    return { path, text, parsed, bytesScanned: Buffer.byteLength(text) };
}
/** Runs the detector on one request and keeps the candidates the commit introduced. */
export function scanFileText(request, detect, prefilter) {
    return keepIntroduced(request.text, request.path, request.parsed, detect, prefilter, request.bytesScanned);
}
/**
 * Scans what the patch shows (added and context lines at their own line numbers) and keeps the
 * candidates the commit introduced. For files that need no whole-file read.
 */
export function scanPatch(path, parsed, detect, prefilter) {
    return scanFileText(patchScanRequest(path, parsed), detect, prefilter);
}
/**
 * Scans a whole file. With a patch, keeps only the candidates the commit introduced; without one
 * (binary or too large a diff for GitHub to show) every candidate counts, as no line can be told apart.
 */
export function scanWholeFile(path, text, parsed, detect, prefilter) {
    return scanFileText(wholeFileScanRequest(path, text, parsed), detect, prefilter);
}
function keepIntroduced(text, path, parsed, detect, prefilter, bytesScanned) {
    if (!prefilter(text, path))
        return { candidates: [], websiteIds: [], bytesScanned };
    const result = detect(text, { path });
    const candidates = [];
    for (const candidate of result.candidates) {
        if (!parsed) {
            candidates.push({ candidate, line: null });
            continue;
        }
        const line = introducingLine(candidate, parsed);
        if (line !== null)
            candidates.push({ candidate, line });
    }
    return { candidates, websiteIds: result.websiteIds, bytesScanned };
}
//# sourceMappingURL=push-file.js.map