// Pure text for what a re-check says on the leak issue. Only redacted halves and public facts.
import type { Tier } from "../detect/types.js";
import { markdownText } from "../escape/markdown.js";
import { rollRunbook } from "../rotate/github-issue.js";

export interface IssueNoteInput {
  /** Keypair.redacted: "7c3ef21c…:…0a0a". */
  redacted: string;
  tier: Tier | null;
  websiteId: string | null;
  /** ISO time rotation was requested (the series began). */
  rotatedAt: string;
}

/** Whole hours from one ISO time to another, never negative. */
function hoursBetween(fromIso: string, toIso: string): number {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 3_600_000) : 0;
}

/** The comment that closes the issue: Crisp refuses the old key. */
export function deadIssueComment(input: IssueNoteInput & { deadSince: string }): string {
  return [
    `**Rotated.** Crisp now refuses the old keypair \`${input.redacted}\` (HTTP 401 since ${input.deadSince}; ` +
      `rotation was requested at ${input.rotatedAt}).`,
    "",
    "The leaked token no longer works, so this issue is closed. Crisp Guard stops checking it.",
  ].join("\n");
}

/** The loud comment when the key still works 24 h or more after rotation was requested. */
export function stillLiveIssueComment(input: IssueNoteInput & { checkedAt: string }): string {
  const hours = hoursBetween(input.rotatedAt, input.checkedAt);
  return [
    "> [!CAUTION]",
    `> **Still live after ${hours} h.** Rotation was requested at ${input.rotatedAt}, but Crisp still accepted ` +
      `the leaked keypair \`${input.redacted}\` at ${input.checkedAt}. Anyone who has it can still use your Crisp account.`,
    "",
    "### Roll the token now",
    rollRunbook(input.tier, input.websiteId),
    "",
    "_Crisp Guard keeps checking once a day for a week and closes this issue once Crisp refuses the old token._",
  ].join("\n");
}

/** The comment when the keypair cannot be read back any more, so the re-checks stop. */
export function impossibleIssueComment(input: IssueNoteInput & { reason: string; at: string }): string {
  const reason = markdownText(input.reason.slice(0, 300));
  return [
    `**Re-check impossible** at ${input.at}: ${reason}.`,
    "",
    `Crisp Guard cannot tell whether \`${input.redacted}\` was rolled. Confirm it was, then close this issue.`,
  ].join("\n");
}
