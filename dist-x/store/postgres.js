// The Postgres store (pg, a pool): the same contract and meaning as the SQLite store, shared by any
// number of processes. What must hold across processes is one statement (INSERT … ON CONFLICT,
// UPDATE … WHERE status = …, which Postgres runs under a row lock) or a transaction on one client.
import pg from "pg";
import { PG_MIGRATIONS } from "./postgres-migrations.js";
import { pickPullRequestPayload } from "./pull-request-payload.js";
import { pickPushPayload } from "./push-payload.js";
import { toDelivery, toJob, toOccurrence, toRecheck, toRotation, toRotationAttempt, toSecret, toVerification, } from "./rows.js";
import { assertRedacted, scrubText } from "./scrub.js";
/**
 * Connections per process. The web role answers webhooks and the worker runs 2 jobs at a time
 * (JOB_CONCURRENCY), each a handful of short statements: 5 leaves room without crowding Postgres'
 * default max_connections (100) when many workers share one server.
 */
const POOL_SIZE = 5;
/**
 * The advisory lock key that serialises migrations across processes starting at once: any fixed
 * bigint unlikely to be used by something else sharing the database ("crispgrd" in ASCII).
 */
const MIGRATION_LOCK_KEY = "7161128331616970852";
// BIGINT columns (GitHub ids, epoch ms) come back as numbers: every one of them fits in 2^53.
const types = {
    getTypeParser: ((oid, format) => oid === pg.types.builtins.INT8 ? (value) => Number(value) : pg.types.getTypeParser(oid, format)),
};
/**
 * Applies every migration newer than the database under a session advisory lock, each in its own
 * transaction, so processes starting together apply each one once. Refuses a newer schema.
 */
export async function migratePostgres(pool, migrations = PG_MIGRATIONS) {
    const client = await pool.connect();
    try {
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        try {
            await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`);
            const { rows } = await client.query("SELECT MAX(version) AS v FROM schema_migrations");
            const current = rows[0]?.v ?? 0;
            const latest = migrations.at(-1)?.version ?? 0;
            if (current > latest) {
                // Fail closed: an older build must not write into a schema it does not know.
                throw new Error(`database schema version ${current} is newer than this build knows (${latest})`);
            }
            const applied = [];
            for (const [i, m] of migrations.entries()) {
                if (m.version !== i + 1)
                    throw new Error(`migration ${m.name}: version ${m.version}, expected ${i + 1}`);
                if (m.version <= current)
                    continue;
                await client.query("BEGIN");
                try {
                    await client.query(m.sql);
                    await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
                        m.version, m.name, new Date().toISOString(),
                    ]);
                    await client.query("COMMIT");
                }
                catch (error) {
                    await client.query("ROLLBACK");
                    throw error;
                }
                applied.push(m.version);
            }
            return applied;
        }
        finally {
            await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
    }
    finally {
        client.release();
    }
}
/** Opens a pool on `url` (postgres://…) and applies pending migrations. */
export async function openPostgresStore(url, options = {}) {
    const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types });
    // An idle client's error (the server restarted) must not crash the process: the pool replaces it.
    pool.on("error", () => { });
    try {
        await migratePostgres(pool, options.migrations);
    }
    catch (error) {
        await pool.end();
        throw error;
    }
    return new PostgresStore(pool, options.now ?? (() => new Date()));
}
class PostgresStore {
    #pool;
    #now;
    #closed = false;
    constructor(pool, now) {
        this.#pool = pool;
        this.#now = now;
    }
    #ts() {
        return this.#now().toISOString();
    }
    async #rows(sql, params = [], on = this.#pool) {
        return (await on.query(sql, params)).rows;
    }
    async #one(sql, params = [], on = this.#pool) {
        return (await this.#rows(sql, params, on))[0];
    }
    async #count(sql, params = [], on = this.#pool) {
        return (await on.query(sql, params)).rowCount ?? 0;
    }
    /** Runs `body` in one transaction on one client; rolls back on any error. */
    async #tx(body) {
        const client = await this.#pool.connect();
        try {
            await client.query("BEGIN");
            const result = await body(client);
            await client.query("COMMIT");
            return result;
        }
        catch (error) {
            await client.query("ROLLBACK").catch(() => { });
            throw error;
        }
        finally {
            client.release();
        }
    }
    // deliveries and jobs
    async recordDelivery(input) {
        const payload = JSON.stringify(input.event === "pull_request" ? pickPullRequestPayload(input.payload) : pickPushPayload(input.payload));
        const n = await this.#count(`INSERT INTO deliveries (id, event, repository, installation_id, after_sha, payload, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`, [input.id, input.event, input.repository, input.installationId, input.after, payload, this.#ts()]);
        return n === 1 ? "new" : "duplicate";
    }
    async getDelivery(id) {
        const row = await this.#one("SELECT * FROM deliveries WHERE id = $1", [id]);
        return row && toDelivery(row);
    }
    async isPushProcessed(repository, after) {
        const row = await this.#one(`SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
       WHERE d.repository = $1 AND d.after_sha = $2 AND d.event = 'push' AND j.status = 'done' LIMIT 1`, [repository, after]);
        return row !== undefined;
    }
    async isPullRequestProcessed(repository, headSha) {
        const row = await this.#one(`SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
       WHERE d.repository = $1 AND d.after_sha = $2 AND d.event = 'pull_request' AND j.status = 'done' LIMIT 1`, [repository, headSha]);
        return row !== undefined;
    }
    async hasPullRequestJob(repository, headSha) {
        const row = await this.#one(`SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
       WHERE d.repository = $1 AND d.after_sha = $2 AND d.event = 'pull_request' LIMIT 1`, [repository, headSha]);
        return row !== undefined;
    }
    async enqueueJob(deliveryId) {
        await this.#count("INSERT INTO jobs (delivery_id, status, enqueued_at) VALUES ($1, 'queued', $2) ON CONFLICT (delivery_id) DO NOTHING", [deliveryId, this.#ts()]);
        return this.#mustJob(deliveryId);
    }
    async requeueFailedJob(deliveryId) {
        const row = await this.#one(`UPDATE jobs SET status = 'queued', error = NULL, enqueued_at = $1, finished_at = NULL
       WHERE delivery_id = $2 AND status = 'failed' RETURNING *`, [this.#ts(), deliveryId]);
        return row && toJob(row);
    }
    async startJob(deliveryId) {
        const row = await this.#one(`UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = $1, error = NULL
       WHERE delivery_id = $2 RETURNING *`, [this.#ts(), deliveryId]);
        if (!row)
            throw new Error(`store: no job for delivery ${deliveryId}`);
        return toJob(row);
    }
    async claimJob(deliveryId) {
        // The WHERE is re-checked on the locked row: of two workers racing, the second updates nothing.
        const row = await this.#one(`UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = $1, error = NULL
       WHERE delivery_id = $2 AND status = 'queued' RETURNING *`, [this.#ts(), deliveryId]);
        return row && toJob(row);
    }
    async finishJob(deliveryId, result) {
        const row = await this.#one("UPDATE jobs SET status = $1, error = $2, finished_at = $3 WHERE delivery_id = $4 RETURNING *", [result.status, result.error === undefined ? null : scrubText(result.error), this.#ts(), deliveryId]);
        if (!row)
            throw new Error(`store: no job for delivery ${deliveryId}`);
        return toJob(row);
    }
    async unfinishedJobs() {
        const rows = await this.#rows(`SELECT j.*, d.id AS d_id, d.event, d.repository, d.installation_id, d.after_sha, d.payload, d.received_at
       FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
       WHERE j.status IN ('queued', 'running') ORDER BY j.enqueued_at, j.seq`);
        return rows.map((r) => ({ ...toJob(r), delivery: toDelivery({ ...r, id: r.d_id }) }));
    }
    async getJob(deliveryId) {
        const row = await this.#one("SELECT * FROM jobs WHERE delivery_id = $1", [deliveryId]);
        return row && toJob(row);
    }
    async #mustJob(deliveryId) {
        const job = await this.getJob(deliveryId);
        if (!job)
            throw new Error(`store: no job for delivery ${deliveryId}`);
        return job;
    }
    // secrets
    async upsertSecret(input) {
        assertRedacted(input);
        const now = this.#ts();
        const row = await this.#one(`INSERT INTO secrets (fingerprint, redacted_identifier, key_hint, tier, website_id, state, first_seen_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'detected', $6, $6)
       ON CONFLICT (fingerprint) DO UPDATE SET
         tier = COALESCE(excluded.tier, secrets.tier),
         website_id = COALESCE(excluded.website_id, secrets.website_id),
         updated_at = excluded.updated_at
       RETURNING *`, [input.fingerprint, input.redactedIdentifier, input.keyHint, input.tier, input.websiteId, now]);
        return toSecret(row);
    }
    async getSecret(fingerprint) {
        const row = await this.#one("SELECT * FROM secrets WHERE fingerprint = $1", [fingerprint]);
        return row && toSecret(row);
    }
    async setSecretState(fingerprint, state) {
        const now = this.#ts();
        const n = await this.#count(`UPDATE secrets SET state = $1, updated_at = $2,
         dead_at = CASE WHEN $1 = 'dead' THEN COALESCE(dead_at, $2) ELSE dead_at END
       WHERE fingerprint = $3`, [state, now, fingerprint]);
        return n === 1;
    }
    async secretsInState(state) {
        const rows = await this.#rows("SELECT * FROM secrets WHERE state = $1 ORDER BY first_seen_at, seq", [state]);
        return rows.map(toSecret);
    }
    // occurrences
    async addOccurrence(fingerprint, o) {
        const n = await this.#count(`INSERT INTO occurrences (fingerprint, repository, commit_sha, path, line, col, encoding, author, date, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (fingerprint, repository, commit_sha, path, line, col) DO NOTHING`, [fingerprint, o.repository, o.commit ?? "", o.path, o.line, o.column, o.encoding, o.author ?? null, o.date ?? null, this.#ts()]);
        return n === 1 ? "new" : "duplicate";
    }
    async occurrencesOf(fingerprint) {
        const rows = await this.#rows("SELECT * FROM occurrences WHERE fingerprint = $1 ORDER BY id", [fingerprint]);
        return rows.map(toOccurrence);
    }
    // scanned commits
    async recordScannedCommits(repository, commits, scanner) {
        if (commits.length === 0)
            return;
        // One statement for the batch: atomic, and a commit another process listed first is left as it is.
        await this.#count(`INSERT INTO scanned_commits (repository, commit_sha, scanner, scanned_at)
       SELECT $1, sha, $3, $4 FROM unnest($2::text[]) AS sha
       ON CONFLICT (repository, commit_sha, scanner) DO NOTHING`, [repository, [...commits], scanner, this.#ts()]);
    }
    async scannedCommits(repository, commits, scanner) {
        const rows = await this.#rows("SELECT commit_sha FROM scanned_commits WHERE repository = $1 AND scanner = $3 AND commit_sha = ANY($2::text[])", [repository, [...commits], scanner]);
        return new Set(rows.map((r) => r.commit_sha));
    }
    async occurrencesInCommits(repository, commits) {
        // In the order of `commits`, then of recording, as the SQLite store answers.
        const rows = await this.#rows(`SELECT o.* FROM occurrences o JOIN unnest($2::text[]) WITH ORDINALITY AS c(sha, n) ON c.sha = o.commit_sha
       WHERE o.repository = $1 ORDER BY c.n, o.id`, [repository, [...commits]]);
        return rows.map((row) => ({ fingerprint: row.fingerprint, occurrence: toOccurrence(row) }));
    }
    // verifications: every process reads the latest by fingerprint, so one check serves them all
    async recordVerification(fingerprint, v) {
        await this.#count(`INSERT INTO verifications (fingerprint, status, tier, reason, checked_at, plugin_id, website_name, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
            fingerprint, v.status, v.tier, scrubText(v.reason), v.checkedAt, v.pluginId ?? null,
            v.websiteName === undefined ? null : scrubText(v.websiteName), this.#ts(),
        ]);
    }
    async latestVerification(fingerprint) {
        const row = await this.#one("SELECT * FROM verifications WHERE fingerprint = $1 ORDER BY id DESC LIMIT 1", [fingerprint]);
        return row && toVerification(row);
    }
    async verificationsOf(fingerprint) {
        const rows = await this.#rows("SELECT * FROM verifications WHERE fingerprint = $1 ORDER BY id", [fingerprint]);
        return rows.map(toVerification);
    }
    // rotations
    async recordRotation(fingerprint, r) {
        await this.#tx(async (client) => {
            await this.#count("INSERT INTO rotations (fingerprint, rotator, status, detail, url, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)", [fingerprint, r.rotator, r.status, scrubText(r.detail), r.url ?? null, this.#ts()], client);
            await this.#count("UPDATE rotation_attempts SET status = 'recorded' WHERE fingerprint = $1 AND rotator = $2 AND status = 'done'", [fingerprint, r.rotator], client);
        });
    }
    async rotationsOf(fingerprint) {
        const rows = await this.#rows("SELECT * FROM rotations WHERE fingerprint = $1 ORDER BY id", [fingerprint]);
        return rows.map(toRotation);
    }
    async hasRotationRequested(fingerprint) {
        const row = await this.#one("SELECT 1 FROM rotations WHERE fingerprint = $1 AND status IN ('requested', 'rotated') LIMIT 1", [fingerprint]);
        return row !== undefined;
    }
    // rotation attempts: one row per (fingerprint, rotator), written by a single upsert
    async rotationAttempt(fingerprint, rotator) {
        const row = await this.#one("SELECT * FROM rotation_attempts WHERE fingerprint = $1 AND rotator = $2", [fingerprint, rotator]);
        return row && toRotationAttempt(row);
    }
    async startRotationAttempt(fingerprint, rotator, id) {
        await this.#count(`INSERT INTO rotation_attempts (fingerprint, rotator, attempt_id, status, started_at) VALUES ($1, $2, $3, 'in_flight', $4)
       ON CONFLICT (fingerprint, rotator) DO UPDATE SET
         attempt_id = excluded.attempt_id, status = 'in_flight', outcome = NULL, detail = NULL, url = NULL,
         started_at = excluded.started_at, finished_at = NULL`, [fingerprint, rotator, id, this.#ts()]);
    }
    async finishRotationAttempt(fingerprint, rotator, id, outcome) {
        await this.#count(`UPDATE rotation_attempts SET status = 'done', outcome = $1, detail = $2, url = $3, finished_at = $4
       WHERE fingerprint = $5 AND rotator = $6 AND attempt_id = $7`, [outcome.status, scrubText(outcome.detail), outcome.url ?? null, this.#ts(), fingerprint, rotator, id]);
    }
    // re-checks
    async scheduleRecheck(fingerprint, dueAt, attempt) {
        await this.#count(`INSERT INTO rechecks (fingerprint, attempt, due_at, status) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (fingerprint, attempt) DO UPDATE SET
         due_at = excluded.due_at, status = 'pending', note = NULL, completed_at = NULL`, [fingerprint, attempt, dueAt.getTime()]);
    }
    async dueRechecks(now) {
        const rows = await this.#rows("SELECT * FROM rechecks WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, fingerprint, attempt", [now.getTime()]);
        return rows.map(toRecheck);
    }
    async completeRecheck(fingerprint, attempt, note) {
        await this.#count("UPDATE rechecks SET status = 'done', note = $1, completed_at = $2 WHERE fingerprint = $3 AND attempt = $4", [note === undefined ? null : scrubText(note), this.#ts(), fingerprint, attempt]);
    }
    async cancelRechecks(fingerprint) {
        return this.#count("UPDATE rechecks SET status = 'cancelled', completed_at = $1 WHERE fingerprint = $2 AND status = 'pending'", [this.#ts(), fingerprint]);
    }
    async rechecksOf(fingerprint) {
        const rows = await this.#rows("SELECT * FROM rechecks WHERE fingerprint = $1 ORDER BY attempt", [fingerprint]);
        return rows.map(toRecheck);
    }
    // GitHub artefacts
    async recordComment(input) {
        await this.#count(`INSERT INTO comments (fingerprint, repository, commit_sha, comment_id, recorded_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (fingerprint, repository, commit_sha) DO UPDATE SET
         comment_id = excluded.comment_id, recorded_at = excluded.recorded_at`, [input.fingerprint, input.repository, input.commit, input.commentId, this.#ts()]);
    }
    async commentsOf(fingerprint) {
        const rows = await this.#rows("SELECT * FROM comments WHERE fingerprint = $1 ORDER BY seq", [fingerprint]);
        return rows.map((r) => ({
            fingerprint: r.fingerprint,
            repository: r.repository,
            commit: r.commit_sha,
            commentId: r.comment_id,
            recordedAt: r.recorded_at,
        }));
    }
    async recordCheckRun(input) {
        await this.#tx(async (client) => {
            await this.#count(`INSERT INTO check_runs (check_run_id, repository, head_sha, recorded_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (check_run_id) DO UPDATE SET repository = excluded.repository, head_sha = excluded.head_sha`, [input.checkRunId, input.repository, input.headSha, this.#ts()], client);
            for (const fp of input.fingerprints) {
                await this.#count("INSERT INTO check_run_secrets (check_run_id, fingerprint) VALUES ($1, $2) ON CONFLICT DO NOTHING", [input.checkRunId, fp], client);
            }
        });
    }
    async checkRunsOf(fingerprint) {
        const rows = await this.#rows(`SELECT c.* FROM check_runs c JOIN check_run_secrets s ON s.check_run_id = c.check_run_id
       WHERE s.fingerprint = $1 ORDER BY c.seq`, [fingerprint]);
        return rows.map((r) => ({ repository: r.repository, headSha: r.head_sha, checkRunId: r.check_run_id, recordedAt: r.recorded_at }));
    }
    async fingerprintsOfCheckRun(checkRunId) {
        const rows = await this.#rows("SELECT fingerprint FROM check_run_secrets WHERE check_run_id = $1 ORDER BY seq", [checkRunId]);
        return rows.map((r) => r.fingerprint);
    }
    async recordIssue(input) {
        await this.#count(`INSERT INTO issues (fingerprint, repository, number, recorded_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (fingerprint) DO UPDATE SET
         repository = excluded.repository, number = excluded.number, recorded_at = excluded.recorded_at`, [input.fingerprint, input.repository, input.number, this.#ts()]);
    }
    async issueOf(fingerprint) {
        const row = await this.#one("SELECT * FROM issues WHERE fingerprint = $1", [fingerprint]);
        return row && { fingerprint: row.fingerprint, repository: row.repository, number: row.number, recordedAt: row.recorded_at };
    }
    async close() {
        if (this.#closed)
            return;
        this.#closed = true;
        await this.#pool.end();
    }
}
//# sourceMappingURL=postgres.js.map