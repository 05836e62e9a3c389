// A backfill end to end: the real server (dist/cli/main.js serve) as a child process, against the
// fake GitHub that also serves the repositories over git's smart HTTP (refusing a clone without an
// issued installation token) and the fake Crisp. One installation.created for three repositories:
// keypairs deep in one history (one deleted since), only Crisp's documented README examples in
// another, an empty one. The server is killed with SIGKILL in the middle of the second repository
// (its check run performed, the answer held) and started again: it finishes without doing the first
// repository again or writing anything twice. No token and no key in any log, argument list, the
// database or the report.
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { cli } from "../helpers/cli.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { tokenHeader } from "../helpers/git-http-backend.js";
import { buildBareRepository, generatedHistory } from "../helpers/git-history.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { freePort, killChild, serveEnv, sign, spawnServer, waitUntil } from "./serve-helpers.js";

const SECRET = "backfill-webhook-secret";
const MAIN = resolve("dist/cli/main.js");
const INSTALLATION = 12345;
const OWNER = "octo-org";

let dir: string;
let github: FakeGitHub;
let crisp: FakeCrisp;
let child: ChildProcess | null = null;
let output: string[] = [];
/** Every git command the server ran, one argv per line (a wrapper first on its PATH). */
let gitLog: string;
let binDir: string;

const live = randomKeypair();
const dead = randomKeypair();
/** Crisp's documented README example: an identifier starting 7c3ef21c-1e04. */
const example = { identifier: `7c3ef21c-1e04-${randomKeypair().identifier.slice(14)}`, key: randomKeypair().key };

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
  nock.enableNetConnect("127.0.0.1");
});
beforeEach(async () => {
  dir = tempDir("crisp-guard-backfill-e2e-");
  github = await startFakeGitHub({ installationId: INSTALLATION, token: `ghs_${"Q".repeat(20)}${Date.now()}` });
  crisp = await startFakeCrisp([{ identifier: live.identifier, key: live.key, tier: "plugin", pluginId: "plug-1" }]);
  output = [];
  binDir = tempDir("crisp-guard-git-wrapper-");
  gitLog = join(binDir, "argv.log");
  const realGit = (process.env.PATH ?? "").split(":").map((p) => join(p, "git")).find((p) => existsSync(p))!;
  writeFileSync(join(binDir, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(binDir, "git"), 0o755);
});
afterEach(async () => {
  await kill();
  await github.close();
  await crisp.close();
});

async function kill(): Promise<void> {
  const c = child;
  child = null;
  await killChild(c);
}

const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> =>
  waitUntil(what, check, output, timeoutMs);

async function startApp(): Promise<number> {
  const config = join(dir, "server.yml");
  writeFileSync(config, "rotators:\n  github-issue: {}\ndefaults: { rotate: { when: live, rotators: [github-issue] } }\n");
  const port = await freePort();
  const env = serveEnv({
    secret: SECRET, githubHost: github.host, crispUrl: crisp.url, dir, port,
    extra: { CRISP_GUARD_CONFIG: config, LOG_LEVEL: "info", PATH: `${binDir}:${process.env.PATH ?? ""}` },
  });
  child = await spawnServer(MAIN, { env, cwd: dir, port, output });
  return port;
}

async function deliver(port: number, event: string, id: string, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json", "x-github-event": event, "x-github-delivery": id,
      "x-hub-signature-256": sign(body, SECRET), connection: "close",
    },
    body,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

const backfillStatus = (repo: string): string | undefined => {
  if (!existsSync(join(dir, "crisp-guard.db"))) return undefined;
  const d = new Database(join(dir, "crisp-guard.db"), { readonly: true, fileMustExist: true });
  try {
    return d.prepare("SELECT status FROM backfills WHERE repository_key = ?").pluck().get(`${OWNER}/${repo}`) as string | undefined;
  } finally {
    d.close();
  }
};

const unfinishedJobs = (): number => {
  const d = new Database(join(dir, "crisp-guard.db"), { readonly: true, fileMustExist: true });
  try {
    return d.prepare("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')").pluck().get() as number;
  } finally {
    d.close();
  }
};

const envText = (kp: { identifier: string; key: string }, tier = "") => `${tier}PORT=3000\nCRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;

describe("a backfill of an organization, end to end", () => {
  it("three repositories: history runs and one issue per live secret, each once across a SIGKILL; the report; no token or key anywhere", async () => {
    // shop: 400 commits, merges and feature branches; the live keypair added in commit 40 and
    // deleted in commit 200, the dead one (plugin tier named) added in commit 120 and still there.
    const shopDir = join(tempDir("bf-shop-"), "shop.git");
    const shop = buildBareRepository(
      shopDir,
      generatedHistory({
        commits: 400,
        extra: (i): Record<string, string | null> => (i === 40 ? { ".env": envText(live) } : i === 200 ? { ".env": null } : i === 120 ? { "config/crisp.env": envText(dead, "CRISP_TIER=plugin\n") } : {}),
      }),
    );
    const docsDir = join(tempDir("bf-docs-"), "docs.git");
    const docs = buildBareRepository(docsDir, [
      { files: { "README.md": `# Setup\n\nCRISP_IDENTIFIER=${example.identifier}\nCRISP_KEY=${example.key}\n` } },
      { files: { "guide.md": "Use your own token.\n" } },
    ]);
    const emptyDir = join(tempDir("bf-empty-"), "empty.git");
    buildBareRepository(emptyDir, []);
    github.repo(`${OWNER}/shop`, { gitDir: shopDir });
    github.repo(`${OWNER}/docs`, { gitDir: docsDir });
    github.repo(`${OWNER}/empty`, { gitDir: emptyDir });
    const payload = {
      action: "created",
      installation: { id: INSTALLATION, account: { login: OWNER }, repository_selection: "selected" },
      repositories: ["shop", "docs", "empty"].map((n) => ({ full_name: `${OWNER}/${n}` })),
    };

    // The docs repository's history run is performed and its answer held: the server dies there.
    const held = github.holdNext({ method: "POST", path: `/repos/${OWNER}/docs/check-runs` });
    const port = await startApp();
    await deliver(port, "installation", "delivery-installation-1", payload);
    await held;
    expect(backfillStatus("shop")).toBe("done");
    expect(backfillStatus("docs")).toBe("running");
    expect(backfillStatus("empty")).toBe("queued");
    await kill();
    const shopFetches = github.gitRequests.filter((r) => r.repository === `${OWNER}/shop`).length;
    expect(shopFetches).toBeGreaterThan(0);

    await startApp();
    await until("every backfill", () => ["shop", "docs", "empty"].every((n) => backfillStatus(n) === "done"));
    await until("every job finished", () => unfinishedJobs() === 0);

    // The finished repository was not cloned again; every clone carried an issued token.
    expect(github.gitRequests.filter((r) => r.repository === `${OWNER}/shop`).length).toBe(shopFetches);
    expect(github.gitRequests.every((r) => r.authorized)).toBe(true);

    const runs = (name: string) => github.repos.get(`${OWNER}/${name}`)!.checkRuns.filter((r) => r.name === "Crisp Guard: history");
    expect(runs("shop")).toHaveLength(1);
    expect(runs("shop")[0]).toMatchObject({ head_sha: shop.heads.main, conclusion: "failure" });
    // Annotated where a keypair still is (the dead one); the live one was deleted since.
    expect(runs("shop")[0]!.annotations.map((a) => [a.path, a.annotation_level])).toEqual([["config/crisp.env", "warning"]]);
    // The held run was found again by its external_id and finished, not created twice.
    expect(runs("docs")).toHaveLength(1);
    expect(runs("docs")[0]).toMatchObject({ head_sha: docs.heads.main, conclusion: "success", annotations: [] });
    expect(runs("empty")).toEqual([]);

    // One issue, for the live secret; each secret verified once; the examples never sent to Crisp.
    const issues = [...github.repos.values()].flatMap((r) => r.issues);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toContain(live.identifier.slice(0, 8));
    const fpLive = fingerprint(live.identifier, live.key);
    const fpDead = fingerprint(dead.identifier, dead.key);
    expect(crisp.requests.filter((r) => r.fingerprint === fpLive)).toHaveLength(1);
    expect(crisp.requests.every((r) => r.identifier !== example.identifier)).toBe(true);
    expect(github.repos.get(`${OWNER}/shop`)!.commitComments).toEqual([]);

    // The organization report: the two secrets, where and when they were first pushed.
    const report = await cli(["report", "--format", "json"], { env: { CRISP_GUARD_DB: join(dir, "crisp-guard.db") } });
    expect(report.code).toBe(0);
    const findings = (JSON.parse(report.stdout) as { findings: Array<Record<string, unknown>> }).findings;
    expect(findings.map((f) => [f.fingerprint, f.state])).toEqual(
      expect.arrayContaining([[fpLive, "rotation_requested"], [fpDead, "dead"]]),
    );
    expect(findings).toHaveLength(2);
    const liveFinding = findings.find((f) => f.fingerprint === fpLive)!;
    expect(liveFinding).toMatchObject({ firstPushedFrom: "commit-date" });
    expect(liveFinding.occurrences).toEqual([expect.objectContaining({ repository: `${OWNER}/shop`, path: ".env", commit: shop.shas[40] })]);

    // No token and no key: not in the logs, git's arguments, the database, the report.
    const token = github.token;
    const basic = tokenHeader(token).slice("Basic ".length);
    const argv = readFileSync(gitLog, "utf8");
    expect(argv).toContain("fetch");
    const files = readdirSync(dir).filter((f) => f.startsWith("crisp-guard.db")).map((f) => readFileSync(join(dir, f), "latin1"));
    for (const text of [output.join(""), argv, report.stdout, ...files]) {
      for (const kp of [live, dead]) expect(holdsRaw(text, kp)).toBe(false);
      expect(text.includes(token) || text.includes(basic)).toBe(false);
    }
  }, 120_000);
});
