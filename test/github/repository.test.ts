// GitHub's naming rules, one test per rule: what the push handler, the configs and the stored
// "owner/repo" names let reach an API path.
import { describe, expect, it } from "vitest";
import { MAX_OWNER_NAME_LENGTH, MAX_REPO_NAME_LENGTH, invalidOwnerName, invalidRepoName, parseRepository, repoRefOf, repositoryName } from "../../src/github/repository.js";

describe("invalidOwnerName", () => {
  it("accepts logins GitHub gives", () => {
    for (const name of ["acme", "octo-org", "a", "A1-b2-C3", "jdoe_acme", "ac--me", "acme-", "x".repeat(MAX_OWNER_NAME_LENGTH)]) expect(invalidOwnerName(name), name).toBeNull();
  });
  it("refuses an empty name", () => expect(invalidOwnerName("")).toBe("empty"));
  it(`refuses more than ${MAX_OWNER_NAME_LENGTH} characters`, () => {
    expect(invalidOwnerName("x".repeat(MAX_OWNER_NAME_LENGTH + 1))).toMatch(/longer than 100/);
  });
  it("refuses anything but letters, digits, '-' and '_': dots, slashes, spaces, non-ASCII", () => {
    for (const name of ["..", ".", "a.b", "a/b", "a b", "acmé", "a%2fb", "a\nb"]) expect(invalidOwnerName(name), name).not.toBeNull();
  });
});

describe("invalidRepoName", () => {
  it("accepts names GitHub gives", () => {
    for (const name of ["web", ".github", "my_repo-2.0", "a", "...", "x.", "-x", "r".repeat(MAX_REPO_NAME_LENGTH)]) expect(invalidRepoName(name), name).toBeNull();
  });
  it("refuses an empty name", () => expect(invalidRepoName("")).toBe("empty"));
  it(`refuses more than ${MAX_REPO_NAME_LENGTH} characters`, () => {
    expect(invalidRepoName("r".repeat(MAX_REPO_NAME_LENGTH + 1))).toMatch(/longer than 100/);
  });
  it("refuses '.' and '..', path segments a URL resolves", () => {
    expect(invalidRepoName(".")).toMatch(/path segment/);
    expect(invalidRepoName("..")).toMatch(/path segment/);
  });
  it("refuses anything but letters, digits, '.', '_' and '-'", () => {
    for (const name of ["a/b", "../x", "a b", "a%2e", "a?b", "a#b", "é", "a\\b"]) expect(invalidRepoName(name), name).not.toBeNull();
  });
});

describe("parseRepository", () => {
  it('reads "owner/repo" and writes it back the same', () => {
    expect(parseRepository("octo-org/shop.web")).toEqual({ owner: "octo-org", repo: "shop.web" });
    expect(repositoryName({ owner: "octo-org", repo: "shop.web" })).toBe("octo-org/shop.web");
  });
  it("refuses what is not exactly one owner and one repository", () => {
    for (const full of ["", "acme", "acme/", "/web", "acme/web/extra", "acme//web"]) expect(parseRepository(full), full).toBeNull();
  });
  it("refuses a name GitHub could not have given, before it reaches an API path", () => {
    for (const full of ["acme/..", "../web", "ac.me/web", "acme/we b", "acme/web?x=1"]) expect(parseRepository(full), full).toBeNull();
  });
});

describe("repoRefOf", () => {
  it("keeps the two names and nothing else of what names the repository", () => {
    const push = { owner: "acme", repo: "web", after: "a".repeat(40), installationId: 7 };
    expect(repoRefOf(push)).toStrictEqual({ owner: "acme", repo: "web" });
  });
});
