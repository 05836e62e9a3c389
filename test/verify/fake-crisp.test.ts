// The fake Crisp itself (others' end-to-end tests rely on it), and the real fetch path against it:
// Node's own error shapes for reset, timeout and refused connections, and a redirect not followed.
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import { createCrispClient } from "../../src/verify/client.js";
import { createVerifier } from "../../src/verify/verifier.js";
import { startFakeCrisp, type FakeCrisp, type FakeCrispOptions, type FakeCrispToken } from "../helpers/fake-crisp.js";
import { randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

const open: FakeCrisp[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function fake(tokens: FakeCrispToken[], options?: FakeCrispOptions): Promise<FakeCrisp> {
  const crisp = await startFakeCrisp(tokens, options);
  open.push(crisp);
  return crisp;
}

async function get(crisp: FakeCrisp, path: string, kp: { identifier: string; key: string } | null, tier?: string) {
  const headers: Record<string, string> = {};
  if (kp) headers["Authorization"] = `Basic ${Buffer.from(`${kp.identifier}:${kp.key}`).toString("base64")}`;
  if (tier) headers["X-Crisp-Tier"] = tier;
  const res = await fetch(new URL(path, crisp.url), { headers });
  return { status: res.status, body: (await res.json()) as { error: boolean; reason: string; data: Record<string, unknown> } };
}

describe("startFakeCrisp", () => {
  it("answers like Crisp for plugin and website tokens", async () => {
    const plugin = randomKeypair();
    const website = randomKeypair();
    const owned = randomWebsiteId();
    const other = randomWebsiteId();
    const crisp = await fake([
      { ...plugin, tier: "plugin", pluginId: "p-1", websiteIds: [owned] },
      { ...website, tier: "website", websiteIds: [owned] },
    ]);
    expect(crisp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/$/);

    expect(await get(crisp, "plugin/connect/account", plugin, "plugin")).toEqual({ status: 200, body: { error: false, reason: "resolved", data: { plugin_id: "p-1" } } });
    expect((await get(crisp, "plugin/connect/account", plugin, "website")).status).toBe(401); // wrong tier
    expect((await get(crisp, "plugin/connect/account", plugin)).status).toBe(401); // no tier: a user token
    expect((await get(crisp, "plugin/connect/account", { ...plugin, key: website.key }, "plugin")).status).toBe(401);
    expect((await get(crisp, "plugin/connect/account", null, "plugin")).body.reason).toBe("invalid_session");
    expect((await get(crisp, `website/${other}`, plugin, "plugin")).body.reason).toBe("not_subscribed");

    expect(await get(crisp, `website/${owned}`, website, "website")).toMatchObject({ status: 200, body: { data: { website_id: owned } } });
    expect(await get(crisp, `website/${other}`, website, "website")).toMatchObject({ status: 403, body: { reason: "not_allowed" } });
    expect((await get(crisp, `website/${owned}`, website, "plugin")).status).toBe(401);

    expect(crisp.requests[0]).toMatchObject({ method: "GET", path: "/v1/plugin/connect/account", tier: "plugin", identifier: plugin.identifier });
    expect(crisp.requests).toHaveLength(9);
  });
});

describe("client over real HTTP", () => {
  function keypair() {
    const raw = randomKeypair();
    return { raw, kp: new Keypair(raw.identifier, raw.key) };
  }

  it("a connection reset → unknown network error", async () => {
    const crisp = await fake([], { respond: () => "reset" });
    const client = createCrispClient({ baseUrl: new URL(crisp.url) });
    const outcome = await client.checkPlugin(keypair().kp);
    expect(outcome).toMatchObject({ kind: "unknown", retryable: true });
    expect(outcome.reason).toMatch(/^network error/);
  });

  it("no answer → unknown timeout", async () => {
    const crisp = await fake([], { respond: () => "hang" });
    const client = createCrispClient({ baseUrl: new URL(crisp.url), timeoutMs: 100 });
    expect(await client.checkPlugin(keypair().kp)).toEqual({ kind: "unknown", reason: "timeout after 100 ms", retryable: true });
  });

  it("connection refused → unknown network error (ECONNREFUSED)", async () => {
    const crisp = await startFakeCrisp([]);
    await crisp.close();
    const client = createCrispClient({ baseUrl: new URL(crisp.url) });
    expect(await client.checkPlugin(keypair().kp)).toMatchObject({ kind: "unknown", reason: "network error (ECONNREFUSED)" });
  });

  it("a 301 to another server is not followed", async () => {
    const target = await fake([]);
    const crisp = await fake([], { respond: () => ({ status: 301, headers: { Location: `${target.url}plugin/connect/account` } }) });
    const client = createCrispClient({ baseUrl: new URL(crisp.url) });
    expect(await client.checkPlugin(keypair().kp)).toMatchObject({ kind: "unknown", httpStatus: 301 });
    expect(target.requests).toHaveLength(0);
  });

  it("verifier: 503 then 200 → live after one retry", async () => {
    const { raw, kp } = keypair();
    let n = 0;
    const crisp = await fake([{ ...raw, tier: "plugin" }], { respond: () => (n++ === 0 ? { status: 503 } : undefined) });
    const verifier = createVerifier({ baseUrl: new URL(crisp.url), retryBaseDelayMs: 1 });
    expect(await verifier.verify({ keypair: kp, tier: null, websiteId: null, websiteIds: [] })).toMatchObject({ status: "live", tier: "plugin" });
    expect(crisp.requests).toHaveLength(2);
  });
});
