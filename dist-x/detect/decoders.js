// The encodings keypairs leak in besides plain text: base64 (Kubernetes Secret data:, HTTP Basic),
// URL user-info (https://id:key@api.crisp.chat) and JSON-escaped strings (notebooks, bundles).
/**
 * Base64 of hex/UUID text (see context.ts for why each group starts with L–R, Y or Z). Found by
 * this signature, then widened to the whole base64 run, so a data: image or other blob is never
 * decoded.
 */
const BASE64_HEXTEXT_RE = /(?:[L-RYZ][A-Za-z0-9+/]{3}){12}/g;
/** Base64 runs longer than this are blobs (images, archives), not a credential: not decoded. */
export const MAX_BASE64_RUN = 64 * 1024;
function isBase64Char(c) {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}
/** Decoded base64 runs of `text` that may hold a UUID or a key. */
export function base64Segments(text) {
    const out = [];
    BASE64_HEXTEXT_RE.lastIndex = 0;
    for (let m = BASE64_HEXTEXT_RE.exec(text); m; m = BASE64_HEXTEXT_RE.exec(text)) {
        let start = m.index;
        let end = start + m[0].length;
        while (start > 0 && isBase64Char(text.charCodeAt(start - 1)))
            start--;
        // Keep the groups aligned on the signature match: letters glued before a run are not base64.
        start += (m.index - start) % 4;
        while (end < text.length && isBase64Char(text.charCodeAt(end)))
            end++;
        while (end < text.length && text.charCodeAt(end) === 61 && end - start < MAX_BASE64_RUN)
            end++; // '=' padding
        BASE64_HEXTEXT_RE.lastIndex = end;
        if (end - start > MAX_BASE64_RUN)
            continue;
        const decoded = decodeBase64(text.slice(start, end));
        if (decoded !== null)
            out.push({ start, end, text: decoded });
    }
    return out;
}
function decodeBase64(run) {
    const body = run.replace(/=+$/, "");
    // A run whose length is not a whole number of groups is not aligned on its start: not ours.
    if (body.length % 4 === 1)
        return null;
    try {
        return atob(body + "==".slice(0, (4 - (body.length % 4)) % 4));
    }
    catch {
        return null;
    }
}
/** `://<uuid>:` right before a key and `@` right after: URL user-info. */
const USERINFO_BEFORE_RE = /:\/\/[0-9a-fA-F-]{36}:$/;
/**
 * How the value at [start, end) sits in the text: inside URL user-info, inside a JSON/JS-escaped
 * string (an escaped quote or \n right around it), or plain.
 */
export function encodingAt(text, start, end) {
    if (text.charCodeAt(end) === 64 /* @ */ && USERINFO_BEFORE_RE.test(text.slice(Math.max(0, start - 40), start))) {
        return "url";
    }
    const before = text.slice(Math.max(0, start - 2), start);
    const after = text.slice(end, end + 2);
    if (/^\\["'`]$/.test(before) || /\\[nrt]$/.test(before) || /^\\["'`nrt\\]/.test(after))
        return "escaped";
    return "plain";
}
//# sourceMappingURL=decoders.js.map