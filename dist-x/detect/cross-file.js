// Pairs lone halves across the files of one tree: the identifier in config.yaml, the key in .env.
// Pure: it takes the lone halves the per-file detector returned (DetectResult.lone) and returns
// candidates, one per occurrence of each half, all with the keypair's fingerprint, so that grouping
// by fingerprint makes one finding whose occurrences point at both files. Never guesses: a pair is
// made only where it is unambiguous (see docs/detect.md, "Across files").
import { Keypair } from "./fingerprint.js";
import { suppressionFor } from "./suppress.js";
/** A Crisp plugin id pairs only with a key labelled for the plugin tier (CRISP_PLUGIN_KEY). */
function compatible(id, key) {
    if (id.pluginId && !key.family.endsWith("|plugin"))
        return false;
    // Written only in one and the same file: the per-file pass saw both and did not pair them.
    const files = new Set(id.lone.map((l) => l.occurrence.path));
    return key.lone.some((l) => !files.has(l.occurrence.path));
}
/** The same half written twice (.env and .env.example) is one half: group by kind, family and value. */
function distinctHalves(lone) {
    const byValue = new Map();
    for (const l of lone) {
        const value = l.half.reveal();
        const id = `${l.kind}\0${l.family}\0${value}`;
        let h = byValue.get(id);
        if (!h)
            byValue.set(id, (h = { kind: l.kind, value, family: l.family, pluginId: false, lone: [] }));
        h.pluginId ||= l.pluginId;
        h.lone.push(l);
    }
    return [...byValue.values()];
}
/**
 * Pairs lone halves across files when unambiguous:
 *  1. by label family: a family (qualifier words + the tier its labels name: CRISP_PLUGIN_* is
 *     `|plugin`, STAGING_CRISP_* is `staging|`) holding exactly one identifier and one key pairs them;
 *  2. else, when the whole tree holds exactly one lone identifier and one lone key, of families
 *     that do not contradict each other (equal, or one of them plain), they pair.
 * Anything else (two identifiers for one key, two keys for one identifier) pairs nothing.
 */
export function pairAcrossFiles(lone) {
    const halves = distinctHalves(lone);
    const pairs = [];
    const families = new Map();
    for (const h of halves) {
        const list = families.get(h.family) ?? [];
        list.push(h);
        families.set(h.family, list);
    }
    for (const list of families.values()) {
        const ids = list.filter((h) => h.kind === "identifier");
        const keys = list.filter((h) => h.kind === "key");
        if (ids.length === 1 && keys.length === 1 && compatible(ids[0], keys[0]))
            pairs.push([ids[0], keys[0]]);
    }
    if (pairs.length === 0) {
        const ids = halves.filter((h) => h.kind === "identifier");
        const keys = halves.filter((h) => h.kind === "key");
        if (ids.length === 1 && keys.length === 1) {
            const [id, key] = [ids[0], keys[0]];
            const plain = (f) => f === "|";
            const [idGroup, idTier] = id.family.split("|");
            const [keyGroup, keyTier] = key.family.split("|");
            const agree = (a, b) => a === b || a === "" || b === "";
            if ((plain(id.family) || plain(key.family) || (agree(idGroup, keyGroup) && agree(idTier, keyTier))) && compatible(id, key)) {
                pairs.push([id, key]);
            }
        }
    }
    const out = [];
    for (const [id, key] of pairs) {
        const keypair = new Keypair(id.value, key.value);
        const first = (h, pick) => h.lone.map(pick).find((v) => v !== null) ?? null;
        const tier = (first(key, (l) => l.tier) ?? first(id, (l) => l.tier));
        const websiteId = first(key, (l) => l.websiteId) ?? first(id, (l) => l.websiteId);
        const suppressed = suppressionFor(id.value, key.value, false);
        for (const l of [...id.lone, ...key.lone]) {
            out.push({ keypair, fingerprint: keypair.fingerprint, tier, websiteId, occurrence: { ...l.occurrence }, suppressed });
        }
    }
    return out;
}
//# sourceMappingURL=cross-file.js.map