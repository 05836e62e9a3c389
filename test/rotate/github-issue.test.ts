import { testGitHubClient } from "../helpers/github-client.js";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import {
  closeLeakIssue,
  githubIssueRotator,
  leakIssueBody,
  leakIssueMarker,
  leakIssueTitle,
} from "../../src/rotate/github-issue.js";
import type { GithubIssueSettings } from "../../src/rotate/server-config.js";
import type { RepoRef } from "../../src/github/repository.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { makeLeak } from "./leak.js";

const API = "https://api.github.com";
const LIST_QUERY = { state: "open", labels: "crisp-guard", per_page: "100", page: "1" };

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const octokit = () => testGitHubClient({ token: "test-installation-token" });
const settings = (over: Partial<GithubIssueSettings> = {}): GithubIssueSettings => ({
  repository: null,
  labels: [],
  assignees: [],
  ...over,
});
const signal = () => new AbortController().signal;

/** A nock body matcher that records each request body it sees. */
function into(bodies: Record<string, unknown>[]) {
  return (body: Record<string, unknown>) => {
    bodies.push(body);
    return true;
  };
}

function rotatorFor(over: Partial<GithubIssueSettings> = {}, seen: RepoRef[] = []) {
  return githubIssueRotator(settings(over), {
    octokitFor: (repo) => {
      seen.push(repo);
      return octokit();
    },
  });
}

describe("github-issue rotator", () => {
  it("opens one issue in the leaking repository, assigning the pusher", async () => {
    const { leak, raw } = makeLeak();
    const sent: Record<string, unknown>[] = [];
    nock(API).get("/repos/acme/widgets/issues").query(LIST_QUERY).reply(200, []);
    nock(API).post("/repos/acme/widgets/issues", into(sent)).reply(201, { number: 7, html_url: "https://github.com/acme/widgets/issues/7" });

    const outcome = await rotatorFor().rotate(leak, signal());

    expect(outcome).toEqual({
      status: "requested",
      detail: "opened issue acme/widgets#7",
      url: "https://github.com/acme/widgets/issues/7",
    });
    expect(sent).toEqual([{
      title: `Leaked Crisp token keypair ${leak.keypair.redactedIdentifier}:${leak.keypair.keyHint}`,
      body: leakIssueBody(leak),
      labels: ["crisp-guard"],
      assignees: ["octocat"],
    }]);
    expect(holdsRaw(JSON.stringify(sent), raw)).toBe(false);
  });

  it("comments on the open issue for the same secret instead of opening another", async () => {
    const { leak } = makeLeak();
    const other = makeLeak().leak;
    const comments: Record<string, unknown>[] = [];
    nock(API)
      .get("/repos/acme/widgets/issues")
      .query(LIST_QUERY)
      .reply(200, [
        { number: 3, html_url: "https://github.com/acme/widgets/issues/3", body: leakIssueMarker(other.fingerprint) },
        // A pull request carrying the marker is not the issue.
        { number: 4, html_url: "https://github.com/acme/widgets/pull/4", body: leakIssueMarker(leak.fingerprint), pull_request: {} },
        { number: 5, html_url: "https://github.com/acme/widgets/issues/5", body: `text\n${leakIssueMarker(leak.fingerprint)}` },
      ]);
    nock(API)
      .post("/repos/acme/widgets/issues/5/comments", into(comments))
      .reply(201, { id: 1 });

    const outcome = await rotatorFor().rotate(leak, signal());

    expect(outcome).toEqual({
      status: "requested",
      detail: "commented on open issue acme/widgets#5",
      url: "https://github.com/acme/widgets/issues/5",
    });
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("was found again in a push by @octocat");
    expect(comments[0]!.body).toContain("config/crisp.env:3");
  });

  it("finds the open issue on a later page", async () => {
    const { leak } = makeLeak();
    const filler = Array.from({ length: 100 }, (_, i) => ({ number: 100 + i, html_url: "x", body: "unrelated" }));
    nock(API).get("/repos/acme/widgets/issues").query(LIST_QUERY).reply(200, filler);
    nock(API)
      .get("/repos/acme/widgets/issues")
      .query({ ...LIST_QUERY, page: "2" })
      .reply(200, [{ number: 9, html_url: "https://github.com/acme/widgets/issues/9", body: leakIssueMarker(leak.fingerprint) }]);
    nock(API).post("/repos/acme/widgets/issues/9/comments").reply(201, { id: 1 });

    expect((await rotatorFor().rotate(leak, signal())).detail).toBe("commented on open issue acme/widgets#9");
  });

  it("retries without assignees when GitHub refuses them (422)", async () => {
    const { leak } = makeLeak();
    const bodies: Record<string, unknown>[] = [];
    nock(API).get("/repos/my-org/security/issues").query(LIST_QUERY).reply(200, []);
    nock(API)
      .post("/repos/my-org/security/issues", into(bodies))
      .reply(422, { message: "Validation Failed", errors: [{ field: "assignees", code: "invalid" }] })
      .post("/repos/my-org/security/issues", into(bodies))
      .reply(201, { number: 12, html_url: "https://github.com/my-org/security/issues/12" });

    const seen: RepoRef[] = [];
    const outcome = await rotatorFor({ repository: { owner: "my-org", repo: "security" }, labels: ["security"], assignees: ["sec-lead"] }, seen).rotate(
      leak,
      signal(),
    );

    expect(seen).toEqual([{ owner: "my-org", repo: "security" }]);
    expect(bodies[0]).toMatchObject({ assignees: ["octocat", "sec-lead"], labels: ["crisp-guard", "security"] });
    expect(bodies[1]).not.toHaveProperty("assignees");
    expect(bodies[1]).toMatchObject({ labels: ["crisp-guard", "security"], title: leakIssueTitle(leak) });
    expect(outcome).toEqual({
      status: "requested",
      detail: "opened issue my-org/security#12 (could not assign @octocat, @sec-lead)",
      url: "https://github.com/my-org/security/issues/12",
    });
  });

  it("does not try to assign a bot pusher", async () => {
    const { leak } = makeLeak({ pusher: "dependabot[bot]" });
    const sent: Record<string, unknown>[] = [];
    nock(API).get("/repos/acme/widgets/issues").query(LIST_QUERY).reply(200, []);
    nock(API).post("/repos/acme/widgets/issues", into(sent)).reply(201, { number: 1, html_url: "https://github.com/acme/widgets/issues/1" });
    await rotatorFor().rotate(leak, signal());
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty("assignees");
  });

  it("any other error is a failed outcome with the status", async () => {
    const { leak } = makeLeak();
    nock(API).get("/repos/acme/widgets/issues").query(LIST_QUERY).reply(200, []);
    nock(API).post("/repos/acme/widgets/issues").reply(403, { message: "Resource not accessible by integration" });
    const outcome = await rotatorFor().rotate(leak, signal());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toMatch(/^github-issue acme\/widgets: GitHub answered HTTP 403: Resource not accessible by integration/);
  });

  it("with no repository at all, fails clearly without calling GitHub", async () => {
    const { leak } = makeLeak({ repository: null });
    const outcome = await rotatorFor().rotate(leak, signal());
    expect(outcome).toEqual({
      status: "failed",
      detail: "github-issue: no repository to open the issue in (set rotators.github-issue.repository)",
    });
  });
});

describe("leakIssueBody", () => {
  it("holds the marker, tier, verification, every occurrence with links, roll steps and the history warning", () => {
    const { leak, raw } = makeLeak();
    const body = leakIssueBody(leak);
    expect(body.startsWith(leakIssueMarker(leak.fingerprint))).toBe(true);
    expect(body).toContain("- **Tier:** website token");
    expect(body).toContain("- **Verification:** **live**: Crisp accepted it (HTTP 200) at 2026-01-02T03:04:05.000Z");
    expect(body).toContain(`- **Website id:** \`${leak.websiteId}\``);
    expect(body).toContain(
      `- [\`config/crisp.env:3\`](<https://github.com/acme/widgets/blob/${"a".repeat(40)}/config/crisp.env#L3>) in commit [\`aaaaaaa\`](<https://github.com/acme/widgets/commit/${"a".repeat(40)}>)`,
    );
    expect(body).toContain("[`src/app (old).js:12`](<https://github.com/acme/widgets/blob/");
    expect(body).toContain("(base64-encoded)");
    expect(body).toContain("**Settings > Workspace Settings > Advanced configuration**");
    expect(body).not.toContain("Marketplace");
    expect(body).toContain("Removing it from git history does not make it safe");
    expect(holdsRaw(body, raw)).toBe(false);
  });

  it("gives the plugin steps for a plugin token, and both for an unknown tier", () => {
    const plugin = leakIssueBody(makeLeak({ tier: "plugin", verification: { status: "live", tier: "plugin", reason: "ok", checkedAt: null } }).leak);
    expect(plugin).toContain("**your plugin > Tokens**");
    expect(plugin).not.toContain("Advanced configuration");
    const unknown = leakIssueBody(makeLeak({ tier: null, verification: { status: "unknown", tier: null, reason: "rate limited", checkedAt: null } }).leak);
    expect(unknown).toContain("#### If it is a website token");
    expect(unknown).toContain("#### If it is a plugin token");
    expect(unknown).toContain("- **Verification:** could not be checked (rate limited)");
  });

  it("keeps file names from pinging people or breaking out of code", () => {
    const { leak } = makeLeak({
      occurrences: [{ path: "docs/@acme/security-team `x`.md", line: 1, column: 1, encoding: "plain" }],
      repository: null,
    });
    const body = leakIssueBody(leak);
    expect(body).toContain("- ``docs/@acme/security-team `x`.md:1``");
  });
});

describe("closeLeakIssue", () => {
  it("comments, then closes as completed", async () => {
    const calls: string[] = [];
    nock(API)
      .post("/repos/acme/widgets/issues/7/comments", (body) => {
        calls.push(`comment:${body.body}`);
        return true;
      })
      .reply(201, { id: 1 });
    nock(API)
      .patch("/repos/acme/widgets/issues/7", (body) => {
        calls.push(`update:${JSON.stringify(body)}`);
        return true;
      })
      .reply(200, { number: 7 });
    await closeLeakIssue(octokit(), { owner: "acme", repo: "widgets" }, 7, "The old token is dead (401 at 2026-01-02).");
    expect(calls).toEqual([
      "comment:The old token is dead (401 at 2026-01-02).",
      'update:{"state":"closed","state_reason":"completed"}',
    ]);
  });
});
