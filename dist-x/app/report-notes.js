// Pure: the "scan incomplete" note added to the check-run summary, so a reader knows which commits
// or files could not be read (a clean check run must not hide a scan that did not happen).
import { CHECK_RUN_SUMMARY_MAX_CHARS } from "../report/github-text.js";
import { markdownCode, markdownText } from "../escape/markdown.js";
/** Gaps listed one per line; more are counted, not listed (the summary has a hard length limit). */
export const MAX_GAPS_LISTED = 20;
/** A gap's reason is built from paths and GitHub statuses; one line each, bounded. */
const GAP_LINE_MAX_CHARS = 300;
function gapLine(gap) {
    // The path is the pusher's to choose: a code span it cannot close; the reason quotes it too.
    const where = [gap.commit ? markdownCode(gap.commit.slice(0, 12)) : null, gap.path ? markdownCode(bounded(gap.path, GAP_LINE_MAX_CHARS / 2)) : null]
        .filter(Boolean)
        .join(" ");
    return `- ${where ? `${where}: ` : ""}${markdownText(bounded(gap.reason.replace(/\s+/g, " "), GAP_LINE_MAX_CHARS / 2))}`;
}
/** Cut before escaping, so an escape or a code span is never cut in half. */
function bounded(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
export function incompleteNote(gaps) {
    if (gaps.length === 0)
        return "";
    const lines = gaps.slice(0, MAX_GAPS_LISTED).map(gapLine);
    const more = gaps.length > MAX_GAPS_LISTED ? [`- … and ${gaps.length - MAX_GAPS_LISTED} more`] : [];
    return ["", "", "#### Scan incomplete", "", "Some of what was pushed could not be read, so it was not scanned:", "", ...lines, ...more].join("\n");
}
/** The summary with the note, cut so the note always fits under GitHub's limit. */
export function appendIncompleteNote(summary, gaps) {
    const note = incompleteNote(gaps);
    if (!note)
        return summary;
    const room = CHECK_RUN_SUMMARY_MAX_CHARS - note.length;
    return `${summary.length > room ? `${summary.slice(0, room - 1)}…` : summary}${note}`;
}
/**
 * The check run for a push part of which could not be read: the note in the summary, and never a
 * green "success" (fail closed: a scan that did not happen is not a clean push).
 */
export function withIncompleteScan(output, gaps) {
    if (gaps.length === 0)
        return output;
    const summary = appendIncompleteNote(output.summary, gaps);
    if (output.conclusion !== "success")
        return { ...output, summary };
    return { ...output, summary, conclusion: "neutral", title: "No Crisp token keypair found, but the scan was incomplete" };
}
//# sourceMappingURL=report-notes.js.map