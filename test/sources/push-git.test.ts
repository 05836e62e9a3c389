// The git path of a big push: the range fetched from a git host on 127.0.0.1 (real fetchCommits),
// scanned in-process, handed back in the REST path's shape; and the pure conversion.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { detect, mayContainKeypair } from "../../src/detect/index.js";
import type { GitHubClient } from "../../src/github/client.js";
import { fetchCommits, type FetchedRepository } from "../../src/sources/git/github-clone.js";
import { pushScanFromHistory, scanPushFromGit, type PushGitDeps } from "../../src/sources/push-git.js";
import type { SourceResult } from "../../src/sources/types.js";
import { startFakeGitHost, type FakeGitHost } from "../helpers/fake-git-http.js";
import { makeCandidate } from "../helpers/candidates.js";
import { randomKeypair } from "../helpers/keypairs.js";

const TOKEN = "ghs_push_git_test";
const REPO = { owner: "octo-org", repo: "shop" };
const kp1 = randomKeypair();
const kp2 = randomKeypair();
const env = (kp: { identifier: string; key: string }) => `CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;

let host: FakeGitHost;
let c1: string, c2: string, c3: string;

beforeAll(async () => {
  host = await startFakeGitHost(TOKEN);
  [c1, c2, c3] = host.repository(REPO.owner, REPO.repo, [
    { "config/crisp.env": env(kp1), "README.md": "# Shop\n" },
    { "README.md": "# Shop\nMore.\n" },
    { "deploy/crisp.env": env(kp2), "vendor/crisp.env": env(kp2) },
  ]) as [string, string, string];
});
afterAll(() => host.close());

/** An Octokit that answers only the default branch's ref. */
function octokitWithMain(sha: string) {
  const getRef = vi.fn(async (_: { owner: string; repo: string; ref: string }) => ({ data: { object: { sha } } }));
  return { octokit: { rest: { git: { getRef } } } as unknown as GitHubClient, getRef };
}

function deps(overrides: Partial<PushGitDeps> = {}): PushGitDeps & { fetched: Array<{ commits: string[]; cleaned: boolean }> } {
  const fetched: Array<{ commits: string[]; cleaned: boolean }> = [];
  return {
    fetched,
    repositoryCommits: async (_octokit, repo, commits) => {
      const repository: FetchedRepository = await fetchCommits(repo, commits, { baseUrl: host.url, token: TOKEN });
      const entry = { commits, cleaned: false };
      fetched.push(entry);
      return {
        ...repository,
        cleanup: async () => {
          entry.cleaned = true;
          await repository.cleanup();
        },
      };
    },
    pathsIgnore: () => false,
    detect,
    mayContainKeypair,
    ...overrides,
  };
}

const fps = (candidates: ReadonlyArray<{ fingerprint: string; occurrence: { commit?: string; path: string } }>) =>
  candidates.map((c) => [c.fingerprint === fingerprint(kp1.identifier, kp1.key) ? "kp1" : "kp2", c.occurrence.commit, c.occurrence.path]).sort();

describe("scanPushFromGit", () => {
  it("an ordinary push: what the old head reaches is left out; commits oldest first; no diff positions", async () => {
    const d = deps();
    const { octokit, getRef } = octokitWithMain(c1);
    const scan = await scanPushFromGit(octokit, REPO, { head: c3, exclude: { kind: "commit", sha: c1 } }, d);
    expect(getRef).not.toHaveBeenCalled();
    expect(d.fetched).toEqual([{ commits: [c3, c1], cleaned: true }]);
    expect(scan.range).toEqual({ source: "git", base: c1, head: c3 });
    expect(scan.commits.map((c) => c.sha)).toEqual([c2, c3]);
    expect(scan.stats.commits).toBe(2);
    expect(fps(scan.candidates)).toEqual([
      ["kp2", c3, "deploy/crisp.env"],
      ["kp2", c3, "vendor/crisp.env"],
    ]);
    expect(scan.candidates.every((c) => c.position === null)).toBe(true);
    expect(scan.incomplete).toEqual([]);
    expect(scan.diffPositions.size).toBe(0);
  });

  it("a first push: the whole history, one fetch of the head only", async () => {
    const d = deps();
    const scan = await scanPushFromGit(octokitWithMain(c1).octokit, REPO, { head: c3, exclude: { kind: "none" } }, d);
    expect(d.fetched).toEqual([{ commits: [c3], cleaned: true }]);
    expect(scan.commits.map((c) => c.sha)).toEqual([c1, c2, c3]);
    expect(fps(scan.candidates)).toEqual([
      ["kp1", c1, "config/crisp.env"],
      ["kp2", c3, "deploy/crisp.env"],
      ["kp2", c3, "vendor/crisp.env"],
    ]);
    expect(scan.candidates.every((c) => c.occurrence.author === "Test")).toBe(true);
  });

  it("a created branch: the default branch's head (one request) is left out", async () => {
    const d = deps();
    const { octokit, getRef } = octokitWithMain(c2);
    const scan = await scanPushFromGit(octokit, REPO, { head: c3, exclude: { kind: "branch", name: "main" } }, d);
    expect(getRef).toHaveBeenCalledWith({ owner: "octo-org", repo: "shop", ref: "heads/main" });
    expect(d.fetched[0]!.commits).toEqual([c3, c2]);
    expect(scan.commits.map((c) => c.sha)).toEqual([c3]);
  });

  it("paths-ignore drops the findings at ignored paths; their commit is then not completely scanned", async () => {
    const scan = await scanPushFromGit(octokitWithMain(c1).octokit, REPO, { head: c3, exclude: { kind: "commit", sha: c1 } }, deps({
      pathsIgnore: (path) => path.startsWith("vendor/"),
    }));
    expect(fps(scan.candidates)).toEqual([["kp2", c3, "deploy/crisp.env"]]);
    expect(scan.commits.find((c) => c.sha === c3)!.skippedIgnored).toBe(1);
    expect(scan.commits.find((c) => c.sha === c2)!.skippedIgnored).toBe(0);
    expect(scan.stats.skippedIgnored).toBe(1);
  });

  it("a range that cannot be fetched throws (the worker falls back to REST); a scan failure still removes the clone", async () => {
    const refused = deps({
      repositoryCommits: (_o, repo, commits) => fetchCommits(repo, commits, { baseUrl: host.url, token: "ghs_wrong" }),
    });
    await expect(scanPushFromGit(octokitWithMain(c1).octokit, REPO, { head: c3, exclude: { kind: "none" } }, refused)).rejects.toThrow(
      /cannot fetch/,
    );
    // An old head the host does not have: the fetch fails as a whole.
    const d = deps();
    await expect(
      scanPushFromGit(octokitWithMain(c1).octokit, REPO, { head: c3, exclude: { kind: "commit", sha: "e".repeat(40) } }, d),
    ).rejects.toThrow();
    // The fetch succeeded; reading the range failed (a head the fetch did not bring): removed all the same.
    const broken = deps();
    const inner = broken.repositoryCommits;
    broken.repositoryCommits = (o, repo) => inner(o, repo, [c2]);
    await expect(scanPushFromGit(octokitWithMain(c1).octokit, REPO, { head: c3, exclude: { kind: "none" } }, broken)).rejects.toThrow();
    expect(broken.fetched).toEqual([{ commits: [c2], cleaned: true }]);
  });
});

describe("pushScanFromHistory", () => {
  const result = (extra: Partial<SourceResult> = {}): SourceResult => ({
    candidates: [makeCandidate(kp1, { path: "a/crisp.env", commit: "1".repeat(40), author: "Dev <dev@example.com>", date: "2025-01-01T00:00:00+00:00" })],
    websiteIds: [],
    stats: { blobsScanned: 7, bytesScanned: 100, commits: 2, skippedLarge: 1, skippedBinary: 2 },
    ...extra,
  });
  const shas = ["1".repeat(40), "2".repeat(40)];

  it("complete: every commit listed, authors by name only, the stats carried over", () => {
    const scan = pushScanFromHistory(result(), shas, { base: null, head: shas[1]! }, () => false);
    expect(scan.commits.map((c) => [c.sha, c.skippedIgnored])).toEqual([
      [shas[0], 0],
      [shas[1], 0],
    ]);
    expect(scan.candidates[0]!.occurrence.author).toBe("Dev");
    expect(scan.stats).toEqual({ commits: 2, filesScanned: 7, bytesScanned: 100, skippedLarge: 1, skippedBinary: 2, skippedIgnored: 0 });
    expect(scan.incomplete).toEqual([]);
  });

  it("missing objects and a shallow history are gaps, and then no commit counts as completely scanned", () => {
    const scan = pushScanFromHistory(
      result({ missingObjects: [{ id: "9".repeat(40), path: "big.bin" }, { id: "8".repeat(40) }], shallow: true }),
      shas,
      { base: null, head: shas[1]! },
      () => false,
    );
    expect(scan.incomplete).toHaveLength(3);
    expect(scan.incomplete[1]).toEqual({ path: "big.bin", reason: "object 999999999999 is missing from the fetched history" });
    expect(scan.commits).toEqual([]);
    expect(scan.stats.commits).toBe(2);
    expect(scan.candidates).toHaveLength(1);
  });
});
