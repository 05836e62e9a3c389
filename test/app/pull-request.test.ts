// The merge gate end to end: the real server (crisp-guard serve) over HTTP on 127.0.0.1, pull_request
// webhooks signed as GitHub signs them (fixtures test/fixtures/pull_request.<variant>.json), GitHub
// served by the fake GitHub Enterprise, Crisp by the fake Crisp.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServeHandle } from "../../src/cli/serve.js";
import { openSqliteStore } from "../../src/store/index.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, ZERO_SHA, type FakeGitHub, type FakeRepo } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { fixture } from "./harness.js";
import { freePort, logRecords, serveCapturing, serveEnv, sign } from "./serve-helpers.js";

const SECRET = "gate-webhook-secret";

let dir: string;
let github: FakeGitHub;
let crisp: FakeCrisp;
let handle: ServeHandle | null;
let logs: string[];
let port: number;
let crispDown: boolean;
const live = randomKeypair();
const dead = randomKeypair();

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
async function start(): Promise<ServeHandle> {
  return serveCapturing(serveEnv({ secret: SECRET, githubHost: github.host, crispUrl: crisp.url, dir, port }), logs);
}

beforeEach(async () => {
  dir = tempDir("crisp-guard-gate-");
  github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  crispDown = false;
  crisp = await startFakeCrisp([{ identifier: live.identifier, key: live.key, tier: "plugin", pluginId: "plug-1" }], {
    respond: () => (crispDown ? { status: 503, body: { error: true, reason: "unavailable", data: {} } } : undefined),
  });
  logs = [];
  port = await freePort();
  handle = await start();
});
afterEach(async () => {
  await handle?.stop();
  await github.close();
  await crisp.close();
});

/** A .env naming the plugin tier (so one Crisp request decides live or dead): the key on line 4. */
function envFile(kp: { identifier: string; key: string }): string {
  return `# Crisp\nCRISP_TIER=plugin\nCRISP_TOKEN_IDENTIFIER=${kp.identifier}\nCRISP_TOKEN_KEY=${kp.key}\n`;
}

async function post(event: string, id: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-hub-signature-256": sign(body, SECRET),
      connection: "close",
    },
    body,
  });
  await res.arrayBuffer();
  await handle!.guard!.idle();
  return res.status;
}

/** A fixture with the fake repository's identity and the pull request's base and head shas. */
function prPayload(variant: string, repo: FakeRepo, base: string, head: string): Record<string, unknown> {
  const p = fixture(`pull_request.${variant}.json`);
  const pr = p.pull_request as Record<string, Record<string, unknown>>;
  const repository = repo.repositoryJson();
  const sameRepo = (pr.head!.repo as { fork?: boolean } | null)?.fork !== true;
  return {
    ...p,
    repository,
    installation: { id: github.installationId },
    pull_request: {
      ...pr,
      base: { ...pr.base, sha: base, repo: repository },
      head: { ...pr.head, sha: head, ...(sameRepo ? { repo: repository } : {}) },
    },
  };
}

/** Reads of one commit (GET /repos/…/commits/<sha>, any page). */
function commitReads(sha: string): number {
  return github.requestsTo("GET", new RegExp(`/commits/${sha}$`)).length;
}

function dbRows(sql: string): unknown[] {
  const db = new Database(join(dir, "crisp-guard.db"), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function assertNoRawKey(kp: { identifier: string; key: string }, repo: FakeRepo): void {
  expect(holdsRaw(logs.join("\n"), kp)).toBe(false);
  for (const run of repo.checkRuns) expect(holdsRaw(JSON.stringify(run), kp)).toBe(false);
  for (const r of github.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), kp)).toBe(false);
  for (const f of readdirSync(dir)) expect(holdsRaw(readFileSync(join(dir, f)).toString("latin1"), kp)).toBe(false);
}

describe("pull_request: the merge gate", () => {
  it("a fork's PR with a live keypair in its second commit: one failing check run on the head, at the line, no comment", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" });
    // The fork's commits: readable through the base repository, as GitHub keeps them under refs/pull.
    const first = repo.addCommit({ files: { "README.md": "# web\nchat support\n" }, branch: "fork-head", parent: root });
    const second = repo.addCommit({ files: { "config/.env": envFile(live) }, branch: "fork-head" });
    // The base branch moved on after the fork branched, with a keypair of its own: not the PR's.
    const moved = repo.addCommit({ files: { "docs/old.env": envFile(dead) }, message: "main moves on" });

    expect(await post("pull_request", "pr-open-1", prPayload("opened-fork", repo, moved, second))).toBe(200);

    expect(repo.checkRuns).toHaveLength(1);
    const [run] = repo.checkRunsFor(second);
    expect(run).toMatchObject({ name: "Crisp Guard", status: "completed", conclusion: "failure", external_id: "pr-open-1" });
    expect(run!.output.title).toMatch(/^Merge gate failed: 1 live Crisp token keypair$/);
    expect(run!.output.summary).toContain("from a fork");
    expect(run!.output.summary).toContain("2 commits");
    expect(run!.annotations).toEqual([
      expect.objectContaining({ path: "config/.env", start_line: 4, annotation_level: "failure" }),
    ]);
    // The check run is the report: no commit comment, on a fork's commits least of all.
    expect(repo.commitComments).toEqual([]);
    expect(github.requestsTo("POST", /\/comments$/)).toEqual([]);
    // base...head from the merge base: the base branch's own commit is not read.
    expect(commitReads(first)).toBe(1);
    expect(commitReads(second)).toBe(1);
    expect(commitReads(moved)).toBe(0);
    expect(crisp.requests.map((r) => `${r.tier} ${r.path}`)).toEqual(["plugin /v1/plugin/connect/account"]);

    // Redelivered, and delivered again for the same head (reopened): nothing more is read or written.
    const before = github.requests.length;
    expect(await post("pull_request", "pr-open-1", prPayload("opened-fork", repo, moved, second))).toBe(200);
    expect(await post("pull_request", "pr-reopen-1", prPayload("reopened", repo, moved, second))).toBe(200);
    expect(github.requests.length).toBe(before);
    expect(repo.checkRuns).toHaveLength(1);

    // The leak was recorded like a push's (so it is rotated and re-checked), by fingerprint only.
    expect(dbRows("SELECT commit_sha, path, line FROM occurrences")).toEqual([{ commit_sha: second, path: "config/.env", line: 4 }]);
    expect(dbRows("SELECT state FROM secrets")).toEqual([{ state: "live" }]);

    await handle!.stop();
    handle = null;
    assertNoRawKey(live, repo);
  });

  it("gate: any fails on a dead keypair; gate: live passes it", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const head = repo.addCommit({ files: { "config/.env": envFile(dead) }, branch: "feature", parent: root });

    repo.config = "gate: any\n";
    expect(await post("pull_request", "pr-any", prPayload("opened-fork", repo, root, head))).toBe(200);
    const [anyRun] = repo.checkRunsFor(head);
    expect(anyRun).toMatchObject({ conclusion: "failure" });
    expect(anyRun!.output.title).toContain("not confirmed live (gate: any)");
    expect(anyRun!.annotations).toEqual([expect.objectContaining({ path: "config/.env", start_line: 4, annotation_level: "failure" })]);

    // The same commit under gate: live (another PR head, so not "already gated").
    repo.config = "gate: live\n";
    const head2 = repo.addCommit({ files: { "README.md": "# web\nmore\n" }, branch: "feature" });
    expect(await post("pull_request", "pr-live", prPayload("opened-fork", repo, root, head2))).toBe(200);
    const [liveRun] = repo.checkRunsFor(head2);
    expect(liveRun).toMatchObject({ conclusion: "success" });
    expect(liveRun!.output.title).toBe("Merge gate passed: 1 Crisp token keypair found, none live");
    expect(liveRun!.annotations).toEqual([expect.objectContaining({ path: "config/.env", annotation_level: "warning" })]);
    // The first gate read the dead keypair's commit and recorded it: the second took it from the store.
    expect(commitReads(head)).toBe(1);
    expect(crisp.requests).toHaveLength(1);
    assertNoRawKey(dead, repo);
  });

  it("a config the gate cannot use is explained, and the gate applies its strictest rule (any)", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const head = repo.addCommit({ files: { "config/.env": envFile(dead) }, branch: "feature", parent: root });
    // A typo must not turn a repository's `gate: any` into a weaker gate: a dead keypair fails.
    repo.config = "gate: sometimes\n";
    expect(await post("pull_request", "pr-bad-config", prPayload("opened-fork", repo, root, head))).toBe(200);
    const [run] = repo.checkRunsFor(head);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.summary).toContain("the strictest rule, since the configuration could not be used");
    expect(run!.output.summary).toContain("gate must be one of live, any");
    expect(run!.output.summary).not.toContain("sometimes");
  });

  it("Crisp unavailable under gate: live: failure saying verification was unknown; a redelivery runs it again", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const head = repo.addCommit({ files: { "config/.env": envFile(dead) }, branch: "feature", parent: root });
    crispDown = true;
    expect(await post("pull_request", "pr-unknown", prPayload("opened-fork", repo, root, head))).toBe(200);
    const [run] = repo.checkRunsFor(head);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toBe("Merge gate failed: 1 keypair whose liveness could not be verified");
    expect(run!.output.summary).toContain("**Verification was unknown**");
    // The job is failed (not done): the operator's redelivery, or a reopen, gates the head again.
    expect(dbRows("SELECT status FROM jobs")).toEqual([{ status: "failed" }]);
    expect(await post("pull_request", "pr-unknown", prPayload("opened-fork", repo, root, head))).toBe(200);
    // Run again: the keypair verified "unknown" sends its commit back to be read and verified, and
    // the run this delivery made (found by its external_id) is rewritten, not doubled.
    expect(commitReads(head)).toBe(2);
    expect(repo.checkRunsFor(head)).toHaveLength(1);
    expect(github.requestsTo("PATCH", new RegExp(`/check-runs/${run!.id}$`))).toHaveLength(1);
    assertNoRawKey(dead, repo);
  });

  it("synchronize after pushes already scanned the commits: none is read again, the stored findings decide", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const f1 = repo.addCommit({ files: { "src/chat.ts": "export const chat = true;\n" }, branch: "feature", parent: root });
    const f2 = repo.addCommit({ files: { "config/.env": envFile(live) }, branch: "feature" });
    expect(await post("push", "push-1", repo.pushPayload({ ref: "refs/heads/feature", before: ZERO_SHA, after: f2 }))).toBe(200);
    expect(commitReads(f1)).toBe(1);
    expect(commitReads(f2)).toBe(1);

    const f3 = repo.addCommit({ files: { "src/chat.ts": "export const chat = false;\n" }, branch: "feature" });
    expect(await post("push", "push-2", repo.pushPayload({ ref: "refs/heads/feature", before: f2, after: f3 }))).toBe(200);
    expect(commitReads(f3)).toBe(1);
    const crispBefore = crisp.requests.length;

    expect(await post("pull_request", "pr-sync", prPayload("synchronize", repo, root, f3))).toBe(200);
    // The request log: the gate listed the commits and wrote its check run, and read none of them.
    expect(commitReads(f1)).toBe(1);
    expect(commitReads(f2)).toBe(1);
    expect(commitReads(f3)).toBe(1);
    expect(github.requestsTo("GET", /\/git\/blobs\//)).toEqual([]);
    expect(crisp.requests.length).toBe(crispBefore);

    const gate = repo.checkRunsFor(f3).find((r) => r.external_id === "pr-sync");
    expect(gate).toMatchObject({ conclusion: "failure" });
    expect(gate!.output.summary).toContain("3 already scanned when pushed");
    expect(gate!.annotations).toEqual([expect.objectContaining({ path: "config/.env", start_line: 4, annotation_level: "failure" })]);
    // The pushes commented (on their own commits); the gate added no comment.
    expect(repo.commitComments).toHaveLength(1);
    assertNoRawKey(live, repo);
  });

  it("a push whose head a gate covers posts no run of its own: the gate's stays the latest \"Crisp Guard\" there", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const f1 = repo.addCommit({ files: { "config/.env": envFile(live) }, branch: "feature", parent: root });
    const f2 = repo.addCommit({ files: { "README.md": "# web\nchat\n" }, branch: "feature" });
    expect(await post("pull_request", "pr-first", prPayload("opened-fork", repo, root, f2))).toBe(200);
    // The push of the same head arrives after the gate: its run (only f2, clean) would read "success".
    expect(await post("push", "push-late", repo.pushPayload({ ref: "refs/heads/feature", before: f1, after: f2 }))).toBe(200);
    expect(repo.checkRunsFor(f2).map((r) => [r.external_id, r.conclusion])).toEqual([["pr-first", "failure"]]);
    // A push elsewhere still reports as before.
    const m1 = repo.addCommit({ files: { "README.md": "# web\nmain\n" } });
    expect(await post("push", "push-main", repo.pushPayload({ before: root, after: m1 }))).toBe(200);
    expect(repo.checkRunsFor(m1).map((r) => [r.external_id, r.conclusion])).toEqual([["push-main", "success"]]);
  });

  it("the base merged into the pull request (update branch): the base's own keypair is not the pull request's", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const f1 = repo.addCommit({ files: { "src/chat.ts": "export const chat = true;\n" }, branch: "fork-head", parent: root });
    const m1 = repo.addCommit({ files: { "docs/old.env": envFile(dead) } });
    expect(await post("push", "push-main", repo.pushPayload({ before: root, after: m1 }))).toBe(200);
    // The merge's files are diffed against f1: docs/old.env shows as added by it.
    const merge = repo.addCommit({ parents: [f1, m1], files: { "docs/old.env": envFile(dead) }, branch: "fork-head" });
    repo.config = "gate: any\n";
    expect(await post("pull_request", "pr-updated", prPayload("opened-fork", repo, m1, merge))).toBe(200);
    expect(commitReads(merge)).toBe(1);
    expect(repo.checkRunsFor(merge).map((r) => [r.external_id, r.conclusion])).toEqual([["pr-updated", "success"]]);
  });

  it("a commit whose push skipped paths (paths-ignore) is read again by a gate with other settings", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const f1 = repo.addCommit({ files: { "fixtures/.env": envFile(live) }, branch: "feature", parent: root });
    repo.config = "paths-ignore: [ 'fixtures/**' ]\n";
    expect(await post("push", "push-ignored", repo.pushPayload({ ref: "refs/heads/feature", before: ZERO_SHA, after: f1 }))).toBe(200);
    repo.config = null;
    expect(await post("pull_request", "pr-after-ignore", prPayload("synchronize", repo, root, f1))).toBe(200);
    expect(commitReads(f1)).toBe(2);
    expect(repo.checkRunsFor(f1).find((r) => r.external_id === "pr-after-ignore")).toMatchObject({ conclusion: "failure" });
  });

  it("a gate job left unfinished by a restart is resumed from the store as a pull_request job", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const head = repo.addCommit({ files: { "config/.env": envFile(live) }, branch: "feature", parent: root });
    await handle!.stop();
    handle = null;
    // What the handler had recorded before the process died.
    const store = openSqliteStore(join(dir, "crisp-guard.db"));
    const payload = prPayload("opened-fork", repo, root, head);
    await store.recordDelivery({ id: "pr-crashed", event: "pull_request", repository: "acme/web", installationId: github.installationId, after: head, payload });
    await store.enqueueJob("pr-crashed");
    await store.close();

    handle = await start();
    await handle.guard!.idle();
    expect(repo.checkRunsFor(head).map((r) => [r.external_id, r.conclusion])).toEqual([["pr-crashed", "failure"]]);
    expect(dbRows("SELECT status FROM jobs")).toEqual([{ status: "done" }]);
  });

  it("closed and labeled are answered and ignored: nothing recorded, nothing asked of GitHub", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const head = repo.addCommit({ files: { "config/.env": envFile(live) }, branch: "feature", parent: root });
    expect(await post("pull_request", "pr-closed", prPayload("closed", repo, root, head))).toBe(200);
    expect(await post("pull_request", "pr-labeled", prPayload("labeled", repo, root, head))).toBe(200);
    expect(github.requests).toEqual([]);
    expect(dbRows("SELECT id FROM deliveries")).toEqual([]);
  });

  it("a malformed pull_request is refused 400 through the real ingress, with one log line and nothing recorded", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" } });
    const head = repo.addCommit({ files: { "README.md": "# web\n2\n" }, branch: "feature", parent: root });
    const good = prPayload("opened-fork", repo, root, head);
    const pr = good.pull_request as Record<string, Record<string, unknown>>;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ["bad-head", { ...good, pull_request: { ...pr, head: { ...pr.head, sha: "HEAD" } } }, /head\.sha is not a commit id/],
      ["bad-base", { ...good, pull_request: { ...pr, base: { ...pr.base, sha: "main" } } }, /base\.sha is not a commit id/],
      ["dotdot", { ...good, repository: { ...(good.repository as object), name: ".." } }, /repository name is not a GitHub repository name/],
      ["slash-owner", { ...good, repository: { ...(good.repository as object), owner: { login: "a/b" } } }, /repository owner/],
      ["no-action", { ...good, action: undefined }, /no action/],
      ["no-number", { ...good, number: undefined, pull_request: { ...pr, number: undefined } }, /no pull request number/],
    ];
    for (const [id, payload, reason] of cases) {
      expect(await post("pull_request", id, payload), id).toBe(400);
      const lines = logRecords(logs).filter((r) => r.msg === "webhook rejected" && r.deliveryId === id);
      expect(lines, id).toHaveLength(1);
      expect(String(lines[0]!.reason), id).toMatch(reason);
    }
    expect(github.requests).toEqual([]);
    expect(dbRows("SELECT id FROM deliveries")).toEqual([]);
  });
});
