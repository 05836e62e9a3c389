// The verifier: decides which checks to make for one secret, in which order, and how their answers
// combine; spends the owner's quota sparingly (queue, rate cap, coalescing, cache).

import PQueue from "p-queue";
import type { Tier, Verification } from "../detect/types.js";
import type { Keypair } from "../detect/fingerprint.js";
import { createCrispClient, isWebsiteId, type CrispClient, type FetchLike } from "./client.js";
import type { CheckOutcome } from "./status.js";
import type { Verifier, VerifyRequest } from "./types.js";

/** Issue 3: default number of requests to Crisp in flight at once. */
export const DEFAULT_CONCURRENCY = 4;
/** Issue 3: default rate cap, requests per second, across all checks. */
export const DEFAULT_RATE_PER_SECOND = 10;
/** Issue 3: live and dead answers are kept 1 h (the owner's quota is 5,000-10,000 requests a day). */
export const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;
/** Issue 3: unknown answers are kept 5 min, so a passing outage is retried soon but not in a loop. */
export const DEFAULT_UNKNOWN_TTL_MS = 5 * 60 * 1000;
/** Issue 3: at most 2 retries, for 5xx and network errors only. */
export const DEFAULT_RETRIES = 2;
/** First backoff step; doubled per retry, with jitter so parallel retries spread out. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** "Trying a few" website ids: enough to get past a stale id, few enough not to spray a token around. */
export const MAX_WEBSITE_IDS_TRIED = 3;
/**
 * Longest Retry-After the whole queue waits out. A longer one (a daily quota spent) would stall a
 * scan for hours: that secret stays unknown (cached until Retry-After) and the others go on.
 */
export const MAX_RATE_LIMIT_HOLD_MS = 60_000;
/** Bound on cached checks in a long-running app; expired entries go first, then the oldest. */
export const MAX_CACHE_ENTRIES = 50_000;

export const NO_WEBSITE_ID_REASON = "website tier unchecked: no website id";

export interface VerifierOptions {
  baseUrl?: URL;
  fetch?: FetchLike;
  /** crisp-guard's version, for the User-Agent. */
  version?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  concurrency?: number;
  ratePerSecond?: number;
  cacheTtlMs?: number;
  unknownTtlMs?: number;
  retries?: number;
  retryBaseDelayMs?: number;
  /** Injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** A ready client (tests); otherwise one is made from baseUrl/fetch/version/timeoutMs. */
  client?: CrispClient;
}

export interface VerifierStats {
  /** verify() calls. */
  verifications: number;
  /** HTTP requests sent to Crisp, retries included. */
  requests: number;
  retries: number;
  /** Answers served from the cache. */
  cacheHits: number;
  /** Checks that joined an identical one already in flight. */
  coalesced: number;
  rateLimited: number;
}

interface Checked {
  outcome: CheckOutcome;
  tier: Tier;
  checkedAt: number;
}

interface CacheEntry<T> {
  value: T;
  expiresAt: number;
}

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createVerifier(options: VerifierOptions = {}): Verifier & { stats(): VerifierStats } {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepReal;
  const random = options.random ?? Math.random;
  const cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const unknownTtlMs = options.unknownTtlMs ?? DEFAULT_UNKNOWN_TTL_MS;
  const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
  const retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  const client =
    options.client ??
    createCrispClient({
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.version !== undefined ? { version: options.version } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      now,
    });
  const queue = new PQueue({
    concurrency: positive(options.concurrency ?? DEFAULT_CONCURRENCY, "concurrency"),
    ...rateCap(options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND),
  });

  // Keys are fingerprint|tier|websiteId: never a raw key.
  const checks = new Map<string, CacheEntry<Checked>>();
  const inFlight = new Map<string, Promise<Checked>>();
  // A live answer is about the secret, whatever tier or website id a later request brings.
  const liveByFingerprint = new Map<string, CacheEntry<Verification>>();
  let holdUntil = 0;
  const stats: VerifierStats = { verifications: 0, requests: 0, retries: 0, cacheHits: 0, coalesced: 0, rateLimited: 0 };

  function fresh<T>(map: Map<string, CacheEntry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  function remember<T>(map: Map<string, CacheEntry<T>>, key: string, value: T, ttlMs: number): void {
    if (map.size >= MAX_CACHE_ENTRIES) prune(map);
    map.delete(key); // re-insert so Map order stays oldest-first
    map.set(key, { value, expiresAt: now() + ttlMs });
  }

  function prune<T>(map: Map<string, CacheEntry<T>>): void {
    const t = now();
    for (const [k, e] of map) if (e.expiresAt <= t) map.delete(k);
    for (const k of map.keys()) {
      if (map.size < MAX_CACHE_ENTRIES) break;
      map.delete(k);
    }
  }

  function ttlFor(outcome: CheckOutcome): number {
    if (outcome.kind !== "unknown") return cacheTtlMs;
    if (outcome.retryAfterMs !== undefined) return Math.max(unknownTtlMs, Math.min(outcome.retryAfterMs, cacheTtlMs));
    return unknownTtlMs;
  }

  async function attempt(keypair: Keypair, tier: Tier, websiteId: string | null): Promise<CheckOutcome> {
    return queue.add(async () => {
      const wait = holdUntil - now();
      if (wait > 0) await sleep(wait);
      stats.requests++;
      try {
        return await client.check(keypair, tier, websiteId);
      } catch {
        // A client never throws by design; a stand-in fetch or client might. Keep the error's text
        // out of the reason: it may quote request headers.
        return { kind: "unknown", reason: "network error", retryable: true } satisfies CheckOutcome;
      }
    });
  }

  async function run(keypair: Keypair, tier: Tier, websiteId: string | null): Promise<Checked> {
    let outcome = await attempt(keypair, tier, websiteId);
    let tries = 1;
    while (outcome.kind === "unknown" && outcome.retryable && tries <= retries) {
      stats.retries++;
      const step = retryBaseDelayMs * 2 ** (tries - 1);
      await sleep(step / 2 + random() * (step / 2));
      outcome = await attempt(keypair, tier, websiteId);
      tries++;
    }
    if (outcome.kind === "unknown" && outcome.rateLimited) {
      stats.rateLimited++;
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs <= MAX_RATE_LIMIT_HOLD_MS) {
        holdUntil = Math.max(holdUntil, now() + outcome.retryAfterMs);
      }
    }
    if (outcome.kind === "unknown" && outcome.retryable && tries > 1) {
      outcome = { ...outcome, reason: `${outcome.reason} after ${tries} attempts` };
    }
    return { outcome, tier, checkedAt: now() };
  }

  function check(keypair: Keypair, tier: Tier, websiteId: string | null): Promise<Checked> {
    const key = `${keypair.fingerprint}|${tier}|${websiteId ?? ""}`;
    const cached = fresh(checks, key);
    if (cached !== undefined) {
      stats.cacheHits++;
      return Promise.resolve(cached);
    }
    const pending = inFlight.get(key);
    if (pending !== undefined) {
      stats.coalesced++;
      return pending;
    }
    const promise = run(keypair, tier, websiteId)
      .then((checked) => {
        remember(checks, key, checked, ttlFor(checked.outcome));
        return checked;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  }

  async function verify(request: VerifyRequest): Promise<Verification> {
    stats.verifications++;
    const fingerprint = request.keypair.fingerprint;
    const live = fresh(liveByFingerprint, fingerprint);
    if (live !== undefined) {
      stats.cacheHits++;
      return { ...live };
    }

    const websiteIds = websiteIdsToTry(request);
    const order: Tier[] = request.tier === "website" ? ["website", "plugin"] : ["plugin", "website"];
    const answers: Checked[] = [];
    let websiteTierChecked = false;
    outer: for (const tier of order) {
      const ids = tier === "plugin" ? [null] : websiteIds;
      for (const websiteId of ids) {
        if (tier === "website") websiteTierChecked = true;
        const checked = await check(request.keypair, tier, websiteId);
        answers.push(checked);
        const { outcome } = checked;
        if (outcome.kind === "live") {
          const verification = toVerification(checked);
          liveByFingerprint.delete(fingerprint);
          liveByFingerprint.set(fingerprint, { value: verification, expiresAt: checked.checkedAt + cacheTtlMs });
          return { ...verification };
        }
        // Under a rate limit every further request would be refused too, and spends quota.
        if (outcome.kind === "unknown" && outcome.rateLimited) break outer;
      }
    }

    const checkedAt = new Date(Math.max(...answers.map((a) => a.checkedAt))).toISOString();
    const unknowns = answers.filter((a) => a.outcome.kind === "unknown");
    const telling = unknowns.find((a) => a.outcome.kind === "unknown" && a.outcome.rateLimited) ?? unknowns[0];
    if (telling !== undefined) {
      return { status: "unknown", tier: telling.tier, reason: telling.outcome.reason, checkedAt };
    }
    // Every check answered 401. Dead only if every tier that could apply was asked; the context
    // naming the plugin tier rules the website tier out.
    if (!websiteTierChecked && request.tier !== "plugin") {
      return { status: "unknown", tier: null, reason: NO_WEBSITE_ID_REASON, checkedAt };
    }
    const tiersAsked = [...new Set(answers.map((a) => a.tier))];
    return {
      status: "dead",
      tier: request.tier ?? (tiersAsked.length === 1 ? (tiersAsked[0] ?? null) : null),
      reason: `rejected by ${tiersAsked.join(" and ")} tier${tiersAsked.length > 1 ? "s" : ""} (HTTP 401)`,
      checkedAt,
    };
  }

  return {
    async verify(request) {
      try {
        return await verify(request);
      } catch {
        return { status: "unknown", tier: null, reason: "internal error during verification", checkedAt: new Date(now()).toISOString() };
      }
    },
    stats: () => ({ ...stats }),
  };
}

/** The website id beside the keypair first, then others from the same scan; valid UUIDs, once each. */
export function websiteIdsToTry(request: Pick<VerifyRequest, "websiteId" | "websiteIds">): string[] {
  const ids: string[] = [];
  for (const id of [request.websiteId, ...request.websiteIds]) {
    if (id === null || !isWebsiteId(id)) continue;
    const lower = id.toLowerCase();
    if (!ids.includes(lower)) ids.push(lower);
    if (ids.length === MAX_WEBSITE_IDS_TRIED) break;
  }
  return ids;
}

function toVerification(checked: Checked): Verification {
  const { outcome } = checked;
  const verification: Verification = {
    status: outcome.kind,
    tier: checked.tier,
    reason: outcome.reason,
    checkedAt: new Date(checked.checkedAt).toISOString(),
  };
  if (outcome.kind === "live") {
    if (outcome.pluginId !== undefined) verification.pluginId = outcome.pluginId;
    if (outcome.websiteName !== undefined) verification.websiteName = outcome.websiteName;
  }
  return verification;
}

function positive(value: number, name: string): number {
  if (!(value >= 1)) throw new Error(`verifier ${name} must be at least 1`);
  return Math.floor(value);
}

/** p-queue's cap is "intervalCap per interval"; a rate below 1/s becomes 1 per longer interval. */
function rateCap(ratePerSecond: number): { intervalCap?: number; interval?: number; strict?: boolean } {
  if (ratePerSecond === Infinity) return {};
  if (!(ratePerSecond > 0)) throw new Error("verifier ratePerSecond must be above 0");
  // strict: a sliding window, so no burst of 2x the cap across a window boundary.
  if (ratePerSecond >= 1) return { intervalCap: Math.floor(ratePerSecond), interval: 1000, strict: true };
  return { intervalCap: 1, interval: Math.ceil(1000 / ratePerSecond), strict: true };
}
