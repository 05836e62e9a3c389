// Pure: which commits of a scan were read completely, so that a later scan of the same commits (the
// merge gate of a pull request holding them) may take their findings from the store instead of
// reading them again. A commit is left out when anything of it was not looked at, or was looked at
// under a repository setting that another scan might not share.
import type { SuppressedFinding } from "../detect/types.js";
import type { PushScanResult } from "../sources/push.js";

/** Suppressions that come from the repository's settings, not from the commit itself. */
const SETTING_REASONS: ReadonlySet<string> = new Set(["config-allow", "baseline"]);

export function completelyScannedCommits(
  scan: Pick<PushScanResult, "commits" | "incomplete">,
  suppressed: readonly SuppressedFinding[],
): string[] {
  const partial = new Set<string>();
  for (const gap of scan.incomplete) if (gap.commit) partial.add(gap.commit);
  for (const s of suppressed) {
    if (!SETTING_REASONS.has(s.reason)) continue;
    // An allowed keypair is not recorded as a finding: a gate without that allow entry must see it.
    for (const o of s.occurrences) if (o.commit) partial.add(o.commit);
  }
  // paths-ignore skipped files: a scan with other globs would read them.
  return scan.commits.filter((c) => c.skippedIgnored === 0 && !partial.has(c.sha)).map((c) => c.sha);
}
