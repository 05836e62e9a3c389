// Sanity tests of the fake GitHub itself, with the app's GitHub client pointed at it as the app's code will be.
import { createGitHubClient, type GitHubClient } from "../../src/github/client.js";
import { testGitHubClient } from "../helpers/github-client.js";
import nock from "nock";
import { createProbot } from "probot";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postCommitComments } from "../../src/report/github.js";
import { addedLinePositions } from "../../src/report/github-diff.js";
import { startFakeGitHub, ZERO_SHA, gitBlobSha, type FakeGitHub } from "../helpers/fake-github.js";
import { privateKey } from "../helpers/probot.js";
import { makeFinding } from "./github-fixtures.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

let fake: FakeGitHub;
let octokit: GitHubClient;

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  fake = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  octokit = testGitHubClient({ baseUrl: fake.apiUrl, token: fake.token });
});
afterEach(async () => {
  await fake.close();
});

function seed(): { root: string; second: string; third: string } {
  const repo = fake.repo("acme/web");
  const root = repo.addCommit({ files: { "README.md": "# web\n", "src/app.js": "one\ntwo\nthree\n" }, message: "init" });
  const second = repo.addCommit({ files: { "src/app.js": "one\ntwo\nADDED\nthree\n", "new.txt": "hello\n" } });
  const third = repo.addCommit({ files: { "README.md": null } });
  return { root, second, third };
}

describe("fake GitHub", () => {
  it("hands out an installation token at the GHE path and records the request", async () => {
    const res = await fetch(`${fake.apiUrl}/app/installations/${fake.installationId}/access_tokens`, { method: "POST" });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { token: string }).token).toBe(fake.token);
    expect(fake.requestsTo("POST", `/app/installations/${fake.installationId}/access_tokens`)).toHaveLength(1);
    const wrong = await fetch(`${fake.apiUrl}/app/installations/999/access_tokens`, { method: "POST" });
    expect(wrong.status).toBe(404);
  });

  it("serves the repository with its default branch, and 404 for an unknown one", async () => {
    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "web" });
    expect(data.default_branch).toBe("main");
    expect(data.full_name).toBe("acme/web");
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "nope" })).rejects.toMatchObject({ status: 404 });
  });

  it("gets a commit with its files, statuses and patches whose positions are right", async () => {
    const { root, second, third } = seed();
    const { data } = await octokit.rest.repos.getCommit({ owner: "acme", repo: "web", ref: second });
    expect(data.sha).toBe(second);
    expect(data.parents.map((p) => p.sha)).toEqual([root]);
    expect(data.commit.author?.name).toBe("Dana Developer");
    expect(data.author?.login).toBe("dana");
    const files = Object.fromEntries((data.files ?? []).map((f) => [f.filename, f]));
    expect(files["new.txt"]).toMatchObject({ status: "added", additions: 1, deletions: 0, patch: "@@ -0,0 +1 @@\n+hello", sha: gitBlobSha("hello\n") });
    expect(files["src/app.js"]).toMatchObject({ status: "modified", additions: 1, deletions: 0 });
    expect([...addedLinePositions(files["src/app.js"]!.patch!)]).toEqual([[3, 3]]);

    const removed = await octokit.rest.repos.getCommit({ owner: "acme", repo: "web", ref: third });
    expect(removed.data.files?.[0]).toMatchObject({ filename: "README.md", status: "removed", deletions: 1 });
    await expect(octokit.rest.repos.getCommit({ owner: "acme", repo: "web", ref: "f".repeat(40) })).rejects.toMatchObject({ status: 422 });
  });

  it("leaves out the patch where asked (binary or large diffs) and serves the blob", async () => {
    const repo = fake.repo("acme/web");
    const sha = repo.addCommit({ files: { "big.json": '{"a": 1}\n' }, noPatch: ["big.json"] });
    const { data } = await octokit.rest.repos.getCommit({ owner: "acme", repo: "web", ref: sha });
    expect(data.files?.[0]?.patch).toBeUndefined();
    const blob = await octokit.rest.git.getBlob({ owner: "acme", repo: "web", file_sha: data.files![0]!.sha! });
    expect(blob.data.encoding).toBe("base64");
    expect(Buffer.from(blob.data.content, "base64").toString("utf8")).toBe('{"a": 1}\n');
  });

  it("paginates a commit's files 300 a page, with a Link header", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 650; i += 1) files[`f/${String(i).padStart(4, "0")}.txt`] = `${i}\n`;
    const sha = fake.repo("acme/web").addCommit({ files });
    const first = await octokit.rest.repos.getCommit({ owner: "acme", repo: "web", ref: sha });
    expect(first.data.files).toHaveLength(300);
    expect(first.headers.link).toContain('rel="next"');
    const third = await octokit.rest.repos.getCommit({ owner: "acme", repo: "web", ref: sha, page: 3 });
    expect(third.data.files).toHaveLength(50);
    expect(third.data.files?.[0]?.filename).toBe("f/0600.txt");
  });

  it("compares two commits: commits oldest first, files against the merge base, pagination", async () => {
    const { root, second, third } = seed();
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "web", basehead: `${root}...${third}` });
    expect(data.status).toBe("ahead");
    expect(data.total_commits).toBe(2);
    expect(data.commits.map((c) => c.sha)).toEqual([second, third]);
    expect((data.files ?? []).map((f) => `${f.status} ${f.filename}`).sort()).toEqual([
      "added new.txt",
      "modified src/app.js",
      "removed README.md",
    ]);

    const repo = fake.repo("acme/web");
    for (let i = 0; i < 260; i += 1) repo.addCommit({ files: { "n.txt": `${i}\n` } });
    const head = repo.head();
    const unpaged = await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "web", basehead: `${root}...${head}` });
    expect(unpaged.data.total_commits).toBe(262);
    expect(unpaged.data.commits).toHaveLength(250);
    const page2 = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: "acme",
      repo: "web",
      basehead: `${root}...${head}`,
      per_page: 100,
      page: 2,
    });
    expect(page2.data.commits).toHaveLength(100);
    expect(page2.data.files).toEqual([]);
    expect(page2.headers.link).toContain('rel="next"');
  });

  it("compares a branch with the default branch by name, and 404s on a base it does not know", async () => {
    const { third } = seed();
    const repo = fake.repo("acme/web");
    const onBranch = repo.addCommit({ parent: third, branch: "feature", files: { "feature.txt": "x\n" } });
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "web", basehead: "main...feature" });
    expect(data.commits.map((c) => c.sha)).toEqual([onBranch]);
    await expect(
      octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "web", basehead: `${ZERO_SHA}...${onBranch}` }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("serves contents as JSON or raw at a ref, and the config file 404s until configured", async () => {
    const { root } = seed();
    const json = await octokit.rest.repos.getContent({ owner: "acme", repo: "web", path: "README.md", ref: root });
    expect(Buffer.from((json.data as { content: string }).content, "base64").toString()).toBe("# web\n");
    const raw = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "web",
      path: "src/app.js",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe("one\ntwo\nADDED\nthree\n");
    // Deleted at the head of main.
    await expect(octokit.rest.repos.getContent({ owner: "acme", repo: "web", path: "README.md" })).rejects.toMatchObject({ status: 404 });

    const configPath = { owner: "acme", repo: "web", path: ".github/crisp-guard.yml" };
    await expect(octokit.rest.repos.getContent(configPath)).rejects.toMatchObject({ status: 404 });
    fake.repo("acme/web", { config: "verify: false\n" });
    const config = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...configPath, mediaType: { format: "raw" } });
    expect(config.data).toBe("verify: false\n");
    expect(config.headers["content-type"]).not.toBe("application/json; charset=utf-8");
    // Octokit encodes the slash; the fake records the decoded path.
    expect(fake.requestsTo("GET", "/repos/acme/web/contents/.github/crisp-guard.yml")).toHaveLength(2);
  });

  it("creates, lists and edits commit comments, refusing a position outside the diff", async () => {
    const { second } = seed();
    const created = await octokit.rest.repos.createCommitComment({
      owner: "acme",
      repo: "web",
      commit_sha: second,
      body: "hi",
      path: "src/app.js",
      position: 3,
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ body: "hi", path: "src/app.js", position: 3, line: 3, commit_id: second });
    await expect(
      octokit.rest.repos.createCommitComment({ owner: "acme", repo: "web", commit_sha: second, body: "x", path: "src/app.js", position: 40 }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.rest.repos.updateCommitComment({ owner: "acme", repo: "web", comment_id: created.data.id, body: "edited" });
    const list = await octokit.rest.repos.listCommentsForCommit({ owner: "acme", repo: "web", commit_sha: second });
    expect(list.data.map((c) => c.body)).toEqual(["edited"]);
  });

  it("creates and updates check runs, appending annotations and refusing more than 50 in one request", async () => {
    const { third } = seed();
    const annotation = (i: number) => ({ path: "a", start_line: i, end_line: i, annotation_level: "warning" as const, message: "m" });
    const run = await octokit.rest.checks.create({
      owner: "acme",
      repo: "web",
      name: "Crisp Guard",
      head_sha: third,
      status: "completed",
      conclusion: "neutral",
      output: { title: "t", summary: "s", annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)) },
    });
    await octokit.rest.checks.update({
      owner: "acme",
      repo: "web",
      check_run_id: run.data.id,
      conclusion: "failure",
      output: { title: "t2", summary: "s2", annotations: [annotation(99)] },
    });
    const stored = fake.repo("acme/web").checkRuns[0]!;
    expect(stored).toMatchObject({ conclusion: "failure", output: { title: "t2", summary: "s2" }, annotationRequests: 2 });
    expect(stored.annotations).toHaveLength(51);
    await expect(
      octokit.rest.checks.update({
        owner: "acme",
        repo: "web",
        check_run_id: run.data.id,
        output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)) },
      }),
    ).rejects.toMatchObject({ status: 422 });
    const listed = await octokit.rest.checks.listForRef({ owner: "acme", repo: "web", ref: third });
    expect(listed.data.check_runs.map((c) => c.name)).toEqual(["Crisp Guard"]);
  });

  it("creates, finds, comments on and closes issues", async () => {
    fake.repo("acme/web", { assignable: ["dana"] });
    const issue = await octokit.rest.issues.create({
      owner: "acme",
      repo: "web",
      title: "Leaked Crisp token 1234abcd…",
      body: "marker <!-- crisp-guard:fingerprint=ab -->",
      labels: ["security"],
      assignees: ["dana"],
    });
    expect(issue.data).toMatchObject({ number: 1, state: "open", assignees: [{ login: "dana" }], labels: [{ name: "security" }] });
    await expect(
      octokit.rest.issues.create({ owner: "acme", repo: "web", title: "x", assignees: ["mallory"] }),
    ).rejects.toMatchObject({ status: 422 });

    const found = await octokit.rest.search.issuesAndPullRequests({ q: '"crisp-guard:fingerprint=ab" repo:acme/web is:open' });
    expect(found.data.items.map((i) => i.number)).toEqual([1]);
    const open = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "web", labels: "security" });
    expect(open.data).toHaveLength(1);

    await octokit.rest.issues.createComment({ owner: "acme", repo: "web", issue_number: 1, body: "still live" });
    await octokit.rest.issues.update({ owner: "acme", repo: "web", issue_number: 1, state: "closed", state_reason: "completed" });
    const closed = await octokit.rest.issues.get({ owner: "acme", repo: "web", issue_number: 1 });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "completed", comments: 1 });
    const none = await octokit.rest.search.issuesAndPullRequests({ q: "crisp-guard:fingerprint=ab repo:acme/web is:open" });
    expect(none.data.total_count).toBe(0);
  });

  it("fails on demand, and refuses unauthenticated calls when asked to", async () => {
    seed();
    fake.failNext({ method: "GET", path: "/repos/acme/web", status: 502 });
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "web" })).rejects.toMatchObject({ status: 502 });
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "web" })).resolves.toMatchObject({ status: 200 });

    const strict = await startFakeGitHub({ requireAuth: true, repos: [{ owner: "acme", repo: "web" }] });
    try {
      const anonymous = createGitHubClient({ baseUrl: strict.apiUrl, retry: false, log: silent });
      await expect(anonymous.rest.repos.get({ owner: "acme", repo: "web" })).rejects.toMatchObject({ status: 401 });
      const authed = testGitHubClient({ baseUrl: strict.apiUrl, token: strict.token });
      await expect(authed.rest.repos.get({ owner: "acme", repo: "web" })).resolves.toMatchObject({ status: 200 });
      expect(strict.requests[1]?.headers.authorization).toBe(`token ${strict.token}`);
    } finally {
      await strict.close();
    }
  });

  it("builds a push payload from the model", () => {
    const { root, second, third } = seed();
    const payload = fake.repo("acme/web").pushPayload({ before: root, after: third }) as {
      commits: Array<{ id: string; added: string[]; removed: string[]; modified: string[] }>;
      created: boolean;
      installation: { id: number };
      repository: { default_branch: string };
    };
    expect(payload.commits.map((c) => c.id)).toEqual([second, third]);
    expect(payload.commits[0]).toMatchObject({ added: ["new.txt"], modified: ["src/app.js"], removed: [] });
    expect(payload.commits[1]).toMatchObject({ removed: ["README.md"] });
    expect(payload.created).toBe(false);
    expect(payload.installation.id).toBe(fake.installationId);
    expect(payload.repository.default_branch).toBe("main");
  });
});

describe("fake GitHub behind Probot (GHE_HOST)", () => {
  it("lets a Probot app authenticate, read config with the organization fallback, compare and comment", async () => {
    const probot = createProbot({
      env: {
        APP_ID: "1",
        PRIVATE_KEY: privateKey(),
        WEBHOOK_SECRET: "secret",
        GHE_HOST: fake.host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "fatal",
      },
    });
    const repo = fake.repo("acme/web");
    const before = repo.addCommit({ files: { "a.txt": "a\n" } });
    const after = repo.addCommit({ files: { "b.txt": "b\n" } });
    fake.repo("acme/.github", { config: "verify: false\n" });

    const seen: { config?: unknown; commits?: string[]; posted?: number } = {};
    await probot.load((app) => {
      app.on("push", async (context) => {
        seen.config = await context.config("crisp-guard.yml");
        const { owner, repo: name } = context.repo();
        const cmp = await context.octokit.rest.repos.compareCommitsWithBasehead({
          owner,
          repo: name,
          basehead: `${context.payload.before}...${context.payload.after}`,
        });
        seen.commits = cmp.data.commits.map((c) => c.sha);
        const { finding } = makeFinding({ occurrences: [{ path: "b.txt", line: 1, commit: after }] });
        const result = await postCommitComments(context.octokit, { owner, repo: name }, [finding], new Map());
        seen.posted = result.posted.length;
      });
    });
    await probot.receive({ id: "delivery-1", name: "push", payload: repo.pushPayload({ before, after }) as never });

    expect(seen).toEqual({ config: { verify: false }, commits: [after], posted: 1 });
    expect(fake.requestsTo("POST", `/app/installations/${fake.installationId}/access_tokens`)).toHaveLength(1);
    // The repository has no config: Probot falls back to the organization's .github repository.
    expect(fake.requestsTo("GET", "/repos/acme/web/contents/.github/crisp-guard.yml")).toHaveLength(1);
    expect(fake.requestsTo("GET", "/repos/acme/.github/contents/.github/crisp-guard.yml")).toHaveLength(1);
    const comment = fake.requestsTo("POST", `/repos/acme/web/commits/${after}/comments`)[0]!;
    expect(comment.headers.authorization).toBe(`token ${fake.token}`);
  });
});
