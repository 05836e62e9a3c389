// The organization report builder and its renderings: rows in, report out, no store involved.
import { describe, expect, it } from "vitest";
import { baselineFingerprints } from "../../src/report/json.js";
import {
  buildOrganizationReport, formatDuration, renderOrganizationJson, renderOrganizationText, type OrganizationRows,
} from "../../src/report/organization.js";
import type { OccurrenceRow, SecretRow, SecretState } from "../../src/store/types.js";

const FP_A = "a".repeat(64);
const FP_B = "b".repeat(64);
const FP_C = "c".repeat(64);
const SHA = "1234567890abcdef1234567890abcdef12345678";
const TOOL = { name: "crisp-guard", version: "0.0.0-test" };
const GENERATED = new Date("2025-03-01T00:00:00.000Z");

function secret(fingerprint: string, state: SecretState, extra: Partial<SecretRow> = {}): SecretRow {
  return {
    fingerprint,
    redactedIdentifier: `${fingerprint.slice(0, 8)}…`,
    keyHint: "…0a0a",
    tier: null,
    websiteId: null,
    state,
    firstSeenAt: "2025-02-01T00:00:00.000Z",
    updatedAt: "2025-02-01T00:00:00.000Z",
    deadAt: null,
    ...extra,
  };
}

function occ(repository: string, path: string, extra: Partial<OccurrenceRow> = {}): OccurrenceRow {
  return { repository, path, line: 3, column: 1, encoding: "plain", recordedAt: "2025-02-01T00:00:00.000Z", ...extra };
}

function rows(): OrganizationRows {
  return {
    secrets: [
      // Dead: pushed twice, the later commit recorded first; dead 2 d 6 h after the earlier commit.
      secret(FP_A, "dead", { tier: "plugin", deadAt: "2025-01-03T06:00:00.000Z" }),
      secret(FP_B, "live"),
      secret(FP_C, "detected"),
    ],
    occurrences: [
      { fingerprint: FP_A, occurrence: occ("org-one/api", ".env", { commit: SHA, date: "2025-01-02T00:00:00Z" }) },
      { fingerprint: FP_A, occurrence: occ("org-two/web", "config/app.yml", { commit: SHA, date: "2025-01-01T00:00:00Z" }) },
      { fingerprint: FP_B, occurrence: occ("org-one/api", "src/crisp.ts", { encoding: "base64" }) },
      { fingerprint: FP_C, occurrence: occ("org-two/web", "deploy.sh", { date: "not a date" }) },
    ],
    rotations: [{ fingerprint: FP_A, rotation: { rotator: "github-issue", status: "requested", detail: "issue #7", url: "https://github.com/org-one/api/issues/7", recordedAt: "2025-01-02T01:00:00.000Z" } }],
    verifications: [
      { fingerprint: FP_A, verification: { status: "dead", tier: "plugin", reason: "401 invalid_session", checkedAt: "2025-01-03T06:00:00.000Z", recordedAt: "2025-01-03T06:00:00.000Z" } },
    ],
    repositoryInstallations: [
      { repository: "org-one/api", installationId: 1 },
      { repository: "org-two/web", installationId: 2 },
    ],
  };
}

describe("buildOrganizationReport", () => {
  it("lists every secret once with all its occurrences, its latest verification and its rotations", () => {
    const report = buildOrganizationReport(rows(), { generatedAt: GENERATED });
    expect(report.generatedAt).toBe(GENERATED.toISOString());
    expect(report.installationId).toBeNull();
    expect(report.secrets.map((s) => [s.fingerprint, s.state, s.occurrences.length])).toEqual([
      [FP_A, "dead", 2], [FP_B, "live", 1], [FP_C, "detected", 1],
    ]);
    const a = report.secrets[0]!;
    expect(a.occurrences.map((o) => o.repository)).toEqual(["org-one/api", "org-two/web"]);
    expect(a.verification).toEqual({ status: "dead", tier: "plugin", reason: "401 invalid_session", checkedAt: "2025-01-03T06:00:00.000Z" });
    expect(a.rotations).toEqual([expect.objectContaining({ rotator: "github-issue", status: "requested", url: "https://github.com/org-one/api/issues/7" })]);
    expect(report.secrets[1]!.verification).toEqual({ status: "unverified", tier: null, reason: "no verification recorded", checkedAt: null });
    expect(report.secrets[1]!.rotations).toEqual([]);
  });

  it("dates the first push from the earliest commit date, else from when the app first saw the secret", () => {
    const [a, b, c] = buildOrganizationReport(rows(), { generatedAt: GENERATED }).secrets;
    // The earlier of the two commit dates, though it was recorded second.
    expect(a).toMatchObject({ firstPushedAt: "2025-01-01T00:00:00Z", firstPushedFrom: "commit-date" });
    expect(b).toMatchObject({ firstPushedAt: "2025-02-01T00:00:00.000Z", firstPushedFrom: "first-seen" });
    // An unparseable date is not a date.
    expect(c).toMatchObject({ firstPushedAt: "2025-02-01T00:00:00.000Z", firstPushedFrom: "first-seen" });
  });

  it("measures the time from the first push to dead, and only for a dead secret", () => {
    const [a, b] = buildOrganizationReport(rows(), { generatedAt: GENERATED }).secrets;
    expect(a!.deadAt).toBe("2025-01-03T06:00:00.000Z");
    expect(a!.timeToDeadMs).toBe((2 * 24 + 6) * 3600_000);
    expect(b!.timeToDeadMs).toBeNull();
  });

  it("gives no time to dead when the dates disagree (dead before its commit date)", () => {
    const input = rows();
    input.secrets = [secret(FP_A, "dead", { deadAt: "2024-12-31T00:00:00.000Z" })];
    expect(buildOrganizationReport(input, { generatedAt: GENERATED }).secrets[0]!.timeToDeadMs).toBeNull();
  });

  it("with an installation, keeps only its repositories' occurrences and the secrets found there", () => {
    const one = buildOrganizationReport(rows(), { generatedAt: GENERATED, installationId: 1 });
    expect(one.installationId).toBe(1);
    expect(one.secrets.map((s) => s.fingerprint)).toEqual([FP_A, FP_B]);
    expect(one.secrets[0]!.occurrences.map((o) => o.repository)).toEqual(["org-one/api"]);
    // The first push as this installation saw it, not the other installation's earlier commit.
    expect(one.secrets[0]!.firstPushedAt).toBe("2025-01-02T00:00:00Z");
    expect(one.secrets[0]!.timeToDeadMs).toBe((24 + 6) * 3600_000);

    const two = buildOrganizationReport(rows(), { generatedAt: GENERATED, installationId: 2 });
    expect(two.secrets.map((s) => s.fingerprint)).toEqual([FP_A, FP_C]);
    expect(buildOrganizationReport(rows(), { generatedAt: GENERATED, installationId: 99 }).secrets).toEqual([]);
  });
});

describe("rendering", () => {
  it("JSON: the documented shape, readable back as a --baseline", () => {
    const text = renderOrganizationJson(buildOrganizationReport(rows(), { generatedAt: GENERATED, installationId: 1 }), TOOL);
    const json = JSON.parse(text);
    expect(json).toMatchObject({ version: 1, tool: TOOL, source: "store", installation: 1, generatedAt: GENERATED.toISOString() });
    expect(Object.keys(json.findings[0]).sort()).toEqual(
      ["deadAt", "fingerprint", "rotation", "firstPushedAt", "firstPushedFrom", "firstSeenAt", "identifier", "keyHint", "occurrences", "rotations", "state", "tier", "timeToDeadMs", "verification", "websiteId"].sort(),
    );
    expect(json.findings[0].occurrences[0]).toEqual({
      repository: "org-one/api", path: ".env", commit: SHA, line: 3, column: 1, encoding: "plain", author: null, date: "2025-01-02T00:00:00Z",
    });
    expect(json.findings[0].rotation).toEqual(json.findings[0].rotations[0]);
    expect(json.findings[1]).toMatchObject({ rotation: null, rotations: [], verification: { status: "unverified" } });
    expect(baselineFingerprints(json)).toEqual(new Set([FP_A, FP_B]));
  });

  it("text: a summary, then one block per secret with where it occurs and how long it lived", () => {
    const text = renderOrganizationText(buildOrganizationReport(rows(), { generatedAt: GENERATED }));
    const blocks = text.trimEnd().split("\n\n");
    expect(blocks[0]).toBe("3 secrets recorded for the store: 1 live, 1 detected, 1 dead.");
    expect(blocks).toHaveLength(4);
    expect(blocks[1]).toContain("aaaaaaaa… …0a0a  dead  tier plugin");
    expect(blocks[1]).toContain(`fingerprint ${FP_A}`);
    expect(blocks[1]).toContain("first pushed 2025-01-01T00:00:00Z (commit date)");
    expect(blocks[1]).toContain("dead since 2025-01-03T06:00:00.000Z, 2 d 6 h after the first push");
    expect(blocks[1]).toContain("rotation via github-issue: requested: issue #7 (https://github.com/org-one/api/issues/7)");
    expect(blocks[1]).toContain(`org-one/api: .env:3 in ${SHA.slice(0, 12)} on 2025-01-02`);
    expect(blocks[1]).toContain("org-two/web: config/app.yml:3");
    expect(blocks[2]).toContain("first pushed 2025-02-01T00:00:00.000Z (first seen by the app)");
    expect(blocks[2]).not.toContain("dead since");
    expect(blocks[2]).toContain("  not verified\n");
    expect(blocks[1]).toContain("last verified dead on the plugin tier (401 invalid_session) at 2025-01-03T06:00:00.000Z");
    expect(blocks[2]).toContain("org-one/api: src/crisp.ts:3 [base64]");
  });

  it("text: says so when there is nothing, for the store or an installation", () => {
    const empty: OrganizationRows = { secrets: [], occurrences: [], rotations: [], verifications: [], repositoryInstallations: [] };
    expect(renderOrganizationText(buildOrganizationReport(empty, { generatedAt: GENERATED }))).toBe("No secrets recorded for the store.\n");
    expect(renderOrganizationText(buildOrganizationReport(rows(), { generatedAt: GENERATED, installationId: 5 }))).toBe(
      "No secrets recorded for installation 5.\n",
    );
  });

  it("text: repository names, paths and rotator details cannot drive the terminal or fake a line", () => {
    const input = rows();
    input.occurrences = [{ fingerprint: FP_B, occurrence: occ("org-one/api\x1b]0;owned\x07", "a\nFAKE LINE\r\x1b[2K.env\u202e") }];
    input.rotations = [{ fingerprint: FP_B, rotation: { rotator: "webhook", status: "failed", detail: "bad\x1b[31m", recordedAt: "2025-02-01T00:00:00.000Z" } }];
    const text = renderOrganizationText(buildOrganizationReport(input, { generatedAt: GENERATED }));
    // eslint-disable-next-line no-control-regex -- the control characters are what must not be printed
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(text).not.toContain("\nFAKE LINE");
    expect(text).toContain("org-one/api\\x1b]0;owned\\x07: a\\nFAKE LINE\\r\\x1b[2K.env\\u202e:3");
    expect(text).toContain("bad\\x1b[31m");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [59_999, "59 s"],
    [60_000, "1 min"],
    [3_600_000 - 1, "59 min"],
    [3_600_000 + 5 * 60_000, "1 h 5 min"],
    [86_400_000 - 1, "23 h 59 min"],
    [3 * 86_400_000 + 4 * 3_600_000, "3 d 4 h"],
  ])("%i ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
