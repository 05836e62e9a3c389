// The JSON report, version 1 (DESIGN.md). Built field by field from redacted values: the Keypair
// object itself never reaches JSON.stringify here.
import type { Finding, Occurrence, SuppressedFinding } from "../detect/types.js";
import type { ScanReport } from "./model.js";

export const JSON_REPORT_VERSION = 1;

function occurrence(o: Occurrence) {
  return {
    path: o.path,
    line: o.line,
    column: o.column,
    ...(o.commit !== undefined ? { commit: o.commit } : {}),
    ...(o.author !== undefined ? { author: o.author } : {}),
    ...(o.date !== undefined ? { date: o.date } : {}),
    ...(o.shallowBoundary ? { shallowBoundary: true } : {}),
    encoding: o.encoding,
  };
}

function finding(f: Finding) {
  const first = f.rotations[0];
  return {
    fingerprint: f.fingerprint,
    identifier: f.keypair.redactedIdentifier,
    keyHint: f.keypair.keyHint,
    tier: f.tier,
    websiteId: f.websiteId,
    verification: {
      status: f.verification.status,
      tier: f.verification.tier,
      reason: f.verification.reason,
      checkedAt: f.verification.checkedAt,
      ...(f.verification.pluginId ? { pluginId: f.verification.pluginId } : {}),
      ...(f.verification.websiteName ? { websiteName: f.verification.websiteName } : {}),
    },
    rotation: first ? rotation(first) : null,
    // Every rotator's outcome when several ran; `rotation` stays the first, as the contract says.
    ...(f.rotations.length > 1 ? { rotations: f.rotations.map(rotation) } : {}),
    occurrences: f.occurrences.map(occurrence),
  };
}

function rotation(r: Finding["rotations"][number]) {
  return { rotator: r.rotator, status: r.status, detail: r.detail, ...(r.url ? { url: r.url } : {}) };
}

function suppressed(s: SuppressedFinding) {
  return { fingerprint: s.fingerprint, reason: s.reason, occurrences: s.occurrences.map(occurrence) };
}

export function toJsonReport(report: ScanReport) {
  const { scan } = report;
  return {
    version: JSON_REPORT_VERSION,
    tool: report.tool,
    scan: {
      source: scan.source,
      target: scan.target,
      durationMs: Math.round(scan.durationMs),
      ...(scan.filesScanned !== undefined ? { filesScanned: scan.filesScanned } : {}),
      ...(scan.blobsScanned !== undefined ? { blobsScanned: scan.blobsScanned } : {}),
      bytesScanned: scan.bytesScanned,
      ...(scan.commits !== undefined ? { commits: scan.commits } : {}),
      ...(scan.skippedLarge !== undefined ? { skippedLarge: scan.skippedLarge } : {}),
      ...(scan.skippedBinary !== undefined ? { skippedBinary: scan.skippedBinary } : {}),
      ...(scan.unreadable !== undefined ? { unreadable: scan.unreadable } : {}),
      ...(scan.incomplete ? { incomplete: true, missingObjects: scan.missingObjects ?? [] } : {}),
      ...(scan.shallow ? { shallow: true } : {}),
    },
    findings: report.findings.map(finding),
    suppressed: report.suppressed.map(suppressed),
  };
}

export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

/** Reads the fingerprints of an earlier JSON report's findings (--baseline). */
export function baselineFingerprints(parsed: unknown): Set<string> {
  const out = new Set<string>();
  if (typeof parsed !== "object" || parsed === null) throw new Error("not a crisp-guard JSON report");
  const r = parsed as { version?: unknown; findings?: unknown };
  if (r.version !== JSON_REPORT_VERSION || !Array.isArray(r.findings)) {
    throw new Error("not a crisp-guard JSON report (version 1)");
  }
  for (const f of r.findings as Array<{ fingerprint?: unknown }>) {
    if (typeof f?.fingerprint === "string" && /^[0-9a-f]{64}$/.test(f.fingerprint)) out.add(f.fingerprint);
  }
  return out;
}
