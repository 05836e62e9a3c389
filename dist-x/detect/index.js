// Public face of the detector: pure functions from text to candidates. See docs/detect.md.
import { hasCrispContext, mayContainHalf as halfPrefilter, mayContainKeypair as prefilter, pathNamesCrisp } from "./context.js";
import { loneHalves } from "./lone.js";
import { Keypair } from "./fingerprint.js";
import { labelTier } from "./grammar.js";
import { LineIndex } from "./lines.js";
import { MAX_PAIR_LINES, pairHalves } from "./pairing.js";
import { byStart, nearestIndex, textDistance } from "./nearest.js";
import { allowMarkerOffsets, suppressionFor } from "./suppress.js";
import { nearestTier, tierHints } from "./tier.js";
import { findTokens } from "./tokens.js";
/**
 * Cheap prefilter: false when the text cannot hold a Crisp keypair (no UUID shape, no base64 of
 * one, or no Crisp context). Sources call it before detect() to skip most files quickly.
 */
export function mayContainKeypair(text, path) {
    return prefilter(text, path);
}
/**
 * The prefilter for sources that pair halves across files: also passes a text holding only a key
 * (`CRISP_KEY=…` in a .env whose identifier is in config.yaml). Still false without Crisp context.
 */
export function mayContainHalf(text, path) {
    return halfPrefilter(text, path);
}
/** Finds Crisp keypairs in one text. Pure. Occurrences carry path/line/column/encoding only. */
export function detect(text, options) {
    if (!hasCrispContext(text, options.path))
        return { candidates: [], websiteIds: [], lone: [] };
    const lines = new LineIndex(text);
    const { halves, websiteIds, views } = findTokens(text, lines);
    const websiteIdList = [...new Set(websiteIds.map((w) => w.id))];
    if (halves.length === 0)
        return { candidates: [], websiteIds: websiteIdList, lone: [] };
    const pairs = pairPluginAware(halves, views);
    const lineOf = (o) => lines.lineOf(o);
    const paired = new Set(pairs.flatMap((p) => [p.identifier, p.key]));
    const pluginIdsHalves = pluginIdsUsable(halves) || !halves.some((h) => h.kind === "identifier" && !h.pluginId && labelTier(h.label) === "plugin");
    const unpaired = halves.filter((h) => !paired.has(h) && h.label !== null && (!h.pluginId || pluginIdsHalves));
    // Found once per text, and only when some half needs them (most files pair nothing).
    let hints = null;
    const allHints = () => (hints ??= tierHints(text));
    const hintsOf = hintsByPair(pairs.length > 0 ? allHints() : [], pairs, lineOf);
    const allowedLines = new Set(allowMarkerOffsets(text).map((o) => lines.lineOf(o)));
    const sightings = [...websiteIds].sort(byStart);
    const lone = loneHalves(unpaired, {
        text,
        path: options.path,
        lines,
        pathNamesCrisp: pathNamesCrisp(options.path),
        hints: allHints,
        websiteIds: sightings,
        allowedLines,
    });
    const candidates = pairs.map((pair, i) => {
        const keypair = new Keypair(pair.identifier.value, pair.key.value);
        const { key, identifier } = pair;
        return {
            keypair,
            fingerprint: keypair.fingerprint,
            tier: labelTier(key.label) ?? labelTier(identifier.label) ?? nearestTier(hintsOf[i], key.start, key.line, lineOf),
            websiteId: nearestWebsiteId(sightings, pair),
            occurrence: { path: options.path, line: key.line, column: key.column, encoding: key.encoding },
            suppressed: suppressionFor(identifier.value, key.value, allowedLines.has(key.line) || allowedLines.has(identifier.line)),
        };
    });
    return { candidates, websiteIds: websiteIdList, lone };
}
/**
 * A Crisp plugin id (CRISP_PLUGIN_ID) is an identifier only beside a plugin key (CRISP_PLUGIN_KEY):
 * alone, or beside some other key, it is the Marketplace plugin's public id. Plugin ids are left
 * out of pairing when no plugin key is in the text, and any pair they still make with another key
 * is dropped.
 */
function pairPluginAware(halves, views) {
    const isPluginKey = (h) => h.kind === "key" && labelTier(h.label) === "plugin";
    const usable = pluginIdsUsable(halves) ? halves : halves.filter((h) => !h.pluginId);
    return pairHalves(usable, views).filter((p) => !p.identifier.pluginId || isPluginKey(p.key));
}
/**
 * Plugin ids may stand for the identifier when a plugin key is present and no identifier labelled
 * for the plugin tier is (CRISP_PLUGIN_IDENTIFIER beside CRISP_PLUGIN_ID is the token's; the id is
 * the plugin's).
 */
function pluginIdsUsable(halves) {
    const pluginTier = (h) => labelTier(h.label) === "plugin";
    return halves.some((h) => h.kind === "key" && pluginTier(h)) &&
        !halves.some((h) => h.kind === "identifier" && !h.pluginId && pluginTier(h));
}
/**
 * Each tier hint speaks only for the keypair written nearest it, and only within the pairing
 * window: in a file with two keypairs, one's authenticateTier("plugin", …) must not name the
 * other's tier (a wrong plugin tier lets a plugin 401 be taken for "dead").
 */
function hintsByPair(hints, pairs, lineOf) {
    const owned = pairs.map(() => []);
    const halves = pairs
        .flatMap((pair, i) => [pair.key, pair.identifier].map((h) => ({ start: h.start, line: h.line, pair: i })))
        .sort(byStart);
    for (const hint of hints) {
        const at = { start: hint.offset, line: lineOf(hint.offset) };
        const nearest = halves[nearestIndex(halves, at)];
        if (nearest && Math.abs(nearest.line - at.line) <= MAX_PAIR_LINES)
            owned[nearest.pair].push(hint);
    }
    return owned;
}
/** The website id written nearest the keypair (fewest lines, then fewest characters), if any. */
function nearestWebsiteId(sorted, pair) {
    let best = null;
    let bestDistance = Infinity;
    for (const half of [pair.key, pair.identifier]) {
        const w = sorted[nearestIndex(sorted, half)];
        if (w && textDistance(w, half) < bestDistance) {
            best = w.id;
            bestDistance = textDistance(w, half);
        }
    }
    return best;
}
export * from "./types.js";
export { pairAcrossFiles } from "./cross-file.js";
export { HalfValue, Keypair, fingerprint, redactIdentifier, keyHint, redactKeypair } from "./fingerprint.js";
//# sourceMappingURL=index.js.map