// The tier the context names. The tier is not part of the token (DESIGN.md): the verifier tries the
// named one first, so a good hint saves a request from the leaked token's daily quota.
/**
 * authenticateTier("plugin", …) (JS, Go AuthenticateTier, Ruby authenticate_tier(:plugin, …)),
 * set_tier("website") / setTier (Python, PHP), X-Crisp-Tier: plugin (curl, header maps),
 * CRISP_TIER=website / tier: plugin / crisp_tier: str = "website" (settings).
 */
const EXPLICIT_TIER_RE = /(?:authenticate_?tier|set_?tier)\s*\(\s*:?["'`]?(plugin|website)\b|x-crisp-tier["'`]?\s*(?:=>|[:=,])\s*["'`]?(plugin|website)\b/gi;
/**
 * A tier setting: CRISP_TIER=, tier:, crispTier =, crisp_tier: str = "website". "tier" must start a
 * word (after a non-letter, or as the capitalised word of camelCase), so frontier/pricing words do
 * not count. Matched right after the word "tier" (sticky), found first by a plain search: a regex
 * opening with a lookbehind is tried at every offset of the text, several times slower.
 */
const TIER_SETTING_AFTER_RE = /["'`\]]?\s*(?::\s*[A-Za-z_][\w.[\]]*\s*(?==))?(?:=>|:=|[:=])\s*:?["'`]?(plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/y;
/**
 * A tier given as the fallback of an environment lookup: `env('CRISP_TIER', 'plugin')` (Laravel),
 * `os.getenv("CRISP_TIER", "website")`, `ENV.fetch("CRISP_TIER", "plugin")`. The variable's name
 * must end in the word "tier" (not PRICING_TIER_NAME, not frontier).
 */
const TIER_DEFAULT_AFTER_RE = /["'`]\s*,\s*(?:default\s*=\s*)?["'`](plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/y;
const TIER_WORD_RE = /tier/gi;
/** "tier", "Tier" or "TIER" at `i`, starting a word: not after a letter, except camelCase `crispTier`. */
function tierWordAt(text, i) {
    const word = text.slice(i, i + 4);
    if (word !== "tier" && word !== "Tier" && word !== "TIER")
        return false;
    const c = text.charCodeAt(i - 1);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    return !letter || (word === "Tier" && c >= 97 && c <= 122);
}
function tierSettings(text, hints) {
    TIER_WORD_RE.lastIndex = 0;
    for (let m = TIER_WORD_RE.exec(text); m; m = TIER_WORD_RE.exec(text)) {
        if (!tierWordAt(text, m.index))
            continue;
        for (const re of [TIER_SETTING_AFTER_RE, TIER_DEFAULT_AFTER_RE]) {
            re.lastIndex = m.index + 4;
            const after = re.exec(text);
            if (after) {
                hints.push({ tier: after[1].toLowerCase(), offset: m.index, explicit: true });
                break;
            }
        }
    }
}
/** A plugin-only or website-only REST route: /v1/plugin/connect/account, /v1/website/{id}/… */
const ROUTE_TIER_RE = /\/v1\/(plugin|website)\//gi;
export function tierHints(text) {
    const hints = [];
    tierSettings(text, hints);
    for (const [re, explicit] of [[EXPLICIT_TIER_RE, true], [ROUTE_TIER_RE, false]]) {
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
            const tier = (m[1] ?? m[2]).toLowerCase();
            hints.push({ tier, offset: m.index, explicit });
        }
    }
    return hints;
}
/**
 * The tier for a keypair at `offset` (line `line`): the nearest explicit hint, else the nearest
 * route. `lineOf` maps offsets to lines, so "nearest" means fewest lines, then fewest characters.
 */
export function nearestTier(hints, offset, line, lineOf) {
    for (const explicit of [true, false]) {
        let best = null;
        let bestDistance = Infinity;
        for (const h of hints) {
            if (h.explicit !== explicit)
                continue;
            const d = Math.abs(lineOf(h.offset) - line) * 1e9 + Math.abs(h.offset - offset);
            if (d < bestDistance) {
                best = h;
                bestDistance = d;
            }
        }
        if (best)
            return best.tier;
    }
    return null;
}
//# sourceMappingURL=tier.js.map