// File names are bytes on Linux, not text: a name need not be valid UTF-8. Read and opened as
// bytes they are found; decoded naively they become U+FFFD and can no longer be opened. This is the
// one way a path is turned into text for reports: valid UTF-8 as it is, each byte that is not part
// of valid UTF-8 as \xNN. Terminal output then escapes control characters on top (escape/terminal).
const fatal = new TextDecoder("utf-8", { fatal: true });
/** The length of the UTF-8 sequence a lead byte announces, or 0 when it cannot start one. */
function sequenceLength(lead) {
    if (lead < 0x80)
        return 1;
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 0;
}
/** A path's bytes as readable text: UTF-8 where it is valid, `\xNN` for every other byte. */
export function displayPath(bytes) {
    if (typeof bytes === "string")
        return bytes;
    try {
        return fatal.decode(bytes);
    }
    catch {
        // Not valid UTF-8 as a whole: decode sequence by sequence.
    }
    let out = "";
    let i = 0;
    while (i < bytes.length) {
        const n = sequenceLength(bytes[i]);
        if (n > 0 && i + n <= bytes.length) {
            try {
                out += fatal.decode(bytes.subarray(i, i + n));
                i += n;
                continue;
            }
            catch {
                // overlong, surrogate or bad continuation: escape the lead byte and go on
            }
        }
        out += `\\x${bytes[i].toString(16).padStart(2, "0")}`;
        i += 1;
    }
    return out;
}
//# sourceMappingURL=path.js.map