// The merge-gate worker: domain code taking an Octokit and plain data, like the push worker. It
// lists the pull request's commits (base...head on the base repository: forks included), takes
// from the store what earlier scans found in commits they read completely, scans the rest, verifies
// and rotates what is new through the same pipeline as a push, and reports one "Crisp Guard" check
// run on the head. It never comments on a commit: the check run is the report, and a fork's commits
// are someone else's.
import { repoRefOf, repositoryName } from "../github/repository.js";
import { RedactedKeypair } from "../lifecycle/findings.js";
import type { Finding, Occurrence } from "../detect/types.js";
import { UNVERIFIED } from "../detect/types.js";
import { runPipeline } from "../pipeline.js";
import { pathMatcher } from "../config/repo-config.js";
import { reportCheckRunOnce } from "../report/check-run-once.js";
import { listPullRequestCommits } from "../sources/pull-request.js";
import { scanCommits, type PushScanResult, type ScanGap } from "../sources/push.js";
import type { PullRequestJobPayload, Store } from "../store/types.js";
import { VERSION } from "../version.js";
import { gateOutput, gateVerdict } from "./gate.js";
import { loadRepoConfig } from "./repo-config-loader.js";
import { completelyScannedCommits } from "./scanned-commits.js";
import type { GitHubClient } from "../github/client.js";
import { chooseRotators, scheduleRechecks, recordFindings, rotateOnce, scanOptions, type WorkerDeps } from "./worker.js";

export interface PullRequestJob {
  deliveryId: string;
  pullRequest: PullRequestJobPayload;
  /** 1 on the first run; more when resumed after a crash (the check run is then looked up first). */
  attempt: number;
}

export interface PullRequestSummary {
  repository: string;
  number: number;
  headSha: string;
  commits: number;
  /** Commits whose findings came from the store rather than from GitHub. */
  reusedCommits: number;
  files: number;
  findings: number;
  live: number;
  rotated: number;
  conclusion: "success" | "failure";
  checkRunId: number | null;
  /** What leaves the gate undecided or unreported; the job is marked failed with these (a redelivery retries). */
  errors: string[];
  ms: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Decisive answers: an earlier verification the gate can rely on without asking Crisp again. */
const DECISIVE = new Set(["live", "dead"]);

interface Reused {
  findings: Finding[];
  /** Commits scanned before whose findings are not usable as stored: read again. */
  rescan: Set<string>;
}

/**
 * The findings an earlier scan recorded in these commits, as the gate sees them today: allowed
 * fingerprints and ignored paths dropped. A secret verified only "unknown" (or never) sends its
 * commits back to be read, so that its keypair can be verified now.
 */
async function reuseStored(
  store: Store,
  repository: string,
  commits: readonly string[],
  options: { verify: boolean; ignore: (path: string) => boolean; allow: ReadonlyMap<string, string> },
): Promise<Reused> {
  const rows = await store.occurrencesInCommits(repository, commits);
  const byFingerprint = new Map<string, Occurrence[]>();
  for (const { fingerprint, occurrence } of rows) {
    if (options.allow.has(fingerprint) || options.ignore(occurrence.path)) continue;
    const { repository: _r, recordedAt: _at, ...o } = occurrence;
    const list = byFingerprint.get(fingerprint) ?? [];
    list.push(o);
    byFingerprint.set(fingerprint, list);
  }
  const rescan = new Set<string>();
  const candidates: Finding[] = [];
  for (const [fingerprint, occurrences] of byFingerprint) {
    const secret = await store.getSecret(fingerprint);
    const latest = await store.latestVerification(fingerprint);
    if (!secret || (options.verify && (!latest || !DECISIVE.has(latest.status)))) {
      for (const o of occurrences) if (o.commit) rescan.add(o.commit);
      continue;
    }
    const { recordedAt: _at, ...verification } = latest ?? { ...UNVERIFIED, recordedAt: "" };
    candidates.push({
      fingerprint,
      keypair: new RedactedKeypair(secret),
      tier: secret.tier,
      websiteId: secret.websiteId,
      verification,
      rotations: (await store.rotationsOf(fingerprint)).map(({ recordedAt: _r, ...r }) => r),
      occurrences,
    });
  }
  // A commit read again brings all its secrets back fresh: none of them is taken from the store too.
  const findings = candidates
    .map((f) => ({ ...f, occurrences: f.occurrences.filter((o) => !o.commit || !rescan.has(o.commit)) }))
    .filter((f) => f.occurrences.length > 0);
  return { findings, rescan };
}

/**
 * A merge commit's files are diffed against its first parent, so "update branch" (the base merged
 * into the pull request) shows everything the base gained: a secret the store has already seen in
 * this repository in a commit outside the pull request is the base's, not the pull request's.
 */
async function withoutBaseSecrets(
  store: Store,
  repository: string,
  scan: Pick<PushScanResult, "commits" | "candidates">,
  prCommits: ReadonlySet<string>,
): Promise<PushScanResult["candidates"]> {
  const merges = new Set(scan.commits.filter((c) => c.merge).map((c) => c.sha));
  if (merges.size === 0) return scan.candidates;
  const fromBase = new Map<string, boolean>();
  const kept: PushScanResult["candidates"] = [];
  for (const c of scan.candidates) {
    if (!c.occurrence.commit || !merges.has(c.occurrence.commit)) {
      kept.push(c);
      continue;
    }
    let base = fromBase.get(c.fingerprint);
    if (base === undefined) {
      const seen = await store.occurrencesOf(c.fingerprint);
      base = seen.some((o) => o.repository === repository && o.commit !== undefined && !prCommits.has(o.commit));
      fromBase.set(c.fingerprint, base);
    }
    if (!base) kept.push(c);
  }
  return kept;
}

/** One finding per secret: a fresh one's verification and rotations win; the places are merged. */
function mergeFindings(fresh: readonly Finding[], stored: readonly Finding[]): Finding[] {
  const out = new Map<string, Finding>();
  for (const f of fresh) out.set(f.fingerprint, f);
  for (const s of stored) {
    const f = out.get(s.fingerprint);
    out.set(s.fingerprint, f ? { ...f, occurrences: [...f.occurrences, ...s.occurrences] } : s);
  }
  return [...out.values()];
}

/** Gates one pull request head. Throws on GitHub read errors (the job fails); write errors are in `errors`. */
export async function processPullRequest(octokit: GitHubClient, job: PullRequestJob, deps: WorkerDeps): Promise<PullRequestSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { pullRequest: pr, deliveryId } = job;
  const repoRef = repoRefOf(pr);
  const repository = repositoryName(pr);
  const summary: PullRequestSummary = {
    repository, number: pr.number, headSha: pr.headSha, commits: 0, reusedCommits: 0, files: 0, findings: 0, live: 0,
    rotated: 0, conclusion: "failure", checkRunId: null, errors: [], ms: 0,
  };

  // The base repository's config (its default branch, or the organization's): a pull request must
  // not be able to relax the gate that checks it by editing .github/crisp-guard.yml.
  const loaded = await loadRepoConfig(octokit, repoRef);
  // A config that cannot be used (invalid, or unreadable just now) must not weaken the gate it may
  // have set: the gate then applies its strictest rule, and the summary says why.
  const config = loaded.error ? { ...loaded.config, gate: "any" as const } : loaded.config;
  const configErrors = loaded.error ? [loaded.error] : [];
  const ignore = pathMatcher(config.pathsIgnore);
  const allow = new Map(config.allow.map((a) => [a.fingerprint, a.reason]));

  const listed = await listPullRequestCommits(octokit, repoRef, { baseSha: pr.baseSha, headSha: pr.headSha });
  const gaps: ScanGap[] = listed.gap ? [listed.gap] : [];
  summary.commits = listed.shas.length;

  const known = await deps.store.scannedCommits(repository, listed.shas, VERSION);
  const reused = await reuseStored(deps.store, repository, [...known], { verify: config.verify, ignore, allow });
  const toScan = listed.shas.filter((sha) => !known.has(sha) || reused.rescan.has(sha));
  summary.reusedCommits = listed.shas.length - toScan.length;

  const scan = await scanCommits(octokit, repoRef, toScan, { ...scanOptions(deps.scan), pathsIgnore: ignore });
  gaps.push(...scan.incomplete);
  scan.candidates = await withoutBaseSecrets(deps.store, repository, scan, new Set(listed.shas));
  summary.files = scan.stats.filesScanned;

  const selection = chooseRotators(deps, config.rotate, octokit, repoRef);
  if (selection.error) configErrors.push(selection.error);
  const configError = configErrors.length > 0 ? configErrors.join("\n") : null;

  // The keypair has leaked to whoever can see the pull request: rotation as for a push.
  const rotatedNow = new Set<string>();
  const result = await runPipeline(
    { candidates: scan.candidates, websiteIds: scan.websiteIds },
    {
      verifier: config.verify ? deps.verifier : undefined,
      allow,
      repository: repoRef,
      pusher: pr.author,
      rotate: rotateOnce(deps, pr.installationId, selection, rotatedNow),
    },
  );
  summary.rotated = rotatedNow.size;

  const toSchedule = await recordFindings(deps.store, repository, result.findings, rotatedNow);
  await scheduleRechecks(deps, toSchedule, { deliveryId, repository });
  await deps.store.recordScannedCommits(repository, completelyScannedCommits(scan, result.suppressed), VERSION);

  const findings = mergeFindings(result.findings, reused.findings);
  summary.findings = findings.length;
  summary.live = findings.filter((f) => f.verification.status === "live").length;

  const report = {
    number: pr.number, baseSha: pr.baseSha, headSha: pr.headSha, fork: pr.fork, mode: config.gate,
    commits: listed.shas.length, reusedCommits: summary.reusedCommits, gaps, configError,
  };
  const output = gateOutput(findings, report);
  const verdict = gateVerdict(findings, config.gate, gaps);
  summary.conclusion = verdict.conclusion;
  const unknown = [...verdict.failing.values()].filter((r) => r === "unknown").length;
  if (unknown > 0 && config.verify) {
    summary.errors.push(`${unknown} keypair(s) could not be verified: the gate failed closed; redeliver to verify again`);
  }
  try {
    // external_id = the delivery id: a resumed job finds the run an earlier attempt created. The run
    // is not recorded for the re-check lifecycle, which would rewrite it with a push's conclusion.
    const run = await deps.content.run(pr.installationId, () =>
      reportCheckRunOnce(octokit, repoRef, pr.headSha, output, { externalId: deliveryId, resumed: job.attempt > 1 }),
    );
    summary.checkRunId = run.checkRunId;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    summary.errors.push(`check run failed (${typeof status === "number" ? status : "no status"}): ${message(error)}`);
  }
  summary.ms = now() - started;
  return summary;
}
