// The store's public face: plain data in, plain data out, asynchronous so that one contract fits
// SQLite (synchronous inside, better-sqlite3) and Postgres (a pool, shared by many processes).
// Nothing here can hold a raw key: secrets are named by fingerprint, shown by their redacted halves.
import type { Encoding, RotationRecord, RotationStatus, Tier, Verification } from "../detect/types.js";
import type { RepoRef } from "../github/repository.js";
import type { PushInfo } from "../sources/push.js";
import type { LockOptions } from "./local-lock.js";

/**
 * What a push job needs from the webhook payload, and nothing else (no commit messages, no diffs):
 * what the scan reads (PushInfo), the repository, and who pushed. The worker hands it to the scan as it is.
 */
export interface PushJobPayload extends PushInfo, RepoRef {
  /** The pushed commits' ids, as the payload lists them (at most 2048). */
  commits: string[];
  /** The pusher's GitHub login (payload.pusher.name), when given. */
  pusher: string | null;
  /** For a tag push: the branch the tag's commit is on, when GitHub says. */
  baseRef: string | null;
  installationId: number | null;
}

/** What a merge-gate job needs from a pull_request webhook payload (no title, body or messages). */
export interface PullRequestJobPayload {
  /** opened, synchronize, reopened (other actions are never recorded). */
  action: string;
  number: number;
  /** pull_request.base.sha and head.sha: the gate covers base...head (from their merge base). */
  baseSha: string;
  headSha: string;
  /** The head commits live in another repository (its name is not kept: every read goes to the base). */
  fork: boolean;
  /** The PR author's login. */
  author: string | null;
  /** The base repository: every API read and the check run go there. */
  owner: string;
  repo: string;
  installationId: number | null;
}

/**
 * A backfill job: one repository's whole history, cloned with its installation's token and scanned
 * once. Recorded by requestBackfill, never from a webhook payload as it is.
 */
export interface BackfillJobPayload {
  owner: string;
  repo: string;
  installationId: number;
  /** 1 for the repository's first backfill, one more for each forced one. */
  generation: number;
  /** What asked for it: "installation.created", "installation_repositories.added" or "cli". */
  trigger: string;
}

/**
 * An installation-wide request (installation.created, or `crisp-guard backfill --installation`): its
 * job requests a backfill of each repository, listed here or, when null, every repository the
 * installation can read (listed through the API when the job runs).
 */
export interface InstallationJobPayload {
  installationId: number;
  /** The organization's or user's login, for log lines; null when not known (the CLI). */
  account: string | null;
  repositories: Array<{ owner: string; repo: string }> | null;
  /** Re-scan repositories already backfilled. */
  force: boolean;
  trigger: string;
}

export type BackfillStatus = "queued" | "running" | "done" | "skipped" | "failed";

export interface BackfillResult {
  status: "done" | "skipped" | "failed";
  /** Why it was skipped or failed; when done, what was left out (e.g. "archived: no check run"). */
  reason?: string | null;
  /** The default branch's head the check run went on. */
  headSha?: string | null;
  commits?: number;
  blobs?: number;
  /** Secrets found (after suppression), whatever their state. */
  findings?: number;
  /** Objects the history reaches could not be read: not everything was scanned. */
  incomplete?: boolean;
}

export interface BackfillRow {
  /** owner/name as requested (looked up without regard to case). */
  repository: string;
  installationId: number;
  generation: number;
  status: BackfillStatus;
  /** The delivery (and job) that carries this generation. */
  deliveryId: string;
  trigger: string;
  reason: string | null;
  headSha: string | null;
  commits: number | null;
  blobs: number | null;
  findings: number | null;
  incomplete: boolean;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface BackfillRequestInput {
  owner: string;
  repo: string;
  installationId: number;
  trigger: string;
  /** Queue a new generation even when the repository was backfilled (done or skipped). */
  force: boolean;
}

/** What requestBackfill did: queued a job, or why not. */
export type BackfillRequest =
  | { queued: true; deliveryId: string; generation: number }
  | { queued: false; reason: "already-queued" | "already-backfilled"; row: BackfillRow };

/** One installation's backfills, counted by status: repositories done / total. */
export interface BackfillProgress {
  installationId: number;
  total: number;
  queued: number;
  running: number;
  done: number;
  skipped: number;
  failed: number;
}

export interface DeliveryInput {
  /** X-GitHub-Delivery (Probot's context.id). */
  id: string;
  event: string;
  /** owner/repo */
  repository: string;
  installationId: number | null;
  after: string | null;
  /**
   * The webhook payload: reduced to a PushJobPayload (or, for pull_request, a PullRequestJobPayload)
   * before it is stored. For event "installation": an InstallationJobPayload, checked and kept as it is.
   * Backfill deliveries are recorded by requestBackfill only.
   */
  payload: unknown;
}

export interface DeliveryRow {
  id: string;
  event: string;
  repository: string;
  installationId: number | null;
  after: string | null;
  /** The push, for a push delivery (an empty push for another event). */
  payload: PushJobPayload;
  /** The pull request, for a pull_request delivery; null otherwise. The job's kind is the delivery's event. */
  pullRequest: PullRequestJobPayload | null;
  /** The repository to backfill, for a backfill delivery; null otherwise. */
  backfill: BackfillJobPayload | null;
  /** The installation-wide request, for an installation delivery; null otherwise. */
  installation: InstallationJobPayload | null;
  receivedAt: string;
}

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface JobRow {
  deliveryId: string;
  status: JobStatus;
  /** How many times the job was started (more than 1 after a resume). */
  attempts: number;
  error: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface UnfinishedJob extends JobRow {
  delivery: DeliveryRow;
}

export type SecretState = "detected" | "live" | "unknown" | "rotation_requested" | "rotated" | "dead";

export interface SecretInput {
  fingerprint: string;
  /** Keypair.redactedIdentifier: 8 characters and "…". */
  redactedIdentifier: string;
  /** Keypair.keyHint: "…" and at most 4 characters. */
  keyHint: string;
  tier: Tier | null;
  websiteId: string | null;
}

export interface SecretRow {
  fingerprint: string;
  redactedIdentifier: string;
  keyHint: string;
  tier: Tier | null;
  websiteId: string | null;
  state: SecretState;
  firstSeenAt: string;
  updatedAt: string;
  deadAt: string | null;
}

export interface OccurrenceInput {
  /** owner/repo, or the CLI's target. */
  repository: string;
  commit?: string;
  path: string;
  line: number;
  column: number;
  encoding: Encoding;
  author?: string;
  date?: string;
}

export interface OccurrenceRow extends OccurrenceInput {
  recordedAt: string;
}

export interface VerificationRow extends Verification {
  recordedAt: string;
}

export interface RotationInput {
  rotator: string;
  status: RotationStatus;
  detail: string;
  url?: string;
}

export interface RotationRow extends RotationRecord {
  recordedAt: string;
}

export interface RecheckRow {
  fingerprint: string;
  attempt: number;
  dueAt: Date;
  /** When rotation was requested: the series' origin, kept as given rather than worked out from dueAt. */
  rotatedAt: Date;
  status: "pending" | "done" | "cancelled";
  note: string | null;
  completedAt: string | null;
}

export interface CommentRow {
  fingerprint: string;
  repository: string;
  commit: string;
  commentId: number;
  recordedAt: string;
}

export interface CheckRunRow {
  repository: string;
  headSha: string;
  checkRunId: number;
  recordedAt: string;
}

export interface IssueRow {
  fingerprint: string;
  repository: string;
  number: number;
  recordedAt: string;
}

/**
 * A rotator's latest attempt on a secret, recorded before the rotator is called. `in_flight`: its
 * outcome is unknown (the process may have died while it ran); `done`: answered, the answer not yet
 * in rotations; `recorded`: answered and recorded. rotate/attempts.ts keeps `id` until an attempt
 * succeeds, so every retry of one rotation request carries the same id.
 */
export interface RotationAttemptRow {
  fingerprint: string;
  rotator: string;
  id: string;
  status: "in_flight" | "done" | "recorded";
  outcome: Omit<RotationInput, "rotator"> | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface Store {
  // deliveries and jobs
  /** Idempotent by delivery id: a redelivery (same X-GitHub-Delivery) is "duplicate" and changes nothing. */
  recordDelivery(input: DeliveryInput): Promise<"new" | "duplicate">;
  getDelivery(id: string): Promise<DeliveryRow | undefined>;
  /** True when a push job for this (repository, after) finished with status "done". */
  isPushProcessed(repository: string, after: string): Promise<boolean>;
  /** True when a pull_request (merge gate) job for this (repository, head sha) finished with status "done". */
  isPullRequestProcessed(repository: string, headSha: string): Promise<boolean>;
  /** True when any pull_request job (queued, running, done or failed) was recorded for this (repository, head sha). */
  hasPullRequestJob(repository: string, headSha: string): Promise<boolean>;
  /** Queues a job for a recorded delivery; a second call leaves the existing job as it is. */
  enqueueJob(deliveryId: string): Promise<JobRow>;
  /** Queues a failed job again (a manual redelivery after fixing the cause); undefined if it is not failed. */
  requeueFailedJob(deliveryId: string): Promise<JobRow | undefined>;
  startJob(deliveryId: string): Promise<JobRow>;
  /**
   * Moves a queued job to running (attempts + 1) for this caller alone: undefined when the job is not
   * queued (another worker claimed it first, or it is finished). Atomic across processes.
   */
  claimJob(deliveryId: string): Promise<JobRow | undefined>;
  finishJob(deliveryId: string, result: { status: "done" | "failed"; error?: string }): Promise<JobRow>;
  /**
   * True when a queued or running job exists for a delivery of this event at (repository, sha): the
   * push's `after`, or the pull request's head. Seen by every process sharing the store.
   */
  hasUnfinishedJob(event: "push" | "pull_request", repository: string, sha: string): Promise<boolean>;
  /** Queued or running jobs, oldest first, with their delivery: what to resume after a restart. */
  unfinishedJobs(): Promise<UnfinishedJob[]>;
  getJob(deliveryId: string): Promise<JobRow | undefined>;

  // secrets
  /** Creates the secret in state "detected", or refreshes it (a known tier or website id is kept over null). */
  upsertSecret(input: SecretInput): Promise<SecretRow>;
  getSecret(fingerprint: string): Promise<SecretRow | undefined>;
  /** Sets the state; "dead" also sets deadAt (once). False when the fingerprint is unknown. */
  setSecretState(fingerprint: string, state: SecretState): Promise<boolean>;
  secretsInState(state: SecretState): Promise<SecretRow[]>;

  // occurrences
  /** "new", or "duplicate" when this exact place is already recorded. */
  addOccurrence(fingerprint: string, occurrence: OccurrenceInput): Promise<"new" | "duplicate">;
  occurrencesOf(fingerprint: string): Promise<OccurrenceRow[]>;

  // verifications (history kept)
  /**
   * Appends the answer to the history. The answer the latest row already holds (same checkedAt,
   * status and tier) is not recorded twice: workers sharing one answer through the store record it once.
   */
  recordVerification(fingerprint: string, verification: Verification): Promise<void>;
  latestVerification(fingerprint: string): Promise<VerificationRow | undefined>;
  verificationsOf(fingerprint: string): Promise<VerificationRow[]>;

  // rotations
  /** Also settles that rotator's answered attempt on the secret (status done → recorded). */
  recordRotation(fingerprint: string, rotation: RotationInput): Promise<void>;
  rotationsOf(fingerprint: string): Promise<RotationRow[]>;
  /** True once any rotator answered "requested" or "rotated": a secret is rotated once, not per push. */
  hasRotationRequested(fingerprint: string): Promise<boolean>;

  // rotation attempts (exactly once across restarts)
  rotationAttempt(fingerprint: string, rotator: string): Promise<RotationAttemptRow | undefined>;
  /** Records the intent before the rotator runs: status in_flight with this id (replacing a settled attempt). */
  startRotationAttempt(fingerprint: string, rotator: string, id: string): Promise<void>;
  /** The rotator answered: status done with its outcome (until recordRotation settles it). */
  finishRotationAttempt(fingerprint: string, rotator: string, id: string, outcome: Omit<RotationInput, "rotator">): Promise<void>;

  // re-checks (src/rotate/recheck.ts)
  /** Schedules (or reschedules) attempt N of the series that began at `rotatedAt`; survives restarts. */
  scheduleRecheck(fingerprint: string, dueAt: Date, attempt: number, rotatedAt: Date): Promise<void>;
  /** Pending re-checks due at or before `now`, earliest first. */
  dueRechecks(now: Date): Promise<RecheckRow[]>;
  /** Marks attempt N done; `note` says what came of it (e.g. "keypair no longer readable"). */
  completeRecheck(fingerprint: string, attempt: number, note?: string): Promise<void>;
  /** Cancels every pending re-check of the secret; returns how many. */
  cancelRechecks(fingerprint: string): Promise<number>;
  rechecksOf(fingerprint: string): Promise<RecheckRow[]>;

  // scanned commits: what a later scan of the same commits (a merge gate) may take from the store
  /**
   * Records commits read completely (no gap, no path skipped by paths-ignore, no keypair allowed by
   * the config) by `scanner` (the build's version), after their findings were recorded.
   */
  recordScannedCommits(repository: string, commits: readonly string[], scanner: string): Promise<void>;
  /** Which of these commits `scanner` recorded as read completely in this repository. */
  scannedCommits(repository: string, commits: readonly string[], scanner: string): Promise<Set<string>>;
  /** The secrets' occurrences in these commits of this repository. */
  occurrencesInCommits(repository: string, commits: readonly string[]): Promise<Array<{ fingerprint: string; occurrence: OccurrenceRow }>>;

  // organization-wide listings (crisp-guard report): one query per table, never one per secret
  /** Every secret, first seen first. */
  allSecrets(): Promise<SecretRow[]>;
  /** Every occurrence of every secret, in the order recorded. */
  allOccurrences(): Promise<Array<{ fingerprint: string; occurrence: OccurrenceRow }>>;
  /** Every rotation of every secret, in the order recorded. */
  allRotations(): Promise<Array<{ fingerprint: string; rotation: RotationRow }>>;
  /** Each verified secret's latest verification. */
  latestVerifications(): Promise<Array<{ fingerprint: string; verification: VerificationRow }>>;
  /**
   * The installations each repository's deliveries came from, as distinct pairs ordered by repository
   * (a repository of a reinstalled app has two). Deliveries without an installation are left out.
   */
  repositoryInstallations(): Promise<Array<{ repository: string; installationId: number }>>;

  // GitHub artefacts, for later updates
  /** One comment per secret per commit: recording again replaces the comment id. */
  recordComment(input: { fingerprint: string; repository: string; commit: string; commentId: number }): Promise<void>;
  commentsOf(fingerprint: string): Promise<CommentRow[]>;
  recordCheckRun(input: { repository: string; headSha: string; checkRunId: number; fingerprints: readonly string[] }): Promise<void>;
  checkRunsOf(fingerprint: string): Promise<CheckRunRow[]>;
  /** Every secret a check run reported: to recompute its conclusion when one of them dies. */
  fingerprintsOfCheckRun(checkRunId: number): Promise<string[]>;
  /** One issue per secret: recording again replaces it. */
  recordIssue(input: { fingerprint: string; repository: string; number: number }): Promise<void>;
  issueOf(fingerprint: string): Promise<IssueRow | undefined>;

  // backfills: one repository's whole history, scanned once (again only when forced)
  /**
   * Atomically: unless the repository's backfill is queued or running (or, without `force`, done or
   * skipped), records a new generation (1 for the first) as queued, with its delivery (event
   * "backfill", id `backfill:<owner/repo lowercased>:<generation>`, payload BackfillJobPayload) and its
   * queued job, for the caller to hand to the queue. A failed backfill is queued again without force.
   */
  requestBackfill(input: BackfillRequestInput): Promise<BackfillRequest>;
  /** The repository's latest backfill (any case of its name). */
  getBackfill(repository: string): Promise<BackfillRow | undefined>;
  /** Marks that generation running (startedAt now); false when the row holds another generation. */
  startBackfill(repository: string, generation: number): Promise<boolean>;
  /** Records that generation's result (finishedAt now); false when the row holds another generation. */
  finishBackfill(repository: string, generation: number, result: BackfillResult): Promise<boolean>;
  /** Every repository's latest backfill, by repository name; only one installation's when given. */
  backfills(installationId?: number): Promise<BackfillRow[]>;
  /** The installation's backfills counted by status (all zero when it has none). */
  backfillProgress(installationId: number): Promise<BackfillProgress>;

  // coordination between the processes sharing the store
  /**
   * Runs `task` holding the lock `name`, waiting for the holder before it: one holder at a time in
   * every process on this store. Postgres: a session advisory lock, which the server releases when
   * the holder's connection dies (a worker killed mid-job); SQLite: within the process (one process
   * per file). Not reentrant: a task must not take a lock of the same name. With `waitMs`, throws
   * LockBusyError (store/local-lock.ts) when the lock is not had in time, without running `task`.
   */
  withLock<T>(name: string, task: () => Promise<T>, options?: LockOptions): Promise<T>;

  close(): Promise<void>;
}
