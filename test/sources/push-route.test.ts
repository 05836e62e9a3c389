import { describe, expect, it } from "vitest";
import { NULL_SHA, PUSH_PAYLOAD_MAX_COMMITS } from "../../src/sources/push.js";
import { choosePushRoute, REST_MAX_PUSH_COMMITS, type PushShape } from "../../src/sources/push-route.js";

const BEFORE = "b".repeat(40);
const AFTER = "a".repeat(40);
const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(40, "0"));

function push(overrides: Partial<PushShape> = {}): PushShape {
  return {
    ref: "refs/heads/main",
    before: BEFORE,
    after: AFTER,
    created: false,
    deleted: false,
    forced: false,
    commits: ids(3),
    defaultBranch: "main",
    ...overrides,
  };
}

describe("choosePushRoute", () => {
  it("the threshold is compare's unpaged 250", () => {
    expect(REST_MAX_PUSH_COMMITS).toBe(250);
  });

  it("a small push, up to the threshold, keeps the REST path", () => {
    expect(choosePushRoute(push())).toMatchObject({ route: "rest" });
    expect(choosePushRoute(push({ commits: ids(REST_MAX_PUSH_COMMITS) }))).toMatchObject({ route: "rest" });
    expect(choosePushRoute(push({ commits: [] }))).toMatchObject({ route: "rest" });
  });

  it("251 commits: git, excluding the old head", () => {
    expect(choosePushRoute(push({ commits: ids(251) }))).toEqual({
      route: "git",
      reason: "251 commits, more than 250",
      head: AFTER,
      exclude: { kind: "commit", sha: BEFORE },
    });
  });

  it("a payload at GitHub's 2048 cap always goes to git (its true size is unknown)", () => {
    const route = choosePushRoute(push({ commits: ids(PUSH_PAYLOAD_MAX_COMMITS) }));
    expect(route).toMatchObject({ route: "git", exclude: { kind: "commit", sha: BEFORE } });
    expect(route.reason).toContain("cap");
  });

  it("a repository's first push (its default branch created): git over the whole history", () => {
    const route = choosePushRoute(push({ created: true, before: NULL_SHA, commits: ids(PUSH_PAYLOAD_MAX_COMMITS) }));
    expect(route).toMatchObject({ route: "git", head: AFTER, exclude: { kind: "none" } });
  });

  it("a created branch other than the default: git, excluding the default branch", () => {
    const route = choosePushRoute(push({ ref: "refs/heads/import", created: true, before: NULL_SHA, commits: ids(400) }));
    expect(route).toMatchObject({ route: "git", exclude: { kind: "branch", name: "main" } });
  });

  it("a created branch with no default branch known: REST, as today (nothing to compare with)", () => {
    const route = choosePushRoute(push({ ref: "refs/heads/import", created: true, before: NULL_SHA, commits: ids(400), defaultBranch: null }));
    expect(route).toMatchObject({ route: "rest" });
    expect(route.reason).toContain("no default branch");
  });

  it("a forced push: git, excluding the old head (what it reaches is not new)", () => {
    expect(choosePushRoute(push({ forced: true, commits: ids(300) }))).toMatchObject({ route: "git", exclude: { kind: "commit", sha: BEFORE } });
    expect(choosePushRoute(push({ forced: true, commits: ids(2) }))).toMatchObject({ route: "rest" });
  });

  it("a deleted ref: REST, which skips it without a request", () => {
    expect(choosePushRoute(push({ deleted: true, after: NULL_SHA, commits: [] }))).toMatchObject({ route: "rest" });
    expect(choosePushRoute(push({ deleted: true, after: NULL_SHA, commits: ids(PUSH_PAYLOAD_MAX_COMMITS) }))).toMatchObject({ route: "rest" });
  });

  it("a tag: created, compared with the default branch; its payload's usual empty list keeps REST", () => {
    const tag = { ref: "refs/tags/v1.0", created: true, before: NULL_SHA };
    expect(choosePushRoute(push({ ...tag, commits: [] }))).toMatchObject({ route: "rest" });
    expect(choosePushRoute(push({ ...tag, commits: ids(500) }))).toMatchObject({ route: "git", exclude: { kind: "branch", name: "main" } });
  });

  it("an update of a tag (not created): excluding its old commit", () => {
    expect(choosePushRoute(push({ ref: "refs/tags/v1.0", forced: true, commits: ids(260) }))).toMatchObject({
      route: "git",
      exclude: { kind: "commit", sha: BEFORE },
    });
  });
});
