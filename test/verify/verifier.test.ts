import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fingerprint, Keypair } from "../../src/detect/fingerprint.js";
import type { Tier } from "../../src/detect/types.js";
import type { FetchLike } from "../../src/verify/client.js";
import { BREAKER_COOLDOWN_MS, BREAKER_FAILURE_THRESHOLD } from "../../src/verify/breaker.js";
import {
  createVerifier,
  CRISP_UNAVAILABLE_REASON,
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE_PER_SECOND,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_UNKNOWN_TTL_MS,
  MAX_WEBSITE_IDS_TRIED,
  NO_WEBSITE_ID_REASON,
  planChecks,
  websiteIdsToTry,
  type VerifierOptions,
} from "../../src/verify/verifier.js";
import type { VerifyRequest } from "../../src/verify/types.js";
import { startFakeCrisp, type FakeCrisp, type FakeCrispOptions } from "../helpers/fake-crisp.js";
import { holdsRaw, randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";

afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | Error;
interface Seen {
  tier: Tier;
  path: string;
}

/** A fetch stand-in answering by tier and path; records each request (never the key). */
function scripted(answer: (tier: Tier, path: string, n: number) => Answer) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    const tier = (init.headers as Record<string, string>)["X-Crisp-Tier"] as Tier;
    const path = url.pathname;
    seen.push({ tier, path });
    const a = answer(tier, path, seen.length);
    if (a instanceof Error) throw a;
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status, headers: a.headers ?? {} });
  };
  return { fetch, seen };
}

function clock(start = Date.parse("2025-06-01T12:00:00Z")) {
  const c = { t: start, now: () => c.t, sleeps: [] as number[], sleep: async (ms: number) => void c.sleeps.push(ms) };
  return c;
}

function verifierWith(fetch: FetchLike, extra: Partial<VerifierOptions> = {}) {
  const c = clock();
  const verifier = createVerifier({ fetch, now: c.now, sleep: c.sleep, random: () => 0.5, ratePerSecond: Infinity, ...extra });
  return { verifier, c };
}

function request(overrides: Partial<VerifyRequest> = {}): VerifyRequest & { raw: { identifier: string; key: string } } {
  const raw = randomKeypair();
  return { raw, keypair: new Keypair(raw.identifier, raw.key), tier: null, websiteId: null, websiteIds: [], ...overrides };
}

const PLUGIN = "/v1/plugin/connect/account";
const ok = (data: unknown = {}): Answer => ({ status: 200, body: { error: false, reason: "resolved", data } });
const denied: Answer = { status: 401, body: { error: true, reason: "invalid_session", data: {} } };

describe("tier order", () => {
  it("without context: plugin first, then website with the id beside the keypair", async () => {
    const site = randomWebsiteId();
    const { fetch, seen } = scripted((tier) => (tier === "plugin" ? denied : ok({ website_id: site, name: "Acme" })));
    const { verifier, c } = verifierWith(fetch);
    const v = await verifier.verify(request({ websiteId: site, websiteIds: [randomWebsiteId()] }));
    expect(seen).toEqual([
      { tier: "plugin", path: PLUGIN },
      { tier: "website", path: `/v1/website/${site}` },
    ]);
    expect(v).toEqual({ status: "live", tier: "website", reason: "authenticated (HTTP 200)", checkedAt: new Date(c.t).toISOString(), websiteName: "Acme" });
  });

  it("a live plugin answer stops there and records the plugin_id", async () => {
    const { fetch, seen } = scripted(() => ok({ plugin_id: "plug-1" }));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ websiteId: randomWebsiteId() }));
    expect(seen).toHaveLength(1);
    expect(v).toMatchObject({ status: "live", tier: "plugin", pluginId: "plug-1" });
  });

  it("the tier the context names goes first", async () => {
    const site = randomWebsiteId();
    const { fetch, seen } = scripted(() => ({ status: 403, body: { error: true, reason: "not_allowed", data: {} } }));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ tier: "website", websiteId: site }));
    expect(seen).toEqual([{ tier: "website", path: `/v1/website/${site}` }]);
    expect(v).toMatchObject({ status: "live", tier: "website", reason: "authenticated (HTTP 403 not_allowed)" });
  });

  it("a named website tier is decisive: website 401 → dead after one request, plugin not asked", async () => {
    const site = randomWebsiteId();
    const { fetch, seen } = scripted((tier) => (tier === "plugin" ? ok({ plugin_id: "p" }) : denied));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ tier: "website", websiteId: site, websiteIds: [randomWebsiteId(), randomWebsiteId()] }));
    expect(seen).toEqual([{ tier: "website", path: `/v1/website/${site}` }]);
    expect(v).toMatchObject({ status: "dead", tier: "website", reason: "rejected by website tier (HTTP 401)" });
  });

  it("a named plugin tier is decisive: plugin 401 → dead after one request, the scan's website ids untried", async () => {
    const { fetch, seen } = scripted(() => denied);
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ tier: "plugin", websiteIds: [randomWebsiteId(), randomWebsiteId(), randomWebsiteId()] }));
    expect(seen).toEqual([{ tier: "plugin", path: PLUGIN }]);
    expect(v).toMatchObject({ status: "dead", tier: "plugin", reason: "rejected by plugin tier (HTTP 401)" });
  });

  it("a named website tier uses the id beside the keypair only, even when it proves nothing", async () => {
    const beside = randomWebsiteId();
    const { fetch, seen } = scripted(() => ({ status: 404, body: { error: true, reason: "website_not_found", data: {} } }));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ tier: "website", websiteId: beside, websiteIds: [randomWebsiteId()] }));
    expect(seen.map((s) => s.path)).toEqual([`/v1/website/${beside}`]);
    expect(v).toMatchObject({ status: "unknown", tier: "website", reason: "unexpected HTTP 404 website_not_found" });
  });

  it("no tier named, dead: plugin then the beside website id, two requests; a website 401 ends it", async () => {
    const beside = randomWebsiteId();
    const others = [randomWebsiteId(), randomWebsiteId(), randomWebsiteId()];
    const { fetch, seen } = scripted(() => denied);
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ websiteId: beside, websiteIds: [beside, ...others] }));
    expect(seen.map((s) => s.path)).toEqual([PLUGIN, `/v1/website/${beside}`]);
    expect(v).toMatchObject({ status: "dead", tier: null, reason: "rejected by plugin and website tiers (HTTP 401)" });
  });

  it("no tier named: an id that proves nothing moves on to the scan's other ids, beside-id first, at most a few", async () => {
    const beside = randomWebsiteId();
    const others = [randomWebsiteId(), randomWebsiteId(), randomWebsiteId(), randomWebsiteId()];
    const { fetch, seen } = scripted((tier) => (tier === "plugin" ? denied : { status: 404, body: { error: true, reason: "website_not_found", data: {} } }));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ websiteId: beside, websiteIds: [beside, ...others] }));
    expect(seen.map((s) => s.path)).toEqual([PLUGIN, `/v1/website/${beside}`, `/v1/website/${others[0]}`, `/v1/website/${others[1]}`]);
    expect(seen).toHaveLength(1 + MAX_WEBSITE_IDS_TRIED);
    expect(v).toMatchObject({ status: "unknown", tier: "website" });
  });

  it("uses a scan's website id when none sits beside the keypair", async () => {
    const site = randomWebsiteId();
    const { fetch, seen } = scripted((tier) => (tier === "plugin" ? denied : { status: 404, body: { error: true, reason: "not_subscribed", data: {} } }));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ websiteIds: [site] }));
    expect(seen.map((s) => s.path)).toEqual([PLUGIN, `/v1/website/${site}`]);
    expect(v.status).toBe("live");
  });

  it("websiteIdsToTry drops non-UUIDs and duplicates, case-insensitively", () => {
    const a = randomWebsiteId();
    expect(websiteIdsToTry({ websiteId: a.toUpperCase(), websiteIds: ["nope", a, "../x"] })).toEqual([a]);
  });

  it("planChecks: one endpoint for a named tier, plugin then a few website ids otherwise", () => {
    const beside = randomWebsiteId();
    const scan = [randomWebsiteId(), randomWebsiteId(), randomWebsiteId()];
    expect(planChecks({ tier: "plugin", websiteId: beside, websiteIds: scan })).toEqual([{ tier: "plugin", websiteId: null }]);
    expect(planChecks({ tier: "website", websiteId: beside.toUpperCase(), websiteIds: scan })).toEqual([{ tier: "website", websiteId: beside }]);
    expect(planChecks({ tier: "website", websiteId: null, websiteIds: scan })).toEqual([]);
    expect(planChecks({ tier: "website", websiteId: "../x", websiteIds: scan })).toEqual([]);
    expect(planChecks({ tier: null, websiteId: beside, websiteIds: scan })).toEqual([
      { tier: "plugin", websiteId: null },
      ...[beside, scan[0], scan[1]].map((websiteId) => ({ tier: "website", websiteId })),
    ]);
  });
});

describe("dead only when every tier that could apply said 401", () => {
  it("plugin 401 and no website id known → unknown, website tier unchecked", async () => {
    const { fetch, seen } = scripted(() => denied);
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request());
    expect(seen).toHaveLength(1);
    expect(v).toMatchObject({ status: "unknown", tier: null, reason: NO_WEBSITE_ID_REASON });
  });

  it("context names plugin, plugin 401, no website id → dead", async () => {
    const { fetch } = scripted(() => denied);
    const { verifier } = verifierWith(fetch);
    expect(await verifier.verify(request({ tier: "plugin" }))).toMatchObject({
      status: "dead",
      tier: "plugin",
      reason: "rejected by plugin tier (HTTP 401)",
    });
  });

  it("context names website but no website id is known → unknown without a request", async () => {
    const { fetch, seen } = scripted(() => denied);
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ tier: "website", websiteIds: [randomWebsiteId()] }));
    expect(seen).toEqual([]);
    expect(v).toMatchObject({ status: "unknown", tier: null, reason: NO_WEBSITE_ID_REASON });
  });

  it("a tier that could not answer keeps it unknown: plugin 5xx + website 401 is never dead", async () => {
    const { fetch } = scripted((tier) => (tier === "plugin" ? { status: 503 } : denied));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ websiteId: randomWebsiteId() }));
    expect(v).toMatchObject({ status: "unknown", tier: "plugin", reason: "server error (HTTP 503) after 3 attempts" });
  });
});

describe("retries", () => {
  it("5xx then 200 → live after one retry (nock)", async () => {
    const r = request({ tier: "plugin" });
    const scope = nock("https://api.crisp.chat")
      .get(PLUGIN)
      .reply(502)
      .get(PLUGIN)
      .basicAuth({ user: r.raw.identifier, pass: r.raw.key })
      .reply(200, { error: false, reason: "resolved", data: { plugin_id: "p9" } });
    const c = clock();
    const verifier = createVerifier({ now: c.now, sleep: c.sleep, ratePerSecond: Infinity });
    expect(await verifier.verify(r)).toMatchObject({ status: "live", pluginId: "p9" });
    expect(scope.isDone()).toBe(true);
    expect(verifier.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it("at most 2 retries, with exponential backoff and jitter", async () => {
    const { fetch, seen } = scripted(() => Object.assign(new Error("reset"), { code: "ECONNRESET" }));
    const c = clock();
    let r = 0;
    const randoms = [0, 1];
    const verifier = createVerifier({ fetch, now: c.now, sleep: c.sleep, random: () => randoms[r++ % 2]!, retryBaseDelayMs: 1000, ratePerSecond: Infinity });
    const v = await verifier.verify(request({ tier: "plugin" }));
    expect(seen).toHaveLength(3);
    // step 1000 ms then 2000 ms, each jittered within [step/2, step].
    expect(c.sleeps).toEqual([500, 2000]);
    expect(v).toMatchObject({ status: "unknown", reason: "network error (ECONNRESET) after 3 attempts" });
  });

  it("does not retry 4xx answers, redirects or rate limits", async () => {
    for (const status of [400, 301, 429, 420]) {
      const { fetch, seen } = scripted(() => ({ status }));
      const { verifier } = verifierWith(fetch);
      await verifier.verify(request({ tier: "plugin" }));
      expect(seen, `HTTP ${status}`).toHaveLength(1);
    }
  });

  it("retries: 0 sends one request", async () => {
    const { fetch, seen } = scripted(() => ({ status: 500 }));
    const { verifier } = verifierWith(fetch, { retries: 0 });
    expect((await verifier.verify(request({ tier: "plugin" }))).reason).toBe("server error (HTTP 500)");
    expect(seen).toHaveLength(1);
  });
});

describe("rate limits", () => {
  it("429 → unknown rate_limited, stops trying further tiers", async () => {
    const { fetch, seen } = scripted(() => ({ status: 429 }));
    const { verifier } = verifierWith(fetch);
    const v = await verifier.verify(request({ websiteId: randomWebsiteId() }));
    expect(seen).toHaveLength(1);
    expect(v).toMatchObject({ status: "unknown", tier: "plugin", reason: "rate_limited" });
    expect(verifier.stats().rateLimited).toBe(1);
  });

  it("Retry-After holds the next request back and keeps the answer until then", async () => {
    const { fetch, seen } = scripted((_tier, _path, n) => (n === 1 ? { status: 429, headers: { "Retry-After": "30" } } : ok({ plugin_id: "p" })));
    const { verifier, c } = verifierWith(fetch, { unknownTtlMs: 10_000 });
    const first = request({ tier: "plugin" });
    expect((await verifier.verify(first)).reason).toBe("rate_limited");
    // Another secret: waits out Retry-After before its request.
    await verifier.verify(request({ tier: "plugin" }));
    expect(c.sleeps).toEqual([30_000]);
    expect(seen).toHaveLength(2);
    // The rate-limited secret stays unknown for Retry-After (30 s), longer than unknownTtlMs (10 s).
    c.t += 20_000;
    expect((await verifier.verify(first)).reason).toBe("rate_limited");
    expect(seen).toHaveLength(2);
    c.t += 10_001;
    expect((await verifier.verify(first)).status).toBe("live");
    expect(seen).toHaveLength(3);
  });

  it("a Retry-After longer than a minute does not stall the queue", async () => {
    const { fetch } = scripted((_t, _p, n) => (n === 1 ? { status: 420, headers: { "Retry-After": "86400" } } : ok({ plugin_id: "p" })));
    const { verifier, c } = verifierWith(fetch);
    await verifier.verify(request({ tier: "plugin" }));
    await verifier.verify(request({ tier: "plugin" }));
    expect(c.sleeps).toEqual([]);
  });

  it("429 without Retry-After is kept for the unknown TTL", async () => {
    const { fetch, seen } = scripted((_t, _p, n) => (n === 1 ? { status: 429 } : ok({ plugin_id: "p" })));
    const { verifier, c } = verifierWith(fetch);
    const r = request({ tier: "plugin" });
    await verifier.verify(r);
    c.t += DEFAULT_UNKNOWN_TTL_MS - 1;
    expect((await verifier.verify(r)).status).toBe("unknown");
    c.t += 1;
    expect((await verifier.verify(r)).status).toBe("live");
    expect(seen).toHaveLength(2);
  });
});

describe("coalescing and cache", () => {
  it("N identical checks in flight make one HTTP request (nock)", async () => {
    const raw = randomKeypair();
    const scope = nock("https://api.crisp.chat")
      .get(PLUGIN)
      .delay(50)
      .reply(200, { error: false, reason: "resolved", data: { plugin_id: "p" } });
    const verifier = createVerifier({ ratePerSecond: Infinity });
    // Separate Keypair objects for the same secret, as separate occurrences would have.
    const results = await Promise.all(
      Array.from({ length: 8 }, () => verifier.verify({ keypair: new Keypair(raw.identifier.toUpperCase(), raw.key), tier: "plugin", websiteId: null, websiteIds: [] })),
    );
    expect(scope.isDone()).toBe(true);
    expect(results.every((v) => v.status === "live")).toBe(true);
    expect(verifier.stats()).toMatchObject({ verifications: 8, requests: 1, coalesced: 7 });
  });

  it("different secrets are not coalesced", async () => {
    const { fetch, seen } = scripted(() => ok());
    const { verifier } = verifierWith(fetch);
    await Promise.all([verifier.verify(request({ tier: "plugin" })), verifier.verify(request({ tier: "plugin" }))]);
    expect(seen).toHaveLength(2);
  });

  it("live is cached for the TTL by fingerprint, whatever the next request's context", async () => {
    const { fetch, seen } = scripted(() => ok({ plugin_id: "p" }));
    const { verifier, c } = verifierWith(fetch);
    const r = request();
    const first = await verifier.verify(r);
    c.t += DEFAULT_CACHE_TTL_MS - 1;
    expect(await verifier.verify({ ...r, tier: "website", websiteId: randomWebsiteId() })).toEqual(first);
    expect(seen).toHaveLength(1);
    c.t += 1;
    await verifier.verify(r);
    expect(seen).toHaveLength(2);
    expect(verifier.stats().cacheHits).toBe(1);
  });

  it("dead is cached for the TTL", async () => {
    const { fetch, seen } = scripted(() => denied);
    const { verifier, c } = verifierWith(fetch, { cacheTtlMs: 1000 });
    const r = request({ tier: "plugin" });
    await verifier.verify(r);
    c.t += 999;
    expect((await verifier.verify(r)).status).toBe("dead");
    expect(seen).toHaveLength(1);
    c.t += 1;
    await verifier.verify(r);
    expect(seen).toHaveLength(2);
  });

  it("unknown is cached for the shorter unknown TTL", async () => {
    const { fetch, seen } = scripted(() => ({ status: 500 }));
    const { verifier, c } = verifierWith(fetch, { retries: 0, unknownTtlMs: 100, cacheTtlMs: 10_000 });
    const r = request({ tier: "plugin" });
    await verifier.verify(r);
    c.t += 99;
    await verifier.verify(r);
    expect(seen).toHaveLength(1);
    c.t += 1;
    await verifier.verify(r);
    expect(seen).toHaveLength(2);
  });

  it("a cached plugin 401 is reused when the same secret later comes with a website id", async () => {
    const site = randomWebsiteId();
    const { fetch, seen } = scripted((tier) => (tier === "plugin" ? denied : ok({ website_id: site })));
    const { verifier } = verifierWith(fetch);
    const r = request();
    expect((await verifier.verify(r)).reason).toBe(NO_WEBSITE_ID_REASON);
    expect((await verifier.verify({ ...r, websiteIds: [site] })).status).toBe("live");
    expect(seen.map((s) => s.tier)).toEqual(["plugin", "website"]);
  });
});

describe("queue", () => {
  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const fetch: FetchLike = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return new Response("{}", { status: 200 });
    };
    const verifier = createVerifier({ fetch, concurrency: 2, ratePerSecond: Infinity });
    await Promise.all(Array.from({ length: 6 }, () => verifier.verify(request({ tier: "plugin" }))));
    expect(peak).toBe(2);
  });

  it("caps the rate at ratePerSecond", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
    let sent = 0;
    const fetch: FetchLike = async () => {
      sent++;
      return new Response("{}", { status: 200 });
    };
    const verifier = createVerifier({ fetch, concurrency: 10, ratePerSecond: 3 });
    const all = Promise.all(Array.from({ length: 7 }, () => verifier.verify(request({ tier: "plugin" }))));
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toBe(6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toBe(7);
    await all;
  });

  it("refuses nonsensical limits", () => {
    expect(() => createVerifier({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createVerifier({ ratePerSecond: 0 })).toThrow(/ratePerSecond/);
  });
});

describe("secrets", () => {
  it("no raw half in any verification, whatever the outcome", async () => {
    const answers: Answer[] = [ok({ plugin_id: "p", name: "n" }), denied, { status: 503 }, { status: 429 }, { status: 301 }, new Error("x")];
    for (const answer of answers) {
      const { fetch } = scripted(() => answer);
      const { verifier } = verifierWith(fetch);
      const r = request({ websiteId: randomWebsiteId() });
      const v = await verifier.verify(r);
      expect(holdsRaw(JSON.stringify(v), r.raw)).toBe(false);
      expect(holdsRaw(JSON.stringify(verifier.stats()), r.raw)).toBe(false);
    }
  });

  it("never throws: a client that throws gives unknown", async () => {
    const verifier = createVerifier({
      client: {
        baseUrl: new URL("https://api.crisp.chat/v1/"),
        checkPlugin: () => Promise.reject(new Error("boom")),
        checkWebsite: () => Promise.reject(new Error("boom")),
        check: () => Promise.reject(new Error("boom")),
      },
      sleep: async () => undefined,
      ratePerSecond: Infinity,
    });
    expect(await verifier.verify(request({ tier: "plugin" }))).toMatchObject({ status: "unknown", reason: "network error after 3 attempts" });
  });
});

describe("request budget against a fake Crisp on 127.0.0.1", () => {
  let crisp: FakeCrisp;
  // What the fake answers instead of its normal answer (undefined: the normal one).
  let outage: NonNullable<FakeCrispOptions["respond"]> = () => undefined;
  const pluginToken = randomKeypair();
  const websiteToken = randomKeypair();
  const site = randomWebsiteId();

  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    crisp = await startFakeCrisp(
      [
        { ...pluginToken, tier: "plugin" },
        { ...websiteToken, tier: "website", websiteIds: [site] },
      ],
      { respond: (r) => outage(r) },
    );
  });
  afterAll(async () => {
    await crisp.close();
    nock.disableNetConnect();
  });
  afterEach(() => {
    crisp.requests.length = 0;
    outage = () => undefined;
  });

  const sentFor = (kp: { identifier: string; key: string }) => crisp.requests.filter((r) => r.fingerprint === fingerprint(kp.identifier, kp.key));
  const ask = (kp: { identifier: string; key: string }, over: Partial<VerifyRequest> = {}): VerifyRequest => ({
    keypair: new Keypair(kp.identifier, kp.key),
    tier: null,
    websiteId: null,
    websiteIds: [],
    ...over,
  });
  function crispVerifier(extra: Partial<VerifierOptions> = {}) {
    const c = clock();
    const verifier = createVerifier({ baseUrl: new URL(crisp.url), now: c.now, sleep: c.sleep, ratePerSecond: Infinity, ...extra });
    return { verifier, c };
  }
  const scanIds = () => [randomWebsiteId(), randomWebsiteId(), randomWebsiteId()];

  it("named plugin tier, dead: 1 request, although the scan saw three website ids", async () => {
    const dead = randomKeypair();
    const { verifier } = crispVerifier();
    expect(await verifier.verify(ask(dead, { tier: "plugin", websiteIds: scanIds() }))).toMatchObject({ status: "dead", tier: "plugin" });
    expect(sentFor(dead).map((r) => `${r.tier} ${r.path}`)).toEqual(["plugin /v1/plugin/connect/account"]);
  });

  it("named website tier with the id beside the keypair: 1 request, live or dead", async () => {
    const dead = randomKeypair();
    const { verifier } = crispVerifier();
    const live = await verifier.verify(ask(websiteToken, { tier: "website", websiteId: site, websiteIds: scanIds() }));
    expect(live).toMatchObject({ status: "live", tier: "website" });
    expect(sentFor(websiteToken).map((r) => `${r.tier} ${r.path}`)).toEqual([`website /v1/website/${site}`]);
    expect(await verifier.verify(ask(dead, { tier: "website", websiteId: site, websiteIds: scanIds() }))).toMatchObject({ status: "dead", tier: "website" });
    expect(sentFor(dead)).toHaveLength(1);
  });

  it("no tier named, dead: 2 requests (plugin, then website with the id beside it)", async () => {
    const dead = randomKeypair();
    const { verifier } = crispVerifier();
    expect(await verifier.verify(ask(dead, { websiteId: site, websiteIds: scanIds() }))).toMatchObject({ status: "dead", tier: null });
    expect(sentFor(dead).map((r) => `${r.tier} ${r.path}`)).toEqual(["plugin /v1/plugin/connect/account", `website /v1/website/${site}`]);
  });

  it("503 forever: exactly 3 requests per secret, all its endpoints together", async () => {
    outage = () => ({ status: 503 });
    // A breaker that never opens here: this is the per-secret budget alone.
    const { verifier } = crispVerifier({ breakerThreshold: 1000 });
    const secrets = [randomKeypair(), randomKeypair(), randomKeypair()];
    const answers = await Promise.all(secrets.map((kp) => verifier.verify(ask(kp, { websiteId: site, websiteIds: scanIds() }))));
    for (const [i, kp] of secrets.entries()) {
      expect(sentFor(kp), `secret ${i}`).toHaveLength(3);
      expect(answers[i]).toMatchObject({ status: "unknown", reason: "server error (HTTP 503) after 3 attempts" });
    }
    expect(crisp.requests).toHaveLength(9);
  });

  it("the budget is shared by the secret's endpoints: two failures on plugin leave one for website", async () => {
    const dead = randomKeypair();
    const { verifier } = crispVerifier();
    let plugin = 0;
    outage = (r) => (r.path === PLUGIN ? (++plugin <= 2 ? { status: 502 } : undefined) : { status: 503 });
    const v = await verifier.verify(ask(dead, { websiteId: site, websiteIds: scanIds() }));
    expect(v).toMatchObject({ status: "unknown", tier: "website", reason: "server error (HTTP 503)" });
    // plugin: 502, 502, 401; website: one 503, and the budget (3 failed requests) is spent.
    expect(sentFor(dead).map((r) => r.tier)).toEqual(["plugin", "plugin", "plugin", "website"]);
  });

  it("500 secrets during an outage cost a handful of requests, not 1,500; each is unknown", async () => {
    outage = () => ({ status: 503 });
    const { verifier } = crispVerifier();
    const secrets = Array.from({ length: 500 }, () => randomKeypair());
    const answers = await Promise.all(secrets.map((kp) => verifier.verify(ask(kp, { websiteId: site }))));
    // The run that opens the breaker, plus what was already in flight at that moment.
    expect(crisp.requests.length).toBeLessThanOrEqual(BREAKER_FAILURE_THRESHOLD + DEFAULT_CONCURRENCY - 1);
    expect(answers.every((v) => v.status === "unknown")).toBe(true);
    expect(answers.filter((v) => v.reason === CRISP_UNAVAILABLE_REASON).length).toBeGreaterThan(490);
    expect(verifier.stats()).toMatchObject({ breaker: "open", breakerOpened: 1 });
  });

  it("checks the open breaker refuses do not wait their turn under the rate cap", async () => {
    outage = () => ({ status: 503 });
    // The default cap, 10 a second: 500 turns would take 50 s.
    const { verifier } = crispVerifier({ ratePerSecond: DEFAULT_RATE_PER_SECOND });
    const started = performance.now();
    await Promise.all(Array.from({ length: 500 }, () => verifier.verify(ask(randomKeypair(), { tier: "plugin" }))));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(crisp.requests.length).toBeLessThanOrEqual(BREAKER_FAILURE_THRESHOLD + DEFAULT_CONCURRENCY - 1);
  }, 30_000);

  it("the breaker sends nothing during the cool-down, then one probe; its success closes it", async () => {
    outage = () => ({ status: 500 });
    const { verifier, c } = crispVerifier();
    await Promise.all(Array.from({ length: 4 }, () => verifier.verify(ask(randomKeypair(), { tier: "plugin" }))));
    expect(verifier.stats().breaker).toBe("open");
    const opened = crisp.requests.length;

    // Crisp is back, but the cool-down is not over: nothing is sent, and the answer is not cached.
    outage = () => undefined;
    c.t += BREAKER_COOLDOWN_MS - 1;
    expect(await verifier.verify(ask(pluginToken, { tier: "plugin" }))).toMatchObject({ status: "unknown", reason: CRISP_UNAVAILABLE_REASON });
    expect(crisp.requests).toHaveLength(opened);

    // Cool-down over: one probe goes first, the others wait for it, then every check is answered.
    c.t += 1;
    const dead = [randomKeypair(), randomKeypair(), randomKeypair()];
    const [live, ...rest] = await Promise.all([pluginToken, ...dead].map((kp) => verifier.verify(ask(kp, { tier: "plugin" }))));
    expect(live).toMatchObject({ status: "live", tier: "plugin" });
    expect(rest.map((v) => v.status)).toEqual(["dead", "dead", "dead"]);
    expect(crisp.requests).toHaveLength(opened + 4);
    expect(verifier.stats()).toMatchObject({ breaker: "closed", breakerOpened: 1 });
  });

  it("half-open: a failed probe is the only request, and re-opens the breaker for another cool-down", async () => {
    outage = () => "reset";
    const { verifier, c } = crispVerifier();
    await Promise.all(Array.from({ length: 4 }, () => verifier.verify(ask(randomKeypair(), { tier: "plugin" }))));
    const opened = crisp.requests.length;
    c.t += BREAKER_COOLDOWN_MS;
    const answers = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(ask(randomKeypair(), { tier: "plugin" }))));
    expect(crisp.requests).toHaveLength(opened + 1);
    // The probe's own secret too: its retry finds the breaker open again.
    expect(answers.every((v) => v.status === "unknown" && v.reason === CRISP_UNAVAILABLE_REASON)).toBe(true);
    expect(verifier.stats()).toMatchObject({ breaker: "open", breakerOpened: 2 });
    // Still open a moment later: nothing sent.
    c.t += BREAKER_COOLDOWN_MS - 1;
    await verifier.verify(ask(randomKeypair(), { tier: "plugin" }));
    expect(crisp.requests).toHaveLength(opened + 1);
  });

  it("429 and 420 are not an outage: they never open the breaker", async () => {
    outage = () => ({ status: 429 });
    const { verifier } = crispVerifier();
    const secrets = Array.from({ length: 3 * BREAKER_FAILURE_THRESHOLD }, () => randomKeypair());
    const answers = await Promise.all(secrets.map((kp) => verifier.verify(ask(kp, { tier: "plugin" }))));
    expect(answers.every((v) => v.reason === "rate_limited")).toBe(true);
    expect(crisp.requests).toHaveLength(secrets.length);
    expect(verifier.stats().breaker).toBe("closed");
  });

  it("identical checks in flight are still one request per endpoint", async () => {
    const dead = randomKeypair();
    const { verifier } = crispVerifier();
    const answers = await Promise.all(Array.from({ length: 8 }, () => verifier.verify(ask(dead, { websiteId: site }))));
    expect(answers.every((v) => v.status === "dead")).toBe(true);
    expect(sentFor(dead).map((r) => r.tier)).toEqual(["plugin", "website"]);
    expect(verifier.stats()).toMatchObject({ verifications: 8, requests: 2, coalesced: 14 });
  });

});
