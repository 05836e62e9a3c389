// The fake GitHub's git side: repositories backed by real bare repositories (built by one git
// fast-import), served over smart HTTP to an issued installation token only; the REST routes a
// backfill uses (the installation's repositories, size, archived).
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloneError, fetchHistory } from "../../src/sources/git/github-clone.js";
import { runGit } from "../../src/sources/git/process.js";
import { testGitHubClient } from "../helpers/github-client.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { buildBareRepository, generatedHistory } from "../helpers/git-history.js";
import { tempDir } from "../helpers/temp.js";

let github: FakeGitHub;
let built: ReturnType<typeof buildBareRepository>;

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  github = await startFakeGitHub();
  built = buildBareRepository(join(tempDir("fake-gh-git-"), "shop.git"), generatedHistory({ commits: 5000, mergeEvery: 100 }), { v1: 10 });
});
afterAll(async () => {
  await github.close();
});

describe("the fake GitHub's git repositories", () => {
  it("builds 5,000 commits with merges and branches in one fast-import", () => {
    expect(built.shas).toHaveLength(5000);
    expect(Object.keys(built.heads)).toContain("feature-0");
  });

  it("serves a clone to an issued token only; the REST routes accept its commits", async () => {
    const gitDir = join(tempDir("fake-gh-git2-"), "api.git");
    const small = buildBareRepository(gitDir, [{ files: { "a.txt": "1\n" } }, { files: { "b.txt": "2\n" }, branch: "dev" }, { files: {}, merge: ["dev"] }]);
    github.repo("octo-org/api", { gitDir, archived: false });
    const fetched = await fetchHistory({ owner: "octo-org", repo: "api" }, { baseUrl: github.url, token: github.token });
    expect((await runGit(fetched.gitDir, ["rev-list", "--all", "--count"])).trim()).toBe("3");
    expect((await runGit(fetched.gitDir, ["rev-parse", "refs/heads/main"])).trim()).toBe(small.heads.main);
    await fetched.cleanup();
    expect(github.gitRequests.length).toBeGreaterThan(0);
    expect(github.gitRequests.every((r) => r.authorized && r.repository === "octo-org/api")).toBe(true);
    expect(github.requests.some((r) => r.path.includes(".git"))).toBe(false);

    const refused = await fetchHistory({ owner: "octo-org", repo: "api" }, { baseUrl: github.url, token: "ghs_not-issued" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CloneError);
    expect(github.gitRequests.at(-1)).toMatchObject({ authorized: false });

    const octokit = testGitHubClient({ baseUrl: github.apiUrl, token: github.token });
    const { data: repo } = await octokit.rest.repos.get({ owner: "octo-org", repo: "api" });
    expect(repo).toMatchObject({ default_branch: "main", archived: false });
    expect(repo.size).toBeGreaterThan(0);
    const run = await octokit.rest.checks.create({ owner: "octo-org", repo: "api", name: "x", head_sha: small.heads.main!, status: "completed", conclusion: "success" });
    expect(run.status).toBe(201);
  });

  it("lists the installation's repositories page by page; an archived repository refuses writes", async () => {
    for (let i = 0; i < 3; i++) github.repo(`octo-org/r${i}`, { archived: i === 0 });
    const octokit = testGitHubClient({ baseUrl: github.apiUrl, token: github.token });
    const all = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 2 });
    expect(all.map((r) => r.full_name)).toEqual(expect.arrayContaining(["octo-org/api", "octo-org/r0", "octo-org/r1", "octo-org/r2"]));
    expect(github.requestsTo("GET", "/installation/repositories").length).toBeGreaterThan(1);
    const write = await octokit.rest.issues.create({ owner: "octo-org", repo: "r0", title: "t" }).catch((e: { status: number }) => e.status);
    expect(write).toBe(403);
  });
});
