// A push too big for the REST API, scanned from git: a repository's first push of 5,000 commits
// (the payload lists the 2048 GitHub caps it at) with two keypairs deep in its history, one of
// them deleted later. GitHub's REST API on nock, counting every request; the repository served
// over git's smart HTTP on 127.0.0.1, refusing requests without the installation token.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import type { Store } from "../../src/store/types.js";
import { NULL_SHA, PUSH_PAYLOAD_MAX_COMMITS } from "../../src/sources/push.js";
import { VERSION } from "../../src/version.js";
import { startFakeGitHost, type FakeGitHost } from "../helpers/fake-git-http.js";
import { buildBareRepository, type HistoryCommit } from "../helpers/git-history.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { BASE, NockGitHub, crispAccepts, fixture, freshApp, nockVerifier, startApp, stopApp, type Harness } from "./harness.js";

// Every process started from this thread, as spawned: the token must be in none of their arguments.
const spawned = vi.hoisted(() => [] as Array<{ command: string; args: string[] }>);
vi.mock("node:child_process", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:child_process")>();
  return {
    ...real,
    spawn: ((command: string, args: string[], options: unknown) => {
      spawned.push({ command, args: [...args] });
      return (real.spawn as (...a: unknown[]) => unknown)(command, args, options);
    }) as typeof real.spawn,
  };
});

/** The installation token NockGitHub hands out, and its Basic form. */
const INSTALLATION_TOKEN = "ghs_test";
const TOKEN_BASIC = Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64");
const COMMITS = 5000;
const EPOCH = 1_700_000_000;

let store: Store;
let gh: NockGitHub;
let harness: Harness | null;
let host: FakeGitHost | null;

beforeEach(() => {
  ({ store, gh } = freshApp("crisp-guard-bigpush-"));
  harness = null;
  host = null;
  spawned.length = 0;
});
afterEach(async () => {
  await stopApp(harness, store);
  await host?.close();
});

const envText = (kp: { identifier: string; key: string }) => `CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;

/** A new bare repository of these commits (one `git fast-import`), to serve from the git host. */
function buildBare(commits: readonly HistoryCommit[]): { bare: string; shas: string[] } {
  const bare = join(tempDir("big-push-import-"), "repo.git");
  return { bare, shas: buildBareRepository(bare, commits).shas };
}

/** `count` commits on `branch`, commit i rewriting one of 40 files, plus `extra(i)`'s changes. */
function commitsOn(count: number, extra: (i: number) => Record<string, string | null>, branch?: string): HistoryCommit[] {
  return Array.from({ length: count }, (_, k) => ({
    files: { [`src/file-${(k + 1) % 40}.txt`]: `line ${k + 1} ${branch ?? ""}\n`, ...extra(k + 1) },
    ...(branch ? { branch } : {}),
  }));
}

/** GitHub's push payload for a new default branch: at most 2048 commits listed, the newest. */
function firstPushPayload(shas: readonly string[]): Record<string, unknown> {
  const head = shas.at(-1)!;
  return {
    ...fixture("push.fast-forward.json"),
    created: true,
    before: NULL_SHA,
    after: head,
    commits: shas.slice(-PUSH_PAYLOAD_MAX_COMMITS).map((id) => ({ id })),
    head_commit: { id: head },
  };
}

describe("a push too big for the REST API", () => {
  it(`a first push of ${COMMITS} commits is scanned from git: both keypairs on their introducing commits, a handful of REST requests`, async () => {
    const kp1 = randomKeypair(); // added in commit 1200, deleted in 1300
    const kp2 = randomKeypair(); // added in commit 3500, still there
    const built = Date.now();
    const changes = new Map<number, Record<string, string | null>>([
      [1200, { "config/crisp.env": envText(kp1) }],
      [1300, { "config/crisp.env": null }],
      [3500, { "deploy/crisp.env": envText(kp2) }],
    ]);
    const { bare, shas } = buildBare(commitsOn(COMMITS, (i) => changes.get(i) ?? {}));
    const buildMs = Date.now() - built;
    host = await startFakeGitHost(INSTALLATION_TOKEN);
    host.serveBare("octo-org", "shop", bare);
    gh.noConfig().acceptWrites();
    crispAccepts(kp2.identifier);

    const started = Date.now();
    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await harness.receive("delivery-first-push", firstPushPayload(shas));
    await harness.guard.idle();
    const scanMs = Date.now() - started;

    // GitHub's API: the config (repository, organization), the two comments, the check run; and
    // the installation token. No compare, no commit, no blob read.
    const calls = gh.calls();
    expect(calls.filter((c) => c.startsWith("GET ")).sort()).toEqual([
      "GET /repos/octo-org/.github/contents/.github/crisp-guard.yml",
      `GET ${BASE}/contents/.github/crisp-guard.yml`,
    ]);
    expect(calls.filter((c) => c.startsWith("POST ")).sort()).toEqual(
      [`POST ${BASE}/check-runs`, `POST ${BASE}/commits/${shas[1199]}/comments`, `POST ${BASE}/commits/${shas[3499]}/comments`].sort(),
    );
    expect(calls).toHaveLength(5);
    const tokenRequests = gh.requests.filter((r) => r.path.includes("/access_tokens")).length;
    expect(tokenRequests).toBe(1);
    console.log(`big push: ${COMMITS} commits, ${gh.requests.length} REST requests, import ${buildMs} ms, push job ${scanMs} ms`);

    // Comments on the commits (no diff position on this path).
    for (const body of gh.bodiesTo("POST", /\/comments$/)) {
      expect(body.position).toBeUndefined();
      expect(holdsRaw(JSON.stringify(body), kp1) || holdsRaw(JSON.stringify(body), kp2)).toBe(false);
    }
    const [run] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(run).toMatchObject({ conclusion: "failure", head_sha: shas.at(-1) });

    const o1 = await store.occurrencesOf(fingerprint(kp1.identifier, kp1.key));
    expect(o1.map((o) => [o.commit, o.path])).toEqual([[shas[1199], "config/crisp.env"]]);
    // The introducing commit's author by name only, and its date (git-history.ts: EPOCH + 60 s per commit).
    expect(o1[0]!.author).toBe("Dev 3");
    expect(Date.parse(o1[0]!.date!)).toBe((EPOCH + 1200 * 60) * 1000);
    const o2 = await store.occurrencesOf(fingerprint(kp2.identifier, kp2.key));
    expect(o2.map((o) => [o.commit, o.path])).toEqual([[shas[3499], "deploy/crisp.env"]]);

    // The whole range was scanned completely: every commit recorded.
    expect((await store.scannedCommits("octo-org/shop", shas, VERSION)).size).toBe(COMMITS);

    const logs = harness.logs.join("\n");
    const line = harness.logs.find((l) => l.includes('"msg":"push scanned"'))!;
    expect(JSON.parse(line)).toMatchObject({ route: "git", commits: COMMITS, findings: 2, comments: 2 });
    expect(logs).not.toContain("REST API instead");
    for (const kp of [kp1, kp2]) expect(holdsRaw(logs, kp)).toBe(false);
    expect(logs).not.toContain(INSTALLATION_TOKEN);
    expect(logs).not.toContain(TOKEN_BASIC);

    // git reached the host with the token's header only; no process got it as an argument.
    expect(host.requests.length).toBeGreaterThan(0);
    expect(host.requests.every((r) => r.authorization !== undefined && !r.url.includes(INSTALLATION_TOKEN))).toBe(true);
    expect(spawned.some((s) => s.args.includes("fetch"))).toBe(true);
    for (const s of spawned) expect(s.args.join(" ")).not.toMatch(new RegExp(`${INSTALLATION_TOKEN}|${TOKEN_BASIC}`));
  }, 120_000);

  it("a created branch of 300 commits: the default branch's head is left out (one request), only what the branch added is reported", async () => {
    const kp1 = randomKeypair(); // on main before the branch: not new
    const kp2 = randomKeypair(); // added by the branch's commit 150
    const only = (at: number, path: string, text: string) => (i: number): Record<string, string> => (i === at ? { [path]: text } : {});
    const main = commitsOn(5, only(2, "config/crisp.env", envText(kp1)));
    const branch = commitsOn(300, only(150, "deploy/crisp.env", envText(kp2)), "import");
    const { bare, shas } = buildBare([...main, ...branch]);
    const mainHead = shas[4]!;
    const branchShas = shas.slice(5);
    host = await startFakeGitHost(INSTALLATION_TOKEN);
    host.serveBare("octo-org", "shop", bare);
    gh.noConfig().acceptWrites();
    gh.on("GET", new RegExp(`^${BASE}/git/ref/heads/main$`), () => [200, { ref: "refs/heads/main", object: { sha: mainHead, type: "commit" } }]);
    crispAccepts(kp2.identifier);

    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    const head = branchShas.at(-1)!;
    await harness.receive("delivery-branch", {
      ...fixture("push.fast-forward.json"),
      ref: "refs/heads/import",
      created: true,
      before: NULL_SHA,
      after: head,
      commits: branchShas.map((id) => ({ id })),
      head_commit: { id: head },
    });
    await harness.guard.idle();

    expect(gh.calls().sort()).toEqual(
      [
        "GET /repos/octo-org/.github/contents/.github/crisp-guard.yml",
        `GET ${BASE}/contents/.github/crisp-guard.yml`,
        `GET ${BASE}/git/ref/heads/main`,
        `POST ${BASE}/commits/${branchShas[149]}/comments`,
        `POST ${BASE}/check-runs`,
      ].sort(),
    );
    expect(await store.occurrencesOf(fingerprint(kp1.identifier, kp1.key))).toEqual([]);
    const o2 = await store.occurrencesOf(fingerprint(kp2.identifier, kp2.key));
    expect(o2.map((o) => [o.commit, o.path])).toEqual([[branchShas[149], "deploy/crisp.env"]]);
    const line = harness.logs.find((l) => l.includes('"msg":"push scanned"'))!;
    expect(JSON.parse(line)).toMatchObject({ route: "git", commits: 300, findings: 1 });
    expect((await store.scannedCommits("octo-org/shop", shas, VERSION)).size).toBe(300);
  });

  it("when the range cannot be fetched (refused), one log line says so and the push is scanned through the REST API", async () => {
    const kp = randomKeypair();
    host = await startFakeGitHost("ghs_another_token");
    const ids = Array.from({ length: 300 }, (_, i) => (i + 1).toString(16).padStart(40, "0"));
    const before = "f".repeat(40);
    const after = ids.at(-1)!;
    const blob = "c".repeat(40);
    gh.noConfig().acceptWrites().compare(before, after, ids);
    for (const sha of ids) {
      if (sha === ids[150]) gh.commit(sha, [{ filename: "config/crisp.env", sha: blob }]);
      else gh.commit(sha, [{ filename: "README.md", status: "modified", patch: "@@ -1 +1,2 @@\n # Shop\n+More." }]);
    }
    gh.on("GET", new RegExp(`^${BASE}/git/blobs/${blob}$`), () => [200, envText(kp)]);

    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await harness.receive("delivery-fallback", { ...fixture("push.fast-forward.json"), before, after, commits: ids.map((id) => ({ id })) });
    await harness.guard.idle();

    const fallback = harness.logs.filter((l) => l.includes("REST API instead"));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toContain("octo-org/shop");
    const line = harness.logs.find((l) => l.includes('"msg":"push scanned"'))!;
    expect(JSON.parse(line)).toMatchObject({ route: "rest", commits: 300, findings: 1 });
    expect(gh.calls().filter((c) => /\/commits\/[0-9a-f]{40}\?/.test(c))).toHaveLength(300);
    const occurrences = await store.occurrencesOf(fingerprint(kp.identifier, kp.key));
    expect(occurrences.map((o) => [o.commit, o.path])).toEqual([[ids[150], "config/crisp.env"]]);
    const logs = harness.logs.join("\n");
    expect(logs).not.toContain(INSTALLATION_TOKEN);
    expect(logs).not.toContain(TOKEN_BASIC);
    expect(holdsRaw(logs, kp)).toBe(false);
  });
});
