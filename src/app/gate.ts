// Pure: the merge gate's verdict on a pull request and the "Crisp Guard" check run that carries it.
// A security gate fails closed: what it could not decide (Crisp unreachable, a commit unreadable)
// fails, because GitHub counts a "neutral" check run as passing a required check, so a neutral
// gate would let an unverified leak merge.
import type { Finding } from "../detect/types.js";
import type { GateMode } from "../config/repo-config.js";
import { CHECK_RUN_SUMMARY_MAX_CHARS, checkRunOutput, type CheckAnnotation, type CheckRunOutput } from "../report/github-text.js";
import type { ScanGap } from "../sources/push.js";
import { appendIncompleteNote } from "./report-notes.js";

/** GitHub: a check run's title is at most 255 characters (Checks API, output.title). */
const CHECK_RUN_TITLE_MAX_CHARS = 255;

/** Why a finding fails the gate, or null when it does not. */
export type GateReason = "live" | "any" | "unknown";

export interface GateVerdict {
  conclusion: "success" | "failure";
  /** Fingerprint → why it fails the gate (only failing findings). */
  failing: Map<string, GateReason>;
  /** The scan could not read part of the pull request. */
  incomplete: boolean;
}

/**
 * `gate: live` fails on a live keypair, and on one whose liveness is not known (Crisp did not answer,
 * or verification is off): it cannot tell that one is dead. `gate: any` fails on every keypair found
 * (suppressed ones never reach here). A scan with gaps fails whatever it found.
 */
export function gateVerdict(findings: readonly Finding[], mode: GateMode, gaps: readonly ScanGap[]): GateVerdict {
  const failing = new Map<string, GateReason>();
  for (const f of findings) {
    const status = f.verification.status;
    if (status === "live") failing.set(f.fingerprint, "live");
    else if (mode === "any") failing.set(f.fingerprint, "any");
    else if (status !== "dead") failing.set(f.fingerprint, "unknown");
  }
  const incomplete = gaps.length > 0;
  return { conclusion: failing.size > 0 || incomplete ? "failure" : "success", failing, incomplete };
}

export interface GateReportInput {
  number: number;
  baseSha: string;
  headSha: string;
  fork: boolean;
  mode: GateMode;
  /** Commits in base...head. */
  commits: number;
  /** Of those, commits whose findings came from the store (an earlier scan read them). */
  reusedCommits: number;
  gaps: readonly ScanGap[];
  configError: string | null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function gateTitle(verdict: GateVerdict, findings: readonly Finding[]): string {
  const count = (reason: GateReason) => [...verdict.failing.values()].filter((r) => r === reason).length;
  const parts: string[] = [];
  if (count("live") > 0) parts.push(`${plural(count("live"), "live Crisp token keypair")}`);
  if (count("any") > 0) parts.push(`${plural(count("any"), "Crisp token keypair")} not confirmed live (gate: any)`);
  if (count("unknown") > 0) parts.push(`${plural(count("unknown"), "keypair")} whose liveness could not be verified`);
  if (verdict.incomplete) parts.push("part of the pull request could not be read");
  const title =
    verdict.conclusion === "failure"
      ? `Merge gate failed: ${parts.join(", ")}`
      : findings.length > 0
        ? `Merge gate passed: ${plural(findings.length, "Crisp token keypair")} found, none live`
        : "Merge gate passed: no Crisp token keypair found";
  return title.length > CHECK_RUN_TITLE_MAX_CHARS ? `${title.slice(0, CHECK_RUN_TITLE_MAX_CHARS - 1)}…` : title;
}

function gateSection(verdict: GateVerdict, input: GateReportInput): string {
  const range = `\`${input.baseSha.slice(0, 12)}...${input.headSha.slice(0, 12)}\``;
  const covered =
    `Pull request #${input.number}${input.fork ? " (from a fork)" : ""}: ${plural(input.commits, "commit")} ` +
    `in ${range}, from the merge base` +
    (input.reusedCommits > 0 ? ` (${input.reusedCommits} already scanned when pushed, taken from the store)` : "") +
    ".";
  const rule =
    input.mode === "any"
      ? `Gate \`any\`: any Crisp token keypair that is not allowed fails it${input.configError ? " (the strictest rule, since the configuration could not be used)" : ""}.`
      : "Gate `live`: a live Crisp token keypair fails it, and so does one whose liveness could not be verified.";
  const why: string[] = [];
  if ([...verdict.failing.values()].includes("unknown")) {
    why.push(
      "**Verification was unknown** (Crisp did not answer, or `verify` is off), so the gate fails closed: " +
        "redeliver this pull request's latest delivery (the app's **Advanced > Recent deliveries**) or push again to check once more.",
    );
  }
  if (verdict.incomplete) why.push("**Part of the pull request could not be read**, so the gate fails closed (listed below).");
  const verdictLine = verdict.conclusion === "failure" ? "### :x: Merge gate: failed" : "### :white_check_mark: Merge gate: passed";
  return [verdictLine, "", covered, rule, ...why.flatMap((w) => ["", w]), "", ""].join("\n");
}

/** Annotations for the gate: at every place a failing keypair sits, at failure level. */
function gateAnnotations(findings: readonly Finding[], verdict: GateVerdict): CheckAnnotation[] {
  return findings.flatMap((f) =>
    checkRunOutput([f]).annotations.map((a) => ({
      ...a,
      annotation_level: verdict.failing.has(f.fingerprint) ? ("failure" as const) : ("warning" as const),
    })),
  );
}

/** The gate's check run: conclusion, title, summary (never a secret) and annotations. */
export function gateOutput(findings: readonly Finding[], input: GateReportInput): CheckRunOutput {
  const verdict = gateVerdict(findings, input.mode, input.gaps);
  const base = checkRunOutput(findings, input.configError ? { configError: input.configError } : {});
  const details =
    findings.length === 0
      ? `${input.configError ? base.summary.replace(/No Crisp API token keypair was found in the pushed commits\.$/, "") : ""}` +
        "No Crisp API token keypair was found in the pull request's commits."
      : base.summary;
  const summary = `${gateSection(verdict, input)}${details}`.slice(0, CHECK_RUN_SUMMARY_MAX_CHARS);
  return {
    conclusion: verdict.conclusion,
    title: gateTitle(verdict, findings),
    summary: appendIncompleteNote(summary, input.gaps),
    annotations: gateAnnotations(findings, verdict),
  };
}
