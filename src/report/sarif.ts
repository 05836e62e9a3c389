// SARIF 2.1.0 for GitHub code scanning: one result per occurrence, rule crisp-token-keypair,
// partialFingerprints crispKeypair/v1 = the secret's fingerprint (DESIGN.md).
import type { Finding } from "../detect/types.js";
import type { ScanReport } from "./model.js";
import { incompleteLine } from "./text.js";

export const SARIF_RULE_ID = "crisp-token-keypair";
const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function level(f: Finding): "error" | "warning" {
  return f.verification.status === "live" ? "error" : "warning";
}

function message(f: Finding): string {
  const v = f.verification;
  const status =
    v.status === "unverified" ? "not verified" : `${v.status.toUpperCase()}${v.tier ? ` (${v.tier} tier)` : ""}`;
  const rotation = f.rotations.length
    ? `; rotation: ${f.rotations.map((r) => `${r.rotator} ${r.status}`).join(", ")}`
    : "";
  return `Crisp token keypair ${f.keypair.redacted} committed: ${status}${rotation}. Roll the token in Crisp; removing it from git history does not make it safe.`;
}

/** SARIF's uri is a URI reference: each path segment percent-encoded (spaces, #, %, …). */
export function pathToUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function toSarif(report: ScanReport) {
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: "https://github.com/crisp-guard/crisp-guard",
            rules: [
              {
                id: SARIF_RULE_ID,
                name: "CrispTokenKeypair",
                shortDescription: { text: "Crisp API token keypair (identifier and key) committed" },
                fullDescription: {
                  text: "A Crisp REST API token keypair grants access to a Crisp workspace or plugin. Roll it in Crisp: website tokens in Settings > Workspace Settings > Advanced configuration, plugin tokens in the Marketplace dashboard.",
                },
                defaultConfiguration: { level: "error" },
                properties: { tags: ["security", "secret"] },
              },
            ],
          },
        },
        // An incomplete scan says so where code scanning shows tool problems.
        ...(report.scan.incomplete || report.scan.shallow ? { invocations: [invocation(report)] } : {}),
        results: report.findings.flatMap((f) =>
          f.occurrences.map((o) => ({
            ruleId: SARIF_RULE_ID,
            level: level(f),
            message: { text: message(f) },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: pathToUri(o.path) },
                  region: { startLine: o.line, startColumn: o.column },
                },
              },
            ],
            partialFingerprints: { "crispKeypair/v1": f.fingerprint },
            properties: {
              verification: f.verification.status,
              encoding: o.encoding,
              ...(o.commit ? { commit: o.commit } : {}),
            },
          })),
        ),
      },
    ],
  };
}

function invocation(report: ScanReport) {
  const notes: Array<{ level: "error" | "note"; message: { text: string } }> = [];
  const missing = report.scan.missingObjects ?? [];
  if (report.scan.incomplete) {
    notes.push({ level: "error", message: { text: incompleteLine(missing) } });
  }
  if (report.scan.shallow) {
    notes.push({ level: "note", message: { text: "The history is shallow: each boundary commit holds everything before it." } });
  }
  return {
    executionSuccessful: !report.scan.incomplete,
    toolExecutionNotifications: notes,
    ...(report.scan.incomplete ? { properties: { incomplete: true, missingObjects: missing } } : {}),
  };
}

export function renderSarif(report: ScanReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
