// Pure: where a file line sits in a GitHub diff, for commit comments (`path` + `position`).
/**
 * Maps each line of the new file that the patch shows ('+' or context) to its diff position.
 * GitHub's rule (REST docs, commit comments): the line just below the first "@@" hunk header is
 * position 1, and positions keep counting through later hunk headers and "\ No newline" lines.
 */
export function positionsInPatch(patch) {
    const positions = new Map();
    const lines = patch.split("\n");
    let newLine = 0;
    let firstHunk = -1;
    for (let i = 0; i < lines.length; i += 1) {
        const text = lines[i] ?? "";
        const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
        if (hunk) {
            if (firstHunk < 0)
                firstHunk = i;
            newLine = Number(hunk[1]);
            continue;
        }
        if (firstHunk < 0)
            continue;
        // A patch that ends with a newline leaves one empty string after the split: not a diff line.
        if (i === lines.length - 1 && text === "")
            break;
        const position = i - firstHunk;
        if (text.startsWith("+") || text.startsWith(" ")) {
            positions.set(newLine, position);
            newLine += 1;
        }
    }
    return positions;
}
/** Positions of the lines the patch adds ('+'), by new-file line number. */
export function addedLinePositions(patch) {
    const all = positionsInPatch(patch);
    const added = new Map();
    const lines = patch.split("\n");
    for (const [line, position] of all) {
        if (lines[position]?.startsWith("+"))
            added.set(line, position);
    }
    return added;
}
/** The key of one file of one commit in a DiffPositions map; the push source uses the same key. */
export function positionKey(commit, path) {
    return `${commit}:${path}`;
}
export function lookupPosition(positions, commit, path, line) {
    const found = typeof positions === "function" ? positions(commit, path, line) : positions.get(positionKey(commit, path))?.get(line);
    return found ?? null;
}
/** Adds the positions of one commit's files (the `files` of GET /repos/{o}/{r}/commits/{sha}) to `into`. */
export function addCommitPositions(into, commit, files) {
    for (const file of files) {
        if (file.patch)
            into.set(positionKey(commit, file.filename), positionsInPatch(file.patch));
    }
    return into;
}
//# sourceMappingURL=github-diff.js.map