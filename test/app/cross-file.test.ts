// A push that completes a keypair across files: the key added in .env, its identifier already in
// config.yaml. GitHub's REST API on nock; the repository itself served over git's smart HTTP on
// 127.0.0.1 (git http-backend), refusing requests without the installation token.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { openSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { startFakeGitHost, type FakeGitHost } from "../helpers/fake-git-http.js";
import { holdsRaw, randomKeypair, rawFormsIn } from "../helpers/keypairs.js";
import { BASE, NockGitHub, crispAccepts, fixture, freshApp, nockVerifier, startApp, stopApp, type Harness } from "./harness.js";

/** The installation token NockGitHub hands out. */
const INSTALLATION_TOKEN = "ghs_test";
const BLOB = "c".repeat(40);

let dir: string;
let store: Store;
let gh: NockGitHub;
let harness: Harness | null;
let host: FakeGitHost;

beforeEach(() => {
  ({ dir, store, gh } = freshApp("crisp-guard-xfile-"));
  harness = null;
});
afterEach(async () => {
  await stopApp(harness, store);
  await host?.close();
});

/** The repository on the git host, and the REST view of its second commit (adding .env). */
async function pushAddingEnv(token: string, kp: { identifier: string; key: string }, restShows: "env" | "readme" = "env") {
  host = await startFakeGitHost(token);
  const env = `PORT=3000\nCRISP_KEY=${kp.key}\n`;
  const [c1, c2] = host.repository("octo-org", "shop", [
    { "config.yaml": `bot:\n  name: helper\ncrisp:\n  id: ${kp.identifier}\n`, "index.js": "export {};\n" },
    { ".env": env },
  ]) as [string, string];
  const payload = { ...fixture("push.fast-forward.json"), before: c1, after: c2, commits: [{ id: c2 }] };
  gh.noConfig().compare(c1, c2, [c2]).acceptWrites();
  if (restShows === "readme") {
    gh.commit(c2, [{ filename: "README.md", status: "modified", patch: "@@ -1 +1,2 @@\n # Shop\n+Uses Crisp chat." }]);
    return { payload, c1, c2 };
  }
  gh.commit(c2, [{ filename: ".env", sha: BLOB, patch: ["@@ -0,0 +1,2 @@", "+PORT=3000", `+CRISP_KEY=${kp.key}`].join("\n") }]);
  gh.on("GET", new RegExp(`^${BASE}/git/blobs/${BLOB}$`), () => [200, env]);
  return { payload, c1, c2 };
}

describe("a push completing a keypair across files", () => {
  it("fetches the pushed commit, pairs .env's key with config.yaml's identifier: one finding naming both files", async () => {
    const kp = randomKeypair();
    const { payload, c2 } = await pushAddingEnv(INSTALLATION_TOKEN, kp);
    crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await harness.receive("delivery-xfile", payload);
    await harness.guard.idle();

    // git reached the host with the token's header, never in a URL.
    expect(host.requests.length).toBeGreaterThan(0);
    expect(host.requests.every((r) => r.authorization !== undefined && !r.url.includes(INSTALLATION_TOKEN))).toBe(true);

    const comments = gh.bodiesTo("POST", /\/comments$/);
    expect(comments).toHaveLength(1);
    expect(gh.calls()).toContain(`POST ${BASE}/commits/${c2}/comments`);
    expect(comments[0]).toMatchObject({ path: ".env", position: 2 });
    const body = String(comments[0]!.body);
    expect(body).toContain(".env");
    expect(body).toContain("config.yaml");
    expect(body).toMatch(/\*\*Live\*\*/);
    expect(holdsRaw(body, kp)).toBe(false);

    const [run] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(holdsRaw(JSON.stringify(run), kp)).toBe(false);

    const fp = fingerprint(kp.identifier, kp.key);
    const occurrences = await store.occurrencesOf(fp);
    expect(occurrences.map((o) => [o.path, o.commit]).sort()).toEqual([
      [".env", c2],
      ["config.yaml", c2],
    ]);
    expect(harness.logs.some((l) => l.includes("cross-file pairing done"))).toBe(true);
    expect(holdsRaw(harness.logs.join("\n"), kp)).toBe(false);
    expect(harness.logs.join("\n")).not.toContain(INSTALLATION_TOKEN);
    for (const r of gh.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), kp), r.path).toBe(false);
    await harness.guard.stop();
    harness = null;
    await store.close();
    expect(rawFormsIn(readFileSync(join(dir, "crisp-guard.db"), "latin1"), kp)).toEqual([]);
    store = openSqliteStore(join(dir, "crisp-guard.db"));
  });

  it("when the repository cannot be fetched (refused), one log line without the token, and the push is still reported", async () => {
    const kp = randomKeypair();
    const { payload } = await pushAddingEnv("ghs_another_token", kp);

    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await harness.receive("delivery-refused", payload);
    await harness.guard.idle();

    const skipped = harness.logs.filter((l) => l.includes("cross-file pairing skipped"));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain("octo-org/shop");
    expect(harness.logs.join("\n")).not.toContain(INSTALLATION_TOKEN);
    expect(harness.logs.join("\n")).not.toContain(Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64"));
    expect(gh.bodiesTo("POST", /\/comments$/)).toEqual([]);
    const [run] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(run).toMatchObject({ conclusion: "success" });
  });

  it("a push with no lone half never fetches the repository", async () => {
    const kp = randomKeypair();
    // The REST view of the commit: a README change, nothing half a keypair.
    const { payload } = await pushAddingEnv(INSTALLATION_TOKEN, kp, "readme");

    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await harness.receive("delivery-plain", payload);
    await harness.guard.idle();
    expect(host.requests).toEqual([]);
    expect(harness.logs.some((l) => l.includes("cross-file pairing"))).toBe(false);
  });
});
