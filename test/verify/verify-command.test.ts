import { Readable } from "node:stream";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseVerifyLine, runVerifyCommand } from "../../src/cli/verify-command.js";
import { fingerprint } from "../../src/detect/fingerprint.js";
import type { Verification } from "../../src/detect/types.js";
import type { Verifier, VerifyRequest } from "../../src/verify/types.js";
import { createVerifier } from "../../src/verify/verifier.js";
import { cli } from "../helpers/cli.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { holdsRaw, randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";

function collect() {
  const chunks: string[] = [];
  const errChunks: string[] = [];
  return {
    out: { stdout: { write: (s: string) => void chunks.push(s) }, stderr: { write: (s: string) => void errChunks.push(s) } },
    text: () => chunks.join(""),
    errors: () => errChunks.join(""),
  };
}

/** A verifier that answers from a table by fingerprint and records requests. */
function tableVerifier(answers: Map<string, Verification["status"]>) {
  const requests: VerifyRequest[] = [];
  const verifier: Verifier = {
    async verify(request) {
      requests.push(request);
      const status = answers.get(request.keypair.fingerprint) ?? "dead";
      return { status, tier: status === "live" ? "plugin" : null, reason: `because ${status}`, checkedAt: "2025-01-01T00:00:00.000Z" };
    },
  };
  return { verifier, requests };
}

async function* lines(...items: string[]): AsyncIterable<string> {
  yield* items;
}

describe("parseVerifyLine", () => {
  it("reads identifier:key and JSON objects; skips blanks and comments", () => {
    const kp = randomKeypair();
    const site = randomWebsiteId();
    expect(parseVerifyLine("")).toEqual({ kind: "skip" });
    expect(parseVerifyLine("   # a comment")).toEqual({ kind: "skip" });
    const plain = parseVerifyLine(`  ${kp.identifier}:${kp.key.toUpperCase()}  `);
    expect(plain.kind).toBe("keypair");
    expect(plain.kind === "keypair" && plain.keypair.reveal()).toEqual(kp);
    const json = parseVerifyLine(JSON.stringify({ ...kp, tier: "website", websiteId: site.toUpperCase() }));
    expect(json).toMatchObject({ kind: "keypair", tier: "website", websiteId: site });
  });

  it.each([
    ["no key", (kp: { identifier: string }) => `${kp.identifier}:`],
    ["short key", (kp: { identifier: string; key: string }) => `${kp.identifier}:${kp.key.slice(1)}`],
    ["longer hex run", (kp: { identifier: string; key: string }) => `${kp.identifier}:${kp.key}0`],
    ["bad JSON", (kp: { identifier: string; key: string }) => `{"identifier":"${kp.identifier}","key":"${kp.key}"`],
    ["bad tier", (kp: { identifier: string; key: string }) => JSON.stringify({ ...kp, tier: "user" })],
    ["bad websiteId", (kp: { identifier: string; key: string }) => JSON.stringify({ ...kp, websiteId: "x" })],
    ["JSON array", (kp: { identifier: string; key: string }) => JSON.stringify([kp.identifier, kp.key])],
  ])("%s is an error whose message holds nothing of the line", (_name, make) => {
    const kp = randomKeypair();
    const parsed = parseVerifyLine(make(kp));
    expect(parsed.kind).toBe("error");
    expect(holdsRaw(JSON.stringify(parsed), kp)).toBe(false);
  });
});

describe("runVerifyCommand", () => {
  it("prints one redacted line per keypair in input order; exit 1 when any is live", async () => {
    const a = randomKeypair();
    const b = randomKeypair();
    const { verifier } = tableVerifier(new Map([[fp(b), "live"]]));
    const { out, text } = collect();
    const input = Readable.from([`# keys\n${a.identifier}:${a.key}\n\n`, `${b.identifier}:${b.key}\r\n`]);
    const code = await runVerifyCommand(input, out, verifier);
    expect(code).toBe(1);
    const printed = text().trimEnd().split("\n");
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(new RegExp(`^${a.identifier.slice(0, 8)}…:…${a.key.slice(-4)}\\s+dead\\s+-\\s+because dead$`));
    expect(printed[1]).toMatch(new RegExp(`^${b.identifier.slice(0, 8)}…:…${b.key.slice(-4)}\\s+live\\s+plugin\\s+because live$`));
    expect(holdsRaw(text(), a)).toBe(false);
    expect(holdsRaw(text(), b)).toBe(false);
  });

  it("exit 0 when none is live", async () => {
    const a = randomKeypair();
    const { verifier } = tableVerifier(new Map());
    const { out } = collect();
    expect(await runVerifyCommand(lines(`${a.identifier}:${a.key}`), out, verifier)).toBe(0);
  });

  it("a malformed line alone: named by its number on stderr, never its content; exit 2, others still checked", async () => {
    const dead = randomKeypair();
    const bad = randomKeypair();
    const { verifier, requests } = tableVerifier(new Map());
    const { out, text, errors } = collect();
    const code = await runVerifyCommand(lines(`${dead.identifier}:${dead.key}`, "", `${bad.identifier} ${bad.key}`), out, verifier);
    expect(code).toBe(2);
    expect(requests).toHaveLength(1);
    expect(errors()).toMatch(/^crisp-guard: line 3: error: malformed/);
    expect(errors().trimEnd().split("\n")).toHaveLength(1);
    expect(text()).not.toMatch(/error/);
    expect(holdsRaw(errors() + text(), bad)).toBe(false);
    expect(holdsRaw(errors() + text(), dead)).toBe(false);
  });

  it("a live line and a malformed line: exit 1 (live matters more), the malformed one still reported", async () => {
    const good = randomKeypair();
    const bad = randomKeypair();
    const { verifier } = tableVerifier(new Map([[fp(good), "live"]]));
    const { out, text, errors } = collect();
    const code = await runVerifyCommand(lines(`${bad.identifier}:${bad.key}:x`, `${good.identifier}:${good.key}`), out, verifier);
    expect(code).toBe(1);
    expect(errors()).toMatch(/^crisp-guard: line 1: error: malformed/);
    expect(text()).toMatch(/\slive\s/);
    expect(holdsRaw(errors() + text(), bad)).toBe(false);
  });

  it("--tier and --website-id apply to lines that give none; a line's own tier and id win", async () => {
    const a = randomKeypair();
    const b = randomKeypair();
    const flagSite = randomWebsiteId();
    const ownSite = randomWebsiteId();
    const { verifier, requests } = tableVerifier(new Map());
    const { out } = collect();
    await runVerifyCommand(
      lines(`${a.identifier}:${a.key}`, JSON.stringify({ ...b, tier: "plugin", websiteId: ownSite })),
      out,
      verifier,
      { tier: "website", websiteId: flagSite.toUpperCase() },
    );
    expect(requests.map((r) => ({ tier: r.tier, websiteId: r.websiteId, websiteIds: r.websiteIds }))).toEqual([
      { tier: "website", websiteId: flagSite, websiteIds: [ownSite] },
      { tier: "plugin", websiteId: ownSite, websiteIds: [] },
    ]);
  });

  it("JSON input passes tier and website id through, and offers every website id of the input", async () => {
    const a = randomKeypair();
    const b = randomKeypair();
    const siteA = randomWebsiteId();
    const siteB = randomWebsiteId();
    const { verifier, requests } = tableVerifier(new Map());
    const { out } = collect();
    await runVerifyCommand(
      lines(JSON.stringify({ ...a, tier: "website", websiteId: siteA }), JSON.stringify({ ...b, websiteId: siteB })),
      out,
      verifier,
    );
    expect(requests.map((r) => ({ tier: r.tier, websiteId: r.websiteId, websiteIds: r.websiteIds }))).toEqual([
      { tier: "website", websiteId: siteA, websiteIds: [siteB] },
      { tier: null, websiteId: siteB, websiteIds: [siteA] },
    ]);
  });

  it("--format json: one object per line with redacted halves, fingerprint and the verification", async () => {
    const a = randomKeypair();
    const { verifier } = tableVerifier(new Map([[fp(a), "live"]]));
    const { out, text, errors } = collect();
    const code = await runVerifyCommand(lines(`${a.identifier}:${a.key}`, "nonsense"), out, verifier, { format: "json" });
    expect(code).toBe(1);
    // stdout holds verdicts only, one JSON object a line; the malformed line goes to stderr.
    const printed = text().trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(printed).toHaveLength(1);
    const [first] = printed;
    expect(first).toEqual({
      line: 1,
      identifier: `${a.identifier.slice(0, 8)}…`,
      keyHint: `…${a.key.slice(-4)}`,
      fingerprint: fp(a),
      status: "live",
      tier: "plugin",
      reason: "because live",
      checkedAt: "2025-01-01T00:00:00.000Z",
    });
    expect(errors()).toMatch(/^crisp-guard: line 2: error: malformed/);
    expect(holdsRaw(text(), a)).toBe(false);
  });
});

describe("runVerifyCommand against a fake Crisp on 127.0.0.1", () => {
  let crisp: FakeCrisp;
  const plugin = randomKeypair();
  const website = randomKeypair();
  const dead = randomKeypair();
  const site = randomWebsiteId();

  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    crisp = await startFakeCrisp([
      { ...plugin, tier: "plugin", pluginId: "plug-42" },
      { ...website, tier: "website", websiteIds: [site] },
    ], { websiteNames: { [site]: "Acme Help" } });
  });
  afterAll(async () => {
    await crisp.close();
    nock.disableNetConnect();
  });
  afterEach(() => void (crisp.requests.length = 0));

  it("gives live, live, dead with one request per check, and nothing raw in the output", async () => {
    const verifier = createVerifier({ baseUrl: new URL(crisp.url), version: "9.9.9" });
    const { out, text } = collect();
    const input = [
      `${plugin.identifier}:${plugin.key}`,
      JSON.stringify({ ...website, websiteId: site }),
      JSON.stringify({ ...dead, tier: "plugin" }),
      `${plugin.identifier}:${plugin.key}`, // the same secret again: no second request
    ].join("\n");
    const code = await runVerifyCommand(Readable.from([input]), out, verifier);
    expect(code).toBe(1);
    const printed = text().trimEnd().split("\n");
    expect(printed[0]).toMatch(/live\s+plugin\s+authenticated \(HTTP 200\) \(plugin_id plug-42\)/);
    expect(printed[1]).toMatch(/live\s+website\s+authenticated \(HTTP 200\) \(website "Acme Help"\)/);
    // The dead one's line names the plugin tier: decisive, so the input's website id is not tried.
    expect(printed[2]).toMatch(/dead\s+plugin\s+rejected by plugin tier \(HTTP 401\)$/);
    expect(printed[3]).toBe(printed[0]);
    for (const kp of [plugin, website, dead]) expect(holdsRaw(text(), kp)).toBe(false);
    // plugin: 1; website: plugin 401 then website 200; dead: plugin 401.
    const bySecret = (kp: { identifier: string; key: string }) =>
      crisp.requests.filter((r) => r.fingerprint === fp(kp)).map((r) => `${r.tier} ${r.path}`);
    expect(bySecret(plugin)).toEqual(["plugin /v1/plugin/connect/account"]);
    expect(bySecret(website)).toEqual(["plugin /v1/plugin/connect/account", `website /v1/website/${site}`]);
    expect(bySecret(dead)).toEqual(["plugin /v1/plugin/connect/account"]);
    expect(crisp.requests).toHaveLength(4);
    expect(crisp.requests.every((r) => r.userAgent === "crisp-guard/9.9.9")).toBe(true);
  });
});

describe("crisp-guard verify (the CLI) against a fake Crisp on 127.0.0.1", () => {
  let crisp: FakeCrisp;
  const website = randomKeypair();
  const site = randomWebsiteId();

  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    crisp = await startFakeCrisp([{ ...website, tier: "website", websiteIds: [site] }]);
  });
  afterAll(async () => {
    await crisp.close();
    nock.disableNetConnect();
  });
  afterEach(() => void (crisp.requests.length = 0));

  const env = () => ({ CRISP_API_URL: crisp.url });

  it("--website-id checks a website token given as identifier:key (plugin 401, then website 200)", async () => {
    const run = await cli(["verify", "--website-id", site], { env: env(), stdin: `${website.identifier}:${website.key}\n` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\slive\s+website\s+authenticated \(HTTP 200\)/);
    expect(crisp.requests.map((r) => `${r.tier} ${r.path}`)).toEqual(["plugin /v1/plugin/connect/account", `website /v1/website/${site}`]);
    expect(holdsRaw(run.stdout + run.stderr, website)).toBe(false);
  });

  it("--tier website --website-id: one request", async () => {
    const dead = randomKeypair();
    const run = await cli(["verify", "--tier", "website", "--website-id", site], {
      env: env(),
      stdin: `${website.identifier}:${website.key}\n${dead.identifier}:${dead.key}\n`,
    });
    expect(run.code).toBe(1);
    const [live, rejected] = run.stdout.trimEnd().split("\n");
    expect(live).toMatch(/\slive\s+website\s/);
    expect(rejected).toMatch(/\sdead\s+website\s+rejected by website tier \(HTTP 401\)$/);
    expect(crisp.requests.map((r) => `${r.tier} ${r.path}`)).toEqual([`website /v1/website/${site}`, `website /v1/website/${site}`]);
  });

  it("a live line and a malformed line: exit 1, the malformed one named by its number on stderr only", async () => {
    const bad = randomKeypair();
    const run = await cli(["verify", "--website-id", site, "--format", "json"], {
      env: env(),
      stdin: `${bad.key}:${bad.identifier}\n${website.identifier}:${website.key}\n`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^crisp-guard: line 1: error: malformed/);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ line: 2, status: "live", tier: "website" });
    expect(holdsRaw(run.stdout + run.stderr, bad)).toBe(false);
    expect(holdsRaw(run.stdout + run.stderr, website)).toBe(false);
  });

  it("--website-id that is not a UUID: exit 2 before any request, without repeating the value", async () => {
    const kp = randomKeypair();
    const run = await cli(["verify", "--website-id", kp.key], { env: env(), stdin: `${kp.identifier}:${kp.key}\n` });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("crisp-guard: error: --website-id must be a UUID\n");
    expect(crisp.requests).toHaveLength(0);
  });

  it("--help documents --tier, --website-id and the exit codes", async () => {
    const run = await cli(["verify", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--website-id <uuid>/);
    expect(run.stdout).toMatch(/--tier <tier>/);
    expect(run.stdout).toMatch(/1 at least one live, else 2 a malformed line/);
  });
});

function fp(kp: { identifier: string; key: string }): string {
  return fingerprint(kp.identifier, kp.key);
}
