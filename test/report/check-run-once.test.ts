// The push's check run across a crash: a resumed job finds its run by external_id and finishes it.
import { testGitHubClient } from "../helpers/github-client.js";
import type { GitHubClient } from "../../src/github/client.js";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findCheckRun, reportCheckRunOnce } from "../../src/report/check-run-once.js";
import { createCheckRun } from "../../src/report/github.js";
import { checkRunOutput } from "../../src/report/github-text.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { makeFinding } from "./github-fixtures.js";

const REPO = { owner: "acme", repo: "web" };

let fake: FakeGitHub;
let octokit: GitHubClient;
let head: string;

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  fake = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  octokit = testGitHubClient({ baseUrl: fake.apiUrl, token: fake.token });
  head = fake.repo("acme/web").addCommit({ files: { "a.txt": "a\n" }, message: "init" });
});
afterEach(() => fake.close());

/** A finding with `n` occurrences: n annotations. */
function output(n: number) {
  const occurrences = Array.from({ length: n }, (_, i) => ({ path: `f${i}.env`, line: 1, commit: head }));
  return checkRunOutput([makeFinding({ occurrences }).finding]);
}

describe("reportCheckRunOnce", () => {
  it("resumed, with the run already on GitHub: finishes that run, creates none", async () => {
    // The first attempt's create reached GitHub; its answer never came back.
    await createCheckRun(octokit, REPO, head, output(1), { externalId: "delivery-1" });
    const r = await reportCheckRunOnce(octokit, REPO, head, output(1), { externalId: "delivery-1", resumed: true });
    const runs = fake.repo("acme/web").checkRunsFor(head);
    expect(runs).toHaveLength(1);
    expect(r).toMatchObject({ checkRunId: runs[0]!.id, reused: true });
    expect(runs[0]).toMatchObject({ status: "completed", conclusion: "failure", external_id: "delivery-1" });
    expect(runs[0]!.annotations).toHaveLength(1); // not sent twice
  });

  it("sends only the annotations an interrupted first attempt did not (more than 50)", async () => {
    fake.failNext({ method: "PATCH", path: /\/check-runs\/\d+$/, status: 502 });
    await expect(createCheckRun(octokit, REPO, head, output(70), { externalId: "delivery-1" })).rejects.toThrow();
    expect(fake.repo("acme/web").checkRuns[0]!.annotations).toHaveLength(50);
    await reportCheckRunOnce(octokit, REPO, head, output(70), { externalId: "delivery-1", resumed: true });
    const runs = fake.repo("acme/web").checkRunsFor(head);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.annotations.map((a) => a.path)).toEqual(output(70).annotations.map((a) => a.path));
  });

  it("resumed, but another delivery's run is there: creates its own", async () => {
    await createCheckRun(octokit, REPO, head, output(1), { externalId: "delivery-0" });
    const r = await reportCheckRunOnce(octokit, REPO, head, output(1), { externalId: "delivery-1", resumed: true });
    expect(r.reused).toBe(false);
    expect(fake.repo("acme/web").checkRunsFor(head).map((c) => c.external_id)).toEqual(["delivery-0", "delivery-1"]);
  });

  it("a first attempt does not list: one request, the create", async () => {
    await reportCheckRunOnce(octokit, REPO, head, output(1), { externalId: "delivery-1", resumed: false });
    expect(fake.requests.filter((q) => q.path.includes("check-runs")).map((q) => q.method)).toEqual(["POST"]);
  });

  it("findCheckRun asks for the Crisp Guard runs on the head, all of them", async () => {
    expect(await findCheckRun(octokit, REPO, head, "delivery-1")).toBeNull();
    const [list] = fake.requestsTo("GET", `/repos/acme/web/commits/${head}/check-runs`);
    expect(list!.query).toMatchObject({ check_name: "Crisp Guard", filter: "all" });
  });
});
