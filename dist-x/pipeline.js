import { UNVERIFIED } from "./detect/types.js";
import { shouldRotate } from "./rotate/registry.js";
function occurrenceKey(o) {
    return `${o.commit ?? ""}\0${o.path}\0${o.line}\0${o.column}\0${o.encoding}`;
}
function compareOccurrences(a, b) {
    return a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column ||
        (a.commit ?? "").localeCompare(b.commit ?? "");
}
/** Secret-wide reasons: one applies to every copy of the keypair, whatever line it sits on. */
const KEYPAIR_REASONS = ["documented-example", "placeholder"];
/** Groups candidates into findings and suppressed entries. Pure. */
export function groupCandidates(candidates, options = {}) {
    const groups = new Map();
    for (const c of candidates) {
        let g = groups.get(c.fingerprint);
        if (!g)
            groups.set(c.fingerprint, (g = { candidates: [] }));
        g.candidates.push(c);
    }
    const findings = [];
    const suppressed = [];
    for (const [fp, { candidates: group }] of groups) {
        const first = group[0];
        const keypairReason = group.map((c) => c.suppressed).find((r) => r && KEYPAIR_REASONS.includes(r));
        const listReason = options.allow?.has(fp)
            ? "config-allow"
            : options.baseline?.has(fp)
                ? "baseline"
                : null;
        const reason = keypairReason ?? listReason;
        if (reason) {
            suppressed.push({ fingerprint: fp, reason, occurrences: uniqueOccurrences(group) });
            continue;
        }
        // Inline allow marks one line, not the secret: copies elsewhere are still reported.
        const allowed = group.filter((c) => c.suppressed === "inline-allow");
        const reported = group.filter((c) => c.suppressed !== "inline-allow");
        if (allowed.length > 0) {
            suppressed.push({ fingerprint: fp, reason: "inline-allow", occurrences: uniqueOccurrences(allowed) });
        }
        if (reported.length === 0)
            continue;
        findings.push({
            fingerprint: fp,
            keypair: first.keypair,
            tier: reported.find((c) => c.tier)?.tier ?? null,
            websiteId: reported.find((c) => c.websiteId)?.websiteId ?? group.find((c) => c.websiteId)?.websiteId ?? null,
            verification: UNVERIFIED,
            rotations: [],
            occurrences: uniqueOccurrences(reported),
        });
    }
    findings.sort((a, b) => compareOccurrences(a.occurrences[0], b.occurrences[0]));
    suppressed.sort((a, b) => compareOccurrences(a.occurrences[0], b.occurrences[0]));
    return { findings, suppressed };
}
function uniqueOccurrences(group) {
    const seen = new Map();
    for (const c of group)
        seen.set(occurrenceKey(c.occurrence), c.occurrence);
    return [...seen.values()].sort(compareOccurrences);
}
/**
 * How many leaks are handed to rotators at once. One after another, two hanging rotators cost the
 * sum of their timeouts; all at once, a big leak would start a process or request per secret.
 */
export const ROTATION_CONCURRENCY = 4;
/** Runs `task` on every item, at most `limit` at a time. */
async function eachBounded(items, limit, task) {
    let next = 0;
    const lane = async () => {
        while (next < items.length)
            await task(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
/** The whole flow. Suppressed secrets are never verified nor rotated. */
export async function runPipeline(input, options = {}) {
    const result = groupCandidates(input.candidates, options);
    const { verifier, rotate } = options;
    if (verifier) {
        await Promise.all(result.findings.map(async (finding) => {
            finding.verification = await verifier.verify({
                keypair: finding.keypair,
                tier: finding.tier,
                websiteId: finding.websiteId,
                websiteIds: input.websiteIds,
            });
        }));
    }
    if (rotate) {
        const due = result.findings.filter((f) => shouldRotate(rotate.when, f.verification.status));
        await eachBounded(due, ROTATION_CONCURRENCY, async (finding) => {
            finding.rotations = await rotate.run(toLeak(finding, options));
        });
    }
    return result;
}
export function toLeak(finding, options = {}) {
    return {
        keypair: finding.keypair,
        fingerprint: finding.fingerprint,
        tier: finding.tier,
        websiteId: finding.websiteId,
        verification: finding.verification,
        occurrences: finding.occurrences,
        repository: options.repository ?? null,
        pusher: options.pusher ?? null,
    };
}
//# sourceMappingURL=pipeline.js.map