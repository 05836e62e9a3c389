// The tier the context names. The tier is not part of the token (DESIGN.md): the verifier tries the
// named one first, so a good hint saves a request from the leaked token's daily quota.

import type { Tier } from "./types.js";

export interface TierHint {
  tier: Tier;
  offset: number;
  /** Explicit hints (a call, a header, a setting) outrank a route seen in a URL. */
  explicit: boolean;
}

/**
 * authenticateTier("plugin", …) (JS, Go AuthenticateTier, Ruby authenticate_tier(:plugin, …)),
 * set_tier("website") / setTier (Python, PHP), X-Crisp-Tier: plugin (curl, header maps),
 * CRISP_TIER=website / tier: plugin / crisp_tier: str = "website" (settings).
 */
const EXPLICIT_TIER_RE =
  /(?:authenticate_?tier|set_?tier)\s*\(\s*:?["'`]?(plugin|website)\b|x-crisp-tier["'`]?\s*(?:=>|[:=,])\s*["'`]?(plugin|website)\b/gi;

/**
 * A tier setting: CRISP_TIER=, tier:, crispTier =. "tier" must start a word (after a non-letter,
 * or as the capitalised word of camelCase), so frontier/pricing words do not count.
 */
const TIER_SETTING_RE =
  /(?:(?<![A-Za-z])(?:tier|Tier|TIER)|(?<=[a-z])Tier)["'`\]]?\s*(?::\s*[A-Za-z_][\w.[\]]*\s*(?==))?(?:=>|:=|[:=])\s*:?["'`]?(plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/g;

/**
 * A tier given as the fallback of an environment lookup: `env('CRISP_TIER', 'plugin')` (Laravel),
 * `os.getenv("CRISP_TIER", "website")`, `ENV.fetch("CRISP_TIER", "plugin")`. The variable's name
 * must end in the word "tier" (not PRICING_TIER_NAME, not frontier).
 */
const TIER_DEFAULT_RE =
  /(?:(?<![A-Za-z])(?:tier|Tier|TIER)|(?<=[a-z])Tier)["'`]\s*,\s*(?:default\s*=\s*)?["'`](plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/g;

/** A plugin-only or website-only REST route: /v1/plugin/connect/account, /v1/website/{id}/… */
const ROUTE_TIER_RE = /\/v1\/(plugin|website)\//gi;

export function tierHints(text: string): TierHint[] {
  const hints: TierHint[] = [];
  for (const [re, explicit] of [[EXPLICIT_TIER_RE, true], [TIER_SETTING_RE, true], [TIER_DEFAULT_RE, true], [ROUTE_TIER_RE, false]] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const tier = (m[1] ?? m[2])!.toLowerCase() as Tier;
      hints.push({ tier, offset: m.index, explicit });
    }
  }
  return hints;
}

/**
 * The tier for a keypair at `offset` (line `line`): the nearest explicit hint, else the nearest
 * route. `lineOf` maps offsets to lines, so "nearest" means fewest lines, then fewest characters.
 */
export function nearestTier(hints: readonly TierHint[], offset: number, line: number, lineOf: (o: number) => number): Tier | null {
  for (const explicit of [true, false]) {
    let best: TierHint | null = null;
    let bestDistance = Infinity;
    for (const h of hints) {
      if (h.explicit !== explicit) continue;
      const d = Math.abs(lineOf(h.offset) - line) * 1e9 + Math.abs(h.offset - offset);
      if (d < bestDistance) {
        best = h;
        bestDistance = d;
      }
    }
    if (best) return best.tier;
  }
  return null;
}
