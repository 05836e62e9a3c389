// The one GitHub client: Probot's plugins, so the CLI's client waits out GitHub's rate limits as
// the app's does, a bounded number of times, and carries its token only in the header.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { RATE_LIMIT_RETRIES, createGitHubClient } from "../../src/github/client.js";
import { silentOctokitLog } from "../helpers/github-client.js";

const API = "https://api.github.com";
const secondaryLimit = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };

afterEach(() => nock.cleanAll());

function client(retry = true) {
  return createGitHubClient({ token: "ghs_client_test", retry, retryAfterUnitMs: 1, log: silentOctokitLog });
}

describe("createGitHubClient", () => {
  it("sends the token in the Authorization header only", async () => {
    let seen: { auth?: string; path?: string } = {};
    nock(API).get("/repos/acme/web").reply(function () {
      seen = { auth: this.req.headers.authorization, path: this.req.path };
      return [200, { id: 1 }];
    });
    await client().rest.repos.get({ owner: "acme", repo: "web" });
    expect(seen.auth).toBe("token ghs_client_test");
    expect(seen.path).not.toContain("ghs_client_test");
  });

  it(`waits out a secondary rate limit, up to ${RATE_LIMIT_RETRIES} times`, async () => {
    const scope = nock(API)
      .get("/repos/acme/web/issues/7").times(RATE_LIMIT_RETRIES).reply(403, secondaryLimit, { "retry-after": "1" })
      .get("/repos/acme/web/issues/7").reply(200, { number: 7 });
    const { data } = await client().rest.issues.get({ owner: "acme", repo: "web", issue_number: 7 });
    expect(data.number).toBe(7);
    expect(scope.isDone()).toBe(true);
  });

  it("gives up after that, with GitHub's status", async () => {
    nock(API).get("/repos/acme/web/issues/8").times(RATE_LIMIT_RETRIES + 1).reply(403, secondaryLimit, { "retry-after": "1" });
    nock(API).get("/repos/acme/web/issues/8").reply(200, { number: 8 });
    await expect(client().rest.issues.get({ owner: "acme", repo: "web", issue_number: 8 })).rejects.toMatchObject({ status: 403 });
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it("waits out a primary rate limit until its reset", async () => {
    const reset = String(Math.floor(Date.now() / 1000));
    nock(API)
      .get("/repos/acme/web").reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset })
      .get("/repos/acme/web").reply(200, { id: 2 });
    const { data } = await client().rest.repos.get({ owner: "acme", repo: "web" });
    expect(data.id).toBe(2);
  });

  it("with retries off (tests), a limit fails at once", async () => {
    nock(API).post("/repos/acme/web/issues").reply(403, secondaryLimit, { "retry-after": "1" });
    nock(API).post("/repos/acme/web/issues").reply(201, { number: 9 });
    await expect(client(false).rest.issues.create({ owner: "acme", repo: "web", title: "t" })).rejects.toMatchObject({ status: 403 });
    expect(nock.pendingMocks()).toHaveLength(1);
  });
});
