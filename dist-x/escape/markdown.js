// Text from outside (file names, rotator details, Crisp reasons) inside the Markdown of a commit
// comment, an issue or a check run. GitHub renders it: a backtick run can close a code span, a blank
// line ends the paragraph (and any code span in it), `@name` notifies someone, `#12` links an issue,
// `[x](url)` and bare URLs become links, `<!--` hides what follows (and could fake our own marker).
import { escapeChar, UNSAFE_TERMINAL_CHARS } from "./terminal.js";
/** A zero-width joiner: placed after `@` or `#` it keeps the text as shown but no longer a mention or reference. */
const ZWJ = "\u200d";
/** Controls (newlines included) and bidi characters as visible escapes: the value stays on one line. */
function flatten(value) {
    return value.replace(UNSAFE_TERMINAL_CHARS, escapeChar);
}
/** HTML comment openers and closers broken up, so no value can hide text or pose as our marker. */
function breakComments(value) {
    return value.replace(/<!--/g, `<${ZWJ}!--`).replace(/--!?>/g, (m) => `-${ZWJ}${m.slice(1)}`);
}
/**
 * `value` as an inline code span that nothing in it can close: a fence longer than any backtick run
 * in it, on one line. Inside a code span GitHub neither mentions, links, nor renders Markdown.
 */
export function markdownCode(value) {
    const flat = breakComments(flatten(value));
    const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    // CommonMark strips one space from each side when both are there: pad so the value is kept exactly.
    const pad = /^[` ]|[` ]$/.test(flat) ? " " : "";
    return `${fence}${pad}${flat}${pad}${fence}`;
}
/**
 * The characters that act inline: escapes, code, emphasis, strikethrough, links and images, HTML and
 * entities, table cells, and `@`/`#` (mentions and references). The values are inline text after
 * other text, never at a line start, so list and heading markers (`-`, `+`, `1.`, `=`) stay as they
 * are; so do `-` and `.` in UUIDs and hex, which keeps a secret echoed in a detail recognisable to
 * the scrubber that runs over the whole body.
 */
const MARKDOWN_ACTIVE = /[\\`*_[\]<>!|~&#@]/g;
/**
 * `value` as plain inline text: every Markdown and HTML character backslash-escaped (so no emphasis,
 * link or HTML), `://` and `www.` broken so nothing is autolinked, `@` and `#` followed by a
 * joiner (GitHub finds mentions and issue references in the rendered text, after escapes are gone),
 * whitespace collapsed to single spaces.
 */
export function markdownText(value) {
    return breakComments(flatten(value.replace(/\s+/g, " ")))
        .replace(MARKDOWN_ACTIVE, (c) => (c === "@" || c === "#" ? `\\${c}${ZWJ}` : `\\${c}`))
        .replace(/:\/\//g, "\\://")
        .replace(/\b(www)\./gi, "$1\\.");
}
//# sourceMappingURL=markdown.js.map