// The GitHub reporter's calls, against the fake GitHub with the app's GitHub client.
import { testGitHubClient } from "../helpers/github-client.js";
import type { GitHubClient } from "../../src/github/client.js";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding } from "../../src/detect/types.js";
import {
  ANNOTATIONS_PER_REQUEST,
  annotationBatches,
  commentTargets,
  createCheckRun,
  postCommitComments,
  startCheckRun,
  updateCheckRun,
  updateCommitComment,
} from "../../src/report/github.js";
import { addCommitPositions } from "../../src/report/github-diff.js";
import {
  checkRunOutput,
  commitCommentBody,
  configErrorOutput,
  markerFingerprint,
  type CheckAnnotation,
} from "../../src/report/github-text.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { makeFinding, type TestFinding } from "./github-fixtures.js";

const REPO = { owner: "acme", repo: "web" };

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

function envLines(raw: { identifier: string; key: string }): string {
  return `CRISP_TOKEN_IDENTIFIER=${raw.identifier}\nCRISP_TOKEN_KEY=${raw.key}\n`;
}

/** Two commits: the first adds a secret in two files (two lines in one), the second copies it again. */
async function scenario(): Promise<{ t: TestFinding; first: string; second: string; positions: Map<string, ReadonlyMap<number, number>> }> {
  const t = makeFinding({ status: "live", tier: "website" });
  const repo = fake.repo("acme/web");
  repo.addCommit({ files: { "README.md": "# web\n", ".env": "A=1\nB=2\n" } });
  const first = repo.addCommit({
    files: {
      ".env": `A=1\nB=2\n${envLines(t.raw)}`,
      "deploy/crisp.yml": `identifier: ${t.raw.identifier}\nkey: ${t.raw.key}\n`,
    },
  });
  const second = repo.addCommit({ files: { "copy.txt": envLines(t.raw) } });
  t.finding.occurrences = [
    { path: ".env", line: 4, column: 17, commit: first, encoding: "plain" },
    { path: ".env", line: 3, column: 24, commit: first, encoding: "plain" },
    { path: "deploy/crisp.yml", line: 1, column: 13, commit: first, encoding: "plain" },
    { path: "copy.txt", line: 1, column: 24, commit: second, encoding: "plain" },
  ];
  // Positions as the push source computes them: from the patches GitHub returns.
  const positions = new Map<string, ReadonlyMap<number, number>>();
  for (const sha of [first, second]) {
    const { data } = await octokit.rest.repos.getCommit({ ...REPO, ref: sha });
    addCommitPositions(positions, sha, data.files ?? []);
  }
  fake.requests.length = 0;
  return { t, first, second, positions };
}

function allRequestText(): string {
  return fake.requests.map((r) => JSON.stringify(r.body)).join("\n");
}

describe("postCommitComments", () => {
  it("leaves one comment per secret per commit, at the first line's diff position", async () => {
    const { t, first, second, positions } = await scenario();
    const result = await postCommitComments(octokit, REPO, [t.finding], positions);

    expect(result.failed).toEqual([]);
    expect(result.posted).toHaveLength(2);
    const posts = fake.requestsTo("POST", /\/commits\/[0-9a-f]{40}\/comments$/);
    expect(posts.map((r) => r.path)).toEqual([`/repos/acme/web/commits/${first}/comments`, `/repos/acme/web/commits/${second}/comments`]);
    // .env line 3 is the first place in commit one: the patch is "@@ -1,2 +1,4 @@", " A=1", " B=2", "+…" → position 3.
    expect(posts[0]!.body).toMatchObject({ path: ".env", position: 3 });
    expect(posts[1]!.body).toMatchObject({ path: "copy.txt", position: 1 });

    const comments = fake.repo("acme/web").commitComments;
    expect(comments.map((c) => [c.commit_id, c.path, c.line])).toEqual([
      [first, ".env", 3],
      [second, "copy.txt", 1],
    ]);
    expect(result.posted[0]).toMatchObject({ fingerprint: t.finding.fingerprint, commit: first, commentId: comments[0]!.id, path: ".env", position: 3 });
    expect(result.posted[0]!.url).toContain(`#commitcomment-${comments[0]!.id}`);

    // The first comment names every place of its commit, and only those.
    expect(comments[0]!.body).toBe(commitCommentBody({ finding: t.finding, commit: first }));
    expect(comments[0]!.body).toContain("Found at: `.env` line 3, `.env` line 4, `deploy/crisp.yml` line 1");
    expect(markerFingerprint(comments[1]!.body)).toBe(t.finding.fingerprint);
    expect(holdsRaw(allRequestText(), t.raw)).toBe(false);
  });

  it("gives each secret of a commit its own comment", async () => {
    const { t, first, positions } = await scenario();
    const other = makeFinding({ status: "dead", occurrences: [{ path: "deploy/crisp.yml", line: 2, commit: first }] });
    const result = await postCommitComments(octokit, REPO, [t.finding, other.finding], positions);
    expect(result.posted.map((p) => [p.fingerprint, p.commit])).toEqual([
      [t.finding.fingerprint, first],
      [t.finding.fingerprint, expect.any(String)],
      [other.finding.fingerprint, first],
    ]);
    expect(result.posted[2]).toMatchObject({ path: "deploy/crisp.yml", position: 2 });
  });

  it("comments on the commit when no position is known", async () => {
    const { t, first } = await scenario();
    const result = await postCommitComments(octokit, REPO, [t.finding], new Map());
    expect(result.posted.map((p) => [p.path, p.position])).toEqual([
      [null, null],
      [null, null],
    ]);
    const post = fake.requestsTo("POST", `/repos/acme/web/commits/${first}/comments`)[0]!;
    expect(post.body).not.toHaveProperty("path");
    expect(post.body).not.toHaveProperty("position");
  });

  it("falls back to a commit-level comment when GitHub refuses the position", async () => {
    const { t, first } = await scenario();
    const stale = new Map([[`${first}:.env`, new Map([[3, 99]])]]);
    const result = await postCommitComments(octokit, REPO, [{ ...t.finding, occurrences: t.finding.occurrences.slice(0, 2) }], stale);
    const posts = fake.requestsTo("POST", `/repos/acme/web/commits/${first}/comments`);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.body).toMatchObject({ position: 99 });
    expect(posts[1]!.body).not.toHaveProperty("position");
    expect(result.posted).toEqual([expect.objectContaining({ commit: first, path: null, position: null })]);
    expect(fake.repo("acme/web").commitComments).toHaveLength(1);
  });

  it("keeps going when one comment fails, and reports it", async () => {
    const { t, first, second, positions } = await scenario();
    fake.failNext({ method: "POST", path: `/repos/acme/web/commits/${first}/comments`, status: 500 });
    const result = await postCommitComments(octokit, REPO, [t.finding], positions);
    expect(result.failed).toEqual([expect.objectContaining({ fingerprint: t.finding.fingerprint, commit: first, status: 500 })]);
    expect(result.posted.map((p) => p.commit)).toEqual([second]);
  });

  it("with skipExisting, finds its own earlier comments by marker instead of posting twice", async () => {
    const { t, positions } = await scenario();
    const before = await postCommitComments(octokit, REPO, [t.finding], positions);
    fake.requests.length = 0;
    const again = await postCommitComments(octokit, REPO, [t.finding], positions, { skipExisting: true });
    expect(again.posted).toEqual([]);
    expect(again.existing.map((e) => e.commentId)).toEqual(before.posted.map((p) => p.commentId));
    expect(fake.requestsTo("POST", /comments$/)).toEqual([]);
    expect(fake.repo("acme/web").commitComments).toHaveLength(2);
  });

  it("targets nothing for occurrences without a commit (files on disk)", () => {
    const { finding } = makeFinding({ occurrences: [{ path: "a", line: 1 }] });
    expect(commentTargets([finding], new Map())).toEqual([]);
  });
});

describe("updateCommitComment", () => {
  it("rewrites the comment to say the key was rotated", async () => {
    const { t, first, positions } = await scenario();
    const { posted } = await postCommitComments(octokit, REPO, [t.finding], positions);
    const dead: Finding = { ...t.finding, verification: { ...t.finding.verification, status: "dead" } };
    const body = commitCommentBody({ finding: dead, commit: first, update: { kind: "dead", since: "2024-05-01T12:00:00Z" } });
    const updated = await updateCommitComment(octokit, REPO, posted[0]!.commentId, body);
    expect(updated.commentId).toBe(posted[0]!.commentId);
    const patch = fake.requestsTo("PATCH", `/repos/acme/web/comments/${posted[0]!.commentId}`);
    expect(patch).toHaveLength(1);
    const stored = fake.repo("acme/web").commitComments.find((c) => c.id === posted[0]!.commentId)!;
    expect(stored.body).toContain("the old key now answers 401 (dead) since 2024-05-01T12:00:00Z");
    expect(holdsRaw(stored.body, t.raw)).toBe(false);
  });
});

describe("check runs", () => {
  function annotations(n: number): CheckAnnotation[] {
    return Array.from({ length: n }, (_, i) => ({
      path: `f${i}.env`,
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "failure" as const,
      title: "t",
      message: "m",
    }));
  }

  it.each([
    [0, [0]],
    [1, [1]],
    [50, [50]],
    [51, [50, 1]],
    [120, [50, 50, 20]],
  ])("cuts %i annotations into batches of at most 50", (n, sizes) => {
    expect(ANNOTATIONS_PER_REQUEST).toBe(50);
    expect(annotationBatches(annotations(n)).map((b) => b.length)).toEqual(sizes);
  });

  it("sends 120 annotations in 3 requests of at most 50: the create, then two updates", async () => {
    const head = fake.repo("acme/web").addCommit({ files: { a: "a\n" } });
    const findings = Array.from({ length: 120 }, (_, i) =>
      makeFinding({ status: i === 0 ? "live" : "unknown", occurrences: [{ path: `leak${String(i).padStart(3, "0")}.env`, line: 1, commit: head }] }),
    );
    const output = checkRunOutput(findings.map((f) => f.finding));
    expect(output.annotations).toHaveLength(120);

    const ref = await createCheckRun(octokit, REPO, head, output, { externalId: "delivery-1" });
    expect(ref.requests).toBe(3);

    const create = fake.requestsTo("POST", "/repos/acme/web/check-runs");
    const updates = fake.requestsTo("PATCH", `/repos/acme/web/check-runs/${ref.checkRunId}`);
    expect(create).toHaveLength(1);
    expect(updates).toHaveLength(2);
    const sizes = [...create, ...updates].map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(create[0]!.body).toMatchObject({
      name: "Crisp Guard",
      head_sha: head,
      status: "completed",
      conclusion: "failure",
      external_id: "delivery-1",
      output: { title: output.title, summary: output.summary },
    });

    const run = fake.repo("acme/web").checkRunsFor(head)[0]!;
    expect(run.annotations).toHaveLength(120);
    expect(run.conclusion).toBe("failure");
    const text = allRequestText();
    for (const f of findings) expect(holdsRaw(text, f.raw)).toBe(false);
  });

  it("creates a successful run with one request and no annotations when nothing was found", async () => {
    const head = fake.repo("acme/web").addCommit({ files: { a: "a\n" } });
    const ref = await createCheckRun(octokit, REPO, head, checkRunOutput([]));
    expect(ref.requests).toBe(1);
    const create = fake.requestsTo("POST", "/repos/acme/web/check-runs")[0]!;
    expect(create.body).toMatchObject({ conclusion: "success", output: { title: "No Crisp token keypairs found" } });
    expect((create.body as { output: object }).output).not.toHaveProperty("annotations");
  });

  it("updates a run after rotation without duplicating its annotations", async () => {
    const head = fake.repo("acme/web").addCommit({ files: { a: "a\n" } });
    const t = makeFinding({ status: "live", occurrences: [{ path: "a", line: 1, commit: head }] });
    const ref = await createCheckRun(octokit, REPO, head, checkRunOutput([t.finding]));
    const rotated = checkRunOutput([t.finding], {
      updates: new Map([[t.finding.fingerprint, { kind: "dead", since: "2024-05-01T12:00:00Z" }]]),
      annotate: false,
    });
    const again = await updateCheckRun(octokit, REPO, ref.checkRunId, rotated);
    expect(again.requests).toBe(1);
    const run = fake.repo("acme/web").checkRunsFor(head)[0]!;
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toContain("rotated, dead since 2024-05-01T12:00:00Z");
    expect(run.annotations).toHaveLength(1);
  });

  it("starts a run in progress and completes it with all its annotations", async () => {
    const head = fake.repo("acme/web").addCommit({ files: { a: "a\n" } });
    const started = await startCheckRun(octokit, REPO, head, { detailsUrl: "https://guard.example/runs/1" });
    expect(fake.repo("acme/web").checkRunsFor(head)[0]).toMatchObject({ status: "in_progress", conclusion: null });
    const findings = Array.from({ length: 60 }, (_, i) => makeFinding({ status: "unknown", occurrences: [{ path: `f${i}`, line: 1, commit: head }] }).finding);
    const done = await updateCheckRun(octokit, REPO, started.checkRunId, checkRunOutput(findings));
    expect(done.requests).toBe(2);
    const run = fake.repo("acme/web").checkRunsFor(head)[0]!;
    expect(run).toMatchObject({ status: "completed", conclusion: "neutral", details_url: "https://guard.example/runs/1", annotationRequests: 2 });
    expect(run.annotations).toHaveLength(60);
  });

  it("reports a config error as its own neutral run", async () => {
    const head = fake.repo("acme/web").addCommit({ files: { a: "a\n" } });
    await createCheckRun(octokit, REPO, head, configErrorOutput("allow[0].fingerprint: expected 64 hex"));
    const run = fake.repo("acme/web").checkRunsFor(head)[0]!;
    expect(run).toMatchObject({ conclusion: "neutral", name: "Crisp Guard" });
    expect(run.output.summary).toContain("allow[0].fingerprint: expected 64 hex");
  });
});
