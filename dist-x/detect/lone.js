// Lone labelled halves: a half under a Crisp label that found no partner in its own text. They are
// what a tree-level pass (cross-file.ts) may pair across files; everything else is dropped here, so
// a tree costs memory for its lone halves only.
import { HalfValue } from "./fingerprint.js";
import { labelTier, namesCredentialHalf } from "./grammar.js";
import { MAX_PAIR_LINES } from "./pairing.js";
import { byStart, nearestIndex } from "./nearest.js";
import { isDocumentedExample, isPlaceholderHalf } from "./suppress.js";
/**
 * A line that opens a section: `crisp:` (YAML), `[crisp]` (TOML, INI), `"crisp": {` (JSON),
 * `'crisp' => [` (PHP), `crisp = {` (HCL, Lua). One match per line, found once per text.
 */
const SECTION_RE = /^([ \t]*)(?:\[([\w.-]+)\]|["']?([\w.-]+)["']?[ \t]*(?::|=>|=)[ \t]*[[{(]?)[ \t]*$/gm;
/** `crisp: { id: …` on the value's own line, within the label look-back. */
const INLINE_SECTION_RE = /(?<![A-Za-z])crisp["']?\s*(?::|=>|=)\s*[[{(]/i;
const CRISP_WORD_RE = /(?<![A-Za-z])crisp(?![A-Za-z])/i;
/** How far before the value a same-line `crisp: {` is looked for (one short flow mapping). */
const INLINE_SECTION_LOOKBACK = 200;
/**
 * Every section header with the crisp sections open at it, by indentation: one pass over the
 * headers, a stack of open sections. A value belongs to a crisp section when the last header above
 * it has one open at an indentation less than the value's line.
 */
function crispSections(text, lines) {
    const out = [];
    // Open sections, each with the outermost crisp indentation at or above it: O(1) per header.
    const stack = [];
    SECTION_RE.lastIndex = 0;
    for (let m = SECTION_RE.exec(text); m; m = SECTION_RE.exec(text)) {
        if (m[0].length === 0) {
            SECTION_RE.lastIndex++;
            continue;
        }
        const table = m[2] !== undefined;
        const indent = table ? -1 : m[1].length;
        const name = (m[2] ?? m[3]);
        while (stack.length > 0 && stack[stack.length - 1].indent >= indent)
            stack.pop();
        const outer = stack.length > 0 ? stack[stack.length - 1].crispIndent : Infinity;
        const crispIndent = outer !== Infinity ? outer : CRISP_WORD_RE.test(name) ? indent : Infinity;
        stack.push({ indent, crispIndent });
        out.push({ start: m.index, line: lines.lineOf(m.index), crispIndent });
    }
    return out;
}
/** The lone halves among `unpaired`, with their hints. Linear-logarithmic: see docs/detect.md. */
export function loneHalves(unpaired, ctx) {
    const labelled = unpaired.filter((h) => h.label && !h.label.browserGlobal && !h.listed);
    if (labelled.length === 0)
        return [];
    let sections = null;
    // Remembered per line: halves sharing a line after a long indentation must not each rescan it.
    const indents = new Map();
    const indentOf = (line, lineStart, limit) => {
        let indent = indents.get(line);
        if (indent === undefined) {
            indent = 0;
            while (lineStart + indent < limit && (ctx.text[lineStart + indent] === " " || ctx.text[lineStart + indent] === "\t"))
                indent++;
            indents.set(line, indent);
        }
        return indent;
    };
    const inCrispSection = (h) => {
        if (h.view !== 0 || h.encoding === "base64")
            return false;
        const lineStart = ctx.lines.lineStart(h.line);
        if (INLINE_SECTION_RE.test(ctx.text.slice(Math.max(lineStart, h.start - INLINE_SECTION_LOOKBACK), h.start)))
            return true;
        sections ??= crispSections(ctx.text, ctx.lines);
        const i = lastBefore(sections, lineStart);
        if (i < 0)
            return false;
        return sections[i].crispIndent < indentOf(h.line, lineStart, h.start);
    };
    let placed = null;
    const hintTier = (h) => {
        placed ??= {
            explicit: ctx.hints().filter((x) => x.explicit).map(placeHint(ctx.lines)).sort(byStart),
            routes: ctx.hints().filter((x) => !x.explicit).map(placeHint(ctx.lines)).sort(byStart),
        };
        return nearestHintTier(placed.explicit, h) ?? nearestHintTier(placed.routes, h);
    };
    const out = [];
    for (const h of labelled) {
        const label = h.label;
        if (!namesCredentialHalf(label, h.kind))
            continue;
        // A Crisp label: crisp in its name, in the file's path, or the section it sits in.
        if (!label.words.includes("crisp") && !ctx.pathNamesCrisp && !inCrispSection(h))
            continue;
        // Not a secret on its own, so never half of one: Crisp's README examples, placeholders.
        if (h.kind === "identifier" && isDocumentedExample(h.value))
            continue;
        if (isPlaceholderHalf(h.kind, h.value))
            continue;
        if (ctx.allowedLines.has(h.line))
            continue;
        const tier = labelTier(label) ?? hintTier(h);
        const site = ctx.websiteIds[nearestIndex(ctx.websiteIds, h)];
        out.push({
            kind: h.kind,
            half: new HalfValue(h.kind, h.value),
            occurrence: { path: ctx.path, line: h.line, column: h.column, encoding: h.encoding },
            label: label.name,
            family: `${label.group}|${labelTier(label) ?? ""}`,
            tier,
            websiteId: site && Math.abs(site.line - h.line) <= MAX_PAIR_LINES ? site.id : null,
            pluginId: h.pluginId === true,
        });
    }
    return out;
}
function placeHint(lines) {
    return (h) => ({ start: h.offset, line: lines.lineOf(h.offset), tier: h.tier });
}
function nearestHintTier(sorted, at) {
    const best = sorted[nearestIndex(sorted, at)];
    return best && Math.abs(best.line - at.line) <= MAX_PAIR_LINES ? best.tier : null;
}
/** Index of the last entry starting before `offset`, or −1. */
function lastBefore(sorted, offset) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}
//# sourceMappingURL=lone.js.map