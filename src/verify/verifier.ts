// The verifier: decides which checks to make for one secret, in which order, and how their answers
// combine; spends the owner's quota sparingly (queue, rate cap, coalescing, cache, a retry budget per
// secret and a Crisp-wide breaker).

import PQueue from "p-queue";
import type { Tier, Verification } from "../detect/types.js";
import type { Keypair } from "../detect/fingerprint.js";
import { createBreaker, type Breaker, type BreakerState, type Permit, type RequestResult } from "./breaker.js";
import { createCrispClient, isWebsiteId, type CrispClient, type FetchLike } from "./client.js";
import type { CheckOutcome } from "./status.js";
import { fresh, remember, rememberUntil, type TtlMap } from "./ttl-cache.js";
import type { Verifier, VerifyRequest } from "./types.js";

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
  /** The Crisp-wide breaker; default: one of this verifier's own (see breaker.ts), on `now`. */
  breaker?: Breaker;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
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
  /** Checks answered "Crisp unavailable" by the open breaker, without a request. */
  unavailable: number;
  breaker: BreakerState;
  /** How many times the breaker has opened. */
  breakerOpened: number;
}

interface Checked {
  outcome: CheckOutcome;
  tier: Tier;
  checkedAt: number;
  /** False for the breaker's refusal: it says nothing about the secret, so it is not cached. */
  cacheable: boolean;
}

/** One secret's share of failed requests, spent by all its checks together. */
interface Budget {
  failures: number;
  readonly max: number;
}

/** One endpoint to ask: the plugin tier, or the website tier with one website id. */
export interface PlannedCheck {
  tier: Tier;
  websiteId: string | null;
}

const REFUSED = Symbol("refused by the breaker");

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Counts = Omit<VerifierStats, "breaker" | "breakerOpened">;

/** What a verifier sends through, and its settings: fixed once made. */
interface VerifierDeps {
  client: CrispClient;
  breaker: Breaker;
  /** Checks take a slot (concurrency). */
  slots: PQueue;
  /** Only a request about to be sent takes a turn under the rate cap. */
  rate: PQueue;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  cacheTtlMs: number;
  unknownTtlMs: number;
  retries: number;
  retryBaseDelayMs: number;
}

/** What a verifier remembers between calls. Keys are fingerprint|tier|websiteId: never a raw key. */
interface VerifierState {
  checks: TtlMap<Checked>;
  inFlight: Map<string, Promise<Checked>>;
  /** A live answer is about the secret, whatever tier or website id a later request brings. */
  liveByFingerprint: TtlMap<Verification>;
  /** No request is sent before this time (a Retry-After short enough to wait out). */
  holdUntil: number;
  counts: Counts;
}

export function createVerifier(options: VerifierOptions = {}): Verifier & { stats(): VerifierStats } {
  const deps = verifierDeps(options);
  const state: VerifierState = {
    checks: new Map(),
    inFlight: new Map(),
    liveByFingerprint: new Map(),
    holdUntil: 0,
    counts: { verifications: 0, requests: 0, retries: 0, cacheHits: 0, coalesced: 0, rateLimited: 0, unavailable: 0 },
  };
  return {
    async verify(request) {
      try {
        return await verifyOne(deps, state, request);
      } catch {
        return { status: "unknown", tier: null, reason: "internal error during verification", checkedAt: new Date(deps.now()).toISOString() };
      }
    },
    stats: () => ({ ...state.counts, breaker: deps.breaker.state(), breakerOpened: deps.breaker.opened() }),
  };
}

/** The options with their defaults: the client, the breaker and the two queues made. */
function verifierDeps(options: VerifierOptions): VerifierDeps {
  const now = options.now ?? Date.now;
  const client =
    options.client ??
    createCrispClient({
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.version !== undefined ? { version: options.version } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      now,
    });
  const breaker =
    options.breaker ??
    createBreaker({
      now,
      ...(options.breakerThreshold !== undefined ? { failureThreshold: options.breakerThreshold } : {}),
      ...(options.breakerCooldownMs !== undefined ? { cooldownMs: options.breakerCooldownMs } : {}),
    });
  return {
    client,
    breaker,
    // Two queues, so checks the open breaker refuses do not queue behind the rate cap.
    slots: new PQueue({ concurrency: positive(options.concurrency ?? DEFAULT_CONCURRENCY, "concurrency") }),
    rate: new PQueue(rateCap(options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND)),
    now,
    sleep: options.sleep ?? sleepReal,
    random: options.random ?? Math.random,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    unknownTtlMs: options.unknownTtlMs ?? DEFAULT_UNKNOWN_TTL_MS,
    retries: Math.max(0, options.retries ?? DEFAULT_RETRIES),
    retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
  };
}

/** One secret: a live answer cached by fingerprint, else its planned checks in order until one settles it. */
async function verifyOne(deps: VerifierDeps, state: VerifierState, request: VerifyRequest): Promise<Verification> {
  state.counts.verifications++;
  const fingerprint = request.keypair.fingerprint;
  const live = fresh(state.liveByFingerprint, fingerprint, deps.now);
  if (live !== undefined) {
    state.counts.cacheHits++;
    return { ...live };
  }

  const budget: Budget = { failures: 0, max: deps.retries + 1 };
  const answers: Checked[] = [];
  for (const planned of planChecks(request)) {
    const checked = await check(deps, state, request.keypair, planned, budget);
    answers.push(checked);
    if (checked.outcome.kind === "live") {
      const verification = toVerification(checked);
      // Bounded like the checks: a long-running app meets live keys without end too.
      rememberUntil(state.liveByFingerprint, fingerprint, verification, checked.checkedAt + deps.cacheTtlMs, deps.now, MAX_CACHE_ENTRIES);
      return { ...verification };
    }
    if (stopsAsking(planned, checked)) break;
  }
  return combine(request, answers, deps.now());
}

/**
 * After an answer that is not live: true when the secret's later checks should not be asked. A
 * website-tier 401 means the token did not authenticate as a website token: another website id
 * cannot change that (a foreign id answers 403 not_allowed, which is live). A rate limit refuses the
 * next request too (and spends quota), a spent retry budget means Crisp is failing, and an open
 * breaker sends nothing.
 */
export function stopsAsking(planned: PlannedCheck, checked: Pick<Checked, "outcome" | "cacheable">): boolean {
  const { outcome } = checked;
  if (outcome.kind === "dead" && planned.tier === "website") return true;
  return outcome.kind === "unknown" && (outcome.rateLimited === true || outcome.retryable || !checked.cacheable);
}

/** One check, from the cache, joined to an identical one in flight, or run (and then cached). */
function check(deps: VerifierDeps, state: VerifierState, keypair: Keypair, planned: PlannedCheck, budget: Budget): Promise<Checked> {
  const { tier, websiteId } = planned;
  const key = `${keypair.fingerprint}|${tier}|${websiteId ?? ""}`;
  const cached = fresh(state.checks, key, deps.now);
  if (cached !== undefined) {
    state.counts.cacheHits++;
    return Promise.resolve(cached);
  }
  const pending = state.inFlight.get(key);
  if (pending !== undefined) {
    // The joiner spends nothing of its own budget: it gets the answer the first one paid for.
    state.counts.coalesced++;
    return pending;
  }
  const promise = run(deps, state, keypair, planned, budget)
    .then((checked) => {
      if (checked.cacheable) {
        remember(state.checks, key, checked, ttlFor(checked.outcome, deps.cacheTtlMs, deps.unknownTtlMs), deps.now, MAX_CACHE_ENTRIES);
      }
      return checked;
    })
    .finally(() => state.inFlight.delete(key));
  state.inFlight.set(key, promise);
  return promise;
}

/** How long an answer is kept: live and dead the full TTL, unknown shorter (or until its Retry-After, within the full TTL). */
export function ttlFor(outcome: CheckOutcome, cacheTtlMs: number, unknownTtlMs: number): number {
  if (outcome.kind !== "unknown") return cacheTtlMs;
  if (outcome.retryAfterMs !== undefined) return Math.max(unknownTtlMs, Math.min(outcome.retryAfterMs, cacheTtlMs));
  return unknownTtlMs;
}

/** A check's requests: retried (backoff with jitter) while Crisp fails and the secret's budget lasts. */
async function run(deps: VerifierDeps, state: VerifierState, keypair: Keypair, planned: PlannedCheck, budget: Budget): Promise<Checked> {
  const { tier } = planned;
  let tries = 0;
  for (;;) {
    const outcome = await attempt(deps, state, keypair, planned);
    if (outcome === REFUSED) {
      state.counts.unavailable++;
      return { outcome: { kind: "unknown", reason: CRISP_UNAVAILABLE_REASON, retryable: false }, tier, checkedAt: deps.now(), cacheable: false };
    }
    tries++;
    if (outcome.kind === "unknown" && outcome.retryable) {
      budget.failures++;
      if (budget.failures < budget.max) {
        state.counts.retries++;
        await deps.sleep(retryDelayMs(budget.failures, deps.retryBaseDelayMs, deps.random));
        continue;
      }
      const reason = tries > 1 ? `${outcome.reason} after ${tries} attempts` : outcome.reason;
      return { outcome: { ...outcome, reason }, tier, checkedAt: deps.now(), cacheable: true };
    }
    if (outcome.kind === "unknown" && outcome.rateLimited) {
      state.counts.rateLimited++;
      state.holdUntil = rateLimitHold(state.holdUntil, outcome, deps.now);
    }
    return { outcome, tier, checkedAt: deps.now(), cacheable: true };
  }
}

/** The wait before the retry after the secret's nth failure: doubled per failure, half of it jitter. */
export function retryDelayMs(failures: number, baseDelayMs: number, random: () => number): number {
  const step = baseDelayMs * 2 ** (failures - 1);
  return step / 2 + random() * (step / 2);
}

/**
 * Until when the whole queue waits after a rate limit: its Retry-After, when short enough to wait
 * out (MAX_RATE_LIMIT_HOLD_MS); a longer one leaves the hold as it was.
 */
export function rateLimitHold(holdUntil: number, outcome: CheckOutcome, now: () => number): number {
  if (outcome.kind !== "unknown" || outcome.retryAfterMs === undefined || outcome.retryAfterMs > MAX_RATE_LIMIT_HOLD_MS) return holdUntil;
  return Math.max(holdUntil, now() + outcome.retryAfterMs);
}

/** One request, or REFUSED when the breaker is open: then nothing is sent. */
async function attempt(deps: VerifierDeps, state: VerifierState, keypair: Keypair, planned: PlannedCheck): Promise<CheckOutcome | typeof REFUSED> {
  const { breaker, now } = deps;
  if (refusedNow(breaker)) return REFUSED;
  return deps.slots.add(async () => {
    const wait = state.holdUntil - now();
    if (wait > 0) await deps.sleep(wait);
    // The breaker may have opened while this check waited for its slot.
    if (refusedNow(breaker)) return REFUSED;
    return deps.rate.add(async () => {
      // Asked at send time: the permit is taken for the request that goes out now.
      const permit = await admit(breaker);
      if (permit === undefined) return REFUSED;
      state.counts.requests++;
      let outcome: CheckOutcome;
      try {
        outcome = await deps.client.check(keypair, planned.tier, planned.websiteId);
      } catch {
        // A client never throws by design; a stand-in fetch or client might. Keep the error's text
        // out of the reason: it may quote request headers.
        outcome = { kind: "unknown", reason: "network error", retryable: true };
      }
      permit.done(breakerResult(outcome));
      return outcome;
    });
  });
}

/**
 * A permit to send now, or undefined when the breaker is open. While the half-open probe is out,
 * waits for its verdict rather than refusing: the checks behind it go on as soon as Crisp is back.
 */
async function admit(breaker: Breaker): Promise<Permit | undefined> {
  for (;;) {
    const permit = breaker.allow();
    if (permit !== undefined) return permit;
    const probe = breaker.probeSettled();
    if (probe === undefined) return undefined;
    await probe;
  }
}

/** Open and cooling down (a probe out is waited for, in admit()). */
function refusedNow(breaker: Breaker): boolean {
  return breaker.blocked() && breaker.probeSettled() === undefined;
}

/**
 * The endpoints to ask for one secret, in order. A tier the code names is decisive: that tier only,
 * one request (the website tier with the id beside the keypair, or nothing without one). Only when
 * nothing names a tier: plugin, then website with the beside id and the scan's other ids, at most
 * MAX_WEBSITE_IDS_TRIED of them.
 */
export function planChecks(request: Pick<VerifyRequest, "tier" | "websiteId" | "websiteIds">): PlannedCheck[] {
  if (request.tier === "plugin") return [{ tier: "plugin", websiteId: null }];
  if (request.tier === "website") {
    const beside = request.websiteId;
    return beside !== null && isWebsiteId(beside) ? [{ tier: "website", websiteId: beside.toLowerCase() }] : [];
  }
  return [{ tier: "plugin", websiteId: null }, ...websiteIdsToTry(request).map((websiteId) => ({ tier: "website" as const, websiteId }))];
}

/** The verification from the answers of a secret that is not live. */
function combine(request: VerifyRequest, answers: readonly Checked[], nowMs: number): Verification {
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
  if (!allAsked) return { status: "unknown", tier: null, reason: NO_WEBSITE_ID_REASON, checkedAt };
  return {
    status: "dead",
    tier: request.tier,
    reason: `rejected by ${tiersAsked.join(" and ")} tier${tiersAsked.length > 1 ? "s" : ""} (HTTP 401)`,
    checkedAt,
  };
}

/** What one answer says about Crisp as a whole (see breaker.ts). */
export function breakerResult(outcome: CheckOutcome): RequestResult {
  if (outcome.kind !== "unknown") return "answer";
  if (outcome.retryable) return "failure";
  // A rate limit is one token's quota, answered by a working Crisp: not an outage.
  if (outcome.rateLimited) return "answer";
  return "neutral";
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
  if (!(ratePerSecond > 0)) throw new Error("verifier ratePerSecond must be above 0");
  if (ratePerSecond === Infinity) return {};
  // strict: a sliding window, so no burst of 2x the cap across a window boundary.
  if (ratePerSecond >= 1) return { intervalCap: Math.floor(ratePerSecond), interval: 1000, strict: true };
  return { intervalCap: 1, interval: Math.ceil(1000 / ratePerSecond), strict: true };
}
