// Fetching a repository at one commit with an installation token, against a git host on 127.0.0.1
// (git http-backend) that refuses requests without the token's header.
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fingerprint } from "../../../src/detect/fingerprint.js";
import { pairAcrossFiles } from "../../../src/detect/index.js";
import { runGit } from "../../../src/sources/git/process.js";
import { CloneError, cloneUrl, fetchCommit, fetchCommits, fetchHistory, FETCHED_REF_PREFIX, withFetchedCommit } from "../../../src/sources/git/github-clone.js";
import { inProcessScanner } from "../../../src/sources/push-file.js";
import { parseLsTree, treeLoneHalves } from "../../../src/sources/git/tree-halves.js";
import { detect, mayContainHalf } from "../../../src/detect/index.js";
import { startFakeGitHost, tokenHeader, type FakeGitHost } from "../../helpers/fake-git-http.js";
import { randomKeypair } from "../../helpers/keypairs.js";
import { tempDir } from "../../helpers/temp.js";

// Every process the module starts, as spawned: the token must be in none of their arguments.
const spawned = vi.hoisted(() => [] as Array<{ command: string; args: string[]; env: Record<string, string> }>);
vi.mock("node:child_process", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:child_process")>();
  return {
    ...real,
    spawn: ((command: string, args: string[], options: { env?: Record<string, string> }) => {
      spawned.push({ command, args: [...args], env: { ...(options?.env ?? {}) } });
      return (real.spawn as (...a: unknown[]) => unknown)(command, args, options);
    }) as typeof real.spawn,
  };
});

const TOKEN = `ghs_${"T".repeat(12)}${Date.now()}`;
const kp = randomKeypair();
let host: FakeGitHost;
let shas: string[];

beforeAll(async () => {
  host = await startFakeGitHost(TOKEN);
  shas = host.repository("octo-org", "shop", [
    { "config.yaml": `crisp:\n  id: ${kp.identifier}\n`, "README.md": "# shop\n" },
    { ".env": `PORT=3000\nCRISP_KEY=${kp.key}\n`, "big.bin": "x".repeat(4096) },
  ]);
});
afterAll(async () => {
  await host.close();
});

const REPO = { owner: "octo-org", repo: "shop" };
const rawToken = (text: string) => text.includes(TOKEN) || text.includes(tokenHeader(TOKEN).slice("Basic ".length));

describe("fetchCommit", () => {
  it("fetches the commit's tree with the token in git's environment only, and cleanup removes it", async () => {
    const root = tempDir("clone-ok-");
    spawned.length = 0;
    const fetched = await fetchCommit(REPO, shas[1]!, { baseUrl: host.url, token: TOKEN, tempRoot: root, maxBlobBytes: 1024 });
    const entries = parseLsTree(await runGit(fetched.gitDir, ["ls-tree", "-r", "-z", shas[1]!]));
    expect(entries.map((e) => e.path).sort()).toEqual([".env", "README.md", "big.bin", "config.yaml"]);
    // Over maxBlobBytes: left out of the fetch, and named as missing.
    expect(fetched.missing).toEqual(new Set([entries.find((e) => e.path === "big.bin")!.oid]));

    const fetch = spawned.find((s) => s.args.includes("fetch"));
    expect(fetch).toBeDefined();
    expect(fetch!.args).toContain(shas[1]);
    expect(fetch!.env.GIT_CONFIG_KEY_0).toBe("http.extraHeader");
    expect(fetch!.env.GIT_CONFIG_VALUE_0).toBe(`Authorization: ${tokenHeader(TOKEN)}`);
    for (const s of spawned) expect(rawToken(s.args.join(" "))).toBe(false);
    // Nothing about the token reached the URL or the repository's config.
    expect(host.requests.length).toBeGreaterThan(0);
    for (const r of host.requests) expect(rawToken(r.url)).toBe(false);
    expect(rawToken(await runGit(fetched.gitDir, ["config", "--list"]))).toBe(false);

    expect(readdirSync(root)).toHaveLength(1);
    await fetched.cleanup();
    expect(readdirSync(root)).toEqual([]);
  });

  it("without the right token the host refuses: a CloneError without the token, nothing left behind", async () => {
    const root = tempDir("clone-refused-");
    const before = host.requests.length;
    const wrong = `${TOKEN}-wrong`;
    const error = await fetchCommit(REPO, shas[1]!, { baseUrl: host.url, token: wrong, tempRoot: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloneError);
    const text = `${(error as Error).message} ${(error as Error).stack ?? ""}`;
    expect(text).toContain("cannot fetch octo-org/shop");
    expect(text.includes(wrong) || text.includes(tokenHeader(wrong).slice(6))).toBe(false);
    expect(host.requests.slice(before).every((r) => r.authorization === tokenHeader(wrong))).toBe(true);
    expect(readdirSync(root)).toEqual([]);
  });

  it("stops at the disk budget and removes what it fetched", async () => {
    const root = tempDir("clone-budget-");
    const error = await fetchCommit(REPO, shas[1]!, { baseUrl: host.url, token: TOKEN, tempRoot: root, maxBytes: 1 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/budget/);
    expect(readdirSync(root)).toEqual([]);
  });

  it("stops at the time budget", async () => {
    const root = tempDir("clone-timeout-");
    const error = await fetchCommit(REPO, shas[1]!, { baseUrl: host.url, token: TOKEN, tempRoot: root, timeoutMs: 1 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/longer than 1 ms/);
    expect(readdirSync(root)).toEqual([]);
  });

  it("withFetchedCommit removes the repository when the work on it throws", async () => {
    const root = tempDir("clone-throws-");
    await expect(
      withFetchedCommit(REPO, shas[0]!, { baseUrl: host.url, token: TOKEN, tempRoot: root }, async () => {
        expect(readdirSync(root)).toHaveLength(1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(readdirSync(root)).toEqual([]);
  });

  it("refuses a commit that is not a full id, before starting git", async () => {
    spawned.length = 0;
    await expect(fetchCommit(REPO, "main", { baseUrl: host.url, token: TOKEN })).rejects.toThrow(/not a full commit id/);
    expect(spawned).toEqual([]);
  });
});

describe("fetchHistory and fetchCommits", () => {
  it("fetchHistory brings every branch with its whole history and every blob, the token in git's environment only", async () => {
    spawned.length = 0;
    const root = tempDir("crisp-guard-history-root-");
    const fetched = await fetchHistory(REPO, { baseUrl: host.url, token: TOKEN, tempRoot: root });
    expect(fetched.empty).toBe(false);
    expect(fetched.bytes).toBeGreaterThan(0);
    expect((await runGit(fetched.gitDir, ["rev-list", "--all"])).trim().split("\n").sort()).toEqual([...shas].sort());
    // Nothing was left out: the 4 KB blob is there, and no object is missing.
    expect(await runGit(fetched.gitDir, ["rev-list", "--objects", "--missing=print", "--all"])).not.toMatch(/^\?/m);
    const fetches = spawned.filter((s) => s.args.includes("fetch"));
    expect(fetches).toHaveLength(1);
    expect(fetches[0]!.args).not.toContain("--depth=1");
    expect(fetches.every((s) => !rawToken(s.args.join(" ")))).toBe(true);
    expect(rawToken(await runGit(fetched.gitDir, ["config", "--list"]))).toBe(false);
    await fetched.cleanup();
    expect(readdirSync(root)).toEqual([]);
  });

  it("an empty repository is fetched as empty, not as an error", async () => {
    host.repository("octo-org", "empty", []);
    const fetched = await fetchHistory({ owner: "octo-org", repo: "empty" }, { baseUrl: host.url, token: TOKEN });
    expect(fetched.empty).toBe(true);
    await fetched.cleanup();
  });

  it("a refused history fetch is a CloneError naming the repository, without the token", async () => {
    const wrong = `${TOKEN}-wrong`;
    const error = await fetchHistory(REPO, { baseUrl: host.url, token: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloneError);
    expect((error as Error).message).toMatch(/cannot fetch the history of octo-org\/shop/);
    expect((error as Error).message).not.toContain(wrong);
  });

  it("fetchCommits keeps each asked commit under its own ref, with its history", async () => {
    const fetched = await fetchCommits(REPO, [shas[1]!], { baseUrl: host.url, token: TOKEN });
    expect((await runGit(fetched.gitDir, ["rev-parse", `${FETCHED_REF_PREFIX}${shas[1]!}`])).trim()).toBe(shas[1]);
    expect((await runGit(fetched.gitDir, ["rev-list", "--count", shas[1]!])).trim()).toBe(String(shas.length));
    await fetched.cleanup();
    await expect(fetchCommits(REPO, ["main"], { baseUrl: host.url, token: TOKEN })).rejects.toThrow(/not a full commit id/);
  });
});

describe("cloneUrl", () => {
  it("is https, or http on a loopback host only, without credentials", () => {
    expect(cloneUrl("https://github.com", REPO)).toBe("https://github.com/octo-org/shop.git");
    expect(cloneUrl("https://ghe.example.com/", REPO)).toBe("https://ghe.example.com/octo-org/shop.git");
    expect(cloneUrl("http://127.0.0.1:8080", REPO)).toBe("http://127.0.0.1:8080/octo-org/shop.git");
    expect(() => cloneUrl("http://ghe.example.com", REPO)).toThrow(/https/);
    expect(() => cloneUrl("file:///srv/git", REPO)).toThrow(/https/);
    expect(() => cloneUrl("https://user:pw@github.com", REPO)).toThrow(/credentials/);
    expect(() => cloneUrl("https://github.com", { owner: "octo-org", repo: "../x" })).toThrow(/name/);
  });
});

describe("treeLoneHalves", () => {
  it("reads the lone halves of every file of the fetched tree, which pair across files", async () => {
    const result = await withFetchedCommit(REPO, shas[1]!, { baseUrl: host.url, token: TOKEN, maxBlobBytes: 1024 }, (fetched) =>
      treeLoneHalves(fetched.gitDir, fetched.commit, { scanFile: inProcessScanner(detect, mayContainHalf), missing: fetched.missing }),
    );
    expect(result.lone.map((l) => [l.kind, l.occurrence.path, l.occurrence.line])).toEqual([
      ["key", ".env", 2],
      ["identifier", "config.yaml", 2],
    ]);
    expect(result.notScanned).toBe(1); // big.bin, left out of the fetch
    const pairs = pairAcrossFiles(result.lone);
    expect(new Set(pairs.map((c) => c.fingerprint))).toEqual(new Set([fingerprint(kp.identifier, kp.key)]));
  });

  it("skips paths-ignore", async () => {
    const result = await withFetchedCommit(REPO, shas[1]!, { baseUrl: host.url, token: TOKEN }, (fetched) =>
      treeLoneHalves(fetched.gitDir, fetched.commit, {
        scanFile: inProcessScanner(detect, mayContainHalf),
        pathsIgnore: (p) => p === ".env",
      }),
    );
    expect(result.lone.map((l) => l.occurrence.path)).toEqual(["config.yaml"]);
  });
});
