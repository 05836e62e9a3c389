// The Postgres store (pg, a pool): the same contract and meaning as the SQLite store, shared by any
// number of processes. What must hold across processes is one statement (INSERT … ON CONFLICT,
// UPDATE … WHERE status = …, which Postgres runs under a row lock) or a transaction on one client.
import pg from "pg";
import type { Verification } from "../detect/types.js";
import {
  backfillDeliveryId, backfillKey, backfillPayload, backfillRefusal, backfillResultColumns, progressOf,
} from "./backfill.js";
import { storedPayload } from "./delivery-payload.js";
import { PG_MIGRATIONS, type PgMigration } from "./postgres-migrations.js";
import {
  toBackfill, toDelivery, toJob, toOccurrence, toRecheck, toRotation, toRotationAttempt, toSecret, toVerification,
  type BackfillDb, type DeliveryDb, type JobDb, type OccurrenceDb, type RecheckDb, type RotationAttemptDb, type RotationDb,
  type SecretDb, type VerificationDb,
} from "./rows.js";
import { assertRedacted, scrubText } from "./scrub.js";
import { LockBusyError, type LockOptions } from "./local-lock.js";
import type {
  BackfillProgress, BackfillRequest, BackfillRequestInput, BackfillResult, BackfillRow, CheckRunRow, CommentRow,
  DeliveryInput, DeliveryRow, IssueRow, JobRow, OccurrenceInput, OccurrenceRow, RecheckRow, RotationAttemptRow,
  RotationInput, RotationRow, SecretInput, SecretRow, SecretState, Store, UnfinishedJob, VerificationRow,
} from "./types.js";

/**
 * Connections per process. The web role answers webhooks and the worker runs 2 jobs at a time
 * (JOB_CONCURRENCY), each a handful of short statements: 5 leaves room without crowding Postgres'
 * default max_connections (100) when many workers share one server.
 */
const POOL_SIZE = 5;

/**
 * Connections for withLock, apart from the queries' pool so a task holding a lock never waits for a
 * connection behind tasks waiting for locks. A job holds at most a few at once (its push, a rotation,
 * GitHub writes, the verifier's 4 checks: DEFAULT_CONCURRENCY), 2 jobs at a time; idle ones close.
 */
const LOCK_POOL_SIZE = 16;
/**
 * A lock connection not had within this long fails the task rather than hanging it: the pool is
 * taken by waiters, which a job's retry resolves better than an endless wait.
 */
const LOCK_CONNECT_TIMEOUT_MS = 60_000;

/**
 * The advisory lock key that serialises migrations across processes starting at once: any fixed
 * bigint unlikely to be used by something else sharing the database ("crispgrd" in ASCII).
 */
const MIGRATION_LOCK_KEY = "7161128331616970852";

/**
 * The prefix of the transaction advisory lock a backfill request holds on its repository (the row
 * may not exist yet, so there is nothing for SELECT … FOR UPDATE to lock). Apart from withLock's
 * "crisp-guard:" names, so a task holding one of those never waits for itself here.
 */
const BACKFILL_LOCK_PREFIX = "crisp-guard-store:backfill:";

export interface PostgresStoreOptions {
  /** The clock, for tests. */
  now?: () => Date;
  /** The migrations to apply (tests); default PG_MIGRATIONS. */
  migrations?: readonly PgMigration[];
  /** Give up connecting after this long (pg's default is to wait forever); unset: no limit. */
  connectTimeoutMs?: number;
}

// BIGINT columns (GitHub ids, epoch ms) come back as numbers: every one of them fits in 2^53.
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid, format): unknown =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as unknown),
};

/**
 * Applies every migration newer than the database under a session advisory lock, each in its own
 * transaction, so processes starting together apply each one once. Refuses a newer schema.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`);
      const { rows } = await client.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
      const current = rows[0]?.v ?? 0;
      const latest = migrations.at(-1)?.version ?? 0;
      if (current > latest) {
        // Fail closed: an older build must not write into a schema it does not know.
        throw new Error(`database schema version ${current} is newer than this build knows (${latest})`);
      }
      const applied: number[] = [];
      for (const [i, m] of migrations.entries()) {
        if (m.version !== i + 1) throw new Error(`migration ${m.name}: version ${m.version}, expected ${i + 1}`);
        if (m.version <= current) continue;
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
            m.version, m.name, new Date().toISOString(),
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
        applied.push(m.version);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** Opens a pool on `url` (postgres://…) and applies pending migrations. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    types,
    ...(options.connectTimeoutMs !== undefined ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
  });
  // An idle client's error (the server restarted) must not crash the process: the pool replaces it.
  pool.on("error", () => {});
  try {
    await migratePostgres(pool, options.migrations);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const locks = new pg.Pool({
    connectionString: url,
    max: LOCK_POOL_SIZE,
    types,
    // A lock's session must not outlive its process for hours: keepalives on both ends, so a lost
    // host's locks are released in about a minute rather than when the OS gives up (2 h).
    keepAlive: true,
    connectionTimeoutMillis: options.connectTimeoutMs ?? LOCK_CONNECT_TIMEOUT_MS,
  });
  locks.on("connect", (client) => {
    client.query("SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3").catch(() => {});
  });
  locks.on("error", () => {});
  return new PostgresStore(pool, locks, options.now ?? (() => new Date()));
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #locks: pg.Pool;
  readonly #now: () => Date;
  #closed = false;

  constructor(pool: pg.Pool, locks: pg.Pool, now: () => Date) {
    this.#pool = pool;
    this.#locks = locks;
    this.#now = now;
  }

  #ts(): string {
    return this.#now().toISOString();
  }

  async #rows<T>(sql: string, params: unknown[] = [], on: Queryable = this.#pool): Promise<T[]> {
    return (await on.query(sql, params)).rows as T[];
  }

  async #one<T>(sql: string, params: unknown[] = [], on: Queryable = this.#pool): Promise<T | undefined> {
    return (await this.#rows<T>(sql, params, on))[0];
  }

  async #count(sql: string, params: unknown[] = [], on: Queryable = this.#pool): Promise<number> {
    return (await on.query(sql, params)).rowCount ?? 0;
  }

  /** Runs `body` in one transaction on one client; rolls back on any error. */
  async #tx<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      const result = await body(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  // deliveries and jobs

  async recordDelivery(input: DeliveryInput): Promise<"new" | "duplicate"> {
    const payload = storedPayload(input);
    const n = await this.#count(
      `INSERT INTO deliveries (id, event, repository, installation_id, after_sha, payload, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [input.id, input.event, input.repository, input.installationId, input.after, payload, this.#ts()],
    );
    return n === 1 ? "new" : "duplicate";
  }

  async getDelivery(id: string): Promise<DeliveryRow | undefined> {
    const row = await this.#one<DeliveryDb>("SELECT * FROM deliveries WHERE id = $1", [id]);
    return row && toDelivery(row);
  }

  async hasUnfinishedJob(event: "push" | "pull_request", repository: string, sha: string): Promise<boolean> {
    const row = await this.#one(
      `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
       WHERE d.repository = $1 AND d.after_sha = $2 AND d.event = $3 AND j.status IN ('queued', 'running') LIMIT 1`,
      [repository, sha, event],
    );
    return row !== undefined;
  }

  async isPushProcessed(repository: string, after: string): Promise<boolean> {
    const row = await this.#one(
      `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
       WHERE d.repository = $1 AND d.after_sha = $2 AND d.event = 'push' AND j.status = 'done' LIMIT 1`,
      [repository, after],
    );
    return row !== undefined;
  }

  async isPullRequestProcessed(repository: string, headSha: string): Promise<boolean> {
    const row = await this.#one(
      `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
       WHERE d.repository = $1 AND d.after_sha = $2 AND d.event = 'pull_request' AND j.status = 'done' LIMIT 1`,
      [repository, headSha],
    );
    return row !== undefined;
  }

  async hasPullRequestJob(repository: string, headSha: string): Promise<boolean> {
    const row = await this.#one(
      `SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
       WHERE d.repository = $1 AND d.after_sha = $2 AND d.event = 'pull_request' LIMIT 1`,
      [repository, headSha],
    );
    return row !== undefined;
  }

  async enqueueJob(deliveryId: string): Promise<JobRow> {
    await this.#count(
      "INSERT INTO jobs (delivery_id, status, enqueued_at) VALUES ($1, 'queued', $2) ON CONFLICT (delivery_id) DO NOTHING",
      [deliveryId, this.#ts()],
    );
    return this.#mustJob(deliveryId);
  }

  async requeueFailedJob(deliveryId: string): Promise<JobRow | undefined> {
    const row = await this.#one<JobDb>(
      `UPDATE jobs SET status = 'queued', error = NULL, enqueued_at = $1, finished_at = NULL
       WHERE delivery_id = $2 AND status = 'failed' RETURNING *`,
      [this.#ts(), deliveryId],
    );
    return row && toJob(row);
  }

  async startJob(deliveryId: string): Promise<JobRow> {
    const row = await this.#one<JobDb>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = $1, error = NULL
       WHERE delivery_id = $2 RETURNING *`,
      [this.#ts(), deliveryId],
    );
    if (!row) throw new Error(`store: no job for delivery ${deliveryId}`);
    return toJob(row);
  }

  async claimJob(deliveryId: string): Promise<JobRow | undefined> {
    // The WHERE is re-checked on the locked row: of two workers racing, the second updates nothing.
    const row = await this.#one<JobDb>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = $1, error = NULL
       WHERE delivery_id = $2 AND status = 'queued' RETURNING *`,
      [this.#ts(), deliveryId],
    );
    return row && toJob(row);
  }

  async finishJob(deliveryId: string, result: { status: "done" | "failed"; error?: string }): Promise<JobRow> {
    const row = await this.#one<JobDb>(
      "UPDATE jobs SET status = $1, error = $2, finished_at = $3 WHERE delivery_id = $4 RETURNING *",
      [result.status, result.error === undefined ? null : scrubText(result.error), this.#ts(), deliveryId],
    );
    if (!row) throw new Error(`store: no job for delivery ${deliveryId}`);
    return toJob(row);
  }

  async unfinishedJobs(): Promise<UnfinishedJob[]> {
    const rows = await this.#rows<JobDb & { d_id: string } & Omit<DeliveryDb, "id">>(
      `SELECT j.*, d.id AS d_id, d.event, d.repository, d.installation_id, d.after_sha, d.payload, d.received_at
       FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
       WHERE j.status IN ('queued', 'running') ORDER BY j.enqueued_at, j.seq`,
    );
    return rows.map((r) => ({ ...toJob(r), delivery: toDelivery({ ...r, id: r.d_id }) }));
  }

  async getJob(deliveryId: string): Promise<JobRow | undefined> {
    const row = await this.#one<JobDb>("SELECT * FROM jobs WHERE delivery_id = $1", [deliveryId]);
    return row && toJob(row);
  }

  async #mustJob(deliveryId: string): Promise<JobRow> {
    const job = await this.getJob(deliveryId);
    if (!job) throw new Error(`store: no job for delivery ${deliveryId}`);
    return job;
  }

  // secrets

  async upsertSecret(input: SecretInput): Promise<SecretRow> {
    assertRedacted(input);
    const now = this.#ts();
    const row = await this.#one<SecretDb>(
      `INSERT INTO secrets (fingerprint, redacted_identifier, key_hint, tier, website_id, state, first_seen_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'detected', $6, $6)
       ON CONFLICT (fingerprint) DO UPDATE SET
         tier = COALESCE(excluded.tier, secrets.tier),
         website_id = COALESCE(excluded.website_id, secrets.website_id),
         updated_at = excluded.updated_at
       RETURNING *`,
      [input.fingerprint, input.redactedIdentifier, input.keyHint, input.tier, input.websiteId, now],
    );
    return toSecret(row!);
  }

  async getSecret(fingerprint: string): Promise<SecretRow | undefined> {
    const row = await this.#one<SecretDb>("SELECT * FROM secrets WHERE fingerprint = $1", [fingerprint]);
    return row && toSecret(row);
  }

  async setSecretState(fingerprint: string, state: SecretState): Promise<boolean> {
    const now = this.#ts();
    const n = await this.#count(
      `UPDATE secrets SET state = $1, updated_at = $2,
         dead_at = CASE WHEN $1 = 'dead' THEN COALESCE(dead_at, $2) ELSE dead_at END
       WHERE fingerprint = $3`,
      [state, now, fingerprint],
    );
    return n === 1;
  }

  async secretsInState(state: SecretState): Promise<SecretRow[]> {
    const rows = await this.#rows<SecretDb>("SELECT * FROM secrets WHERE state = $1 ORDER BY first_seen_at, seq", [state]);
    return rows.map(toSecret);
  }

  // occurrences

  async addOccurrence(fingerprint: string, o: OccurrenceInput): Promise<"new" | "duplicate"> {
    const n = await this.#count(
      `INSERT INTO occurrences (fingerprint, repository, commit_sha, path, line, col, encoding, author, date, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (fingerprint, repository, commit_sha, path, line, col) DO NOTHING`,
      [fingerprint, o.repository, o.commit ?? "", o.path, o.line, o.column, o.encoding, o.author ?? null, o.date ?? null, this.#ts()],
    );
    return n === 1 ? "new" : "duplicate";
  }

  async occurrencesOf(fingerprint: string): Promise<OccurrenceRow[]> {
    const rows = await this.#rows<OccurrenceDb>("SELECT * FROM occurrences WHERE fingerprint = $1 ORDER BY id", [fingerprint]);
    return rows.map(toOccurrence);
  }

  // scanned commits

  async recordScannedCommits(repository: string, commits: readonly string[], scanner: string): Promise<void> {
    if (commits.length === 0) return;
    // One statement for the batch: atomic, and a commit another process listed first is left as it is.
    await this.#count(
      `INSERT INTO scanned_commits (repository, commit_sha, scanner, scanned_at)
       SELECT $1, sha, $3, $4 FROM unnest($2::text[]) AS sha
       ON CONFLICT (repository, commit_sha, scanner) DO NOTHING`,
      [repository, [...commits], scanner, this.#ts()],
    );
  }

  async scannedCommits(repository: string, commits: readonly string[], scanner: string): Promise<Set<string>> {
    const rows = await this.#rows<{ commit_sha: string }>(
      "SELECT commit_sha FROM scanned_commits WHERE repository = $1 AND scanner = $3 AND commit_sha = ANY($2::text[])",
      [repository, [...commits], scanner],
    );
    return new Set(rows.map((r) => r.commit_sha));
  }

  async occurrencesInCommits(
    repository: string,
    commits: readonly string[],
  ): Promise<Array<{ fingerprint: string; occurrence: OccurrenceRow }>> {
    // In the order of `commits`, then of recording, as the SQLite store answers.
    const rows = await this.#rows<OccurrenceDb & { fingerprint: string }>(
      `SELECT o.* FROM occurrences o JOIN unnest($2::text[]) WITH ORDINALITY AS c(sha, n) ON c.sha = o.commit_sha
       WHERE o.repository = $1 ORDER BY c.n, o.id`,
      [repository, [...commits]],
    );
    return rows.map((row) => ({ fingerprint: row.fingerprint, occurrence: toOccurrence(row) }));
  }

  // verifications: every process reads the latest by fingerprint, so one check serves them all

  async recordVerification(fingerprint: string, v: Verification): Promise<void> {
    await this.#count(
      `INSERT INTO verifications (fingerprint, status, tier, reason, checked_at, plugin_id, website_name, recorded_at)
       SELECT $1, $2, $3::text, $4, $5, $6, $7, $8
       WHERE NOT EXISTS (SELECT 1 FROM (SELECT status, tier, checked_at FROM verifications WHERE fingerprint = $1
         ORDER BY id DESC LIMIT 1) l WHERE l.status = $2 AND l.tier IS NOT DISTINCT FROM $3::text AND l.checked_at = $5)`,
      [
        fingerprint, v.status, v.tier, scrubText(v.reason), v.checkedAt, v.pluginId ?? null,
        v.websiteName === undefined ? null : scrubText(v.websiteName), this.#ts(),
      ],
    );
  }

  async latestVerification(fingerprint: string): Promise<VerificationRow | undefined> {
    const row = await this.#one<VerificationDb>(
      "SELECT * FROM verifications WHERE fingerprint = $1 ORDER BY id DESC LIMIT 1",
      [fingerprint],
    );
    return row && toVerification(row);
  }

  async verificationsOf(fingerprint: string): Promise<VerificationRow[]> {
    const rows = await this.#rows<VerificationDb>("SELECT * FROM verifications WHERE fingerprint = $1 ORDER BY id", [fingerprint]);
    return rows.map(toVerification);
  }

  // rotations

  async recordRotation(fingerprint: string, r: RotationInput): Promise<void> {
    await this.#tx(async (client) => {
      await this.#count(
        "INSERT INTO rotations (fingerprint, rotator, status, detail, url, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [fingerprint, r.rotator, r.status, scrubText(r.detail), r.url ?? null, this.#ts()],
        client,
      );
      await this.#count(
        "UPDATE rotation_attempts SET status = 'recorded' WHERE fingerprint = $1 AND rotator = $2 AND status = 'done'",
        [fingerprint, r.rotator],
        client,
      );
    });
  }

  async rotationsOf(fingerprint: string): Promise<RotationRow[]> {
    const rows = await this.#rows<RotationDb>("SELECT * FROM rotations WHERE fingerprint = $1 ORDER BY id", [fingerprint]);
    return rows.map(toRotation);
  }

  async hasRotationRequested(fingerprint: string): Promise<boolean> {
    const row = await this.#one(
      "SELECT 1 FROM rotations WHERE fingerprint = $1 AND status IN ('requested', 'rotated') LIMIT 1",
      [fingerprint],
    );
    return row !== undefined;
  }

  // rotation attempts: one row per (fingerprint, rotator), written by a single upsert

  async rotationAttempt(fingerprint: string, rotator: string): Promise<RotationAttemptRow | undefined> {
    const row = await this.#one<RotationAttemptDb>(
      "SELECT * FROM rotation_attempts WHERE fingerprint = $1 AND rotator = $2",
      [fingerprint, rotator],
    );
    return row && toRotationAttempt(row);
  }

  async startRotationAttempt(fingerprint: string, rotator: string, id: string): Promise<void> {
    await this.#count(
      `INSERT INTO rotation_attempts (fingerprint, rotator, attempt_id, status, started_at) VALUES ($1, $2, $3, 'in_flight', $4)
       ON CONFLICT (fingerprint, rotator) DO UPDATE SET
         attempt_id = excluded.attempt_id, status = 'in_flight', outcome = NULL, detail = NULL, url = NULL,
         started_at = excluded.started_at, finished_at = NULL`,
      [fingerprint, rotator, id, this.#ts()],
    );
  }

  async finishRotationAttempt(
    fingerprint: string,
    rotator: string,
    id: string,
    outcome: Omit<RotationInput, "rotator">,
  ): Promise<void> {
    await this.#count(
      `UPDATE rotation_attempts SET status = 'done', outcome = $1, detail = $2, url = $3, finished_at = $4
       WHERE fingerprint = $5 AND rotator = $6 AND attempt_id = $7`,
      [outcome.status, scrubText(outcome.detail), outcome.url ?? null, this.#ts(), fingerprint, rotator, id],
    );
  }

  // re-checks

  async scheduleRecheck(fingerprint: string, dueAt: Date, attempt: number, rotatedAt: Date): Promise<void> {
    await this.#count(
      `INSERT INTO rechecks (fingerprint, attempt, due_at, rotated_at, status) VALUES ($1, $2, $3, $4, 'pending')
       ON CONFLICT (fingerprint, attempt) DO UPDATE SET
         due_at = excluded.due_at, rotated_at = excluded.rotated_at, status = 'pending', note = NULL, completed_at = NULL`,
      [fingerprint, attempt, dueAt.getTime(), rotatedAt.getTime()],
    );
  }

  async dueRechecks(now: Date): Promise<RecheckRow[]> {
    const rows = await this.#rows<RecheckDb>(
      "SELECT * FROM rechecks WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, fingerprint, attempt",
      [now.getTime()],
    );
    return rows.map(toRecheck);
  }

  async completeRecheck(fingerprint: string, attempt: number, note?: string): Promise<void> {
    await this.#count(
      "UPDATE rechecks SET status = 'done', note = $1, completed_at = $2 WHERE fingerprint = $3 AND attempt = $4",
      [note === undefined ? null : scrubText(note), this.#ts(), fingerprint, attempt],
    );
  }

  async cancelRechecks(fingerprint: string): Promise<number> {
    return this.#count(
      "UPDATE rechecks SET status = 'cancelled', completed_at = $1 WHERE fingerprint = $2 AND status = 'pending'",
      [this.#ts(), fingerprint],
    );
  }

  async rechecksOf(fingerprint: string): Promise<RecheckRow[]> {
    const rows = await this.#rows<RecheckDb>("SELECT * FROM rechecks WHERE fingerprint = $1 ORDER BY attempt", [fingerprint]);
    return rows.map(toRecheck);
  }

  // organization-wide listings

  async allSecrets(): Promise<SecretRow[]> {
    const rows = await this.#rows<SecretDb>("SELECT * FROM secrets ORDER BY first_seen_at, seq");
    return rows.map(toSecret);
  }

  async allOccurrences(): Promise<Array<{ fingerprint: string; occurrence: OccurrenceRow }>> {
    const rows = await this.#rows<OccurrenceDb & { fingerprint: string }>("SELECT * FROM occurrences ORDER BY id");
    return rows.map((row) => ({ fingerprint: row.fingerprint, occurrence: toOccurrence(row) }));
  }

  async allRotations(): Promise<Array<{ fingerprint: string; rotation: RotationRow }>> {
    const rows = await this.#rows<RotationDb & { fingerprint: string }>("SELECT * FROM rotations ORDER BY id");
    return rows.map((row) => ({ fingerprint: row.fingerprint, rotation: toRotation(row) }));
  }

  async latestVerifications(): Promise<Array<{ fingerprint: string; verification: VerificationRow }>> {
    const rows = await this.#rows<VerificationDb & { fingerprint: string }>(
      "SELECT * FROM verifications WHERE id IN (SELECT MAX(id) FROM verifications GROUP BY fingerprint) ORDER BY id",
    );
    return rows.map((row) => ({ fingerprint: row.fingerprint, verification: toVerification(row) }));
  }

  async repositoryInstallations(): Promise<Array<{ repository: string; installationId: number }>> {
    const rows = await this.#rows<{ repository: string; installation_id: number }>(
      `SELECT DISTINCT repository, installation_id FROM deliveries
       WHERE installation_id IS NOT NULL AND event <> 'installation'
       ORDER BY repository, installation_id`,
    );
    return rows.map((r) => ({ repository: r.repository, installationId: r.installation_id }));
  }

  // GitHub artefacts

  async recordComment(input: { fingerprint: string; repository: string; commit: string; commentId: number }): Promise<void> {
    await this.#count(
      `INSERT INTO comments (fingerprint, repository, commit_sha, comment_id, recorded_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (fingerprint, repository, commit_sha) DO UPDATE SET
         comment_id = excluded.comment_id, recorded_at = excluded.recorded_at`,
      [input.fingerprint, input.repository, input.commit, input.commentId, this.#ts()],
    );
  }

  async commentsOf(fingerprint: string): Promise<CommentRow[]> {
    const rows = await this.#rows<{ fingerprint: string; repository: string; commit_sha: string; comment_id: number; recorded_at: string }>(
      "SELECT * FROM comments WHERE fingerprint = $1 ORDER BY seq",
      [fingerprint],
    );
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      repository: r.repository,
      commit: r.commit_sha,
      commentId: r.comment_id,
      recordedAt: r.recorded_at,
    }));
  }

  async recordCheckRun(input: { repository: string; headSha: string; checkRunId: number; fingerprints: readonly string[] }): Promise<void> {
    await this.#tx(async (client) => {
      await this.#count(
        `INSERT INTO check_runs (check_run_id, repository, head_sha, recorded_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (check_run_id) DO UPDATE SET repository = excluded.repository, head_sha = excluded.head_sha`,
        [input.checkRunId, input.repository, input.headSha, this.#ts()],
        client,
      );
      for (const fp of input.fingerprints) {
        await this.#count(
          "INSERT INTO check_run_secrets (check_run_id, fingerprint) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          [input.checkRunId, fp],
          client,
        );
      }
    });
  }

  async checkRunsOf(fingerprint: string): Promise<CheckRunRow[]> {
    const rows = await this.#rows<{ check_run_id: number; repository: string; head_sha: string; recorded_at: string }>(
      `SELECT c.* FROM check_runs c JOIN check_run_secrets s ON s.check_run_id = c.check_run_id
       WHERE s.fingerprint = $1 ORDER BY c.seq`,
      [fingerprint],
    );
    return rows.map((r) => ({ repository: r.repository, headSha: r.head_sha, checkRunId: r.check_run_id, recordedAt: r.recorded_at }));
  }

  async fingerprintsOfCheckRun(checkRunId: number): Promise<string[]> {
    const rows = await this.#rows<{ fingerprint: string }>(
      "SELECT fingerprint FROM check_run_secrets WHERE check_run_id = $1 ORDER BY seq",
      [checkRunId],
    );
    return rows.map((r) => r.fingerprint);
  }

  async recordIssue(input: { fingerprint: string; repository: string; number: number }): Promise<void> {
    await this.#count(
      `INSERT INTO issues (fingerprint, repository, number, recorded_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (fingerprint) DO UPDATE SET
         repository = excluded.repository, number = excluded.number, recorded_at = excluded.recorded_at`,
      [input.fingerprint, input.repository, input.number, this.#ts()],
    );
  }

  async issueOf(fingerprint: string): Promise<IssueRow | undefined> {
    const row = await this.#one<{ fingerprint: string; repository: string; number: number; recorded_at: string }>(
      "SELECT * FROM issues WHERE fingerprint = $1",
      [fingerprint],
    );
    return row && { fingerprint: row.fingerprint, repository: row.repository, number: row.number, recordedAt: row.recorded_at };
  }

  // backfills

  async requestBackfill(input: BackfillRequestInput): Promise<BackfillRequest> {
    const repository = `${input.owner}/${input.repo}`;
    const key = backfillKey(repository);
    return this.#tx(async (client) => {
      // Two processes requesting the same repository: the second waits here for the first's commit,
      // then reads the row it wrote. Released at COMMIT or ROLLBACK.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [BACKFILL_LOCK_PREFIX + key]);
      const current = await this.#one<BackfillDb>("SELECT * FROM backfills WHERE repository_key = $1", [key], client);
      const row = current && toBackfill(current);
      const refusal = backfillRefusal(row, input.force);
      if (refusal !== null) return { queued: false, reason: refusal, row: row! };
      const generation = (row?.generation ?? 0) + 1;
      const deliveryId = backfillDeliveryId(repository, generation);
      const payload = backfillPayload(input, generation);
      const now = this.#ts();
      await this.#count(
        `INSERT INTO deliveries (id, event, repository, installation_id, after_sha, payload, received_at)
         VALUES ($1, 'backfill', $2, $3, NULL, $4, $5)`,
        [deliveryId, repository, input.installationId, JSON.stringify(payload), now],
        client,
      );
      await this.#count("INSERT INTO jobs (delivery_id, status, enqueued_at) VALUES ($1, 'queued', $2)", [deliveryId, now], client);
      await this.#count(
        `INSERT INTO backfills (repository_key, repository, installation_id, generation, status, delivery_id, trigger, requested_at)
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7)
         ON CONFLICT (repository_key) DO UPDATE SET
           repository = excluded.repository, installation_id = excluded.installation_id, generation = excluded.generation,
           status = 'queued', delivery_id = excluded.delivery_id, trigger = excluded.trigger, reason = NULL,
           head_sha = NULL, commits = NULL, blobs = NULL, findings = NULL, incomplete = false,
           requested_at = excluded.requested_at, started_at = NULL, finished_at = NULL`,
        [key, repository, input.installationId, generation, deliveryId, payload.trigger, now],
        client,
      );
      return { queued: true, deliveryId, generation };
    });
  }

  async getBackfill(repository: string): Promise<BackfillRow | undefined> {
    const row = await this.#one<BackfillDb>("SELECT * FROM backfills WHERE repository_key = $1", [backfillKey(repository)]);
    return row && toBackfill(row);
  }

  async startBackfill(repository: string, generation: number): Promise<boolean> {
    const n = await this.#count(
      "UPDATE backfills SET status = 'running', started_at = $1, finished_at = NULL WHERE repository_key = $2 AND generation = $3",
      [this.#ts(), backfillKey(repository), generation],
    );
    return n === 1;
  }

  async finishBackfill(repository: string, generation: number, result: BackfillResult): Promise<boolean> {
    const n = await this.#count(
      `UPDATE backfills SET status = $1, reason = $2, head_sha = $3, commits = $4, blobs = $5, findings = $6, incomplete = $7,
         finished_at = $8
       WHERE repository_key = $9 AND generation = $10`,
      [result.status, ...backfillResultColumns(result), this.#ts(), backfillKey(repository), generation],
    );
    return n === 1;
  }

  async backfills(installationId?: number): Promise<BackfillRow[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    const rows =
      installationId === undefined
        ? await this.#rows<BackfillDb>(`SELECT * FROM backfills ORDER BY repository_key COLLATE "C"`)
        : await this.#rows<BackfillDb>(`SELECT * FROM backfills WHERE installation_id = $1 ORDER BY repository_key COLLATE "C"`, [
          installationId,
        ]);
    return rows.map(toBackfill);
  }

  async backfillProgress(installationId: number): Promise<BackfillProgress> {
    const counts = await this.#rows<{ status: BackfillRow["status"]; n: number }>(
      "SELECT status, COUNT(*) AS n FROM backfills WHERE installation_id = $1 GROUP BY status",
      [installationId],
    );
    return progressOf(installationId, counts);
  }

  // coordination

  async withLock<T>(name: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const client = await this.#locks.connect();
    // 64 bits of the name's hash: a collision only makes two unrelated tasks wait for each other.
    const key = ["crisp-guard:" + name];
    let healthy = true;
    // A checked-out client has no error listener of the pool's: without this one, the server going
    // away while a task holds the lock would be an uncaught error. The lock is gone with the session.
    const lost = (): void => {
      healthy = false;
    };
    client.on("error", lost);
    try {
      if (options.waitMs !== undefined) await client.query(`SET lock_timeout = ${Math.max(1, Math.round(options.waitMs))}`);
      await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", key).catch((error: unknown) => {
        // lock_not_available: the wait ran out; the session itself is fine.
        if ((error as { code?: unknown }).code === "55P03" && options.waitMs !== undefined) throw new LockBusyError(name, options.waitMs);
        healthy = false;
        throw error;
      });
      try {
        return await task();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", key).catch(() => {
          healthy = false;
        });
      }
    } finally {
      if (healthy && options.waitMs !== undefined) await client.query("SET lock_timeout = 0").catch(() => (healthy = false));
      client.off("error", lost);
      // A client whose lock or unlock failed may still hold the lock: destroyed, so the server releases it.
      client.release(!healthy);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#pool.end(), this.#locks.end()]);
  }
}
