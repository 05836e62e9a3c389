// Pure text for the GitHub reporter: commit comment bodies and check-run output.
// No I/O here; src/report/github.ts sends what these functions return.
import type { Keypair } from "../detect/fingerprint.js";
import type { Finding, Occurrence, RotationRecord, Tier, Verification } from "../detect/types.js";
import { markdownCode, markdownText } from "../escape/markdown.js";

/** GitHub check-run `output.summary` and `output.text`: "Maximum length: 65535 characters" (REST docs, checks). */
export const CHECK_RUN_SUMMARY_MAX_CHARS = 65_535;
/** GitHub check-run `output.title`: kept short since GitHub shows it on one line in the checks list. */
const CHECK_RUN_TITLE_MAX_CHARS = 255;
/** GitHub annotation `title`: "The maximum size is 255 characters" (REST docs, checks). */
export const ANNOTATION_TITLE_MAX_CHARS = 255;
/** GitHub annotation `message`: "The maximum size is 64 KB" (REST docs, checks); we stay far below. */
export const ANNOTATION_MESSAGE_MAX_CHARS = 4_000;
/** A config error message can quote YAML; show enough to fix it, not a whole file. */
const CONFIG_ERROR_MAX_CHARS = 2_000;
/** A rotator's detail comes from outside (a webhook, a command's stdout): one line, bounded. */
const ROTATION_DETAIL_MAX_CHARS = 300;

export const CHECK_RUN_NAME = "Crisp Guard";

/** The hidden marker that names the secret a comment or issue is about, so it can be found again. */
export function fingerprintMarker(fingerprint: string): string {
  return `<!-- crisp-guard:fingerprint=${fingerprint} -->`;
}

const MARKER_PATTERN = /<!-- crisp-guard:fingerprint=([0-9a-f]{64}) -->/;

/** The fingerprint named by a body's marker, or null when the body is not ours. */
export function markerFingerprint(body: string | null | undefined): string | null {
  return body ? (MARKER_PATTERN.exec(body)?.[1] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------
// Shared phrasing

/** Where the owner rolls a token. DESIGN.md "Crisp API facts": there is no API for it. */
export const ROLL_STEPS: Readonly<Record<Tier, string>> = Object.freeze({
  website:
    "Website token: open the Crisp app, go to **Settings > Workspace Settings > Advanced configuration**, " +
    "and roll the token (generate a new keypair). The old keypair stops working at once.",
  plugin:
    "Plugin token: open the **Crisp Marketplace dashboard > your plugin > Tokens**, and roll the token. " +
    "The old keypair stops working at once.",
});

/** The tier we know the token belongs to: what Crisp accepted it on, else what the code said. */
export function knownTier(finding: Pick<Finding, "tier" | "verification">): Tier | null {
  return finding.verification.tier ?? finding.tier;
}

export function tierLabel(tier: Tier | null): string {
  return tier === null ? "tier unknown" : `${tier} tier`;
}

/** The roll steps for a tier: both when the tier is unknown, since the owner must find which it is. */
export function rollSteps(tier: Tier | null): string[] {
  return tier !== null ? [ROLL_STEPS[tier]] : [ROLL_STEPS.website, ROLL_STEPS.plugin];
}

const UNKNOWN_TIER_NOTE =
  "The tier of this token is not known: it is a website token or a plugin token, so roll it where it belongs.";

const HISTORY_WARNING =
  "Removing the keypair from the file, or even from git history, does **not** make it safe: " +
  "anyone who fetched, forked or cached the repository still has it. Only rolling the token does.";

export function statusLine(v: Verification): string {
  const at = v.checkedAt ? ` (checked ${v.checkedAt})` : "";
  switch (v.status) {
    case "live":
      return `**Live**: Crisp accepted this keypair on the ${tierLabel(v.tier)}${at}. Anyone holding it can use your Crisp account.`;
    case "dead":
      return `**Dead**: Crisp rejected this keypair${at}. It no longer works, but roll it anyway if you are unsure it was rolled on purpose.`;
    case "unknown":
      return `**Unknown**: the keypair could not be checked against Crisp (${oneLine(v.reason, 200)})${at}. Treat it as live.`;
    case "unverified":
      return "**Not verified**: live verification is turned off for this repository. Treat it as live.";
  }
}

export function statusWord(v: Verification): string {
  return v.status === "unverified" ? "not verified" : v.status;
}

/** A rotator's link: shown as a link only when it is a plain http(s) URL, else as code. */
const LINKABLE_URL = /^https?:\/\/[^\s<>()`"'\\]+$/;

function rotationLine(r: RotationRecord): string {
  const url = r.url ? ` (${LINKABLE_URL.test(r.url) ? r.url : markdownCode(r.url)})` : "";
  return `${markdownCode(bounded(r.rotator, 60))}: **${r.status}**, ${oneLine(r.detail, ROTATION_DETAIL_MAX_CHARS)}${url}`;
}

/** Text from outside (rotators, Crisp reasons) as one bounded line of escaped Markdown text. */
function oneLine(text: string, max: number): string {
  return markdownText(bounded(text.replace(/\s+/g, " ").trim(), max));
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function tableCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

// A path is whatever the pusher named a file: a code span it cannot close (escape/markdown).
function locationLabel(o: Occurrence): string {
  return `${markdownCode(o.path)} line ${o.line}`;
}

function sortOccurrences(occurrences: readonly Occurrence[]): Occurrence[] {
  return [...occurrences].sort((a, b) =>
    a.path === b.path ? a.line - b.line || a.column - b.column : a.path < b.path ? -1 : 1,
  );
}

/**
 * Text from outside this process (rotator details, URLs, Crisp reasons) could echo a raw half back;
 * replace any raw half with its redacted form before it reaches GitHub. reveal() is used only to compare.
 */
export function scrubSecret(text: string, keypair: Keypair): string {
  const { identifier, key } = keypair.reveal();
  let out = text;
  for (const [raw, shown] of [
    [key, keypair.keyHint],
    [identifier, keypair.redactedIdentifier],
  ] as const) {
    if (raw.length === 0) continue;
    const escaped = raw.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(escaped, "gi"), shown);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Commit comment

/** What happened to a leak after the first report (src/rotate/lifecycle.ts), for comment and check-run updates. */
export type LeakUpdate =
  /** Rotated: the old key answers 401 since `since` (ISO time of the first dead re-check). */
  | { kind: "dead"; since: string }
  /** Rotation was requested at `since` and the key still answered live at `checkedAt`. */
  | { kind: "still-live"; since: string; checkedAt: string }
  /** The re-check could not read the keypair back from the repository. */
  | { kind: "recheck-impossible"; reason: string; at: string };

export interface CommitCommentInput {
  finding: Finding;
  /** The commit the comment is on. */
  commit: string;
  /** The occurrences in this commit; defaults to those of `finding` whose `commit` is this one. */
  occurrences?: readonly Occurrence[];
  /** Set when the comment is rewritten after a re-check. */
  update?: LeakUpdate;
}

/** Whole hours between two ISO times, never negative. */
function hoursBetween(fromIso: string, toIso: string): number {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 3_600_000) : 0;
}

function updateBanner(update: LeakUpdate): string {
  switch (update.kind) {
    case "dead":
      return `> [!NOTE]\n> **Rotated**: the old key now answers 401 (dead) since ${update.since}. Nothing more to do for this keypair.`;
    case "still-live":
      return (
        `> [!CAUTION]\n> **Still live after ${hoursBetween(update.since, update.checkedAt)} h**: rotation was requested at ` +
        `${update.since}, but Crisp still accepted the old keypair at ${update.checkedAt}. Roll it now.`
      );
    case "recheck-impossible":
      return (
        `> [!WARNING]\n> **Re-check impossible** at ${update.at}: ${oneLine(update.reason, 200)}. ` +
        "Crisp Guard cannot tell whether the key was rolled; confirm it was."
      );
  }
}

/** The body of the commit comment for one secret in one commit. Never holds a raw half. */
export function commitCommentBody(input: CommitCommentInput): string {
  const { finding, commit, update } = input;
  const kp = finding.keypair;
  const here = sortOccurrences(
    input.occurrences ?? finding.occurrences.filter((o) => o.commit === commit),
  );
  const tier = knownTier(finding);
  const dead = update?.kind === "dead";
  const lines: string[] = [];

  lines.push(
    dead
      ? "### Crisp token keypair committed (now rotated)"
      : "### :rotating_light: A Crisp token keypair was committed",
    "",
  );
  if (update) lines.push(updateBanner(update), "");
  lines.push(
    `This commit introduces a Crisp API token keypair: identifier \`${kp.redactedIdentifier}\`, key \`${kp.keyHint}\` ` +
      `(${tierLabel(tier)}${finding.websiteId ? `, website \`${finding.websiteId}\`` : ""}).`,
    "",
    `- Status: ${
      dead ? `**Dead**: rotated, Crisp rejects the old keypair since ${update.since}.` : statusLine(finding.verification)
    }`,
    `- Fingerprint: \`${finding.fingerprint}\``,
  );
  if (here.length > 0) {
    const where = here.slice(0, 10).map(locationLabel).join(", ");
    const more = here.length > 10 ? ` and ${here.length - 10} more` : "";
    lines.push(`- Found at: ${where}${more}`);
  }
  lines.push("");

  lines.push("#### Rotation");
  if (finding.rotations.length === 0) {
    lines.push("No rotation was triggered.");
  } else {
    for (const r of finding.rotations) lines.push(`- ${rotationLine(r)}`);
  }
  lines.push("");

  if (!dead) {
    lines.push("#### Roll it now", "");
    if (tier === null) lines.push(UNKNOWN_TIER_NOTE, "");
    for (const step of rollSteps(tier)) lines.push(`- ${step}`);
    lines.push(
      "- Then put the new keypair in a secret store (for example GitHub Actions secrets), not in the repository.",
      "",
    );
  }
  lines.push(HISTORY_WARNING, "", fingerprintMarker(finding.fingerprint));
  return scrubSecret(lines.join("\n"), kp);
}

// ---------------------------------------------------------------------------------------------
// Check run

export type CheckConclusion = "success" | "failure" | "neutral";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  message: string;
  title: string;
}

export interface CheckRunOutput {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

export interface CheckRunOptions {
  /** Per-fingerprint lifecycle news, shown in the title, summary and conclusion. */
  updates?: ReadonlyMap<string, LeakUpdate>;
  /** A bad `.github/crisp-guard.yml`: explained at the top; the scan ran with defaults. */
  configError?: string;
  /**
   * Whether to include annotations (default true). GitHub appends annotations on every update, so a
   * re-check that rewrites the summary should pass false to avoid duplicating them.
   */
  annotate?: boolean;
}

function isLive(f: Finding, updates?: ReadonlyMap<string, LeakUpdate>): boolean {
  const u = updates?.get(f.fingerprint);
  if (u?.kind === "dead") return false;
  if (u?.kind === "still-live") return true;
  return f.verification.status === "live";
}

export function checkConclusion(
  findings: readonly Finding[],
  updates?: ReadonlyMap<string, LeakUpdate>,
): CheckConclusion {
  if (findings.some((f) => isLive(f, updates))) return "failure";
  return findings.length > 0 ? "neutral" : "success";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function checkTitle(findings: readonly Finding[], updates?: ReadonlyMap<string, LeakUpdate>): string {
  if (findings.length === 0) return "No Crisp token keypairs found";
  const stillLive = findings.filter((f) => updates?.get(f.fingerprint)?.kind === "still-live").length;
  const live = findings.filter((f) => isLive(f, updates)).length;
  const rotated = findings.filter((f) => updates?.get(f.fingerprint)?.kind === "dead").length;
  const parts: string[] = [];
  if (stillLive > 0) parts.push(`${stillLive} still live after rotation was requested`);
  if (live - stillLive > 0) parts.push(`${live - stillLive} live`);
  if (rotated > 0) parts.push(`${rotated} rotated`);
  const rest = findings.length - live - rotated;
  if (rest > 0) parts.push(`${rest} not confirmed live`);
  const title = `${plural(findings.length, "Crisp token keypair")} committed: ${parts.join(", ")}`;
  return title.length > CHECK_RUN_TITLE_MAX_CHARS ? `${title.slice(0, CHECK_RUN_TITLE_MAX_CHARS - 1)}…` : title;
}

function statusCell(f: Finding, updates?: ReadonlyMap<string, LeakUpdate>): string {
  const u = updates?.get(f.fingerprint);
  if (u?.kind === "dead") return `rotated, dead since ${u.since}`;
  if (u?.kind === "still-live") return `**STILL LIVE** ${hoursBetween(u.since, u.checkedAt)} h after rotation was requested`;
  if (u?.kind === "recheck-impossible") return `${statusWord(f.verification)} (re-check impossible)`;
  return f.verification.status === "live" ? "**live**" : statusWord(f.verification);
}

export function rotationCell(f: Finding): string {
  if (f.rotations.length === 0) return "none";
  return f.rotations.map((r) => `${oneLine(r.rotator, 60)}: ${r.status}`).join("; ");
}

export function occurrenceCell(f: Finding): string {
  const sorted = sortOccurrences(f.occurrences);
  const shown = sorted.slice(0, 3).map((o) => markdownCode(`${o.path}:${o.line}`));
  const more = sorted.length > 3 ? ` +${sorted.length - 3} more` : "";
  return `${shown.join(", ")}${more}`;
}

/** One annotation per place (path, line) a secret sits, however many commits of the push hold it. */
export function annotationsFor(f: Finding, live: boolean): CheckAnnotation[] {
  const seen = new Set<string>();
  const out: CheckAnnotation[] = [];
  const tier = knownTier(f);
  for (const o of sortOccurrences(f.occurrences)) {
    const at = `${o.path}\n${o.line}`;
    if (seen.has(at)) continue;
    seen.add(at);
    const message =
      `Crisp token keypair ${f.keypair.redacted} (${statusWord(f.verification)}, ${tierLabel(tier)}). ` +
      `${tier === null ? `${UNKNOWN_TIER_NOTE} ` : ""}${rollSteps(tier).join(" ")} ${HISTORY_WARNING} ` +
      `Fingerprint ${f.fingerprint}.`;
    out.push({
      path: o.path,
      start_line: o.line,
      end_line: o.line,
      annotation_level: live ? "failure" : "warning",
      title: `Crisp token keypair committed (${statusWord(f.verification)})`.slice(0, ANNOTATION_TITLE_MAX_CHARS),
      // Annotations are plain text: no markdown emphasis.
      message: message.replace(/\*\*/g, "").slice(0, ANNOTATION_MESSAGE_MAX_CHARS),
    });
  }
  return out;
}

function configErrorSection(message: string): string {
  const text = message.length > CONFIG_ERROR_MAX_CHARS ? `${message.slice(0, CONFIG_ERROR_MAX_CHARS)}…` : message;
  // A fence longer than any backtick run inside keeps the message from closing the block early.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return [
    "### :warning: Invalid `.github/crisp-guard.yml`",
    "",
    "The repository configuration could not be used, so this scan ran with the default settings.",
    "",
    fence,
    text,
    fence,
    "",
  ].join("\n");
}

/** "How to roll a Crisp token", for the tiers of these findings, and why removing it is not enough. */
export function rollSection(findings: readonly Finding[]): string {
  const tiers = new Set(findings.map((f) => knownTier(f)));
  return [
    "",
    "",
    "#### How to roll a Crisp token",
    "",
    ...(tiers.has(null) ? [UNKNOWN_TIER_NOTE, ""] : []),
    ...[...new Set([...tiers].flatMap((t) => rollSteps(t)))].map((s) => `- ${s}`),
    "",
    HISTORY_WARNING,
  ].join("\n");
}

/** Keep the summary under GitHub's limit by dropping whole table rows, saying how many were dropped. */
export function fitSummary(head: string, rows: readonly string[], tail: string): string {
  const noteRoom = 80; // room for the "… and N more" line
  let used = head.length + tail.length + noteRoom;
  let kept = 0;
  for (const row of rows) {
    if (used + row.length + 1 > CHECK_RUN_SUMMARY_MAX_CHARS) break;
    used += row.length + 1;
    kept += 1;
  }
  const dropped = rows.length - kept;
  const note = dropped > 0 ? `\n\n… and ${dropped} more (see the annotations).` : "";
  return `${head}${rows.slice(0, kept).join("\n")}${note}${tail}`.slice(0, CHECK_RUN_SUMMARY_MAX_CHARS);
}

/** The check run for a pushed head: conclusion, title, markdown summary and annotations. Never the secret. */
export function checkRunOutput(findings: readonly Finding[], options: CheckRunOptions = {}): CheckRunOutput {
  const { updates, configError } = options;
  const conclusion = checkConclusion(findings, updates);
  const title = checkTitle(findings, updates);
  let head = configError === undefined ? "" : configErrorSection(configError) + "\n";

  if (findings.length === 0) {
    const summary = `${head}No Crisp API token keypair was found in the pushed commits.`;
    return { conclusion, title, summary: summary.slice(0, CHECK_RUN_SUMMARY_MAX_CHARS), annotations: [] };
  }

  const ordered = [...findings].sort((a, b) => Number(isLive(b, updates)) - Number(isLive(a, updates)));
  head +=
    (conclusion === "failure"
      ? "**A live Crisp token keypair was pushed.** Roll it now: removing it from git history does not make it safe.\n\n"
      : "Crisp token keypairs were pushed. None is confirmed live, but roll any you did not roll on purpose.\n\n") +
    "| Identifier | Key | Status | Tier | Rotation | Occurrences |\n" +
    "|---|---|---|---|---|---|\n";
  const rows = ordered.map(
    (f) =>
      `| \`${f.keypair.redactedIdentifier}\` | \`${f.keypair.keyHint}\` | ${tableCell(statusCell(f, updates))} | ` +
      `${tableCell(tierLabel(knownTier(f)))} | ${tableCell(rotationCell(f))} | ${tableCell(occurrenceCell(f))} |`,
  );
  const tail = rollSection(ordered);

  let summary = fitSummary(head, rows, tail);
  for (const f of findings) summary = scrubSecret(summary, f.keypair);
  const annotations =
    options.annotate === false ? [] : ordered.flatMap((f) => annotationsFor(f, isLive(f, updates)));
  return { conclusion, title, summary, annotations };
}

/** A check run for a bad repository config alone (the scan goes on with defaults). Neutral: nothing leaked. */
export function configErrorOutput(message: string): CheckRunOutput {
  return {
    conclusion: "neutral",
    title: "Invalid .github/crisp-guard.yml: scanned with default settings",
    summary: configErrorSection(message).slice(0, CHECK_RUN_SUMMARY_MAX_CHARS),
    annotations: [],
  };
}
