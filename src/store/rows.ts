// The store's rows as both databases hold them (snake_case columns), and their plain-data forms.
import type { Encoding, RotationStatus, Tier, VerificationStatus } from "../detect/types.js";
import { pickPushPayload } from "./push-payload.js";
import type {
  BackfillJobPayload, BackfillRow, BackfillStatus, DeliveryRow, InstallationJobPayload, JobRow, JobStatus, OccurrenceRow,
  PullRequestJobPayload, PushJobPayload, RecheckRow, RotationAttemptRow, RotationRow, SecretRow, SecretState, VerificationRow,
} from "./types.js";

export interface DeliveryDb {
  id: string; event: string; repository: string; installation_id: number | null; after_sha: string | null;
  payload: string; received_at: string;
}
export interface JobDb {
  delivery_id: string; status: JobStatus; attempts: number; error: string | null; enqueued_at: string;
  started_at: string | null; finished_at: string | null;
}
export interface SecretDb {
  fingerprint: string; redacted_identifier: string; key_hint: string; tier: Tier | null; website_id: string | null;
  state: SecretState; first_seen_at: string; updated_at: string; dead_at: string | null;
}
export interface OccurrenceDb {
  repository: string; commit_sha: string; path: string; line: number; col: number; encoding: Encoding;
  author: string | null; date: string | null; recorded_at: string;
}
export interface VerificationDb {
  status: VerificationStatus; tier: Tier | null; reason: string; checked_at: string | null;
  plugin_id: string | null; website_name: string | null; recorded_at: string;
}
export interface RotationDb { rotator: string; status: RotationStatus; detail: string; url: string | null; recorded_at: string }
export interface RotationAttemptDb {
  fingerprint: string; rotator: string; attempt_id: string; status: RotationAttemptRow["status"];
  outcome: RotationStatus | null; detail: string | null; url: string | null; started_at: string; finished_at: string | null;
}
export interface RecheckDb {
  fingerprint: string; attempt: number; due_at: number; rotated_at: number; status: RecheckRow["status"];
  note: string | null; completed_at: string | null;
}

export interface BackfillDb {
  repository_key: string; repository: string; installation_id: number; generation: number; status: BackfillStatus;
  delivery_id: string; trigger: string; reason: string | null; head_sha: string | null; commits: number | null;
  blobs: number | null; findings: number | null; incomplete: number | boolean; requested_at: string;
  started_at: string | null; finished_at: string | null;
}

/** The payload column read as the job of `event`, or null for a delivery of another event. */
function payloadOf<T>(r: DeliveryDb, event: string): T | null {
  return r.event === event ? (JSON.parse(r.payload) as T) : null;
}

export const toDelivery = (r: DeliveryDb): DeliveryRow => ({
  id: r.id,
  event: r.event,
  repository: r.repository,
  installationId: r.installation_id,
  after: r.after_sha,
  payload: payloadOf<PushJobPayload>(r, "push") ?? pickPushPayload({}),
  pullRequest: payloadOf<PullRequestJobPayload>(r, "pull_request"),
  backfill: payloadOf<BackfillJobPayload>(r, "backfill"),
  installation: payloadOf<InstallationJobPayload>(r, "installation"),
  receivedAt: r.received_at,
});
export const toBackfill = (r: BackfillDb): BackfillRow => ({
  repository: r.repository,
  installationId: r.installation_id,
  generation: r.generation,
  status: r.status,
  deliveryId: r.delivery_id,
  trigger: r.trigger,
  reason: r.reason,
  headSha: r.head_sha,
  commits: r.commits,
  blobs: r.blobs,
  findings: r.findings,
  // SQLite has no boolean: 0 or 1.
  incomplete: Boolean(r.incomplete),
  requestedAt: r.requested_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});
export const toJob = (r: JobDb): JobRow => ({
  deliveryId: r.delivery_id,
  status: r.status,
  attempts: r.attempts,
  error: r.error,
  enqueuedAt: r.enqueued_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});
export const toSecret = (r: SecretDb): SecretRow => ({
  fingerprint: r.fingerprint,
  redactedIdentifier: r.redacted_identifier,
  keyHint: r.key_hint,
  tier: r.tier,
  websiteId: r.website_id,
  state: r.state,
  firstSeenAt: r.first_seen_at,
  updatedAt: r.updated_at,
  deadAt: r.dead_at,
});
export const toOccurrence = (r: OccurrenceDb): OccurrenceRow => ({
  repository: r.repository,
  ...(r.commit_sha ? { commit: r.commit_sha } : {}),
  path: r.path,
  line: r.line,
  column: r.col,
  encoding: r.encoding,
  ...(r.author !== null ? { author: r.author } : {}),
  ...(r.date !== null ? { date: r.date } : {}),
  recordedAt: r.recorded_at,
});
export const toVerification = (r: VerificationDb): VerificationRow => ({
  status: r.status,
  tier: r.tier,
  reason: r.reason,
  checkedAt: r.checked_at,
  ...(r.plugin_id !== null ? { pluginId: r.plugin_id } : {}),
  ...(r.website_name !== null ? { websiteName: r.website_name } : {}),
  recordedAt: r.recorded_at,
});
export const toRotation = (r: RotationDb): RotationRow => ({
  rotator: r.rotator,
  status: r.status,
  detail: r.detail,
  ...(r.url !== null ? { url: r.url } : {}),
  recordedAt: r.recorded_at,
});
export const toRotationAttempt = (r: RotationAttemptDb): RotationAttemptRow => ({
  fingerprint: r.fingerprint,
  rotator: r.rotator,
  id: r.attempt_id,
  status: r.status,
  outcome:
    r.outcome === null ? null : { status: r.outcome, detail: r.detail ?? "", ...(r.url !== null ? { url: r.url } : {}) },
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});
export const toRecheck = (r: RecheckDb): RecheckRow => ({
  fingerprint: r.fingerprint,
  attempt: r.attempt,
  dueAt: new Date(r.due_at),
  rotatedAt: new Date(r.rotated_at),
  status: r.status,
  note: r.note,
  completedAt: r.completed_at,
});
