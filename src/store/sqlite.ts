// The SQLite store (better-sqlite3: synchronous, one connection per process), behind the async Store
// contract: every method runs synchronously inside, so a transaction body never awaits and stays atomic.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { Verification } from "../detect/types.js";
import { localLocksFor } from "./local-lock.js";
import {
  backfillDeliveryId, backfillKey, backfillPayload, backfillRefusal, backfillResultColumns, progressOf,
} from "./backfill.js";
import { storedPayload } from "./delivery-payload.js";
import { MIGRATIONS, migrate } from "./migrations.js";
import {
  toBackfill, toDelivery, toJob, toOccurrence, toRecheck, toRotation, toRotationAttempt, toSecret, toVerification,
  type BackfillDb, type DeliveryDb, type JobDb, type OccurrenceDb, type RecheckDb, type RotationAttemptDb, type RotationDb,
  type SecretDb, type VerificationDb,
} from "./rows.js";
import { assertRedacted, scrubText } from "./scrub.js";
import type {
  BackfillProgress, BackfillRequest, BackfillRequestInput, BackfillResult, BackfillRow, CheckRunRow, CommentRow,
  DeliveryInput, DeliveryRow, IssueRow, JobRow, OccurrenceInput, OccurrenceRow, RecheckRow, RotationAttemptRow,
  RotationInput, RotationRow, SecretInput, SecretRow, SecretState, Store, UnfinishedJob, VerificationRow,
} from "./types.js";

/** The Store contract with every answer given at once: what the SQLite store is inside. */
type SyncStore = { [K in Exclude<keyof Store, "withLock">]: Store[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };

/** How long a write waits for another connection's lock (the app and a CLI may share one file). */
const BUSY_TIMEOUT_MS = 5000;

export interface StoreOptions {
  /** The clock, for tests. */
  now?: () => Date;
  /**
   * SQLite only: open an existing file for reading only, never created, never migrated, so a reader
   * of another build cannot move the app's schema under it; a schema other than this build's is refused.
   */
  readOnly?: boolean;
}

/**
 * Opens (creating if needed) the SQLite store at `path`, or an in-memory one for ":memory:".
 * Creates the parent directory, turns on WAL and foreign keys, and applies pending migrations.
 */
export function openSqliteStore(path: string, options: StoreOptions = {}): Store {
  if (options.readOnly) return openReadOnly(path, options);
  if (path !== ":memory:" && !path.startsWith("file:")) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  try {
    // WAL: the webhook handler's writes never wait for the worker's reads.
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return asAsync(new SqliteStore(db, options.now ?? (() => new Date())), lockFile(path));
}

function openReadOnly(path: string, options: StoreOptions): Store {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const known = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (known === undefined) throw new Error("not a crisp-guard store (no schema_migrations table)");
    const { v } = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (v !== latest) {
      throw new Error(`store schema version ${v ?? 0}, this build reads version ${latest}: run the same build as the app`);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return asAsync(new SqliteStore(db, options.now ?? (() => new Date())), lockFile(path));
}

/** The file a store's locks belong to: its resolved path, or null for a private in-memory database. */
function lockFile(path: string): string | null {
  if (path === ":memory:" || path.startsWith("file:")) return null;
  return resolve(path);
}

/** The async face of a SyncStore: each call runs at once and its answer (or error) is a settled Promise. */
function asAsync(sync: SyncStore, file: string | null): Store {
  const store: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(sync)) as (keyof SyncStore)[]) {
    const method = sync[name];
    if (name === ("constructor" as keyof SyncStore) || typeof method !== "function") continue;
    // async: a throw becomes the returned Promise's rejection, as with the Postgres store.
    store[name] = async (...args: unknown[]): Promise<unknown> => (method as (...a: unknown[]) => unknown).apply(sync, args);
  }
  // One process per file: locks within the process are the whole contract.
  store.withLock = localLocksFor(file);
  return store as unknown as Store;
}

class SqliteStore implements SyncStore {
  readonly #db: Database.Database;
  readonly #now: () => Date;

  constructor(db: Database.Database, now: () => Date) {
    this.#db = db;
    this.#now = now;
  }

  #ts(): string {
    return this.#now().toISOString();
  }

  #get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.#db.prepare(sql).get(...params) as T | undefined;
  }

  #all<T>(sql: string, ...params: unknown[]): T[] {
    return this.#db.prepare(sql).all(...params) as T[];
  }

  #run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.#db.prepare(sql).run(...params);
  }

  // deliveries and jobs

  recordDelivery(input: DeliveryInput): "new" | "duplicate" {
    const payload = storedPayload(input);
    const result = this.#run(
      `INSERT INTO deliveries (id, event, repository, installation_id, after_sha, payload, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      input.id, input.event, input.repository, input.installationId, input.after, payload, this.#ts(),
    );
    return result.changes === 1 ? "new" : "duplicate";
  }

  getDelivery(id: string): DeliveryRow | undefined {
    const row = this.#get<DeliveryDb>("SELECT * FROM deliveries WHERE id = ?", id);
    return row && toDelivery(row);
  }

  hasUnfinishedJob(event: "push" | "pull_request", repository: string, sha: string): boolean {
    return (
      this.#get(
        `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
         WHERE d.repository = ? AND d.after_sha = ? AND d.event = ? AND j.status IN ('queued', 'running') LIMIT 1`,
        repository, sha, event,
      ) !== undefined
    );
  }

  isPushProcessed(repository: string, after: string): boolean {
    return (
      this.#get(
        `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
         WHERE d.repository = ? AND d.after_sha = ? AND d.event = 'push' AND j.status = 'done' LIMIT 1`,
        repository, after,
      ) !== undefined
    );
  }

  isPullRequestProcessed(repository: string, headSha: string): boolean {
    return (
      this.#get(
        `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
         WHERE d.repository = ? AND d.after_sha = ? AND d.event = 'pull_request' AND j.status = 'done' LIMIT 1`,
        repository, headSha,
      ) !== undefined
    );
  }

  hasPullRequestJob(repository: string, headSha: string): boolean {
    return (
      this.#get(
        `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
         WHERE d.repository = ? AND d.after_sha = ? AND d.event = 'pull_request' LIMIT 1`,
        repository, headSha,
      ) !== undefined
    );
  }

  enqueueJob(deliveryId: string): JobRow {
    this.#run(
      "INSERT INTO jobs (delivery_id, status, enqueued_at) VALUES (?, 'queued', ?) ON CONFLICT (delivery_id) DO NOTHING",
      deliveryId, this.#ts(),
    );
    return this.#mustJob(deliveryId);
  }

  requeueFailedJob(deliveryId: string): JobRow | undefined {
    const changed = this.#run(
      "UPDATE jobs SET status = 'queued', error = NULL, enqueued_at = ?, finished_at = NULL WHERE delivery_id = ? AND status = 'failed'",
      this.#ts(), deliveryId,
    );
    return changed.changes > 0 ? this.#mustJob(deliveryId) : undefined;
  }

  startJob(deliveryId: string): JobRow {
    this.#run(
      "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, error = NULL WHERE delivery_id = ?",
      this.#ts(), deliveryId,
    );
    return this.#mustJob(deliveryId);
  }

  claimJob(deliveryId: string): JobRow | undefined {
    // One statement: SQLite's write lock makes it atomic against any other connection to the file.
    const changed = this.#run(
      "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, error = NULL WHERE delivery_id = ? AND status = 'queued'",
      this.#ts(), deliveryId,
    );
    return changed.changes > 0 ? this.#mustJob(deliveryId) : undefined;
  }

  finishJob(deliveryId: string, result: { status: "done" | "failed"; error?: string }): JobRow {
    this.#run(
      "UPDATE jobs SET status = ?, error = ?, finished_at = ? WHERE delivery_id = ?",
      result.status, result.error === undefined ? null : scrubText(result.error), this.#ts(), deliveryId,
    );
    return this.#mustJob(deliveryId);
  }

  unfinishedJobs(): UnfinishedJob[] {
    const rows = this.#all<JobDb & { d_id: string } & Omit<DeliveryDb, "id">>(
      `SELECT j.*, d.id AS d_id, d.event, d.repository, d.installation_id, d.after_sha, d.payload, d.received_at
       FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
       WHERE j.status IN ('queued', 'running') ORDER BY j.enqueued_at, j.rowid`,
    );
    return rows.map((r) => ({ ...toJob(r), delivery: toDelivery({ ...r, id: r.d_id }) }));
  }

  getJob(deliveryId: string): JobRow | undefined {
    const row = this.#get<JobDb>("SELECT * FROM jobs WHERE delivery_id = ?", deliveryId);
    return row && toJob(row);
  }

  #mustJob(deliveryId: string): JobRow {
    const job = this.getJob(deliveryId);
    if (!job) throw new Error(`store: no job for delivery ${deliveryId}`);
    return job;
  }

  // secrets

  upsertSecret(input: SecretInput): SecretRow {
    assertRedacted(input);
    const now = this.#ts();
    this.#run(
      `INSERT INTO secrets (fingerprint, redacted_identifier, key_hint, tier, website_id, state, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'detected', ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET
         tier = COALESCE(excluded.tier, secrets.tier),
         website_id = COALESCE(excluded.website_id, secrets.website_id),
         updated_at = excluded.updated_at`,
      input.fingerprint, input.redactedIdentifier, input.keyHint, input.tier, input.websiteId, now, now,
    );
    return this.getSecret(input.fingerprint)!;
  }

  getSecret(fingerprint: string): SecretRow | undefined {
    const row = this.#get<SecretDb>("SELECT * FROM secrets WHERE fingerprint = ?", fingerprint);
    return row && toSecret(row);
  }

  setSecretState(fingerprint: string, state: SecretState): boolean {
    const now = this.#ts();
    const result = this.#run(
      `UPDATE secrets SET state = ?, updated_at = ?,
         dead_at = CASE WHEN ? = 'dead' THEN COALESCE(dead_at, ?) ELSE dead_at END
       WHERE fingerprint = ?`,
      state, now, state, now, fingerprint,
    );
    return result.changes === 1;
  }

  secretsInState(state: SecretState): SecretRow[] {
    return this.#all<SecretDb>("SELECT * FROM secrets WHERE state = ? ORDER BY first_seen_at, rowid", state).map(toSecret);
  }

  // occurrences

  addOccurrence(fingerprint: string, o: OccurrenceInput): "new" | "duplicate" {
    const result = this.#run(
      `INSERT INTO occurrences (fingerprint, repository, commit_sha, path, line, col, encoding, author, date, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (fingerprint, repository, commit_sha, path, line, col) DO NOTHING`,
      fingerprint, o.repository, o.commit ?? "", o.path, o.line, o.column, o.encoding, o.author ?? null,
      o.date ?? null, this.#ts(),
    );
    return result.changes === 1 ? "new" : "duplicate";
  }

  occurrencesOf(fingerprint: string): OccurrenceRow[] {
    return this.#all<OccurrenceDb>("SELECT * FROM occurrences WHERE fingerprint = ? ORDER BY id", fingerprint).map(
      toOccurrence,
    );
  }

  // verifications

  recordVerification(fingerprint: string, v: Verification): void {
    this.#run(
      `INSERT INTO verifications (fingerprint, status, tier, reason, checked_at, plugin_id, website_name, recorded_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?
       WHERE NOT EXISTS (SELECT 1 FROM (SELECT status, tier, checked_at FROM verifications WHERE fingerprint = ?
         ORDER BY id DESC LIMIT 1) l WHERE l.status = ? AND l.tier IS ? AND l.checked_at = ?)`,
      fingerprint, v.status, v.tier, scrubText(v.reason), v.checkedAt, v.pluginId ?? null,
      v.websiteName === undefined ? null : scrubText(v.websiteName), this.#ts(),
      fingerprint, v.status, v.tier, v.checkedAt,
    );
  }

  latestVerification(fingerprint: string): VerificationRow | undefined {
    const row = this.#get<VerificationDb>(
      "SELECT * FROM verifications WHERE fingerprint = ? ORDER BY id DESC LIMIT 1",
      fingerprint,
    );
    return row && toVerification(row);
  }

  verificationsOf(fingerprint: string): VerificationRow[] {
    return this.#all<VerificationDb>("SELECT * FROM verifications WHERE fingerprint = ? ORDER BY id", fingerprint).map(
      toVerification,
    );
  }

  // rotations

  recordRotation(fingerprint: string, r: RotationInput): void {
    this.#db.transaction(() => {
      this.#run(
        "INSERT INTO rotations (fingerprint, rotator, status, detail, url, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        fingerprint, r.rotator, r.status, scrubText(r.detail), r.url ?? null, this.#ts(),
      );
      this.#run(
        "UPDATE rotation_attempts SET status = 'recorded' WHERE fingerprint = ? AND rotator = ? AND status = 'done'",
        fingerprint, r.rotator,
      );
    })();
  }

  rotationsOf(fingerprint: string): RotationRow[] {
    return this.#all<RotationDb>("SELECT * FROM rotations WHERE fingerprint = ? ORDER BY id", fingerprint).map(toRotation);
  }

  hasRotationRequested(fingerprint: string): boolean {
    return (
      this.#get(
        "SELECT 1 FROM rotations WHERE fingerprint = ? AND status IN ('requested', 'rotated') LIMIT 1",
        fingerprint,
      ) !== undefined
    );
  }

  // rotation attempts

  rotationAttempt(fingerprint: string, rotator: string): RotationAttemptRow | undefined {
    const row = this.#get<RotationAttemptDb>(
      "SELECT * FROM rotation_attempts WHERE fingerprint = ? AND rotator = ?",
      fingerprint, rotator,
    );
    return row && toRotationAttempt(row);
  }

  startRotationAttempt(fingerprint: string, rotator: string, id: string): void {
    this.#run(
      `INSERT INTO rotation_attempts (fingerprint, rotator, attempt_id, status, started_at) VALUES (?, ?, ?, 'in_flight', ?)
       ON CONFLICT (fingerprint, rotator) DO UPDATE SET
         attempt_id = excluded.attempt_id, status = 'in_flight', outcome = NULL, detail = NULL, url = NULL,
         started_at = excluded.started_at, finished_at = NULL`,
      fingerprint, rotator, id, this.#ts(),
    );
  }

  finishRotationAttempt(fingerprint: string, rotator: string, id: string, outcome: Omit<RotationInput, "rotator">): void {
    this.#run(
      `UPDATE rotation_attempts SET status = 'done', outcome = ?, detail = ?, url = ?, finished_at = ?
       WHERE fingerprint = ? AND rotator = ? AND attempt_id = ?`,
      outcome.status, scrubText(outcome.detail), outcome.url ?? null, this.#ts(), fingerprint, rotator, id,
    );
  }

  // re-checks

  scheduleRecheck(fingerprint: string, dueAt: Date, attempt: number, rotatedAt: Date): void {
    this.#run(
      `INSERT INTO rechecks (fingerprint, attempt, due_at, rotated_at, status) VALUES (?, ?, ?, ?, 'pending')
       ON CONFLICT (fingerprint, attempt) DO UPDATE SET
         due_at = excluded.due_at, rotated_at = excluded.rotated_at, status = 'pending', note = NULL, completed_at = NULL`,
      fingerprint, attempt, dueAt.getTime(), rotatedAt.getTime(),
    );
  }

  dueRechecks(now: Date): RecheckRow[] {
    return this.#all<RecheckDb>(
      "SELECT * FROM rechecks WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, fingerprint, attempt",
      now.getTime(),
    ).map(toRecheck);
  }

  completeRecheck(fingerprint: string, attempt: number, note?: string): void {
    this.#run(
      "UPDATE rechecks SET status = 'done', note = ?, completed_at = ? WHERE fingerprint = ? AND attempt = ?",
      note === undefined ? null : scrubText(note), this.#ts(), fingerprint, attempt,
    );
  }

  cancelRechecks(fingerprint: string): number {
    return this.#run(
      "UPDATE rechecks SET status = 'cancelled', completed_at = ? WHERE fingerprint = ? AND status = 'pending'",
      this.#ts(), fingerprint,
    ).changes;
  }

  rechecksOf(fingerprint: string): RecheckRow[] {
    return this.#all<RecheckDb>("SELECT * FROM rechecks WHERE fingerprint = ? ORDER BY attempt", fingerprint).map(toRecheck);
  }

  // scanned commits

  recordScannedCommits(repository: string, commits: readonly string[], scanner: string): void {
    const insert = this.#db.prepare(
      `INSERT INTO scanned_commits (repository, commit_sha, scanner, scanned_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (repository, commit_sha, scanner) DO NOTHING`,
    );
    const now = this.#ts();
    this.#db.transaction(() => {
      for (const sha of commits) insert.run(repository, sha, scanner, now);
    })();
  }

  scannedCommits(repository: string, commits: readonly string[], scanner: string): Set<string> {
    const found = new Set<string>();
    const query = this.#db.prepare("SELECT 1 FROM scanned_commits WHERE repository = ? AND commit_sha = ? AND scanner = ?");
    for (const sha of commits) if (query.get(repository, sha, scanner) !== undefined) found.add(sha);
    return found;
  }

  occurrencesInCommits(repository: string, commits: readonly string[]): Array<{ fingerprint: string; occurrence: OccurrenceRow }> {
    const query = this.#db.prepare("SELECT * FROM occurrences WHERE repository = ? AND commit_sha = ? ORDER BY id");
    const out: Array<{ fingerprint: string; occurrence: OccurrenceRow }> = [];
    for (const sha of commits) {
      for (const row of query.all(repository, sha) as Array<OccurrenceDb & { fingerprint: string }>) {
        out.push({ fingerprint: row.fingerprint, occurrence: toOccurrence(row) });
      }
    }
    return out;
  }

  // organization-wide listings

  allSecrets(): SecretRow[] {
    return this.#all<SecretDb>("SELECT * FROM secrets ORDER BY first_seen_at, rowid").map(toSecret);
  }

  allOccurrences(): Array<{ fingerprint: string; occurrence: OccurrenceRow }> {
    return this.#all<OccurrenceDb & { fingerprint: string }>("SELECT * FROM occurrences ORDER BY id").map((row) => ({
      fingerprint: row.fingerprint,
      occurrence: toOccurrence(row),
    }));
  }

  allRotations(): Array<{ fingerprint: string; rotation: RotationRow }> {
    return this.#all<RotationDb & { fingerprint: string }>("SELECT * FROM rotations ORDER BY id").map((row) => ({
      fingerprint: row.fingerprint,
      rotation: toRotation(row),
    }));
  }

  latestVerifications(): Array<{ fingerprint: string; verification: VerificationRow }> {
    return this.#all<VerificationDb & { fingerprint: string }>(
      "SELECT * FROM verifications WHERE id IN (SELECT MAX(id) FROM verifications GROUP BY fingerprint) ORDER BY id",
    ).map((row) => ({ fingerprint: row.fingerprint, verification: toVerification(row) }));
  }

  repositoryInstallations(): Array<{ repository: string; installationId: number }> {
    return this.#all<{ repository: string; installation_id: number }>(
      `SELECT DISTINCT repository, installation_id FROM deliveries
       WHERE installation_id IS NOT NULL AND event <> 'installation'
       ORDER BY repository, installation_id`,
    ).map((r) => ({ repository: r.repository, installationId: r.installation_id }));
  }

  // GitHub artefacts

  recordComment(input: { fingerprint: string; repository: string; commit: string; commentId: number }): void {
    this.#run(
      `INSERT INTO comments (fingerprint, repository, commit_sha, comment_id, recorded_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (fingerprint, repository, commit_sha) DO UPDATE SET
         comment_id = excluded.comment_id, recorded_at = excluded.recorded_at`,
      input.fingerprint, input.repository, input.commit, input.commentId, this.#ts(),
    );
  }

  commentsOf(fingerprint: string): CommentRow[] {
    return this.#all<{ fingerprint: string; repository: string; commit_sha: string; comment_id: number; recorded_at: string }>(
      "SELECT * FROM comments WHERE fingerprint = ? ORDER BY rowid",
      fingerprint,
    ).map((r) => ({
      fingerprint: r.fingerprint,
      repository: r.repository,
      commit: r.commit_sha,
      commentId: r.comment_id,
      recordedAt: r.recorded_at,
    }));
  }

  recordCheckRun(input: { repository: string; headSha: string; checkRunId: number; fingerprints: readonly string[] }): void {
    this.#db.transaction(() => {
      this.#run(
        `INSERT INTO check_runs (check_run_id, repository, head_sha, recorded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (check_run_id) DO UPDATE SET repository = excluded.repository, head_sha = excluded.head_sha`,
        input.checkRunId, input.repository, input.headSha, this.#ts(),
      );
      const link = this.#db.prepare(
        "INSERT INTO check_run_secrets (check_run_id, fingerprint) VALUES (?, ?) ON CONFLICT DO NOTHING",
      );
      for (const fp of input.fingerprints) link.run(input.checkRunId, fp);
    })();
  }

  checkRunsOf(fingerprint: string): CheckRunRow[] {
    return this.#all<{ check_run_id: number; repository: string; head_sha: string; recorded_at: string }>(
      `SELECT c.* FROM check_runs c JOIN check_run_secrets s ON s.check_run_id = c.check_run_id
       WHERE s.fingerprint = ? ORDER BY c.rowid`,
      fingerprint,
    ).map((r) => ({ repository: r.repository, headSha: r.head_sha, checkRunId: r.check_run_id, recordedAt: r.recorded_at }));
  }

  fingerprintsOfCheckRun(checkRunId: number): string[] {
    return this.#all<{ fingerprint: string }>(
      "SELECT fingerprint FROM check_run_secrets WHERE check_run_id = ? ORDER BY rowid",
      checkRunId,
    ).map((r) => r.fingerprint);
  }

  recordIssue(input: { fingerprint: string; repository: string; number: number }): void {
    this.#run(
      `INSERT INTO issues (fingerprint, repository, number, recorded_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET
         repository = excluded.repository, number = excluded.number, recorded_at = excluded.recorded_at`,
      input.fingerprint, input.repository, input.number, this.#ts(),
    );
  }

  issueOf(fingerprint: string): IssueRow | undefined {
    const row = this.#get<{ fingerprint: string; repository: string; number: number; recorded_at: string }>(
      "SELECT * FROM issues WHERE fingerprint = ?",
      fingerprint,
    );
    return row && { fingerprint: row.fingerprint, repository: row.repository, number: row.number, recordedAt: row.recorded_at };
  }

  // backfills

  requestBackfill(input: BackfillRequestInput): BackfillRequest {
    const repository = `${input.owner}/${input.repo}`;
    const key = backfillKey(repository);
    // One transaction: SQLite's write lock keeps another connection's request out until it commits.
    return this.#db.transaction((): BackfillRequest => {
      const row = this.getBackfill(repository);
      const refusal = backfillRefusal(row, input.force);
      if (refusal !== null) return { queued: false, reason: refusal, row: row! };
      const generation = (row?.generation ?? 0) + 1;
      const deliveryId = backfillDeliveryId(repository, generation);
      const payload = backfillPayload(input, generation);
      const now = this.#ts();
      this.#run(
        `INSERT INTO deliveries (id, event, repository, installation_id, after_sha, payload, received_at)
         VALUES (?, 'backfill', ?, ?, NULL, ?, ?)`,
        deliveryId, repository, input.installationId, JSON.stringify(payload), now,
      );
      this.#run("INSERT INTO jobs (delivery_id, status, enqueued_at) VALUES (?, 'queued', ?)", deliveryId, now);
      this.#run(
        `INSERT INTO backfills (repository_key, repository, installation_id, generation, status, delivery_id, trigger, requested_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)
         ON CONFLICT (repository_key) DO UPDATE SET
           repository = excluded.repository, installation_id = excluded.installation_id, generation = excluded.generation,
           status = 'queued', delivery_id = excluded.delivery_id, trigger = excluded.trigger, reason = NULL,
           head_sha = NULL, commits = NULL, blobs = NULL, findings = NULL, incomplete = 0,
           requested_at = excluded.requested_at, started_at = NULL, finished_at = NULL`,
        key, repository, input.installationId, generation, deliveryId, payload.trigger, now,
      );
      return { queued: true, deliveryId, generation };
    }).immediate();
  }

  getBackfill(repository: string): BackfillRow | undefined {
    const row = this.#get<BackfillDb>("SELECT * FROM backfills WHERE repository_key = ?", backfillKey(repository));
    return row && toBackfill(row);
  }

  startBackfill(repository: string, generation: number): boolean {
    return (
      this.#run(
        "UPDATE backfills SET status = 'running', started_at = ?, finished_at = NULL WHERE repository_key = ? AND generation = ?",
        this.#ts(), backfillKey(repository), generation,
      ).changes === 1
    );
  }

  finishBackfill(repository: string, generation: number, result: BackfillResult): boolean {
    const [reason, headSha, commits, blobs, findings, incomplete] = backfillResultColumns(result);
    return (
      this.#run(
        `UPDATE backfills SET status = ?, reason = ?, head_sha = ?, commits = ?, blobs = ?, findings = ?, incomplete = ?,
           finished_at = ?
         WHERE repository_key = ? AND generation = ?`,
        result.status, reason, headSha, commits, blobs, findings, incomplete ? 1 : 0, this.#ts(),
        backfillKey(repository), generation,
      ).changes === 1
    );
  }

  backfills(installationId?: number): BackfillRow[] {
    const rows =
      installationId === undefined
        ? this.#all<BackfillDb>("SELECT * FROM backfills ORDER BY repository_key")
        : this.#all<BackfillDb>("SELECT * FROM backfills WHERE installation_id = ? ORDER BY repository_key", installationId);
    return rows.map(toBackfill);
  }

  backfillProgress(installationId: number): BackfillProgress {
    const counts = this.#all<{ status: BackfillRow["status"]; n: number }>(
      "SELECT status, COUNT(*) AS n FROM backfills WHERE installation_id = ? GROUP BY status",
      installationId,
    );
    return progressOf(installationId, counts);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
