import { readFileSync } from "node:fs";
import nock from "nock";
import type { GitHubClient } from "../../src/github/client.js";
import { testGitHubClient } from "../helpers/github-client.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import { pickPushPayload } from "../../src/store/push-payload.js";
import {
  COMMIT_MAX_FILES, type PushInfo, type PushScanOptions, diffPosition, scanPush,
} from "../../src/sources/push.js";
import { holdsRaw, randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";
import { TestOctokit } from "../helpers/probot.js";
import { fakes } from "./push-fakes.js";

const API = "https://api.github.com";
const REPO = { owner: "octo-org", repo: "shop" };
const BASE = `/repos/${REPO.owner}/${REPO.repo}`;
const AUTHOR = { name: "Mona Lisa", email: "mona@example.com", date: "2025-01-10T09:00:00Z" };

function fixture(name: string): Omit<PushInfo, "commits"> & { commits: string[] } {
  const payload = JSON.parse(readFileSync(new URL(`../fixtures/push.${name}.json`, import.meta.url), "utf8")) as unknown;
  return pickPushPayload(payload); // the store's reduced payload is what the job hands the scan
}

let calls: string[];
beforeEach(() => {
  calls = [];
});
afterEach(() => {
  nock.cleanAll();
});

function client(): GitHubClient {
  return testGitHubClient();
}

/** One GET answered once; the request line is recorded, so tests can assert the exact calls. */
function serve(path: string, query: Record<string, string | number>, status: number, body: unknown, headers: Record<string, string> = {}) {
  nock(API)
    .get(path)
    .query(query)
    .reply(function (uri) {
      calls.push(`GET ${decodeURIComponent(uri)}`);
      return [status, body as nock.Body, headers];
    });
}

function serveCompare(base: string, head: string, shas: string[], perPage = 100) {
  const pages = Math.max(1, Math.ceil(shas.length / perPage));
  for (let page = 1; page <= pages; page++) {
    const slice = shas.slice((page - 1) * perPage, page * perPage);
    serve(`${BASE}/compare/${base}...${head}`, { per_page: perPage, page }, 200, {
      url: `${API}${BASE}/compare/${base}...${head}`,
      status: "ahead",
      ahead_by: shas.length,
      behind_by: 0,
      total_commits: shas.length,
      merge_base_commit: { sha: "m".repeat(40) },
      commits: slice.map((sha) => ({ sha, commit: { author: AUTHOR, message: "…" } })),
      // GitHub repeats the comparison's files on every page.
      files: [{ filename: "README.md", status: "modified", sha: "f".repeat(40), patch: "@@ -1 +1 @@\n-a\n+b" }],
    });
  }
}

interface FileSpec {
  filename: string;
  status?: string;
  sha?: string;
  patch?: string;
  changes?: number;
}

function commitBody(sha: string, files: FileSpec[]) {
  return {
    sha,
    commit: { author: AUTHOR, committer: AUTHOR, message: "…" },
    author: { login: "mona" },
    files: files.map((f) => ({ status: "modified", sha: blobSha(f.filename), changes: 1, ...f })),
  };
}

function serveCommit(sha: string, files: FileSpec[], page = 1, next = false) {
  const link: Record<string, string> = next
    ? { link: `<${API}${BASE}/commits/${sha}?per_page=100&page=${page + 1}>; rel="next", <${API}${BASE}/commits/${sha}?per_page=100&page=30>; rel="last"` }
    : {};
  serve(`${BASE}/commits/${sha}`, { per_page: 100, page }, 200, commitBody(sha, files), link);
}

function serveBlob(sha: string, content: string | Buffer, size?: number) {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  // GitHub wraps base64 at 60 characters.
  const b64 = bytes.toString("base64").replace(/(.{60})/g, "$1\n");
  serve(`${BASE}/git/blobs/${sha}`, {}, 200, { sha, size: size ?? bytes.length, encoding: "base64", content: b64 });
}

function blobSha(path: string): string {
  return Buffer.from(path).toString("hex").padEnd(40, "0").slice(0, 40);
}

const scan = (push: PushInfo, options: PushScanOptions = {}, gh: GitHubClient = client()) =>
  scanPush(gh, REPO, push, { ...fakes, concurrency: 1, ...options });

function envPatch(kp: { identifier: string; key: string }, websiteId: string) {
  return [
    "@@ -0,0 +1,4 @@",
    "+# Crisp chat",
    `+CRISP_WEBSITE_ID=${websiteId}`,
    `+CRISP_IDENTIFIER=${kp.identifier}`,
    `+CRISP_KEY=${kp.key}`,
  ].join("\n");
}

describe("scanPush: merge commits", () => {
  it("a merge does not re-introduce what its branch's commits in the push added; a conflict-only secret stays the merge's", async () => {
    const push = fixture("fast-forward");
    const [branch, merge] = ["1".repeat(40), "2".repeat(40)];
    const carried = randomKeypair();
    const resolved = randomKeypair();
    const site = randomWebsiteId();
    serveCompare(push.before, push.after, [branch, merge]);
    serveCommit(branch, [{ filename: ".env", status: "added", patch: envPatch(carried, site), changes: 4 }]);
    // GitHub diffs a merge against its first parent: the branch's .env shows as added again.
    serve(`${BASE}/commits/${merge}`, { per_page: 100, page: 1 }, 200, {
      ...commitBody(merge, [
        { filename: ".env", status: "added", patch: envPatch(carried, site), changes: 4 },
        { filename: "config/.env", status: "added", patch: envPatch(resolved, site), changes: 4 },
      ]),
      parents: [{ sha: push.before }, { sha: branch }],
    });

    const result = await scan(push);
    const where = result.candidates.map((c) => `${c.occurrence.commit}:${c.occurrence.path}:${c.fingerprint === new Keypair(carried.identifier, carried.key).fingerprint ? "carried" : "resolved"}`);
    expect(where.sort()).toEqual([`${branch}:.env:carried`, `${merge}:config/.env:resolved`].sort());
  });
});

describe("scanPush: listing the pushed commits", () => {
  it("fast-forward: compares before...after, gets each commit, scans the added lines", async () => {
    const push = fixture("fast-forward");
    const [c1, c2] = push.commits as [string, string];
    const kp = randomKeypair();
    const site = randomWebsiteId();
    serveCompare(push.before, push.after, [c1, c2]);
    serveCommit(c1, [{ filename: ".env", status: "added", patch: envPatch(kp, site), changes: 4 }]);
    serveCommit(c2, [{ filename: "src/crisp.ts", patch: "@@ -1,1 +1,2 @@\n import x\n+Crisp.configure()" }]);

    const result = await scan(push);

    expect(calls).toEqual([
      `GET ${BASE}/compare/${push.before}...${push.after}?per_page=100&page=1`,
      `GET ${BASE}/commits/${c1}?per_page=100&page=1`,
      `GET ${BASE}/commits/${c2}?per_page=100&page=1`,
    ]);
    expect(result.range).toEqual({ source: "compare", base: push.before, head: push.after });
    expect(result.candidates).toHaveLength(1);
    const [found] = result.candidates;
    expect(found!.occurrence).toEqual({
      path: ".env", line: 3, column: 18, encoding: "plain", commit: c1, author: "Mona Lisa", date: AUTHOR.date,
    });
    expect(found!.position).toBe(3);
    expect(found!.websiteId).toBe(site);
    expect(diffPosition(result, c1, ".env", 3)).toBe(3);
    expect(result.commits.map((c) => [c.sha, c.files.size])).toEqual([[c1, 1], [c2, 0]]);
    expect(result.websiteIds).toEqual([site]);
    expect(result.stats).toMatchObject({ commits: 2, filesScanned: 2, skippedLarge: 0, skippedBinary: 0 });
    expect(result.stats.bytesScanned).toBeGreaterThan(0);
    expect(result.incomplete).toEqual([]);
    expect(holdsRaw(JSON.stringify(result.candidates), kp)).toBe(false);
  });

  it("created branch: compares the default branch with the new head", async () => {
    const push = fixture("created-branch");
    const [c1] = push.commits as [string];
    serveCompare("main", push.after, [c1]);
    serveCommit(c1, [{ filename: "plugin/.env", status: "added", patch: "@@ -0,0 +1 @@\n+CRISP_TIER=plugin" }]);
    const result = await scan(push);
    expect(calls).toEqual([
      `GET ${BASE}/compare/main...${push.after}?per_page=100&page=1`,
      `GET ${BASE}/commits/${c1}?per_page=100&page=1`,
    ]);
    expect(result.range).toMatchObject({ source: "compare", base: "main" });
  });

  it("created branch: falls back to the payload's commits when compare cannot answer", async () => {
    const push = fixture("created-branch");
    const [c1] = push.commits as [string];
    serve(`${BASE}/compare/main...${push.after}`, { per_page: 100, page: 1 }, 404, { message: "No common ancestor between main and feature." });
    serveCommit(c1, []);
    const result = await scan(push);
    expect(calls).toEqual([
      `GET ${BASE}/compare/main...${push.after}?per_page=100&page=1`,
      `GET ${BASE}/commits/${c1}?per_page=100&page=1`,
    ]);
    expect(result.range).toMatchObject({ source: "payload" });
    expect(result.stats.commits).toBe(1);
  });

  it("created default branch (a first push): uses the payload's commits, no compare", async () => {
    const push = { ...fixture("created-branch"), ref: "refs/heads/main" };
    const [c1] = push.commits as [string];
    serveCommit(c1, []);
    const result = await scan(push);
    expect(calls).toEqual([`GET ${BASE}/commits/${c1}?per_page=100&page=1`]);
    expect(result.range).toEqual({ source: "payload", reason: "the default branch itself was created" });
  });

  it("forced: three-dot compare lists only the commits after the merge base", async () => {
    const push = fixture("forced");
    const [c1, c2] = push.commits as [string, string];
    serveCompare(push.before, push.after, [c1, c2]);
    serveCommit(c1, []);
    serveCommit(c2, []);
    const result = await scan(push);
    expect(calls[0]).toBe(`GET ${BASE}/compare/${push.before}...${push.after}?per_page=100&page=1`);
    expect(result.commits.map((c) => c.sha)).toEqual([c1, c2]);
  });

  it("forced: the old head is gone, so the payload's commits are scanned", async () => {
    const push = fixture("forced");
    const [c1, c2] = push.commits as [string, string];
    serve(`${BASE}/compare/${push.before}...${push.after}`, { per_page: 100, page: 1 }, 404, { message: "Not Found" });
    serveCommit(c1, []);
    serveCommit(c2, []);
    const result = await scan(push);
    expect(calls.slice(1)).toEqual([
      `GET ${BASE}/commits/${c1}?per_page=100&page=1`,
      `GET ${BASE}/commits/${c2}?per_page=100&page=1`,
    ]);
    expect(result.range).toMatchObject({ source: "payload", reason: expect.stringContaining("404") });
  });

  it("tag on new commits: compares the default branch with the tagged commit", async () => {
    const push = fixture("tag");
    expect(push.commits).toEqual([]); // GitHub lists no commits for a tag push
    const kp = randomKeypair();
    const tagged = push.after;
    const parent = "1".repeat(40);
    serveCompare("main", tagged, [parent, tagged]);
    serveCommit(parent, []);
    serveCommit(tagged, [{ filename: "release/.env", status: "added", patch: envPatch(kp, randomWebsiteId()) }]);
    const result = await scan(push);
    expect(calls).toEqual([
      `GET ${BASE}/compare/main...${tagged}?per_page=100&page=1`,
      `GET ${BASE}/commits/${parent}?per_page=100&page=1`,
      `GET ${BASE}/commits/${tagged}?per_page=100&page=1`,
    ]);
    expect(result.candidates.map((c) => c.occurrence.commit)).toEqual([tagged]);
  });

  it("tag on commits the default branch already has: nothing to get", async () => {
    const push = fixture("tag");
    serveCompare("main", push.after, []);
    const result = await scan(push);
    expect(calls).toEqual([`GET ${BASE}/compare/main...${push.after}?per_page=100&page=1`]);
    expect(result.stats.commits).toBe(0);
  });

  it("deleted ref: no request at all", async () => {
    const result = await scan(fixture("deleted"));
    expect(calls).toEqual([]);
    expect(result.skipped).toBe("deleted-ref");
    expect(result.candidates).toEqual([]);
  });

  it("300 commits: pages compare past the 250 it lists unpaged, and scans the last ones too", async () => {
    const push = fixture("300-commits");
    expect(push.commits).toHaveLength(300);
    const kp = randomKeypair();
    serveCompare(push.before, push.after, push.commits);
    push.commits.forEach((sha, i) => {
      const files: FileSpec[] = i === 274 ? [{ filename: "steps/.env", status: "added", patch: envPatch(kp, randomWebsiteId()) }] : [];
      serveCommit(sha, files);
    });
    const result = await scan(push);
    expect(calls.slice(0, 3)).toEqual([1, 2, 3].map((page) => `GET ${BASE}/compare/${push.before}...${push.after}?per_page=100&page=${page}`));
    expect(calls.slice(3)).toEqual(push.commits.map((sha) => `GET ${BASE}/commits/${sha}?per_page=100&page=1`));
    expect(result.stats.commits).toBe(300);
    expect(result.candidates.map((c) => c.occurrence.commit)).toEqual([push.commits[274]]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("keeps commit order with several commits in flight", async () => {
    const push = fixture("300-commits");
    const shas = push.commits.slice(0, 12);
    const kps = shas.map(() => randomKeypair());
    serveCompare(push.before, push.after, shas);
    shas.forEach((sha, i) => serveCommit(sha, [{ filename: `s${i}/.env`, status: "added", patch: envPatch(kps[i]!, randomWebsiteId()) }]));
    const result = await scanPush(client(), REPO, push, { ...fakes, concurrency: 4 });
    expect(result.commits.map((c) => c.sha)).toEqual(shas);
    expect(result.candidates.map((c) => c.occurrence.commit)).toEqual(shas);
  });
});

describe("scanPush: files of a commit", () => {
  it("3000 files: pages the commit's files to GitHub's limit and says the rest was not listed", async () => {
    const push = fixture("3000-files");
    const [sha] = push.commits as [string];
    const kp = randomKeypair();
    for (let page = 1; page <= 30; page++) {
      const files: FileSpec[] = Array.from({ length: 100 }, (_, i) => ({
        filename: `vendor/sdk/${String((page - 1) * 100 + i + 1).padStart(4, "0")}.js`,
        status: "added",
        patch: "@@ -0,0 +1 @@\n+module.exports = 1;",
      }));
      if (page === 30) files[49] = { filename: "config/crisp.env", status: "added", patch: envPatch(kp, randomWebsiteId()) };
      serveCommit(sha, files, page, true); // GitHub still says "next" at 3000
    }
    serveCompare(push.before, push.after, [sha]);
    const result = await scan(push);
    expect(calls.slice(1)).toEqual(Array.from({ length: 30 }, (_, i) => `GET ${BASE}/commits/${sha}?per_page=100&page=${i + 1}`));
    expect(result.stats.filesScanned).toBe(COMMIT_MAX_FILES);
    expect(result.candidates.map((c) => c.occurrence.path)).toEqual(["config/crisp.env"]);
    expect(result.incomplete).toEqual([{ commit: sha, reason: expect.stringContaining("3000 files") }]);
  });

  it("a commit of 250 files: three pages and complete", async () => {
    const push = fixture("3000-files");
    const [sha] = push.commits as [string];
    serveCompare(push.before, push.after, [sha]);
    const page = (n: number, count: number): FileSpec[] =>
      Array.from({ length: count }, (_, i) => ({ filename: `f/${n}-${i}.txt`, patch: "@@ -1 +1 @@\n-a\n+b" }));
    serveCommit(sha, page(1, 100), 1, true);
    serveCommit(sha, page(2, 100), 2, true);
    serveCommit(sha, page(3, 50), 3, false);
    const result = await scan(push);
    expect(calls).toHaveLength(4);
    expect(result.stats.filesScanned).toBe(250);
    expect(result.incomplete).toEqual([]);
  });

  it("missing patch: fetches the blob and scans the whole file", async () => {
    const push = fixture("missing-patch");
    const [sha] = push.commits as [string];
    const kp = randomKeypair();
    const bundle = [
      "!function(){var a=1;}();",
      `window.CRISP_IDENTIFIER=${kp.identifier};`,
      `window.CRISP_KEY=${kp.key};`,
    ].join("\n");
    serveCompare(push.before, push.after, [sha]);
    serveCommit(sha, [{ filename: "dist/app.bundle.js", status: "added", changes: 48210 }]); // no patch
    serveBlob(blobSha("dist/app.bundle.js"), bundle);
    const result = await scan(push);
    expect(calls.at(-1)).toBe(`GET ${BASE}/git/blobs/${blobSha("dist/app.bundle.js")}`);
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]!.occurrence).toMatchObject({ path: "dist/app.bundle.js", line: 2, commit: sha });
    expect(result.candidates[0]!.position).toBeNull();
    expect(diffPosition(result, sha, "dist/app.bundle.js", 2)).toBeNull();
    expect(result.stats.bytesScanned).toBe(Buffer.byteLength(bundle));
  });

  it("missing patch: counts binary and large blobs, skips a pure rename without a request", async () => {
    const push = fixture("missing-patch");
    const [sha] = push.commits as [string];
    serveCompare(push.before, push.after, [sha]);
    serveCommit(sha, [
      { filename: "logo.png", status: "added", changes: 0 },
      { filename: "dump.sql", status: "added", changes: 900000 },
      { filename: "docs/new-name.md", status: "renamed", changes: 0 },
      { filename: "gone.txt", status: "removed", changes: 3 },
    ]);
    serveBlob(blobSha("logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]));
    serveBlob(blobSha("dump.sql"), "x", 30 * 1024 * 1024);
    const result = await scan(push, { maxFileSize: 25 * 1024 * 1024 });
    expect(calls.slice(2)).toEqual([`GET ${BASE}/git/blobs/${blobSha("logo.png")}`, `GET ${BASE}/git/blobs/${blobSha("dump.sql")}`]);
    expect(result.stats).toMatchObject({ filesScanned: 0, skippedBinary: 1, skippedLarge: 1 });
  });

  it("key added under an existing identifier: reads the whole file and reports the key's line", async () => {
    const push = fixture("key-under-identifier");
    const [sha] = push.commits as [string];
    const kp = randomKeypair();
    const site = randomWebsiteId();
    const lines = [
      "# support widget",
      `CRISP_WEBSITE_ID=${site}`,
      `CRISP_IDENTIFIER=${kp.identifier}`,
      "APP_NAME=shop",
      "APP_ENV=production",
      "LOG_LEVEL=info",
      "CACHE_TTL=60",
      `CRISP_KEY=${kp.key}`,
    ];
    // The identifier (line 3) is outside the patch's context: only the whole file can pair it.
    const patch = ["@@ -5,3 +5,4 @@", " APP_ENV=production", " LOG_LEVEL=info", " CACHE_TTL=60", `+CRISP_KEY=${kp.key}`].join("\n");
    serveCompare(push.before, push.after, [sha]);
    serveCommit(sha, [{ filename: "config/.env", patch }]);
    serveBlob(blobSha("config/.env"), lines.join("\n"));
    const result = await scan(push);
    expect(calls).toEqual([
      `GET ${BASE}/compare/${push.before}...${push.after}?per_page=100&page=1`,
      `GET ${BASE}/commits/${sha}?per_page=100&page=1`,
      `GET ${BASE}/git/blobs/${blobSha("config/.env")}`,
    ]);
    expect(result.candidates).toHaveLength(1);
    const [c] = result.candidates;
    expect(c!.fingerprint).toBe(new Keypair(kp.identifier, kp.key).fingerprint);
    expect(c!.occurrence).toMatchObject({ path: "config/.env", line: 3, commit: sha });
    expect(c!.position).toBe(4); // the added key line in the diff
    expect(diffPosition(result, sha, "config/.env", 8)).toBe(4);
    expect(result.websiteIds).toEqual([site]);
  });

  it("the same identifier and key only on unchanged lines: not this commit's leak", async () => {
    const push = fixture("key-under-identifier");
    const [sha] = push.commits as [string];
    const kp = randomKeypair();
    serveCompare(push.before, push.after, [sha]);
    serveCommit(sha, [{ filename: "config/.env", patch: `@@ -1,2 +1,3 @@\n CRISP_IDENTIFIER=${kp.identifier}\n CRISP_KEY=${kp.key}\n+CRISP_TIER=website` }]);
    const result = await scan(push);
    expect(result.candidates).toEqual([]);
    expect(calls).toHaveLength(2); // no half on an added line: no blob read
  });

  it("paths-ignore: an ignored file is neither scanned nor fetched", async () => {
    const push = fixture("missing-patch");
    const [sha] = push.commits as [string];
    serveCompare(push.before, push.after, [sha]);
    serveCommit(sha, [{ filename: "test/fixtures/big.bin", status: "added", changes: 10 }]);
    const result = await scan(push, { pathsIgnore: (p) => p.startsWith("test/fixtures/") });
    expect(calls).toHaveLength(2);
    expect(result.stats).toMatchObject({ filesScanned: 0, skippedIgnored: 1 });
  });

  it("reads one blob once per push, however many commits show it without a patch", async () => {
    const push = fixture("fast-forward");
    const [c1, c2] = push.commits as [string, string];
    serveCompare(push.before, push.after, [c1, c2]);
    serveCommit(c1, [{ filename: "big.txt", status: "added", changes: 9000, sha: "b".repeat(40) }]);
    serveCommit(c2, [{ filename: "copy.txt", status: "added", changes: 9000, sha: "b".repeat(40) }]);
    serveBlob("b".repeat(40), "plain text");
    const result = await scan(push);
    expect(calls.filter((c) => c.includes("/git/blobs/"))).toHaveLength(1);
    expect(result.stats.filesScanned).toBe(2);
  });
});

describe("scanPush: errors", () => {
  it("a commit GitHub no longer has is listed as a gap; the rest is scanned", async () => {
    const push = fixture("fast-forward");
    const [c1, c2] = push.commits as [string, string];
    serveCompare(push.before, push.after, [c1, c2]);
    serve(`${BASE}/commits/${c1}`, { per_page: 100, page: 1 }, 404, { message: "Not Found" });
    serveCommit(c2, []);
    const result = await scan(push);
    expect(result.incomplete).toEqual([{ commit: c1, reason: expect.stringContaining("404") }]);
    expect(result.stats.commits).toBe(2);
  });

  it("a server error fails the scan, so the job can be retried", async () => {
    const push = fixture("fast-forward");
    const [c1, c2] = push.commits as [string, string];
    serveCompare(push.before, push.after, [c1, c2]);
    serve(`${BASE}/commits/${c1}`, { per_page: 100, page: 1 }, 500, { message: "boom" });
    serveCommit(c2, []);
    await expect(scan(push)).rejects.toMatchObject({ status: 500 });
    expect(calls).toHaveLength(2); // nothing started after the failure
  });

  it("a whole file that cannot be read is a gap, and the patch still counts", async () => {
    const push = fixture("key-under-identifier");
    const [sha] = push.commits as [string];
    const kp = randomKeypair();
    serveCompare(push.before, push.after, [sha]);
    serveCommit(sha, [{ filename: "config/.env", patch: `@@ -1,1 +1,2 @@\n # crisp\n+CRISP_KEY=${kp.key}` }]);
    serve(`${BASE}/git/blobs/${blobSha("config/.env")}`, {}, 404, { message: "Not Found" });
    const result = await scan(push);
    expect(result.incomplete).toEqual([{ commit: sha, path: "config/.env", reason: expect.stringContaining("404") }]);
    expect(result.stats.filesScanned).toBe(1);
  });

  it("a payload at GitHub's 2048-commit cap is flagged as possibly incomplete", async () => {
    const push = { ...fixture("created-branch"), ref: "refs/heads/main" };
    const commits = Array.from({ length: 2048 }, (_, i) => i.toString(16).padStart(40, "0"));
    const requested: string[] = [];
    // A real client with its transport replaced: 2048 commit answers without 2048 interceptors.
    const fake = client();
    fake.hook.wrap("request", async (_request, options) => {
      requested.push(`${options.url} ${String(options.ref)}`);
      return { data: { sha: options.ref, files: [] }, headers: {}, status: 200, url: "" };
    });
    const result = await scanPush(fake, REPO, { ...push, commits }, fakes);
    expect(requested).toHaveLength(2048);
    expect(result.incomplete).toEqual([{ reason: expect.stringContaining("2048") }]);
  });

  it("a compare server error is not mistaken for a missing base", async () => {
    const push = fixture("fast-forward");
    serve(`${BASE}/compare/${push.before}...${push.after}`, { per_page: 100, page: 1 }, 502, { message: "bad gateway" });
    await expect(scan(push)).rejects.toMatchObject({ status: 502 });
    expect(calls).toHaveLength(1);
  });
});

describe("scanPush with Probot's Octokit", () => {
  it("works through ProbotOctokit (retries and throttling off)", async () => {
    const push = fixture("fast-forward");
    const [c1, c2] = push.commits as [string, string];
    const kp = randomKeypair();
    serveCompare(push.before, push.after, [c1, c2]);
    serveCommit(c1, [{ filename: ".env", status: "added", patch: envPatch(kp, randomWebsiteId()) }]);
    serveCommit(c2, []);
    const result = await scan(push, {}, new TestOctokit({ auth: "ghs_test" }));
    expect(result.candidates).toHaveLength(1);
    expect(calls).toHaveLength(3);
  });
});

describe("scanPush with the real detector", () => {
  it("pairs a key added under an old identifier in a .env and reports it at the key's diff line", async () => {
    const push = fixture("key-under-identifier");
    const [sha] = push.commits as [string];
    const kp = randomKeypair();
    const lines = [
      "# Crisp",
      `CRISP_IDENTIFIER=${kp.identifier}`,
      "APP_ENV=production",
      "LOG_LEVEL=info",
      "CACHE_TTL=60",
      `CRISP_KEY=${kp.key}`,
    ];
    const patch = ["@@ -3,3 +3,4 @@", " APP_ENV=production", " LOG_LEVEL=info", " CACHE_TTL=60", `+CRISP_KEY=${kp.key}`].join("\n");
    serveCompare(push.before, push.after, [sha]);
    serveCommit(sha, [{ filename: "config/.env", patch }]);
    serveBlob(blobSha("config/.env"), lines.join("\n"));
    const result = await scanPush(client(), REPO, push); // default detector and prefilter
    expect(result.candidates.map((c) => c.fingerprint)).toEqual([new Keypair(kp.identifier, kp.key).fingerprint]);
    expect(result.candidates[0]!.occurrence.commit).toBe(sha);
    expect(result.candidates[0]!.position).toBe(4);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
