// The organization report: what the app's store knows about every secret, across repositories and
// installations. Pure: the store's rows in, a report model out, then text or JSON. The store only
// ever holds redacted halves and fingerprints, so nothing here can carry a raw key.
import type { Encoding, RotationStatus, Tier, VerificationStatus } from "../detect/types.js";
import { escapeTerminal } from "../escape/terminal.js";
import type { OccurrenceRow, RotationRow, SecretRow, SecretState, VerificationRow } from "../store/types.js";
import { JSON_REPORT_VERSION } from "./json.js";
import { plural } from "./plural.js";

/** What the report is built from: the store's listings, one per table. */
export interface OrganizationRows {
  secrets: readonly SecretRow[];
  occurrences: ReadonlyArray<{ fingerprint: string; occurrence: OccurrenceRow }>;
  rotations: ReadonlyArray<{ fingerprint: string; rotation: RotationRow }>;
  verifications: ReadonlyArray<{ fingerprint: string; verification: VerificationRow }>;
  repositoryInstallations: ReadonlyArray<{ repository: string; installationId: number }>;
}

export interface OrganizationOptions {
  /** Only the repositories this installation's deliveries came from. */
  installationId?: number;
  generatedAt: Date;
}

export interface OrganizationOccurrence {
  repository: string;
  path: string;
  commit: string | null;
  line: number;
  column: number;
  encoding: Encoding;
  author: string | null;
  /** The commit's date as the source gave it (GitHub: the author date); null outside a commit. */
  date: string | null;
}

export interface OrganizationSecret {
  fingerprint: string;
  identifier: string;
  keyHint: string;
  state: SecretState;
  tier: Tier | null;
  websiteId: string | null;
  /** When the store first recorded the secret. */
  firstSeenAt: string;
  /** The earliest commit date among the occurrences shown, else firstSeenAt. */
  firstPushedAt: string;
  /** Where firstPushedAt comes from: a commit's date, or the store's first-seen time. */
  firstPushedFrom: "commit-date" | "first-seen";
  deadAt: string | null;
  /** deadAt − firstPushedAt; null when not dead, or when the dates disagree (dead before pushed). */
  timeToDeadMs: number | null;
  /** The latest verification; status "unverified" when the store has none (as in a scan's report). */
  verification: { status: VerificationStatus; tier: Tier | null; reason: string; checkedAt: string | null };
  rotations: Array<{ rotator: string; status: RotationStatus; detail: string; url: string | null; recordedAt: string }>;
  occurrences: OrganizationOccurrence[];
}

export interface OrganizationReport {
  generatedAt: string;
  installationId: number | null;
  secrets: OrganizationSecret[];
}

function groupBy<T>(rows: ReadonlyArray<{ fingerprint: string } & T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.fingerprint);
    if (list) list.push(row);
    else out.set(row.fingerprint, [row]);
  }
  return out;
}

/** The earliest parseable date, as given; undefined when none parses. */
function earliest(dates: ReadonlyArray<string | null | undefined>): string | undefined {
  let best: { text: string; ms: number } | undefined;
  for (const text of dates) {
    if (!text) continue;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) continue;
    if (!best || ms < best.ms) best = { text, ms };
  }
  return best?.text;
}

function toOccurrence(o: OccurrenceRow): OrganizationOccurrence {
  return {
    repository: o.repository,
    path: o.path,
    commit: o.commit ?? null,
    line: o.line,
    column: o.column,
    encoding: o.encoding,
    author: o.author ?? null,
    date: o.date ?? null,
  };
}

/**
 * Builds the report. With an installation, only the repositories its deliveries came from count: a
 * secret appears when it occurs in one of them, with only those occurrences, and its first push is
 * read from those alone, so the report answers for that installation's code. The secret's state,
 * verification and rotations stay whole: they belong to the keypair, wherever else it leaked.
 */
export function buildOrganizationReport(rows: OrganizationRows, options: OrganizationOptions): OrganizationReport {
  const installationId = options.installationId ?? null;
  const repositories =
    installationId === null
      ? null
      : new Set(rows.repositoryInstallations.filter((r) => r.installationId === installationId).map((r) => r.repository));
  const occurrences = groupBy(rows.occurrences.map((o) => ({ fingerprint: o.fingerprint, o: o.occurrence })));
  const rotations = groupBy(rows.rotations.map((r) => ({ fingerprint: r.fingerprint, r: r.rotation })));
  const verifications = new Map(rows.verifications.map((v) => [v.fingerprint, v.verification]));

  const secrets: OrganizationSecret[] = [];
  for (const s of rows.secrets) {
    const places = (occurrences.get(s.fingerprint) ?? []).map((x) => x.o);
    const shown = repositories === null ? places : places.filter((o) => repositories.has(o.repository));
    if (repositories !== null && shown.length === 0) continue;
    const committed = earliest(shown.map((o) => o.date));
    const firstPushedAt = committed ?? s.firstSeenAt;
    const v = verifications.get(s.fingerprint);
    secrets.push({
      fingerprint: s.fingerprint,
      identifier: s.redactedIdentifier,
      keyHint: s.keyHint,
      state: s.state,
      tier: s.tier,
      websiteId: s.websiteId,
      firstSeenAt: s.firstSeenAt,
      firstPushedAt,
      firstPushedFrom: committed !== undefined ? "commit-date" : "first-seen",
      deadAt: s.deadAt,
      timeToDeadMs: timeBetween(firstPushedAt, s.deadAt),
      verification: v ? { status: v.status, tier: v.tier, reason: v.reason, checkedAt: v.checkedAt } : { ...NO_VERIFICATION },
      rotations: (rotations.get(s.fingerprint) ?? []).map(({ r }) => ({
        rotator: r.rotator,
        status: r.status,
        detail: r.detail,
        url: r.url ?? null,
        recordedAt: r.recordedAt,
      })),
      occurrences: shown.map(toOccurrence),
    });
  }
  return { generatedAt: options.generatedAt.toISOString(), installationId, secrets };
}

/** A secret the store holds no verification for (never checked, or checking was off). */
const NO_VERIFICATION = Object.freeze({ status: "unverified" as const, tier: null, reason: "no verification recorded", checkedAt: null });

function timeBetween(from: string, to: string | null): number | null {
  if (to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) || ms < 0 ? null : ms;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A duration for people: "3 d 4 h", "2 h 5 min", "12 min", "40 s". */
export function formatDuration(ms: number): string {
  if (ms >= DAY_MS) return `${Math.floor(ms / DAY_MS)} d ${Math.floor((ms % DAY_MS) / HOUR_MS)} h`;
  if (ms >= HOUR_MS) return `${Math.floor(ms / HOUR_MS)} h ${Math.floor((ms % HOUR_MS) / MINUTE_MS)} min`;
  if (ms >= MINUTE_MS) return `${Math.floor(ms / MINUTE_MS)} min`;
  return `${Math.floor(ms / 1000)} s`;
}

/** The JSON form (documented in README, "crisp-guard report"): a version 1 report, usable as a --baseline. */
export function toOrganizationJson(report: OrganizationReport, tool: { name: string; version: string }) {
  return {
    version: JSON_REPORT_VERSION,
    tool,
    source: "store" as const,
    installation: report.installationId,
    generatedAt: report.generatedAt,
    findings: report.secrets.map((s) => ({
      fingerprint: s.fingerprint,
      identifier: s.identifier,
      keyHint: s.keyHint,
      state: s.state,
      tier: s.tier,
      websiteId: s.websiteId,
      firstSeenAt: s.firstSeenAt,
      firstPushedAt: s.firstPushedAt,
      firstPushedFrom: s.firstPushedFrom,
      deadAt: s.deadAt,
      timeToDeadMs: s.timeToDeadMs,
      verification: s.verification,
      // `rotation` is the first, as in a scan's report; `rotations` every one, oldest first.
      rotation: s.rotations[0] ?? null,
      rotations: s.rotations,
      occurrences: s.occurrences,
    })),
  };
}

export function renderOrganizationJson(report: OrganizationReport, tool: { name: string; version: string }): string {
  return `${JSON.stringify(toOrganizationJson(report, tool), null, 2)}\n`;
}

const STATE_ORDER: readonly SecretState[] = ["live", "unknown", "detected", "rotation_requested", "rotated", "dead"];

function summary(report: OrganizationReport): string {
  const scope = report.installationId === null ? "the store" : `installation ${report.installationId}`;
  if (report.secrets.length === 0) return `No secrets recorded for ${scope}.`;
  const counts = STATE_ORDER.map((state) => [state, report.secrets.filter((s) => s.state === state).length] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  return `${plural(report.secrets.length, "secret")} recorded for ${scope}: ${counts.join(", ")}.`;
}

// Every string from the store came from outside (paths, repository names, rotator details, Crisp's
// reasons): escaped, so none of them can drive the terminal or start a line of its own.
const t = escapeTerminal;

function secretBlock(s: OrganizationSecret): string[] {
  const lines = [`${t(s.identifier)} ${t(s.keyHint)}  ${s.state}${s.tier ? `  tier ${s.tier}` : ""}`];
  lines.push(`  fingerprint ${t(s.fingerprint)}`);
  if (s.websiteId) lines.push(`  website id ${t(s.websiteId)}`);
  const from = s.firstPushedFrom === "commit-date" ? "commit date" : "first seen by the app";
  lines.push(`  first pushed ${t(s.firstPushedAt)} (${from})`);
  if (s.deadAt) {
    const after = s.timeToDeadMs === null ? "" : `, ${formatDuration(s.timeToDeadMs)} after the first push`;
    lines.push(`  dead since ${t(s.deadAt)}${after}`);
  }
  const v = s.verification;
  if (v.status === "unverified") lines.push("  not verified");
  else {
    lines.push(`  last verified ${v.status}${v.tier ? ` on the ${v.tier} tier` : ""} (${t(v.reason)})${v.checkedAt ? ` at ${t(v.checkedAt)}` : ""}`);
  }
  for (const r of s.rotations) {
    lines.push(`  rotation via ${t(r.rotator)}: ${r.status}: ${t(r.detail)}${r.url ? ` (${t(r.url)})` : ""}`);
  }
  lines.push(`  ${plural(s.occurrences.length, "occurrence")}:`);
  for (const o of s.occurrences) {
    const commit = o.commit ? ` in ${t(o.commit.slice(0, 12))}` : "";
    const when = o.date ? ` on ${t(o.date.slice(0, 10))}` : "";
    const enc = o.encoding !== "plain" ? ` [${o.encoding}]` : "";
    lines.push(`    ${t(o.repository)}: ${t(o.path)}:${o.line}${commit}${when}${enc}`);
  }
  return lines;
}

/** The human form: a summary line, then one block per secret. */
export function renderOrganizationText(report: OrganizationReport): string {
  const blocks = report.secrets.map((s) => secretBlock(s).join("\n"));
  return [summary(report), ...blocks].join("\n\n") + "\n";
}
