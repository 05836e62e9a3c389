// Finds the halves (identifiers, keys) and the website ids in a text and in its decoded base64
// runs, each with its label and where its occurrence points.
import { base64Segments, encodingAt } from "./decoders.js";
import { boundaryAfter, boundaryBefore, digestPrefixed, DIGEST_LIKE_LENGTH, HEX_RUN_RE, isCrispPluginIdLabel, isNotAKeyLabel, isOtherIdLabel, isOtherVendorLabel, isWebsiteIdLabel, KEY_LENGTH, labelBefore, nameOfValueIn, UUID_RE, } from "./grammar.js";
import { LineIndex } from "./lines.js";
/** `/website/<uuid>` in a route, `?website_id=` handled by the label. */
const WEBSITE_ROUTE_BEFORE_RE = /\/website\/$/i;
/** The clients' website calls take the website id first: CrispClient.website.getWebsite("…"). */
const WEBSITE_CALL_BEFORE_RE = /websites?(?:\.|->)\w+\(\s*["'`]$/i;
/** Collects halves and website ids from the text and its decoded runs. */
export function findTokens(text, lines) {
    const halves = [];
    const websiteIds = [];
    const views = [text];
    const textNamesAbove = namesAbove(text, lines);
    const scan = (view) => {
        const t = view.text;
        // A decoded run gets its own line index: looking back for its line starts from each value
        // would rescan the run once per value.
        const local = view.anchor === null ? lines : new LineIndex(t);
        const nameAbove = view.anchor === null ? textNamesAbove : namesAbove(t, local);
        const lineStartIn = (offset) => local.lineStart(local.lineOf(offset));
        const place = (offset, end) => {
            const start = view.anchor ?? offset;
            const pos = lines.position(start);
            const encoding = view.anchor === null ? encodingAt(t, offset, end) : "base64";
            return { start, line: pos.line, column: pos.column, encoding };
        };
        const labelAt = (offset) => {
            const line = local.lineOf(offset);
            return labelBefore(t, offset, local.lineStart(line), () => nameAbove(line)) ?? view.anchorLabel;
        };
        UUID_RE.lastIndex = 0;
        for (let m = UUID_RE.exec(t); m; m = UUID_RE.exec(t)) {
            const s = m.index;
            const e = s + m[0].length;
            if (!boundaryBefore(t, s) || !boundaryAfter(t, e))
                continue;
            const value = m[0].toLowerCase();
            const before = t.slice(Math.max(0, s - 40), s);
            const label = labelAt(s);
            const p = place(s, e);
            if (WEBSITE_ROUTE_BEFORE_RE.test(before) || WEBSITE_CALL_BEFORE_RE.test(before) || (label && isWebsiteIdLabel(label))) {
                websiteIds.push({ id: value, start: p.start, line: p.line });
                continue;
            }
            // A path segment (/plugin/<id>/, /session/<id>) is some resource's id; user-info (://id:) is not a path.
            if (before.endsWith("/") && !before.endsWith("://"))
                continue;
            if (label && (label.browserGlobal || isOtherVendorLabel(label)))
                continue;
            const pluginId = label !== null && isCrispPluginIdLabel(label);
            if (label && !pluginId && isOtherIdLabel(label))
                continue;
            halves.push({ kind: "identifier", value, view: view.index, viewStart: s, viewEnd: e, ...p, label, listed: false, pluginId });
        }
        HEX_RUN_RE.lastIndex = 0;
        const runs = [];
        for (let m = HEX_RUN_RE.exec(t); m; m = HEX_RUN_RE.exec(t))
            runs.push({ s: m.index, e: m.index + m[0].length });
        runs.forEach((run, i) => {
            if (run.e - run.s !== KEY_LENGTH)
                return;
            if (!boundaryBefore(t, run.s) || !boundaryAfter(t, run.e))
                return;
            const ls = lineStartIn(run.s);
            if (digestPrefixed(t, run.s, ls))
                return;
            const charBefore = t.charCodeAt(run.s - 1);
            if (charBefore === 47 /* / */ || charBefore === 35 /* # */)
                return; // a URL path or fragment: a digest
            const label = labelAt(run.s);
            if (label && (isNotAKeyLabel(label) || isOtherVendorLabel(label)))
                return;
            const token = {
                kind: "key",
                value: t.slice(run.s, run.e).toLowerCase(),
                view: view.index,
                viewStart: run.s,
                viewEnd: run.e,
                ...place(run.s, run.e),
                label,
                // An unlabelled 64-hex next to other long hex runs is one of a list (digests, object ids).
                listed: !label && inHexList(t, runs, i, lineStartIn),
            };
            halves.push(token);
        });
    };
    scan({ index: 0, text, anchor: null, anchorLabel: null });
    for (const seg of base64Segments(text)) {
        const line = lines.lineOf(seg.start);
        const anchorLabel = labelBefore(text, seg.start, lines.lineStart(line), () => textNamesAbove(line));
        if (anchorLabel && (isNotAKeyLabel(anchorLabel) || isOtherVendorLabel(anchorLabel)))
            continue;
        views.push(seg.text);
        scan({ index: views.length - 1, text: seg.text, anchor: seg.start, anchorLabel });
    }
    return { halves, websiteIds, views };
}
/**
 * The name the one or two lines above a line give a generic `value:` (`- name: CRISP_KEY` then
 * `value: …`), computed once per line and remembered: every value on a line shares it, so a line of
 * a million labelled values costs one look at the lines above, not a million (that was quadratic).
 */
function namesAbove(text, lines) {
    const memo = new Map();
    return (line) => {
        if (line <= 1)
            return null;
        let name = memo.get(line);
        if (name === undefined) {
            name = nameOfValueIn(text.slice(lines.lineStart(Math.max(1, line - 2)), lines.lineStart(line)));
            memo.set(line, name);
        }
        return name;
    };
}
/** Neighbouring digest-length hex runs on the same line (within a short stretch) or the next line. */
const HEX_LIST_SPAN = 256;
function inHexList(t, runs, i, lineStartIn) {
    const self = runs[i];
    const selfLine = lineStartIn(self.s);
    for (const j of [i - 1, i + 1]) {
        const other = runs[j];
        if (!other || other.e - other.s < DIGEST_LIKE_LENGTH)
            continue;
        const otherLine = lineStartIn(other.s);
        if (otherLine === selfLine) {
            if (Math.abs(other.s - self.s) <= HEX_LIST_SPAN)
                return true;
            continue;
        }
        // Adjacent lines: the line break between them is the only one in the gap.
        const [a, b] = other.s < self.s ? [other, self] : [self, other];
        const gap = t.slice(a.e, b.s);
        if (gap.length <= HEX_LIST_SPAN && gap.indexOf("\n") === gap.lastIndexOf("\n"))
            return true;
    }
    return false;
}
//# sourceMappingURL=tokens.js.map