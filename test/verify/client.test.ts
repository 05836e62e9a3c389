import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import { createCrispClient, REQUEST_TIMEOUT_MS } from "../../src/verify/client.js";
import { holdsRaw, randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";

const API = "https://api.crisp.chat";
const PLUGIN_PATH = "/v1/plugin/connect/account";

afterEach(() => nock.cleanAll());

function setup() {
  const raw = randomKeypair();
  const keypair = new Keypair(raw.identifier, raw.key);
  const client = createCrispClient({ version: "1.2.3", timeoutMs: 200 });
  return { raw, keypair, client };
}

describe("Crisp client request", () => {
  it("sends Basic identifier:key, the tier header, the User-Agent, and nothing else of the key", async () => {
    const { raw, keypair, client } = setup();
    const scope = nock(API)
      .get(PLUGIN_PATH)
      .basicAuth({ user: raw.identifier, pass: raw.key })
      .matchHeader("x-crisp-tier", "plugin")
      .matchHeader("user-agent", "crisp-guard/1.2.3")
      .reply(200, { error: false, reason: "resolved", data: { plugin_id: "p-123" } });
    const outcome = await client.checkPlugin(keypair);
    expect(outcome).toEqual({ kind: "live", httpStatus: 200, reason: "authenticated (HTTP 200)", pluginId: "p-123" });
    expect(scope.isDone()).toBe(true);
  });

  it("checks the website tier at website/{id} and reads the website name", async () => {
    const { keypair, client } = setup();
    const websiteId = randomWebsiteId();
    const scope = nock(API)
      .get(`/v1/website/${websiteId}`)
      .matchHeader("x-crisp-tier", "website")
      .reply(200, { error: false, reason: "resolved", data: { website_id: websiteId, name: "Acme\nSupport" } });
    const outcome = await client.checkWebsite(keypair, websiteId);
    expect(outcome).toMatchObject({ kind: "live", websiteName: "Acme Support" });
    expect(outcome).not.toHaveProperty("pluginId");
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a website id that is not a UUID without sending anything", async () => {
    const { keypair, client } = setup();
    // No interceptor: any request would fail with a nock no-match error (a network error outcome).
    const outcome = await client.checkWebsite(keypair, "../../plugin/connect/account");
    expect(outcome).toMatchObject({ kind: "unknown", reason: "invalid website id", retryable: false });
  });

  it("sends only to the configured base URL", async () => {
    const { keypair } = setup();
    const client = createCrispClient({ baseUrl: new URL("https://proxy.example.com/crisp/v1/") });
    const scope = nock("https://proxy.example.com").get("/crisp/v1/plugin/connect/account").reply(401, {});
    expect((await client.checkPlugin(keypair)).kind).toBe("dead");
    expect(scope.isDone()).toBe(true);
  });

  it("uses globalThis.fetch by default and an injected fetch when given", async () => {
    const { keypair } = setup();
    const seen: string[] = [];
    const client = createCrispClient({
      fetch: async (url) => {
        seen.push(url.href);
        return new Response(JSON.stringify({ error: true, reason: "invalid_session", data: {} }), { status: 401 });
      },
    });
    expect(await client.checkPlugin(keypair)).toEqual({ kind: "dead", httpStatus: 401, reason: "rejected (HTTP 401 invalid_session)" });
    expect(seen).toEqual(["https://api.crisp.chat/v1/plugin/connect/account"]);
  });

  it("has a 10 s default timeout", () => {
    expect(REQUEST_TIMEOUT_MS).toBe(10_000);
  });
});

describe("Crisp client status mapping", () => {
  it.each([
    [200, "live", "authenticated (HTTP 200)"],
    [403, "live", "authenticated (HTTP 403 not_allowed)"],
    [404, "live", "authenticated (HTTP 404 not_subscribed)"],
    [401, "dead", "rejected (HTTP 401 invalid_session)"],
    [500, "unknown", "server error (HTTP 500)"],
    [502, "unknown", "server error (HTTP 502)"],
    [503, "unknown", "server error (HTTP 503)"],
    [400, "unknown", "unexpected HTTP 400 error"],
  ])("HTTP %i → %s", async (status, kind, reason) => {
    const { keypair, client } = setup();
    const crispReason = { 403: "not_allowed", 404: "not_subscribed", 401: "invalid_session" }[status as 403 | 404 | 401];
    const data = status === 200 ? { plugin_id: "p-1" } : {};
    nock(API).get(PLUGIN_PATH).reply(status, { error: status !== 200, reason: crispReason ?? "error", data });
    const outcome = await client.checkPlugin(keypair);
    expect(outcome.kind).toBe(kind);
    expect(outcome.reason).toBe(reason);
  });

  it.each([
    [403, { error: true, reason: "forbidden", data: {} }, "unexpected HTTP 403 forbidden"],
    [404, { error: true, reason: "not_found", data: {} }, "unexpected HTTP 404 not_found"],
    [404, "<html>Not Found</html>", "unexpected HTTP 404"],
    [403, undefined, "unexpected HTTP 403"],
  ])("a %i without Crisp's not_allowed / not_subscribed proves nothing: unknown", async (status, body, reason) => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(status, body);
    expect(await client.checkPlugin(keypair)).toMatchObject({ kind: "unknown", reason });
  });

  it("5xx is retryable, 4xx is not", async () => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(503).get(PLUGIN_PATH).reply(400);
    expect(await client.checkPlugin(keypair)).toMatchObject({ kind: "unknown", retryable: true, httpStatus: 503 });
    expect(await client.checkPlugin(keypair)).toMatchObject({ kind: "unknown", retryable: false, httpStatus: 400 });
  });

  it("does not repeat a Crisp reason that is not a short code", async () => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(401, { error: true, reason: "Bad <script> with spaces", data: {} });
    expect((await client.checkPlugin(keypair)).reason).toBe("rejected (HTTP 401)");
  });

  it("429 with Retry-After seconds → unknown rate_limited with the delay", async () => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(429, { error: true, reason: "rate_limited", data: {} }, { "Retry-After": "7" });
    expect(await client.checkPlugin(keypair)).toEqual({
      kind: "unknown",
      reason: "rate_limited",
      retryable: false,
      httpStatus: 429,
      rateLimited: true,
      retryAfterMs: 7000,
    });
  });

  it("429 with Retry-After as an HTTP date", async () => {
    const { keypair } = setup();
    const now = Date.parse("2025-01-01T00:00:00Z");
    const client = createCrispClient({ now: () => now });
    nock(API).get(PLUGIN_PATH).reply(429, "", { "Retry-After": "Wed, 01 Jan 2025 00:00:30 GMT" });
    expect(await client.checkPlugin(keypair)).toMatchObject({ reason: "rate_limited", retryAfterMs: 30_000 });
  });

  it("429 without Retry-After → rate_limited, no delay", async () => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(429);
    const outcome = await client.checkPlugin(keypair);
    expect(outcome).toMatchObject({ kind: "unknown", reason: "rate_limited", rateLimited: true });
    expect(outcome).not.toHaveProperty("retryAfterMs");
  });

  it("420 → unknown rate_limited", async () => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(420, "", { "Retry-After": "2" });
    expect(await client.checkPlugin(keypair)).toMatchObject({ kind: "unknown", reason: "rate_limited", httpStatus: 420, retryAfterMs: 2000 });
  });

  it("a 301 is not followed: unknown, and the Location is never requested", async () => {
    const { keypair, client } = setup();
    const crisp = nock(API).get(PLUGIN_PATH).reply(301, "", { Location: "https://collector.example.net/steal" });
    const elsewhere = nock("https://collector.example.net").get("/steal").reply(200, { data: { plugin_id: "x" } });
    const outcome = await client.checkPlugin(keypair);
    expect(outcome).toMatchObject({ kind: "unknown", retryable: false, httpStatus: 301 });
    expect(outcome.reason).toMatch(/redirect.*not followed/);
    expect(crisp.isDone()).toBe(true);
    expect(elsewhere.isDone()).toBe(false);
  });

  it("a timeout → unknown, retryable", async () => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).delay(1000).reply(200, {});
    expect(await client.checkPlugin(keypair)).toEqual({ kind: "unknown", reason: "timeout after 200 ms", retryable: true });
  });

  it("a connection reset → unknown network error, retryable", async () => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    expect(await client.checkPlugin(keypair)).toEqual({ kind: "unknown", reason: "network error (ECONNRESET)", retryable: true });
  });

  it("a DNS failure (as Node's fetch reports it) → unknown dns failure", async () => {
    const { keypair } = setup();
    const client = createCrispClient({
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND api.crisp.chat"), { code: "ENOTFOUND" }) });
      },
    });
    expect(await client.checkPlugin(keypair)).toEqual({ kind: "unknown", reason: "dns failure (ENOTFOUND)", retryable: true });
  });

  it("never puts an error's message in the reason (it may quote the Authorization header)", async () => {
    const { raw, keypair } = setup();
    const header = `Basic ${Buffer.from(`${raw.identifier}:${raw.key}`).toString("base64")}`;
    const client = createCrispClient({
      fetch: async () => {
        throw new Error(`no match for ${raw.identifier}:${raw.key} ${header}`);
      },
    });
    const outcome = await client.checkPlugin(keypair);
    expect(outcome.kind).toBe("unknown");
    expect(holdsRaw(JSON.stringify(outcome), raw)).toBe(false);
    expect(JSON.stringify(outcome)).not.toContain(header.slice(6));
  });

  // A 200 alone is not Crisp: a captive portal, an SSO login page or a misrouted proxy answers 200
  // too, and live would fire the rotators. Only the envelope with the tier's data is live.
  it.each([
    ["a text/html login page", "<html><form action=/login>", { "Content-Type": "text/html" }, "200 without Crisp's envelope (text/html)"],
    ["Crisp's error envelope", { error: true, reason: "invalid_session", data: {} }, {}, "200 with Crisp's error envelope invalid_session"],
    ["JSON that is not the envelope", { ok: true, plugin_id: "p" }, {}, "200 without Crisp's envelope (application/json)"],
    ["the envelope with data as a string", { error: false, reason: "resolved", data: "p" }, {}, "200 without Crisp's envelope (application/json)"],
    ["the envelope without plugin_id", { error: false, reason: "resolved", data: {} }, {}, "200 without data.plugin_id"],
    ["the envelope with an empty plugin_id", { error: false, reason: "resolved", data: { plugin_id: "" } }, {}, "200 without data.plugin_id"],
  ])("plugin tier: a 200 with %s → unknown, not live", async (_name, body, headers, reason) => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(200, body as nock.Body, headers);
    expect(await client.checkPlugin(keypair)).toEqual({ kind: "unknown", httpStatus: 200, reason, retryable: false });
  });

  it.each([
    ["no website_id", (_id: string) => ({ name: "Shop" }), "200 without the requested data.website_id"],
    ["another website's id", (_id: string) => ({ website_id: randomWebsiteId(), name: "Shop" }), "200 without the requested data.website_id"],
  ])("website tier: a 200 envelope with %s → unknown", async (_name, data, reason) => {
    const { keypair, client } = setup();
    const websiteId = randomWebsiteId();
    nock(API).get(`/v1/website/${websiteId}`).reply(200, { error: false, reason: "resolved", data: data(websiteId) });
    expect(await client.checkWebsite(keypair, websiteId)).toMatchObject({ kind: "unknown", reason });
  });

  it("website tier: the id is compared case-insensitively", async () => {
    const { keypair, client } = setup();
    const websiteId = randomWebsiteId();
    nock(API).get(`/v1/website/${websiteId}`).reply(200, { error: false, reason: "resolved", data: { website_id: websiteId.toUpperCase() } });
    expect(await client.checkWebsite(keypair, websiteId)).toMatchObject({ kind: "live", httpStatus: 200 });
  });

  it.each([
    [403, "not_allowed", "<html>not_allowed</html>", { "Content-Type": "text/html" }],
    [403, "not_allowed", { reason: "not_allowed" }, {}],
    [403, "not_allowed", { error: false, reason: "not_allowed", data: {} }, {}],
    [404, "not_subscribed", { error: true, reason: "not_subscribed" }, {}],
    [404, "not_subscribed", { error: true, reason: "not_subscribed", data: [] }, {}],
  ])("a %i %s outside Crisp's error envelope is not live", async (status, _reason, body, headers) => {
    const { keypair, client } = setup();
    nock(API).get(PLUGIN_PATH).reply(status, body as nock.Body, headers);
    expect(await client.checkPlugin(keypair)).toMatchObject({ kind: "unknown", httpStatus: status });
  });

  it("the fake Crisp's answers are live for both tiers (it speaks the envelope the client expects)", async () => {
    const { startFakeCrisp } = await import("../helpers/fake-crisp.js");
    const plugin = randomKeypair();
    const website = randomKeypair();
    const websiteId = randomWebsiteId();
    nock.enableNetConnect("127.0.0.1");
    const crisp = await startFakeCrisp([
      { ...plugin, tier: "plugin" },
      { ...website, tier: "website", websiteIds: [websiteId] },
    ]);
    try {
      const client = createCrispClient({ baseUrl: new URL(crisp.url) });
      expect(await client.checkPlugin(new Keypair(plugin.identifier, plugin.key))).toMatchObject({ kind: "live", httpStatus: 200 });
      expect(await client.checkWebsite(new Keypair(website.identifier, website.key), websiteId)).toMatchObject({ kind: "live", httpStatus: 200 });
    } finally {
      await crisp.close();
      nock.disableNetConnect();
    }
  });
});
