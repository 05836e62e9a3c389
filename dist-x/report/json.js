export const JSON_REPORT_VERSION = 1;
function occurrence(o) {
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
function finding(f) {
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
function rotation(r) {
    return { rotator: r.rotator, status: r.status, detail: r.detail, ...(r.url ? { url: r.url } : {}) };
}
function suppressed(s) {
    return { fingerprint: s.fingerprint, reason: s.reason, occurrences: s.occurrences.map(occurrence) };
}
export function toJsonReport(report) {
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
export function renderJson(report) {
    return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
/** Reads the fingerprints of an earlier JSON report's findings (--baseline). */
export function baselineFingerprints(parsed) {
    const out = new Set();
    if (typeof parsed !== "object" || parsed === null)
        throw new Error("not a crisp-guard JSON report");
    const r = parsed;
    if (r.version !== JSON_REPORT_VERSION || !Array.isArray(r.findings)) {
        throw new Error("not a crisp-guard JSON report (version 1)");
    }
    for (const f of r.findings) {
        if (typeof f?.fingerprint === "string" && /^[0-9a-f]{64}$/.test(f.fingerprint))
            out.add(f.fingerprint);
    }
    return out;
}
//# sourceMappingURL=json.js.map