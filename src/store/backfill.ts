// What both stores decide alike about a backfill: its key, its delivery's id and payload, whether a
// request may queue a new generation, and a result's column values.
import { scrubText } from "./scrub.js";
import type {
  BackfillJobPayload, BackfillProgress, BackfillRequestInput, BackfillResult, BackfillRow, BackfillStatus,
} from "./types.js";

/** The row's key: GitHub looks repository names up without regard to case, so does the store. */
export function backfillKey(repository: string): string {
  return repository.toLowerCase();
}

export function backfillDeliveryId(repository: string, generation: number): string {
  return `backfill:${backfillKey(repository)}:${generation}`;
}

/** Why a request must not queue a new generation over the repository's latest one; null when it may. */
export function backfillRefusal(row: BackfillRow | undefined, force: boolean): "already-queued" | "already-backfilled" | null {
  if (!row) return null;
  if (row.status === "queued" || row.status === "running") return "already-queued";
  if ((row.status === "done" || row.status === "skipped") && !force) return "already-backfilled";
  // failed, or forced over done/skipped.
  return null;
}

/** The request as the job reads it; the trigger is free text, redacted like every other. */
export function backfillPayload(input: BackfillRequestInput, generation: number): BackfillJobPayload {
  return {
    owner: input.owner,
    repo: input.repo,
    installationId: input.installationId,
    generation,
    trigger: scrubText(input.trigger),
  };
}

/** A result's columns (reason, head_sha, commits, blobs, findings, incomplete): absent is null, incomplete false. */
export function backfillResultColumns(result: BackfillResult): [string | null, string | null, number | null, number | null, number | null, boolean] {
  return [
    result.reason === undefined || result.reason === null ? null : scrubText(result.reason),
    result.headSha ?? null,
    result.commits ?? null,
    result.blobs ?? null,
    result.findings ?? null,
    result.incomplete ?? false,
  ];
}

/** An installation's progress from its rows counted by status (a status without rows counts 0). */
export function progressOf(installationId: number, counts: ReadonlyArray<{ status: BackfillStatus; n: number }>): BackfillProgress {
  const progress: BackfillProgress = { installationId, total: 0, queued: 0, running: 0, done: 0, skipped: 0, failed: 0 };
  for (const { status, n } of counts) {
    progress[status] = n;
    progress.total += n;
  }
  return progress;
}
