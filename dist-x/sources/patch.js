// Parses a unified-diff `patch` as GitHub's commit and compare APIs return it for one file: which
// lines were added, their line numbers in the file as committed, and their diff `position`.
// Pure: no I/O.
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
export function parsePatch(patch) {
    const lines = [];
    const added = new Set();
    const positions = new Map();
    let position = -1; // -1 until the first hunk header, which is position 0
    let newLine = 0;
    let oldLeft = 0;
    let newLeft = 0;
    for (const raw of patch.split("\n")) {
        const hunk = HUNK.exec(raw);
        if (hunk) {
            position++;
            newLine = Number(hunk[3]);
            oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
            newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
            continue;
        }
        if (position < 0)
            continue; // before any hunk: not part of a diff GitHub would number
        if (raw.startsWith("\\")) {
            position++; // "\ No newline at end of file" is a line of the diff
            continue;
        }
        if (oldLeft <= 0 && newLeft <= 0)
            continue; // past the hunk's counts: a trailing newline, nothing more
        position++;
        const marker = raw[0];
        const text = raw.slice(1).replace(/\r$/, "");
        if (marker === "+") {
            lines.push({ line: newLine, position, text, added: true });
            added.add(newLine);
            positions.set(newLine, position);
            newLine++;
            newLeft--;
        }
        else if (marker === "-") {
            oldLeft--;
        }
        else {
            // " " or an empty line (some tools drop the space of an empty context line)
            lines.push({ line: newLine, position, text, added: false });
            positions.set(newLine, position);
            newLine++;
            newLeft--;
            oldLeft--;
        }
    }
    return { lines, added, positions };
}
/**
 * The patch's view of the new file as text: every line the patch shows at its own line number,
 * every other line empty, so a detector run over it reports line numbers of the file as committed.
 * With `addedOnly`, context lines are left empty too.
 */
export function patchText(parsed, options = {}) {
    const shown = options.addedOnly ? parsed.lines.filter((l) => l.added) : parsed.lines;
    const last = shown.at(-1)?.line ?? 0;
    const out = new Array(last).fill("");
    for (const l of shown)
        out[l.line - 1] = l.text;
    return out.join("\n");
}
//# sourceMappingURL=patch.js.map