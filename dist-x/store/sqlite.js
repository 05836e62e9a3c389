// The SQLite store (better-sqlite3: synchronous, one connection per process), behind the async Store
// contract: every method runs synchronously inside, so a transaction body never awaits and stays atomic.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations.js";
import { pickPullRequestPayload } from "./pull-request-payload.js";
import { pickPushPayload } from "./push-payload.js";
import { toDelivery, toJob, toOccurrence, toRecheck, toRotation, toRotationAttempt, toSecret, toVerification, } from "./rows.js";
import { assertRedacted, scrubText } from "./scrub.js";
/** How long a write waits for another connection's lock (the app and a CLI may share one file). */
const BUSY_TIMEOUT_MS = 5000;
/**
 * Opens (creating if needed) the SQLite store at `path`, or an in-memory one for ":memory:".
 * Creates the parent directory, turns on WAL and foreign keys, and applies pending migrations.
 */
export function openSqliteStore(path, options = {}) {
    if (path !== ":memory:" && !path.startsWith("file:"))
        mkdirSync(dirname(resolve(path)), { recursive: true });
    const db = new Database(path);
    try {
        // WAL: the webhook handler's writes never wait for the worker's reads.
        db.pragma("journal_mode = WAL");
        db.pragma("foreign_keys = ON");
        db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        migrate(db);
    }
    catch (error) {
        db.close();
        throw error;
    }
    return asAsync(new SqliteStore(db, options.now ?? (() => new Date())));
}
/** The async face of a SyncStore: each call runs at once and its answer (or error) is a settled Promise. */
function asAsync(sync) {
    const store = {};
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(sync))) {
        const method = sync[name];
        if (name === "constructor" || typeof method !== "function")
            continue;
        store[name] = (...args) => {
            try {
                return Promise.resolve(method.apply(sync, args));
            }
            catch (error) {
                return Promise.reject(error);
            }
        };
    }
    return store;
}
class SqliteStore {
    #db;
    #now;
    constructor(db, now) {
        this.#db = db;
        this.#now = now;
    }
    #ts() {
        return this.#now().toISOString();
    }
    #get(sql, ...params) {
        return this.#db.prepare(sql).get(...params);
    }
    #all(sql, ...params) {
        return this.#db.prepare(sql).all(...params);
    }
    #run(sql, ...params) {
        return this.#db.prepare(sql).run(...params);
    }
    // deliveries and jobs
    recordDelivery(input) {
        const payload = JSON.stringify(input.event === "pull_request" ? pickPullRequestPayload(input.payload) : pickPushPayload(input.payload));
        const result = this.#run(`INSERT INTO deliveries (id, event, repository, installation_id, after_sha, payload, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, input.id, input.event, input.repository, input.installationId, input.after, payload, this.#ts());
        return result.changes === 1 ? "new" : "duplicate";
    }
    getDelivery(id) {
        const row = this.#get("SELECT * FROM deliveries WHERE id = ?", id);
        return row && toDelivery(row);
    }
    isPushProcessed(repository, after) {
        return (this.#get(`SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
         WHERE d.repository = ? AND d.after_sha = ? AND d.event = 'push' AND j.status = 'done' LIMIT 1`, repository, after) !== undefined);
    }
    isPullRequestProcessed(repository, headSha) {
        return (this.#get(`SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
         WHERE d.repository = ? AND d.after_sha = ? AND d.event = 'pull_request' AND j.status = 'done' LIMIT 1`, repository, headSha) !== undefined);
    }
    hasPullRequestJob(repository, headSha) {
        return (this.#get(`SELECT 1 FROM deliveries d JOIN jobs j ON j.delivery_id = d.id
         WHERE d.repository = ? AND d.after_sha = ? AND d.event = 'pull_request' LIMIT 1`, repository, headSha) !== undefined);
    }
    enqueueJob(deliveryId) {
        this.#run("INSERT INTO jobs (delivery_id, status, enqueued_at) VALUES (?, 'queued', ?) ON CONFLICT (delivery_id) DO NOTHING", deliveryId, this.#ts());
        return this.#mustJob(deliveryId);
    }
    requeueFailedJob(deliveryId) {
        const changed = this.#run("UPDATE jobs SET status = 'queued', error = NULL, enqueued_at = ?, finished_at = NULL WHERE delivery_id = ? AND status = 'failed'", this.#ts(), deliveryId);
        return changed.changes > 0 ? this.#mustJob(deliveryId) : undefined;
    }
    startJob(deliveryId) {
        this.#run("UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, error = NULL WHERE delivery_id = ?", this.#ts(), deliveryId);
        return this.#mustJob(deliveryId);
    }
    claimJob(deliveryId) {
        // One statement: SQLite's write lock makes it atomic against any other connection to the file.
        const changed = this.#run("UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, error = NULL WHERE delivery_id = ? AND status = 'queued'", this.#ts(), deliveryId);
        return changed.changes > 0 ? this.#mustJob(deliveryId) : undefined;
    }
    finishJob(deliveryId, result) {
        this.#run("UPDATE jobs SET status = ?, error = ?, finished_at = ? WHERE delivery_id = ?", result.status, result.error === undefined ? null : scrubText(result.error), this.#ts(), deliveryId);
        return this.#mustJob(deliveryId);
    }
    unfinishedJobs() {
        const rows = this.#all(`SELECT j.*, d.id AS d_id, d.event, d.repository, d.installation_id, d.after_sha, d.payload, d.received_at
       FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
       WHERE j.status IN ('queued', 'running') ORDER BY j.enqueued_at, j.rowid`);
        return rows.map((r) => ({ ...toJob(r), delivery: toDelivery({ ...r, id: r.d_id }) }));
    }
    getJob(deliveryId) {
        const row = this.#get("SELECT * FROM jobs WHERE delivery_id = ?", deliveryId);
        return row && toJob(row);
    }
    #mustJob(deliveryId) {
        const job = this.getJob(deliveryId);
        if (!job)
            throw new Error(`store: no job for delivery ${deliveryId}`);
        return job;
    }
    // secrets
    upsertSecret(input) {
        assertRedacted(input);
        const now = this.#ts();
        this.#run(`INSERT INTO secrets (fingerprint, redacted_identifier, key_hint, tier, website_id, state, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'detected', ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET
         tier = COALESCE(excluded.tier, secrets.tier),
         website_id = COALESCE(excluded.website_id, secrets.website_id),
         updated_at = excluded.updated_at`, input.fingerprint, input.redactedIdentifier, input.keyHint, input.tier, input.websiteId, now, now);
        return this.getSecret(input.fingerprint);
    }
    getSecret(fingerprint) {
        const row = this.#get("SELECT * FROM secrets WHERE fingerprint = ?", fingerprint);
        return row && toSecret(row);
    }
    setSecretState(fingerprint, state) {
        const now = this.#ts();
        const result = this.#run(`UPDATE secrets SET state = ?, updated_at = ?,
         dead_at = CASE WHEN ? = 'dead' THEN COALESCE(dead_at, ?) ELSE dead_at END
       WHERE fingerprint = ?`, state, now, state, now, fingerprint);
        return result.changes === 1;
    }
    secretsInState(state) {
        return this.#all("SELECT * FROM secrets WHERE state = ? ORDER BY first_seen_at, rowid", state).map(toSecret);
    }
    // occurrences
    addOccurrence(fingerprint, o) {
        const result = this.#run(`INSERT INTO occurrences (fingerprint, repository, commit_sha, path, line, col, encoding, author, date, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (fingerprint, repository, commit_sha, path, line, col) DO NOTHING`, fingerprint, o.repository, o.commit ?? "", o.path, o.line, o.column, o.encoding, o.author ?? null, o.date ?? null, this.#ts());
        return result.changes === 1 ? "new" : "duplicate";
    }
    occurrencesOf(fingerprint) {
        return this.#all("SELECT * FROM occurrences WHERE fingerprint = ? ORDER BY id", fingerprint).map(toOccurrence);
    }
    // verifications
    recordVerification(fingerprint, v) {
        this.#run(`INSERT INTO verifications (fingerprint, status, tier, reason, checked_at, plugin_id, website_name, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, fingerprint, v.status, v.tier, scrubText(v.reason), v.checkedAt, v.pluginId ?? null, v.websiteName === undefined ? null : scrubText(v.websiteName), this.#ts());
    }
    latestVerification(fingerprint) {
        const row = this.#get("SELECT * FROM verifications WHERE fingerprint = ? ORDER BY id DESC LIMIT 1", fingerprint);
        return row && toVerification(row);
    }
    verificationsOf(fingerprint) {
        return this.#all("SELECT * FROM verifications WHERE fingerprint = ? ORDER BY id", fingerprint).map(toVerification);
    }
    // rotations
    recordRotation(fingerprint, r) {
        this.#db.transaction(() => {
            this.#run("INSERT INTO rotations (fingerprint, rotator, status, detail, url, recorded_at) VALUES (?, ?, ?, ?, ?, ?)", fingerprint, r.rotator, r.status, scrubText(r.detail), r.url ?? null, this.#ts());
            this.#run("UPDATE rotation_attempts SET status = 'recorded' WHERE fingerprint = ? AND rotator = ? AND status = 'done'", fingerprint, r.rotator);
        })();
    }
    rotationsOf(fingerprint) {
        return this.#all("SELECT * FROM rotations WHERE fingerprint = ? ORDER BY id", fingerprint).map(toRotation);
    }
    hasRotationRequested(fingerprint) {
        return (this.#get("SELECT 1 FROM rotations WHERE fingerprint = ? AND status IN ('requested', 'rotated') LIMIT 1", fingerprint) !== undefined);
    }
    // rotation attempts
    rotationAttempt(fingerprint, rotator) {
        const row = this.#get("SELECT * FROM rotation_attempts WHERE fingerprint = ? AND rotator = ?", fingerprint, rotator);
        return row && toRotationAttempt(row);
    }
    startRotationAttempt(fingerprint, rotator, id) {
        this.#run(`INSERT INTO rotation_attempts (fingerprint, rotator, attempt_id, status, started_at) VALUES (?, ?, ?, 'in_flight', ?)
       ON CONFLICT (fingerprint, rotator) DO UPDATE SET
         attempt_id = excluded.attempt_id, status = 'in_flight', outcome = NULL, detail = NULL, url = NULL,
         started_at = excluded.started_at, finished_at = NULL`, fingerprint, rotator, id, this.#ts());
    }
    finishRotationAttempt(fingerprint, rotator, id, outcome) {
        this.#run(`UPDATE rotation_attempts SET status = 'done', outcome = ?, detail = ?, url = ?, finished_at = ?
       WHERE fingerprint = ? AND rotator = ? AND attempt_id = ?`, outcome.status, scrubText(outcome.detail), outcome.url ?? null, this.#ts(), fingerprint, rotator, id);
    }
    // re-checks
    scheduleRecheck(fingerprint, dueAt, attempt) {
        this.#run(`INSERT INTO rechecks (fingerprint, attempt, due_at, status) VALUES (?, ?, ?, 'pending')
       ON CONFLICT (fingerprint, attempt) DO UPDATE SET
         due_at = excluded.due_at, status = 'pending', note = NULL, completed_at = NULL`, fingerprint, attempt, dueAt.getTime());
    }
    dueRechecks(now) {
        return this.#all("SELECT * FROM rechecks WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, fingerprint, attempt", now.getTime()).map(toRecheck);
    }
    completeRecheck(fingerprint, attempt, note) {
        this.#run("UPDATE rechecks SET status = 'done', note = ?, completed_at = ? WHERE fingerprint = ? AND attempt = ?", note === undefined ? null : scrubText(note), this.#ts(), fingerprint, attempt);
    }
    cancelRechecks(fingerprint) {
        return this.#run("UPDATE rechecks SET status = 'cancelled', completed_at = ? WHERE fingerprint = ? AND status = 'pending'", this.#ts(), fingerprint).changes;
    }
    rechecksOf(fingerprint) {
        return this.#all("SELECT * FROM rechecks WHERE fingerprint = ? ORDER BY attempt", fingerprint).map(toRecheck);
    }
    // scanned commits
    recordScannedCommits(repository, commits, scanner) {
        const insert = this.#db.prepare(`INSERT INTO scanned_commits (repository, commit_sha, scanner, scanned_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (repository, commit_sha, scanner) DO NOTHING`);
        const now = this.#ts();
        this.#db.transaction(() => {
            for (const sha of commits)
                insert.run(repository, sha, scanner, now);
        })();
    }
    scannedCommits(repository, commits, scanner) {
        const found = new Set();
        const query = this.#db.prepare("SELECT 1 FROM scanned_commits WHERE repository = ? AND commit_sha = ? AND scanner = ?");
        for (const sha of commits)
            if (query.get(repository, sha, scanner) !== undefined)
                found.add(sha);
        return found;
    }
    occurrencesInCommits(repository, commits) {
        const query = this.#db.prepare("SELECT * FROM occurrences WHERE repository = ? AND commit_sha = ? ORDER BY id");
        const out = [];
        for (const sha of commits) {
            for (const row of query.all(repository, sha)) {
                out.push({ fingerprint: row.fingerprint, occurrence: toOccurrence(row) });
            }
        }
        return out;
    }
    // GitHub artefacts
    recordComment(input) {
        this.#run(`INSERT INTO comments (fingerprint, repository, commit_sha, comment_id, recorded_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (fingerprint, repository, commit_sha) DO UPDATE SET
         comment_id = excluded.comment_id, recorded_at = excluded.recorded_at`, input.fingerprint, input.repository, input.commit, input.commentId, this.#ts());
    }
    commentsOf(fingerprint) {
        return this.#all("SELECT * FROM comments WHERE fingerprint = ? ORDER BY rowid", fingerprint).map((r) => ({
            fingerprint: r.fingerprint,
            repository: r.repository,
            commit: r.commit_sha,
            commentId: r.comment_id,
            recordedAt: r.recorded_at,
        }));
    }
    recordCheckRun(input) {
        this.#db.transaction(() => {
            this.#run(`INSERT INTO check_runs (check_run_id, repository, head_sha, recorded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (check_run_id) DO UPDATE SET repository = excluded.repository, head_sha = excluded.head_sha`, input.checkRunId, input.repository, input.headSha, this.#ts());
            const link = this.#db.prepare("INSERT INTO check_run_secrets (check_run_id, fingerprint) VALUES (?, ?) ON CONFLICT DO NOTHING");
            for (const fp of input.fingerprints)
                link.run(input.checkRunId, fp);
        })();
    }
    checkRunsOf(fingerprint) {
        return this.#all(`SELECT c.* FROM check_runs c JOIN check_run_secrets s ON s.check_run_id = c.check_run_id
       WHERE s.fingerprint = ? ORDER BY c.rowid`, fingerprint).map((r) => ({ repository: r.repository, headSha: r.head_sha, checkRunId: r.check_run_id, recordedAt: r.recorded_at }));
    }
    fingerprintsOfCheckRun(checkRunId) {
        return this.#all("SELECT fingerprint FROM check_run_secrets WHERE check_run_id = ? ORDER BY rowid", checkRunId).map((r) => r.fingerprint);
    }
    recordIssue(input) {
        this.#run(`INSERT INTO issues (fingerprint, repository, number, recorded_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET
         repository = excluded.repository, number = excluded.number, recorded_at = excluded.recorded_at`, input.fingerprint, input.repository, input.number, this.#ts());
    }
    issueOf(fingerprint) {
        const row = this.#get("SELECT * FROM issues WHERE fingerprint = ?", fingerprint);
        return row && { fingerprint: row.fingerprint, repository: row.repository, number: row.number, recordedAt: row.recorded_at };
    }
    close() {
        if (this.#db.open)
            this.#db.close();
    }
}
//# sourceMappingURL=sqlite.js.map