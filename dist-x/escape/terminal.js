// Text from outside (file names, authors, rotator details) shown on a terminal. A control character
// there is an instruction to the terminal: ESC starts a sequence (retitle the window, move the
// cursor, erase a line), CR returns to the start of the line so the next text overwrites what was
// printed, BEL rings, a newline starts a fake report line. Bidi overrides reorder what is shown.
// Each of them is printed as a visible escape instead.
/**
 * C0 controls (U+0000–U+001F), DEL, C1 controls (U+0080–U+009F; U+009B is a one-byte CSI on some
 * terminals), the Unicode bidi embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069
 * (the "Trojan Source" characters), the implicit marks U+200E, U+200F, U+061C, and the line and
 * paragraph separators U+2028, U+2029.
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_TERMINAL_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
/** The visible form of one unsafe character: \n, \r, \t, \xNN, or \uNNNN. */
export function escapeChar(char) {
    const named = NAMED[char];
    if (named)
        return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
/** `value` with every control and bidi character shown as an escape: safe to print on one line. */
export function escapeTerminal(value) {
    return value.replace(UNSAFE_TERMINAL_CHARS, escapeChar);
}
//# sourceMappingURL=terminal.js.map