// End to end: the real HTTP server (crisp-guard serve → probot run), webhooks signed over HTTP,
// GitHub served by the fake GitHub Enterprise on 127.0.0.1 (GHE_HOST), Crisp by the fake Crisp.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/io.js";
import { runServe, type ServeHandle } from "../../src/cli/serve.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { privateKey } from "../helpers/probot.js";
import { tempDir } from "../helpers/temp.js";
import { freePort, serveCapturing, serveEnv, sign } from "./serve-helpers.js";

const SECRET = "e2e-webhook-secret";

let dir: string;
let github: FakeGitHub;
let crisp: FakeCrisp;
let handle: ServeHandle | null;
let logs: string[];
const kp = randomKeypair();

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  dir = tempDir("crisp-guard-e2e-");
  github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  crisp = await startFakeCrisp([{ identifier: kp.identifier, key: kp.key, tier: "plugin", pluginId: "plug-1" }]);
  logs = [];
  handle = null;
});
afterEach(async () => {
  await handle?.stop();
  await github.close();
  await crisp.close();
});

async function serve(port: number): Promise<ServeHandle> {
  return serveCapturing(serveEnv({ secret: SECRET, githubHost: github.host, crispUrl: crisp.url, dir, port }), logs);
}

async function post(port: number, id: string, payload: unknown, signature: string): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": id,
      "x-hub-signature-256": signature,
      connection: "close",
    },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

describe("crisp-guard serve, end to end", () => {
  it("a signed push with a live keypair: a commit comment at the line and a failing check run", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" });
    const leak = repo.addCommit({
      files: { "config/.env": `# Crisp\nCRISP_TOKEN_IDENTIFIER=${kp.identifier}\nCRISP_TOKEN_KEY=${kp.key}\n` },
      message: "add crisp",
    });
    const payload = repo.pushPayload({ before: root, after: leak });

    const port = await freePort();
    handle = await serve(port);
    expect(handle.guard).not.toBeNull();

    // A forged delivery first: rejected, nothing recorded, nothing asked of GitHub.
    const forged = await post(port, "forged-1", payload, sign(JSON.stringify(payload), "not-the-secret"));
    expect(forged.status).toBeGreaterThanOrEqual(400);
    await handle.guard!.idle();
    expect(github.requests).toEqual([]);
    expect(crisp.requests).toEqual([]);

    const ok = await post(port, "delivery-e2e", payload, sign(JSON.stringify(payload), SECRET));
    expect(ok.status).toBe(200);
    await handle.guard!.idle();

    expect(repo.commitComments).toHaveLength(1);
    const [comment] = repo.commitComments;
    expect(comment).toMatchObject({ commit_id: leak, path: "config/.env", position: 3 });
    expect(comment!.body).toContain("**Live**");
    expect(holdsRaw(comment!.body, kp)).toBe(false);

    const runs = repo.checkRunsFor(leak);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "Crisp Guard", status: "completed", conclusion: "failure", external_id: "delivery-e2e" });
    expect(runs[0]!.annotations).toEqual([expect.objectContaining({ path: "config/.env", start_line: 3 })]);
    expect(crisp.requests.map((r) => `${r.tier} ${r.path}`)).toEqual(["plugin /v1/plugin/connect/account"]);

    // The same push redelivered: nothing more.
    const again = await post(port, "delivery-e2e", payload, sign(JSON.stringify(payload), SECRET));
    expect(again.status).toBe(200);
    await handle.guard!.idle();
    expect(repo.commitComments).toHaveLength(1);
    expect(repo.checkRuns).toHaveLength(1);

    await handle.stop();
    handle = null;
    expect(holdsRaw(logs.join("\n"), kp)).toBe(false);
    for (const r of github.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), kp)).toBe(false);
    for (const f of readdirSync(dir)) expect(holdsRaw(readFileSync(join(dir, f)).toString("latin1"), kp)).toBe(false);
  });

  it("refuses to start in production without WEBHOOK_SECRET, with one clear line", async () => {
    const start = runServe({ env: { NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: privateKey(), CRISP_GUARD_DB: join(dir, "x.db") } });
    await expect(start).rejects.toBeInstanceOf(CliError);
    await expect(start).rejects.toThrow(/WEBHOOK_SECRET is not set/);
    expect(readdirSync(dir)).toEqual([]); // no store created either
  });

  it("refuses a bad CRISP_API_URL before listening", async () => {
    const start = runServe({ env: { APP_ID: "1", PRIVATE_KEY: privateKey(), CRISP_API_URL: "http://crisp.example.com/v1/" } });
    await expect(start).rejects.toBeInstanceOf(CliError);
    await expect(start).rejects.toThrow(/CRISP_API_URL: .*https, or http only on a loopback host/);
  });
});
