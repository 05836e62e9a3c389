// The shared flow: group candidates by fingerprint ▶ suppress ▶ verify ▶ rotate.
// Sources produce candidates; reporters consume the result. No I/O of its own: the verifier and
// the rotation runner are handed in, so the CLI, the app and the tests run the same code.
import type { Candidate, Finding, Occurrence, RotationRecord, SuppressedFinding, SuppressionReason } from "./detect/types.js";
import { UNVERIFIED } from "./detect/types.js";
import { shouldRotate } from "./lifecycle/states.js";
import type { RepoRef } from "./github/repository.js";
import type { Leak, RotateWhen } from "./rotate/types.js";
import type { Verifier } from "./verify/types.js";

export interface PipelineInput {
  candidates: readonly Candidate[];
  /** Every website id seen in the scan, for the website-tier check. */
  websiteIds: readonly string[];
}

export interface PipelineOptions {
  /** Fingerprints from an earlier report (--baseline). */
  baseline?: ReadonlySet<string>;
  /** Fingerprints allowed by the config (`allow:`), with their reason. */
  allow?: ReadonlyMap<string, string>;
  verifier?: Verifier;
  rotate?: {
    when: RotateWhen;
    run: (leak: Leak) => Promise<RotationRecord[]>;
  };
  repository?: RepoRef | null;
  pusher?: string | null;
}

export interface PipelineResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

function occurrenceKey(o: Occurrence): string {
  return `${o.commit ?? ""}\0${o.path}\0${o.line}\0${o.column}\0${o.encoding}`;
}

function compareOccurrences(a: Occurrence, b: Occurrence): number {
  return a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column ||
    (a.commit ?? "").localeCompare(b.commit ?? "");
}

/** Secret-wide reasons: one applies to every copy of the keypair, whatever line it sits on. */
const KEYPAIR_REASONS: readonly SuppressionReason[] = ["documented-example", "placeholder"];

interface Group {
  candidates: Candidate[];
}

/** Groups candidates into findings and suppressed entries. Pure. */
export function groupCandidates(
  candidates: readonly Candidate[],
  options: Pick<PipelineOptions, "baseline" | "allow"> = {},
): PipelineResult {
  const groups = new Map<string, Group>();
  for (const c of candidates) {
    let g = groups.get(c.fingerprint);
    if (!g) groups.set(c.fingerprint, (g = { candidates: [] }));
    g.candidates.push(c);
  }

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const [fp, { candidates: group }] of groups) {
    const first = group[0]!;
    const keypairReason = group.map((c) => c.suppressed).find((r) => r && KEYPAIR_REASONS.includes(r));
    const listReason: SuppressionReason | null = options.allow?.has(fp)
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
    if (reported.length === 0) continue;
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
  findings.sort((a, b) => compareOccurrences(a.occurrences[0]!, b.occurrences[0]!));
  suppressed.sort((a, b) => compareOccurrences(a.occurrences[0]!, b.occurrences[0]!));
  return { findings, suppressed };
}

function uniqueOccurrences(group: readonly Candidate[]): Occurrence[] {
  const seen = new Map<string, Occurrence>();
  for (const c of group) seen.set(occurrenceKey(c.occurrence), c.occurrence);
  return [...seen.values()].sort(compareOccurrences);
}

/**
 * How many leaks are handed to rotators at once. One after another, two hanging rotators cost the
 * sum of their timeouts; all at once, a big leak would start a process or request per secret.
 */
export const ROTATION_CONCURRENCY = 4;

/** Runs `task` on every item, at most `limit` at a time. */
async function eachBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The whole flow. Suppressed secrets are never verified nor rotated. */
export async function runPipeline(input: PipelineInput, options: PipelineOptions = {}): Promise<PipelineResult> {
  const result = groupCandidates(input.candidates, options);
  const { verifier, rotate } = options;
  if (verifier) {
    await Promise.all(
      result.findings.map(async (finding) => {
        finding.verification = await verifier.verify({
          keypair: finding.keypair,
          tier: finding.tier,
          websiteId: finding.websiteId,
          websiteIds: input.websiteIds,
        });
      }),
    );
  }
  if (rotate) {
    const due = result.findings.filter((f) => shouldRotate(rotate.when, f.verification.status));
    await eachBounded(due, ROTATION_CONCURRENCY, async (finding) => {
      finding.rotations = await rotate.run(toLeak(finding, options));
    });
  }
  return result;
}

export function toLeak(finding: Finding, options: Pick<PipelineOptions, "repository" | "pusher"> = {}): Leak {
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
