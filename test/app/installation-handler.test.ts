// The installation webhooks, reduced to the installation-wide request a backfill starts from.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { installationRequest, installationScope } from "../../src/app/installation-handler.js";

const installation = (extra: Record<string, unknown> = {}) => ({
  id: 77, account: { login: "octo-org" }, repository_selection: "selected", ...extra,
});

describe("installationRequest", () => {
  it("installation.created on selected repositories: those repositories", () => {
    const made = installationRequest("installation", {
      action: "created",
      installation: installation(),
      repositories: [{ full_name: "octo-org/shop" }, { full_name: "octo-org/api" }],
    });
    expect(made).toEqual({
      request: {
        installationId: 77, account: "octo-org", force: false, trigger: "installation.created",
        repositories: [{ owner: "octo-org", repo: "shop" }, { owner: "octo-org", repo: "api" }],
      },
    });
  });

  it("installation.created on all repositories: listed through the API when the job runs (null)", () => {
    const made = installationRequest("installation", {
      action: "created",
      installation: installation({ repository_selection: "all" }),
      repositories: [{ full_name: "octo-org/shop" }],
    });
    expect(made).toMatchObject({ request: { repositories: null } });
  });

  it("installation_repositories.added: the repositories added, even on an installation of all", () => {
    const made = installationRequest("installation_repositories", {
      action: "added",
      installation: installation({ repository_selection: "all" }),
      repositories_added: [{ full_name: "octo-org/new" }],
      repositories_removed: [],
    });
    expect(made).toMatchObject({ request: { repositories: [{ owner: "octo-org", repo: "new" }], trigger: "installation_repositories.added" } });
  });

  it("other actions start nothing; a payload that is not one, or names a repository badly, is invalid", () => {
    expect(installationRequest("installation", { action: "deleted", installation: installation() })).toHaveProperty("ignored");
    expect(installationRequest("installation_repositories", { action: "removed", installation: installation() })).toHaveProperty("ignored");
    expect(installationRequest("installation", { action: "created" })).toHaveProperty("invalid");
    expect(installationRequest("installation", { action: "created", installation: { id: -1 } })).toHaveProperty("invalid");
    expect(
      installationRequest("installation", { action: "created", installation: installation(), repositories: [{ full_name: "octo-org/../x" }] }),
    ).toEqual({ invalid: "a repository name is not owner/name" });
  });

  it("is kept under the account's scope in the store (never taken for a repository)", () => {
    expect(installationScope({ account: "octo-org", installationId: 1 })).toBe("octo-org/*");
    expect(installationScope({ account: null, installationId: 9 })).toBe("installation-9/*");
  });
});

describe("app.yml", () => {
  it("does not list the installation events: GitHub sends them to every GitHub App, and they cannot be subscribed to", () => {
    const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as { default_events: string[] };
    expect(manifest.default_events).not.toContain("installation");
    expect(manifest.default_events).not.toContain("installation_repositories");
  });
});
