// The verifier's decisions, each alone: when a secret's later checks are not asked, how long an
// answer is kept, the retry backoff, the rate-limit hold, and what an answer tells the breaker.
import { describe, expect, it } from "vitest";
import type { CheckOutcome } from "../../src/verify/status.js";
import { fresh, prune, remember, rememberUntil, type TtlMap } from "../../src/verify/ttl-cache.js";
import {
  breakerResult, DEFAULT_CACHE_TTL_MS, DEFAULT_UNKNOWN_TTL_MS, MAX_RATE_LIMIT_HOLD_MS, rateLimitHold, retryDelayMs, stopsAsking, ttlFor,
} from "../../src/verify/verifier.js";

const live: CheckOutcome = { kind: "live", httpStatus: 200, reason: "authenticated (HTTP 200)" };
const dead: CheckOutcome = { kind: "dead", httpStatus: 401, reason: "invalid_session" };
const failing: CheckOutcome = { kind: "unknown", reason: "HTTP 503", retryable: true, httpStatus: 503 };
const limited = (retryAfterMs?: number): CheckOutcome => ({
  kind: "unknown", reason: "rate_limited", retryable: false, httpStatus: 429, rateLimited: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
});
const provesNothing: CheckOutcome = { kind: "unknown", reason: "200 without the requested data.website_id", retryable: false, httpStatus: 200 };

const plugin = { tier: "plugin" as const, websiteId: null };
const website = { tier: "website" as const, websiteId: "6f0d4b52-9c8e-4f1a-a7c3-2b1e5d9f0c44" };

describe("stopsAsking", () => {
  it("a website-tier 401 ends it; a plugin 401 leaves the website tier to ask", () => {
    expect(stopsAsking(website, { outcome: dead, cacheable: true })).toBe(true);
    expect(stopsAsking(plugin, { outcome: dead, cacheable: true })).toBe(false);
  });

  it("a rate limit, a spent retry budget and the breaker's refusal end it; an answer that proves nothing moves on", () => {
    expect(stopsAsking(plugin, { outcome: limited(), cacheable: true })).toBe(true);
    expect(stopsAsking(plugin, { outcome: failing, cacheable: true })).toBe(true);
    expect(stopsAsking(website, { outcome: { kind: "unknown", reason: "Crisp unavailable", retryable: false }, cacheable: false })).toBe(true);
    expect(stopsAsking(website, { outcome: provesNothing, cacheable: true })).toBe(false);
  });
});

describe("ttlFor", () => {
  const ttl = (o: CheckOutcome) => ttlFor(o, DEFAULT_CACHE_TTL_MS, DEFAULT_UNKNOWN_TTL_MS);

  it("live and dead for the full TTL, unknown for the shorter one", () => {
    expect(ttl(live)).toBe(DEFAULT_CACHE_TTL_MS);
    expect(ttl(dead)).toBe(DEFAULT_CACHE_TTL_MS);
    expect(ttl(failing)).toBe(DEFAULT_UNKNOWN_TTL_MS);
    expect(ttl(limited())).toBe(DEFAULT_UNKNOWN_TTL_MS);
  });

  it("a Retry-After keeps the answer until then, never less than the unknown TTL nor more than the full one", () => {
    expect(ttl(limited(20 * 60_000))).toBe(20 * 60_000);
    expect(ttl(limited(1_000))).toBe(DEFAULT_UNKNOWN_TTL_MS);
    expect(ttl(limited(24 * 3_600_000))).toBe(DEFAULT_CACHE_TTL_MS);
  });
});

describe("retryDelayMs", () => {
  it("doubles per failure, half of each step jitter", () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 500, () => 0))).toEqual([250, 500, 1000]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, 500, () => 1))).toEqual([500, 1000, 2000]);
  });
});

describe("rateLimitHold", () => {
  const now = () => 1_000_000;

  it("holds the queue for a Retry-After up to a minute, and never shortens a longer hold", () => {
    expect(rateLimitHold(0, limited(30_000), now)).toBe(1_030_000);
    expect(rateLimitHold(2_000_000, limited(30_000), now)).toBe(2_000_000);
    expect(rateLimitHold(0, limited(MAX_RATE_LIMIT_HOLD_MS), now)).toBe(1_000_000 + MAX_RATE_LIMIT_HOLD_MS);
  });

  it("a longer Retry-After, or none, leaves the hold as it was", () => {
    expect(rateLimitHold(5, limited(MAX_RATE_LIMIT_HOLD_MS + 1), now)).toBe(5);
    expect(rateLimitHold(5, limited(), now)).toBe(5);
  });
});

describe("breakerResult", () => {
  it("counts only 5xx, timeouts and network errors as Crisp failing; a rate limit is an answer", () => {
    expect(breakerResult(live)).toBe("answer");
    expect(breakerResult(dead)).toBe("answer");
    expect(breakerResult(failing)).toBe("failure");
    expect(breakerResult(limited(1_000))).toBe("answer");
    expect(breakerResult(provesNothing)).toBe("neutral");
  });
});

describe("the TTL cache", () => {
  it("gives a value until it expires, then drops it", () => {
    let t = 0;
    const now = () => t;
    const map: TtlMap<string> = new Map();
    remember(map, "a", "A", 100, now, 10);
    t = 99;
    expect(fresh(map, "a", now)).toBe("A");
    t = 100;
    expect(fresh(map, "a", now)).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it("when full, drops the expired entries first, then the oldest; a value set again counts as new", () => {
    let t = 0;
    const now = () => t;
    const map: TtlMap<string> = new Map();
    remember(map, "old", "1", 1_000, now, 3);
    remember(map, "brief", "2", 10, now, 3);
    remember(map, "again", "3", 1_000, now, 3);
    remember(map, "old", "1b", 1_000, now, 3); // re-set: now the newest
    t = 50; // "brief" has expired
    remember(map, "d", "4", 1_000, now, 3);
    expect([...map.keys()]).toEqual(["again", "old", "d"]);
    remember(map, "e", "5", 1_000, now, 3);
    expect([...map.keys()]).toEqual(["old", "d", "e"]);
    prune(map, now, 2);
    expect([...map.keys()]).toEqual(["e"]);
  });

  it("an entry kept until a time (a live answer, dated by Crisp's check) is bounded the same way", () => {
    let t = 0;
    const now = () => t;
    const map: TtlMap<string> = new Map();
    rememberUntil(map, "a", "A", 500, now, 2);
    rememberUntil(map, "b", "B", 1_000, now, 2);
    rememberUntil(map, "c", "C", 1_000, now, 2);
    expect([...map.keys()]).toEqual(["b", "c"]);
    t = 999;
    expect(fresh(map, "b", now)).toBe("B");
    t = 1_000;
    expect(fresh(map, "c", now)).toBeUndefined();
  });
});
