// Pure: the "Crisp Guard: history" check run a backfill leaves on a repository's default-branch
// head. It answers the admin's question, "is a key that still works anywhere in this history?":
// failure when one is live, never green while a keypair is not known dead or the history could
// not all be read, and annotations only where a keypair still sits in the head's files.
import type { Finding, Occurrence } from "../detect/types.js";
import { markdownCode } from "../escape/markdown.js";
import {
  annotationsFor,
  CHECK_RUN_SUMMARY_MAX_CHARS,
  fitSummary,
  knownTier,
  occurrenceCell,
  rollSection,
  rotationCell,
  scrubSecret,
  statusWord,
  tableCell,
  tierLabel,
  type CheckRunOutput,
} from "./github-text.js";

export const HISTORY_CHECK_RUN_NAME = "Crisp Guard: history";

/** GitHub: a check run's title is at most 255 characters. */
const CHECK_RUN_TITLE_MAX_CHARS = 255;

export interface HistoryCheckInput {
  /** The secrets found in this repository's history, with their occurrences here. */
  findings: readonly Finding[];
  /** Per secret: where it still sits in the default branch's head tree (line numbers of that file). */
  inHead: ReadonlyMap<string, readonly Occurrence[]>;
  /** Per secret: how many other repositories of the organization the store saw it in. */
  elsewhere: ReadonlyMap<string, number>;
  commits: number;
  defaultBranch: string;
  /** What could not be read (objects the history reaches that are missing): never a green check. */
  incomplete: { missingObjects: number; shallow: boolean } | null;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** live anywhere: failure; a keypair not known dead, or a history not read in full: neutral; else success. */
export function historyConclusion(findings: readonly Finding[], incomplete: HistoryCheckInput["incomplete"]): CheckRunOutput["conclusion"] {
  if (findings.some((f) => f.verification.status === "live")) return "failure";
  if (incomplete || findings.some((f) => f.verification.status !== "dead")) return "neutral";
  return "success";
}

function historyTitle(input: HistoryCheckInput): string {
  const { findings, incomplete } = input;
  if (findings.length === 0) {
    return incomplete
      ? "No Crisp token keypair found, but the history could not all be read"
      : `No Crisp token keypair in ${plural(input.commits, "commit")} of history`;
  }
  const live = findings.filter((f) => f.verification.status === "live").length;
  const dead = findings.filter((f) => f.verification.status === "dead").length;
  const rest = findings.length - live - dead;
  const parts = [live > 0 ? `${live} live` : null, dead > 0 ? `${dead} dead` : null, rest > 0 ? `${rest} not confirmed dead` : null];
  const title = `${plural(findings.length, "Crisp token keypair")} in the history: ${parts.filter(Boolean).join(", ")}`;
  return bounded(title, CHECK_RUN_TITLE_MAX_CHARS);
}

function incompleteSection(incomplete: NonNullable<HistoryCheckInput["incomplete"]>): string {
  const what = [
    incomplete.missingObjects > 0 ? `${plural(incomplete.missingObjects, "object")} the history reaches could not be read` : null,
    incomplete.shallow ? "the clone was shallow" : null,
  ].filter(Boolean);
  return [
    "",
    "",
    "#### History incomplete",
    "",
    `Not everything was scanned: ${what.join("; ") || "some objects could not be read"}. This check stays neutral until a backfill reads it all (\`crisp-guard backfill --force\`).`,
  ].join("\n");
}

/** The history check run: conclusion, title, summary and head-tree annotations. Never the secret. */
export function historyCheckOutput(input: HistoryCheckInput): CheckRunOutput {
  const { findings, inHead, elsewhere, incomplete } = input;
  const conclusion = historyConclusion(findings, incomplete);
  const title = historyTitle(input);
  const scope = `Crisp Guard scanned every branch and tag of this repository: ${plural(input.commits, "commit")}, each file version once.`;
  const tailIncomplete = incomplete ? incompleteSection(incomplete) : "";
  if (findings.length === 0) {
    return { conclusion, title, summary: `${scope}\n\nNo Crisp API token keypair was found.${tailIncomplete}`, annotations: [] };
  }

  const isLive = (f: Finding) => f.verification.status === "live";
  const ordered = [...findings].sort((a, b) => Number(isLive(b)) - Number(isLive(a)));
  const head =
    `${scope}\n\n` +
    (conclusion === "failure"
      ? "**A Crisp token keypair in this history still works.** Roll it now: removing it from git history does not make it safe.\n\n"
      : "Crisp token keypairs were committed to this history. Roll any that is not confirmed dead.\n\n") +
    `| Identifier | Key | Status | Tier | Rotation | Introduced at | In \`${tableCell(bounded(input.defaultBranch, 100))}\` now | Other repositories |\n` +
    "|---|---|---|---|---|---|---|---|\n";
  const rows = ordered.map((f) => {
    const now = inHead.get(f.fingerprint) ?? [];
    const here = now.length > 0 ? now.slice(0, 2).map((o) => markdownCode(`${o.path}:${o.line}`)).join(", ") : "no";
    const others = elsewhere.get(f.fingerprint) ?? 0;
    return (
      `| \`${f.keypair.redactedIdentifier}\` | \`${f.keypair.keyHint}\` | ${tableCell(isLive(f) ? "**live**" : statusWord(f.verification))} | ` +
      `${tableCell(tierLabel(knownTier(f)))} | ${tableCell(rotationCell(f))} | ${tableCell(occurrenceCell(f))} | ${tableCell(here)} | ${others} |`
    );
  });
  const tail = rollSection(ordered);
  let summary = fitSummary(head, rows, `${tail}${tailIncomplete}`).slice(0, CHECK_RUN_SUMMARY_MAX_CHARS);
  for (const f of findings) summary = scrubSecret(summary, f.keypair);
  // Annotations point at the head's files: an old commit's line means nothing on today's tree.
  const annotations = ordered.flatMap((f) => {
    const now = inHead.get(f.fingerprint) ?? [];
    return now.length > 0 ? annotationsFor({ ...f, occurrences: [...now] }, isLive(f)) : [];
  });
  return { conclusion, title, summary, annotations };
}
