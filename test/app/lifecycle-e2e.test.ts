// The rotation lifecycle end to end: push → verification → rotation (github-issue) → re-check → dead, through the
// real server (crisp-guard serve), the fake GitHub Enterprise and the fake Crisp on 127.0.0.1.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, expect, it } from "vitest";
import { recheckLifecycle } from "../../src/app/lifecycle.js";
import type { ServeHandle } from "../../src/cli/serve.js";
import { createVerifier } from "../../src/verify/verifier.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { freePort, serveCapturing, serveEnv, sign } from "./serve-helpers.js";

const SECRET = "lifecycle-webhook-secret";
const MINUTE = 60_000;

let dir: string;
let github: FakeGitHub;
let crisp: FakeCrisp;
let handle: ServeHandle | null = null;

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
afterEach(async () => {
  await handle?.stop();
  handle = null;
  await github?.close();
  await crisp?.close();
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("a live keypair pushed, handed to the github-issue rotator, re-checked until Crisp says 401: dead, comment, check run and issue updated", async () => {
  const kp = randomKeypair();
  let rolled = false;
  let clock = new Date("2026-06-01T10:00:00.000Z");
  dir = tempDir("crisp-guard-lifecycle-");
  github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  // Crisp accepts the plugin token until its owner rolls it; then it answers 401, as Crisp does.
  crisp = await startFakeCrisp([{ ...kp, tier: "plugin" }], {
    respond: (r) => (rolled && r.identifier === kp.identifier ? { status: 401, body: { error: true, reason: "invalid_session", data: {} } } : undefined),
  });
  const serverConfig = join(dir, "server.yml");
  writeFileSync(serverConfig, "rotators:\n  github-issue: {}\ndefaults: { rotate: { when: live, rotators: [github-issue] } }\n");

  const repo = github.repo("acme/web");
  const root = repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" });
  const leak = repo.addCommit({
    files: { "config/.env": `# Crisp\nCRISP_TIER=plugin\nCRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n` },
    message: "add crisp",
  });
  const payload = repo.pushPayload({ before: root, after: leak });

  const logs: string[] = [];
  const port = await freePort();
  handle = await serveCapturing(
    serveEnv({ secret: SECRET, githubHost: github.host, crispUrl: crisp.url, dir, port, extra: { CRISP_GUARD_CONFIG: serverConfig } }),
    logs,
    {
      app: {
        lifecycle: recheckLifecycle({
          verifier: createVerifier({ baseUrl: new URL(crisp.url), cacheTtlMs: 0, unknownTtlMs: 0, retries: 0 }),
          now: () => clock,
          pollIntervalMs: 25,
        }),
      },
    },
  );

  const body = JSON.stringify(payload);
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": "lifecycle-1",
      "x-hub-signature-256": sign(body, SECRET),
    },
    body,
  });
  expect(res.status).toBe(200);
  await handle.guard!.idle();

  // Push: live, rotation requested through an issue, comment and failing check run.
  const [issue] = repo.issues;
  expect(issue).toMatchObject({ state: "open" });
  expect(issue!.title).toContain(`${kp.identifier.slice(0, 8)}…`);
  const [comment] = repo.commitComments;
  expect(comment!.body).toContain("**Live**");
  expect(comment!.body).toContain("github-issue");
  const [run] = repo.checkRunsFor(leak);
  expect(run).toMatchObject({ conclusion: "failure" });

  // Not yet due (Crisp may cache for ~10 min): nothing is asked before 15 minutes.
  const checksAfterPush = crisp.requests.length;
  clock = new Date(clock.getTime() + 10 * MINUTE);
  await new Promise((r) => setTimeout(r, 150));
  expect(crisp.requests.length).toBe(checksAfterPush);

  // The owner rolls the token; the first re-check (15 min) finds it dead.
  rolled = true;
  clock = new Date(clock.getTime() + 6 * MINUTE);
  await until("the leak issue to close", () => repo.issues[0]!.state === "closed");

  expect(crisp.requests.length).toBe(checksAfterPush + 1);
  await until("the commit comment to say rotated", () => /Rotated/.test(repo.commitComments[0]!.body));
  expect(repo.commitComments[0]!.body).toMatch(/401/);
  await until("the check run to stop failing", () => repo.checkRunsFor(leak)[0]!.conclusion !== "failure");
  expect(repo.checkRunsFor(leak)[0]).toMatchObject({ conclusion: "neutral" });
  expect(repo.issues[0]!.comments.at(-1)!.body).toMatch(/401|dead/i);

  // Dead is final: later polls ask Crisp nothing more.
  clock = new Date(clock.getTime() + 3 * 24 * 60 * MINUTE);
  await new Promise((r) => setTimeout(r, 150));
  expect(crisp.requests.length).toBe(checksAfterPush + 1);

  await handle.stop();
  handle = null;
  // Never the key: not in the logs, a request to GitHub, or the database files.
  expect(holdsRaw(logs.join("\n"), kp)).toBe(false);
  for (const r of github.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), kp)).toBe(false);
  for (const f of readdirSync(dir).filter((f) => f.startsWith("crisp-guard.db"))) {
    expect(holdsRaw(readFileSync(join(dir, f)).toString("latin1"), kp)).toBe(false);
  }
});
