// Offsets to 1-based line/column. Built once per text, only when it holds shapes worth locating.
export class LineIndex {
    /** Offset of each line's first character; starts[0] is line 1. */
    #starts = [0];
    #length;
    constructor(text) {
        this.#length = text.length;
        for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1))
            this.#starts.push(i + 1);
    }
    /** 1-based line holding `offset`. */
    lineOf(offset) {
        let lo = 0;
        let hi = this.#starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (this.#starts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo + 1;
    }
    /** Offset of the first character of 1-based `line`. */
    lineStart(line) {
        return this.#starts[Math.max(0, Math.min(line, this.#starts.length) - 1)] ?? 0;
    }
    /** Offset just past the last character of 1-based `line` (its '\n' or the end of text). */
    lineEnd(line) {
        const next = this.#starts[line];
        return next === undefined ? this.#length : next - 1;
    }
    position(offset) {
        const line = this.lineOf(offset);
        // Columns count UTF-16 code units, SARIF's default column kind.
        return { line, column: offset - this.lineStart(line) + 1 };
    }
}
//# sourceMappingURL=lines.js.map