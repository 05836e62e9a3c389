// The verifier: decides which checks to make for one secret, in which order, and how their answers
// combine; spends the owner's quota sparingly (queue, rate cap, coalescing, cache, a retry budget per
// secret and a Crisp-wide breaker).
import PQueue from "p-queue";
import { createBreaker } from "./breaker.js";
import { createCrispClient, isWebsiteId } from "./client.js";
/** Default number of requests to Crisp in flight at once. */
export const DEFAULT_CONCURRENCY = 4;
/** Default rate cap, requests per second, across all checks. */
export const DEFAULT_RATE_PER_SECOND = 10;
/** Live and dead answers are kept 1 h (the owner's quota is 5,000-10,000 requests a day). */
export const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;
/** Unknown answers are kept 5 min, so a passing outage is retried soon but not in a loop. */
export const DEFAULT_UNKNOWN_TTL_MS = 5 * 60 * 1000;
/**
 * Retries per secret, all its endpoints together, for 5xx and network errors only: DESIGN.md "Crisp
 * API facts" allows at most 3 requests per secret while Crisp fails.
 */
export const DEFAULT_RETRIES = 2;
/** First backoff step; doubled per retry, with jitter so parallel retries spread out. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/**
 * Website ids tried for one secret when nothing names its tier: the one beside the keypair, then
 * others of the same scan. Only an answer that proves nothing (a stale or foreign id) moves on to the
 * next; enough to get past a stale id, few enough not to spray a token around.
 */
export const MAX_WEBSITE_IDS_TRIED = 3;
/**
 * Longest Retry-After the whole queue waits out. A longer one (a daily quota spent) would stall a
 * scan for hours: that secret stays unknown (cached until Retry-After) and the others go on.
 */
export const MAX_RATE_LIMIT_HOLD_MS = 60_000;
/** Bound on cached checks in a long-running app; expired entries go first, then the oldest. */
export const MAX_CACHE_ENTRIES = 50_000;
export const NO_WEBSITE_ID_REASON = "website tier unchecked: no website id";
/** The answer while the breaker is open: no request was sent. */
export const CRISP_UNAVAILABLE_REASON = "Crisp unavailable";
const REFUSED = Symbol("refused by the breaker");
const sleepReal = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export function createVerifier(options = {}) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? sleepReal;
    const random = options.random ?? Math.random;
    const cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    const unknownTtlMs = options.unknownTtlMs ?? DEFAULT_UNKNOWN_TTL_MS;
    const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
    const retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    const client = options.client ??
        createCrispClient({
            ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...(options.version !== undefined ? { version: options.version } : {}),
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
            now,
        });
    const breaker = options.breaker ??
        createBreaker({
            now,
            ...(options.breakerThreshold !== undefined ? { failureThreshold: options.breakerThreshold } : {}),
            ...(options.breakerCooldownMs !== undefined ? { cooldownMs: options.breakerCooldownMs } : {}),
        });
    // Two queues: checks take a slot (concurrency), and only a request about to be sent takes a turn
    // under the rate cap, so checks the open breaker refuses do not queue behind it.
    const slots = new PQueue({ concurrency: positive(options.concurrency ?? DEFAULT_CONCURRENCY, "concurrency") });
    const rate = new PQueue(rateCap(options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND));
    // Keys are fingerprint|tier|websiteId: never a raw key.
    const checks = new Map();
    const inFlight = new Map();
    // A live answer is about the secret, whatever tier or website id a later request brings.
    const liveByFingerprint = new Map();
    let holdUntil = 0;
    const counts = { verifications: 0, requests: 0, retries: 0, cacheHits: 0, coalesced: 0, rateLimited: 0, unavailable: 0 };
    function fresh(map, key) {
        const entry = map.get(key);
        if (entry === undefined)
            return undefined;
        if (entry.expiresAt <= now()) {
            map.delete(key);
            return undefined;
        }
        return entry.value;
    }
    function remember(map, key, value, ttlMs) {
        if (map.size >= MAX_CACHE_ENTRIES)
            prune(map);
        map.delete(key); // re-insert so Map order stays oldest-first
        map.set(key, { value, expiresAt: now() + ttlMs });
    }
    function prune(map) {
        const t = now();
        for (const [k, e] of map)
            if (e.expiresAt <= t)
                map.delete(k);
        for (const k of map.keys()) {
            if (map.size < MAX_CACHE_ENTRIES)
                break;
            map.delete(k);
        }
    }
    function ttlFor(outcome) {
        if (outcome.kind !== "unknown")
            return cacheTtlMs;
        if (outcome.retryAfterMs !== undefined)
            return Math.max(unknownTtlMs, Math.min(outcome.retryAfterMs, cacheTtlMs));
        return unknownTtlMs;
    }
    /**
     * A permit to send now, or undefined when the breaker is open. While the half-open probe is out,
     * waits for its verdict rather than refusing: the checks behind it go on as soon as Crisp is back.
     */
    async function admit() {
        for (;;) {
            const permit = breaker.allow();
            if (permit !== undefined)
                return permit;
            const probe = breaker.probeSettled();
            if (probe === undefined)
                return undefined;
            await probe;
        }
    }
    /** One request, or REFUSED when the breaker is open: then nothing is sent. */
    async function attempt(keypair, tier, websiteId) {
        if (refusedNow())
            return REFUSED;
        return slots.add(async () => {
            const wait = holdUntil - now();
            if (wait > 0)
                await sleep(wait);
            // The breaker may have opened while this check waited for its slot.
            if (refusedNow())
                return REFUSED;
            return rate.add(async () => {
                // Asked at send time: the permit is taken for the request that goes out now.
                const permit = await admit();
                if (permit === undefined)
                    return REFUSED;
                counts.requests++;
                let outcome;
                try {
                    outcome = await client.check(keypair, tier, websiteId);
                }
                catch {
                    // A client never throws by design; a stand-in fetch or client might. Keep the error's text
                    // out of the reason: it may quote request headers.
                    outcome = { kind: "unknown", reason: "network error", retryable: true };
                }
                permit.done(breakerResult(outcome));
                return outcome;
            });
        });
    }
    /** Open and cooling down (a probe out is waited for, in admit()). */
    function refusedNow() {
        return breaker.blocked() && breaker.probeSettled() === undefined;
    }
    async function run(keypair, tier, websiteId, budget) {
        let tries = 0;
        for (;;) {
            const outcome = await attempt(keypair, tier, websiteId);
            if (outcome === REFUSED) {
                counts.unavailable++;
                return { outcome: { kind: "unknown", reason: CRISP_UNAVAILABLE_REASON, retryable: false }, tier, checkedAt: now(), cacheable: false };
            }
            tries++;
            if (outcome.kind === "unknown" && outcome.retryable) {
                budget.failures++;
                if (budget.failures < budget.max) {
                    counts.retries++;
                    const step = retryBaseDelayMs * 2 ** (budget.failures - 1);
                    await sleep(step / 2 + random() * (step / 2));
                    continue;
                }
                const reason = tries > 1 ? `${outcome.reason} after ${tries} attempts` : outcome.reason;
                return { outcome: { ...outcome, reason }, tier, checkedAt: now(), cacheable: true };
            }
            if (outcome.kind === "unknown" && outcome.rateLimited) {
                counts.rateLimited++;
                if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs <= MAX_RATE_LIMIT_HOLD_MS) {
                    holdUntil = Math.max(holdUntil, now() + outcome.retryAfterMs);
                }
            }
            return { outcome, tier, checkedAt: now(), cacheable: true };
        }
    }
    function check(keypair, tier, websiteId, budget) {
        const key = `${keypair.fingerprint}|${tier}|${websiteId ?? ""}`;
        const cached = fresh(checks, key);
        if (cached !== undefined) {
            counts.cacheHits++;
            return Promise.resolve(cached);
        }
        const pending = inFlight.get(key);
        if (pending !== undefined) {
            // The joiner spends nothing of its own budget: it gets the answer the first one paid for.
            counts.coalesced++;
            return pending;
        }
        const promise = run(keypair, tier, websiteId, budget)
            .then((checked) => {
            if (checked.cacheable)
                remember(checks, key, checked, ttlFor(checked.outcome));
            return checked;
        })
            .finally(() => inFlight.delete(key));
        inFlight.set(key, promise);
        return promise;
    }
    async function verify(request) {
        counts.verifications++;
        const fingerprint = request.keypair.fingerprint;
        const live = fresh(liveByFingerprint, fingerprint);
        if (live !== undefined) {
            counts.cacheHits++;
            return { ...live };
        }
        const budget = { failures: 0, max: retries + 1 };
        const answers = [];
        for (const planned of planChecks(request)) {
            const checked = await check(request.keypair, planned.tier, planned.websiteId, budget);
            answers.push(checked);
            const { outcome } = checked;
            if (outcome.kind === "live") {
                const verification = toVerification(checked);
                liveByFingerprint.delete(fingerprint);
                liveByFingerprint.set(fingerprint, { value: verification, expiresAt: checked.checkedAt + cacheTtlMs });
                return { ...verification };
            }
            // A website-tier 401 means the token did not authenticate as a website token: another website
            // id cannot change that (a foreign id answers 403 not_allowed, which is live).
            if (outcome.kind === "dead" && planned.tier === "website")
                break;
            // Stop asking: a rate limit refuses the next request too (and spends quota), a spent retry
            // budget means Crisp is failing, and an open breaker sends nothing.
            if (outcome.kind === "unknown" && (outcome.rateLimited || outcome.retryable || !checked.cacheable))
                break;
        }
        return combine(request, answers, now());
    }
    return {
        async verify(request) {
            try {
                return await verify(request);
            }
            catch {
                return { status: "unknown", tier: null, reason: "internal error during verification", checkedAt: new Date(now()).toISOString() };
            }
        },
        stats: () => ({ ...counts, breaker: breaker.state(), breakerOpened: breaker.opened() }),
    };
}
/**
 * The endpoints to ask for one secret, in order. A tier the code names is decisive: that tier only,
 * one request (the website tier with the id beside the keypair, or nothing without one). Only when
 * nothing names a tier: plugin, then website with the beside id and the scan's other ids, at most
 * MAX_WEBSITE_IDS_TRIED of them.
 */
export function planChecks(request) {
    if (request.tier === "plugin")
        return [{ tier: "plugin", websiteId: null }];
    if (request.tier === "website") {
        const beside = request.websiteId;
        return beside !== null && isWebsiteId(beside) ? [{ tier: "website", websiteId: beside.toLowerCase() }] : [];
    }
    return [{ tier: "plugin", websiteId: null }, ...websiteIdsToTry(request).map((websiteId) => ({ tier: "website", websiteId }))];
}
/** The verification from the answers of a secret that is not live. */
function combine(request, answers, nowMs) {
    const checkedAt = new Date(answers.length ? Math.max(...answers.map((a) => a.checkedAt)) : nowMs).toISOString();
    const unknowns = answers.filter((a) => a.outcome.kind === "unknown");
    const telling = unknowns.find((a) => a.outcome.kind === "unknown" && a.outcome.rateLimited) ?? unknowns[0];
    if (telling !== undefined) {
        return { status: "unknown", tier: telling.tier, reason: telling.outcome.reason, checkedAt };
    }
    // Every check answered 401. Dead only if every tier that could apply was asked: the named tier,
    // or both when none is named.
    const tiersAsked = [...new Set(answers.map((a) => a.tier))];
    const allAsked = request.tier !== null ? tiersAsked.includes(request.tier) : tiersAsked.length === 2;
    if (!allAsked)
        return { status: "unknown", tier: null, reason: NO_WEBSITE_ID_REASON, checkedAt };
    return {
        status: "dead",
        tier: request.tier,
        reason: `rejected by ${tiersAsked.join(" and ")} tier${tiersAsked.length > 1 ? "s" : ""} (HTTP 401)`,
        checkedAt,
    };
}
/** What one answer says about Crisp as a whole (see breaker.ts). */
function breakerResult(outcome) {
    if (outcome.kind !== "unknown")
        return "answer";
    if (outcome.retryable)
        return "failure";
    // A rate limit is one token's quota, answered by a working Crisp: not an outage.
    if (outcome.rateLimited)
        return "answer";
    return "neutral";
}
/** The website id beside the keypair first, then others from the same scan; valid UUIDs, once each. */
export function websiteIdsToTry(request) {
    const ids = [];
    for (const id of [request.websiteId, ...request.websiteIds]) {
        if (id === null || !isWebsiteId(id))
            continue;
        const lower = id.toLowerCase();
        if (!ids.includes(lower))
            ids.push(lower);
        if (ids.length === MAX_WEBSITE_IDS_TRIED)
            break;
    }
    return ids;
}
function toVerification(checked) {
    const { outcome } = checked;
    const verification = {
        status: outcome.kind,
        tier: checked.tier,
        reason: outcome.reason,
        checkedAt: new Date(checked.checkedAt).toISOString(),
    };
    if (outcome.kind === "live") {
        if (outcome.pluginId !== undefined)
            verification.pluginId = outcome.pluginId;
        if (outcome.websiteName !== undefined)
            verification.websiteName = outcome.websiteName;
    }
    return verification;
}
function positive(value, name) {
    if (!(value >= 1))
        throw new Error(`verifier ${name} must be at least 1`);
    return Math.floor(value);
}
/** p-queue's cap is "intervalCap per interval"; a rate below 1/s becomes 1 per longer interval. */
function rateCap(ratePerSecond) {
    if (!(ratePerSecond > 0))
        throw new Error("verifier ratePerSecond must be above 0");
    if (ratePerSecond === Infinity)
        return {};
    // strict: a sliding window, so no burst of 2x the cap across a window boundary.
    if (ratePerSecond >= 1)
        return { intervalCap: Math.floor(ratePerSecond), interval: 1000, strict: true };
    return { intervalCap: 1, interval: Math.ceil(1000 / ratePerSecond), strict: true };
}
//# sourceMappingURL=verifier.js.map