/** Suppressions that come from the repository's settings, not from the commit itself. */
const SETTING_REASONS = new Set(["config-allow", "baseline"]);
export function completelyScannedCommits(scan, suppressed) {
    const partial = new Set();
    for (const gap of scan.incomplete)
        if (gap.commit)
            partial.add(gap.commit);
    for (const s of suppressed) {
        if (!SETTING_REASONS.has(s.reason))
            continue;
        // An allowed keypair is not recorded as a finding: a gate without that allow entry must see it.
        for (const o of s.occurrences)
            if (o.commit)
                partial.add(o.commit);
    }
    // paths-ignore skipped files: a scan with other globs would read them.
    return scan.commits.filter((c) => c.skippedIgnored === 0 && !partial.has(c.sha)).map((c) => c.sha);
}
//# sourceMappingURL=scanned-commits.js.map