import { redactSecretShapes } from "../detect/redact-text.js";
// Redaction of free text a rotator produced (an outcome's detail, a command's stdout or stderr, an
// error message). We cannot know whether that text echoes the keypair, so anything shaped like a
// secret half is cut down to the DESIGN.md redacted form, except values known to be public.
/** The longest detail kept in a rotation record: it is shown in comments, check runs and reports. */
export const MAX_DETAIL_CHARS = 500;
/** Replaces UUIDs and hex runs of 20+ characters with their redacted forms, except `keep`. */
export function redactText(text, keep = []) {
    return redactSecretShapes(text, { keep });
}
/** One line, redacted, then truncated. */
export function safeDetail(text, keep = [], max = MAX_DETAIL_CHARS) {
    const oneLine = redactText(text, keep).replace(/\s+/g, " ").trim();
    return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
/** Values about a leak that are safe to show as they are: its fingerprint, website id, commits. */
export function publicValues(leak) {
    const keep = [leak.fingerprint];
    if (leak.websiteId)
        keep.push(leak.websiteId);
    for (const o of leak.occurrences)
        if (o.commit)
            keep.push(o.commit);
    return keep;
}
//# sourceMappingURL=redact-text.js.map