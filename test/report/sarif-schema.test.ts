// The SARIF report against the SARIF 2.1.0 JSON schema (the copy @microsoft/jest-sarif ships, the
// schema SchemaStore publishes) and against what GitHub code scanning needs to accept and show it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import { groupCandidates } from "../../src/pipeline.js";
import type { ScanReport } from "../../src/report/model.js";
import { renderSarif, SARIF_HELP_URI, toSarif } from "../../src/report/sarif.js";
import { makeCandidate } from "../helpers/candidates.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

const require = createRequire(import.meta.url);
// Both are CommonJS with an `exports.default`: under NodeNext the default import is module.exports.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const schemaPath = join(dirname(require.resolve("@microsoft/jest-sarif/package.json")), "lib/schemas/sarif-2.1.0-rtm.5.json");

function validator() {
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  // The schema's language pattern is not valid with the u flag; JSON Schema patterns are ECMA-262 without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function reportWith(findings: Array<{ live: boolean; occurrences: number }>): { report: ScanReport; kps: Array<{ identifier: string; key: string }> } {
  const kps = findings.map(() => randomKeypair());
  const candidates = findings.flatMap((f, i) =>
    Array.from({ length: f.occurrences }, (_, n) =>
      makeCandidate(kps[i], { path: `dir ${i}/file#${n}.env`, line: n + 1, column: 3, commit: "b".repeat(40) }),
    ),
  );
  const grouped = groupCandidates(candidates);
  const liveFingerprints = new Set(kps.filter((_, i) => findings[i]!.live).map((kp) => new Keypair(kp.identifier, kp.key).fingerprint));
  for (const finding of grouped.findings) {
    finding.verification = liveFingerprints.has(finding.fingerprint)
      ? { status: "live", tier: "website", reason: "200", checkedAt: "2026-01-01T00:00:00.000Z" }
      : { status: "dead", tier: null, reason: "401", checkedAt: "2026-01-01T00:00:00.000Z" };
  }
  return {
    kps,
    report: {
      tool: { name: "crisp-guard", version: "1.2.3" },
      scan: { source: "git", target: ".", durationMs: 1, blobsScanned: 1, bytesScanned: 1 },
      findings: grouped.findings,
      suppressed: grouped.suppressed,
    },
  };
}

describe("SARIF for GitHub code scanning", () => {
  it("validates against the SARIF 2.1.0 schema, with findings and with none", () => {
    const validate = validator();
    for (const { report } of [reportWith([{ live: true, occurrences: 2 }, { live: false, occurrences: 1 }]), reportWith([])]) {
      const ok = validate(JSON.parse(renderSarif(report)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("the validator does reject a malformed log (the test can fail)", () => {
    const validate = validator();
    const { report } = reportWith([{ live: true, occurrences: 1 }]);
    const bad = JSON.parse(renderSarif(report));
    bad.runs[0].results[0].level = "critical";
    expect(validate(bad)).toBe(false);
  });

  it("the rule carries help (text and markdown) on rolling each tier, helpUri, security-severity and tags", () => {
    const rule = toSarif(reportWith([]).report).runs[0]!.tool.driver.rules[0]!;
    for (const help of [rule.help.text, rule.help.markdown]) {
      expect(help).toContain("Settings > Workspace Settings > Advanced configuration");
      expect(help).toMatch(/Marketplace.*dashboard.*plugin > \**Tokens/);
      expect(help).toMatch(/identifier/);
    }
    expect(rule.helpUri).toBe(SARIF_HELP_URI);
    expect(rule.helpUri).toMatch(/^https:\/\/github\.com\/.+#rolling-a-leaked-keypair$/);
    expect(Number(rule.properties["security-severity"])).toBeGreaterThanOrEqual(9);
    expect(rule.properties.tags).toEqual(expect.arrayContaining(["security", "secret"]));
    expect(rule.properties.tags.length).toBeLessThanOrEqual(10);
  });

  it("keeps partialFingerprints and one location per result", () => {
    const { report } = reportWith([{ live: true, occurrences: 3 }]);
    const results = toSarif(report).runs[0]!.results;
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.partialFingerprints).toEqual({ "crispKeypair/v1": report.findings[0]!.fingerprint });
      expect(r.locations).toHaveLength(1);
    }
  });

  it("cuts to the results-per-run limit, live results first, and says so in the run and to the caller", () => {
    const { report, kps } = reportWith([{ live: false, occurrences: 4 }, { live: true, occurrences: 3 }]);
    const warnings: string[] = [];
    const sarif = toSarif(report, { maxResults: 5, onWarning: (m) => warnings.push(m) });
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(5);
    expect(run.results.slice(0, 3).every((r) => r.level === "error")).toBe(true);
    expect(run.properties).toEqual({ truncated: true, resultsTotal: 7, resultsIncluded: 5, limit: "results per run" });
    expect(warnings).toEqual([expect.stringContaining("5 of 7 results")]);
    for (const kp of kps) expect(holdsRaw(JSON.stringify(sarif) + warnings.join(""), kp)).toBe(false);
    // Under the limit: no cut, no note.
    const whole = toSarif(report, { onWarning: (m) => warnings.push(m) });
    expect(whole.runs[0]!.results).toHaveLength(7);
    expect("properties" in whole.runs[0]!).toBe(false);
    expect(warnings).toHaveLength(1);
  });
});
