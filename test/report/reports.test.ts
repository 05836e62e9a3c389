import { describe, expect, it } from "vitest";
import { groupCandidates } from "../../src/pipeline.js";
import { baselineFingerprints, renderJson, toJsonReport } from "../../src/report/json.js";
import type { ScanReport } from "../../src/report/model.js";
import { pathToUri, renderSarif, SARIF_RULE_ID, toSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { makeCandidate } from "../helpers/candidates.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

function reportFor(kp = randomKeypair()) {
  const grouped = groupCandidates([
    makeCandidate(kp, { path: "config/.env", line: 4, column: 11 }, { tier: "plugin" }),
    makeCandidate(kp, { path: "src/app.ts", line: 12, column: 3, commit: "a".repeat(40), author: "Dev <d@x>", date: "2026-01-02T03:04:05Z", encoding: "base64" }),
    makeCandidate(undefined, { path: "README.md" }, { suppressed: "documented-example" }),
  ]);
  const finding = grouped.findings[0]!;
  finding.verification = { status: "live", tier: "plugin", reason: "200 OK", checkedAt: "2026-01-01T00:00:00.000Z", pluginId: "p-1" };
  finding.rotations = [
    { rotator: "github-issue", status: "requested", detail: "opened #3", url: "https://github.com/o/r/issues/3" },
    { rotator: "webhook", status: "failed", detail: "HTTP 500" },
  ];
  const report: ScanReport = {
    tool: { name: "crisp-guard", version: "9.9.9" },
    scan: { source: "dir", target: ".", durationMs: 12.7, filesScanned: 3, bytesScanned: 100 },
    findings: grouped.findings,
    suppressed: grouped.suppressed,
  };
  return { kp, report };
}

describe("JSON report", () => {
  it("follows the version 1 contract", () => {
    const { kp, report } = reportFor();
    const json = toJsonReport(report);
    expect(json.version).toBe(1);
    expect(json.tool).toEqual({ name: "crisp-guard", version: "9.9.9" });
    expect(json.scan).toEqual({ source: "dir", target: ".", durationMs: 13, filesScanned: 3, bytesScanned: 100 });
    expect(json.findings).toHaveLength(1);
    const f = json.findings[0]!;
    expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(f.identifier).toBe(`${kp.identifier.slice(0, 8)}…`);
    expect(f.keyHint).toBe(`…${kp.key.slice(-4)}`);
    expect(f.tier).toBe("plugin");
    expect(f.websiteId).toBeNull();
    expect(f.verification).toEqual({ status: "live", tier: "plugin", reason: "200 OK", checkedAt: "2026-01-01T00:00:00.000Z", pluginId: "p-1" });
    expect(f.rotation).toEqual({ rotator: "github-issue", status: "requested", detail: "opened #3", url: "https://github.com/o/r/issues/3" });
    expect(f.rotations).toHaveLength(2);
    expect(f.occurrences).toEqual([
      { path: "config/.env", line: 4, column: 11, encoding: "plain" },
      { path: "src/app.ts", line: 12, column: 3, commit: "a".repeat(40), author: "Dev <d@x>", date: "2026-01-02T03:04:05Z", encoding: "base64" },
    ]);
    expect(json.suppressed).toMatchObject([{ reason: "documented-example", occurrences: [{ path: "README.md" }] }]);
  });

  it("never holds a raw half, and round-trips as a baseline", () => {
    const { kp, report } = reportFor();
    const text = renderJson(report);
    expect(holdsRaw(text, kp)).toBe(false);
    const fps = baselineFingerprints(JSON.parse(text));
    expect([...fps]).toEqual([report.findings[0]!.fingerprint]);
  });

  it("rejects a baseline that is not a report", () => {
    expect(() => baselineFingerprints({ hello: 1 })).toThrow(/not a crisp-guard JSON report/);
    expect(() => baselineFingerprints(null)).toThrow();
  });
});

describe("SARIF", () => {
  it("has one result per occurrence with the fingerprint as partial fingerprint", () => {
    const { kp, report } = reportFor();
    const sarif = toSarif(report);
    expect(sarif.version).toBe("2.1.0");
    const results = sarif.runs[0]!.results;
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.ruleId).toBe(SARIF_RULE_ID);
      expect(r.level).toBe("error");
      expect(r.partialFingerprints).toEqual({ "crispKeypair/v1": report.findings[0]!.fingerprint });
    }
    expect(results[0]!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "config/.env" },
      region: { startLine: 4, startColumn: 11 },
    });
    expect(holdsRaw(renderSarif(report), kp)).toBe(false);
  });

  it("percent-encodes each path segment of the artifact uri", () => {
    expect(pathToUri("docs/my notes/#1 100%.md")).toBe("docs/my%20notes/%231%20100%25.md");
    expect(pathToUri("src/app.ts")).toBe("src/app.ts");
  });

  it("uses warning for anything not live", () => {
    const { report } = reportFor();
    report.findings[0]!.verification = { status: "dead", tier: "plugin", reason: "401", checkedAt: null };
    expect(toSarif(report).runs[0]!.results.every((r) => r.level === "warning")).toBe(true);
  });
});

describe("text report", () => {
  it("marks LIVE loudly and lists every place, without the secret", () => {
    const { kp, report } = reportFor();
    const text = renderText(report);
    expect(text).toContain("LIVE on the plugin tier");
    expect(text).toContain("config/.env:4:11");
    expect(text).toContain("src/app.ts:12:3 in aaaaaaaaaaaa by Dev <d@x> on 2026-01-02 [base64]");
    expect(text).toContain("rotation via github-issue: requested: opened #3");
    expect(text).toContain("1 Crisp token keypair found, 1 LIVE.");
    expect(holdsRaw(text, kp)).toBe(false);
    expect(holdsRaw(renderText(report, { color: true }), kp)).toBe(false);
  });

  it("says so when nothing was found", () => {
    const text = renderText({
      tool: { name: "crisp-guard", version: "1" },
      scan: { source: "dir", target: ".", durationMs: 1, filesScanned: 0, bytesScanned: 0 },
      findings: [],
      suppressed: [],
    });
    expect(text).toContain("No Crisp token keypair found.");
  });
});
