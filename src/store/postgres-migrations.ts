// The Postgres schema: the same versions, tables and meaning as migrations.ts (SQLite), in Postgres
// types. A version here is the same step as there, so schema_migrations reads alike in both.
// Differences, and why: ids and GitHub numbers are BIGINT (GitHub ids pass 2^31); tables SQLite
// orders by rowid get a `seq` identity column, Postgres having no rowid.

import { V4_RECHECK_DELAY_SQL } from "./migrations.js";

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: "deliveries, jobs, secrets, occurrences, verifications, rotations",
    sql: `
      CREATE TABLE deliveries (
        id              TEXT PRIMARY KEY,
        event           TEXT NOT NULL,
        repository      TEXT NOT NULL,
        installation_id BIGINT,
        after_sha       TEXT,
        payload         TEXT NOT NULL,
        received_at     TEXT NOT NULL
      );
      CREATE INDEX deliveries_repository_after ON deliveries (repository, after_sha);

      CREATE TABLE jobs (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY,
        delivery_id TEXT PRIMARY KEY REFERENCES deliveries (id),
        status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        error       TEXT,
        enqueued_at TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT
      );
      CREATE INDEX jobs_status ON jobs (status);

      CREATE TABLE secrets (
        seq                 BIGINT GENERATED ALWAYS AS IDENTITY,
        fingerprint         TEXT PRIMARY KEY,
        redacted_identifier TEXT NOT NULL,
        key_hint            TEXT NOT NULL,
        tier                TEXT CHECK (tier IN ('plugin', 'website')),
        website_id          TEXT,
        state               TEXT NOT NULL DEFAULT 'detected' CHECK (state IN
                              ('detected', 'live', 'unknown', 'rotation_requested', 'rotated', 'dead')),
        first_seen_at       TEXT NOT NULL,
        updated_at          TEXT NOT NULL,
        dead_at             TEXT
      );
      CREATE INDEX secrets_state ON secrets (state);

      CREATE TABLE occurrences (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        fingerprint TEXT NOT NULL REFERENCES secrets (fingerprint),
        repository  TEXT NOT NULL,
        commit_sha  TEXT NOT NULL DEFAULT '',
        path        TEXT NOT NULL,
        line        INTEGER NOT NULL,
        col         INTEGER NOT NULL,
        encoding    TEXT NOT NULL,
        author      TEXT,
        date        TEXT,
        recorded_at TEXT NOT NULL,
        UNIQUE (fingerprint, repository, commit_sha, path, line, col)
      );

      CREATE TABLE verifications (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        fingerprint  TEXT NOT NULL REFERENCES secrets (fingerprint),
        status       TEXT NOT NULL,
        tier         TEXT,
        reason       TEXT NOT NULL,
        checked_at   TEXT,
        plugin_id    TEXT,
        website_name TEXT,
        recorded_at  TEXT NOT NULL
      );
      CREATE INDEX verifications_fingerprint ON verifications (fingerprint, id);

      CREATE TABLE rotations (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        fingerprint TEXT NOT NULL REFERENCES secrets (fingerprint),
        rotator     TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('rotated', 'requested', 'failed', 'skipped')),
        detail      TEXT NOT NULL,
        url         TEXT,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX rotations_fingerprint ON rotations (fingerprint, id);
    `,
  },
  {
    version: 2,
    name: "re-checks and GitHub artefacts (comments, check runs, issues)",
    sql: `
      CREATE TABLE rechecks (
        fingerprint  TEXT NOT NULL REFERENCES secrets (fingerprint),
        attempt      INTEGER NOT NULL,
        due_at       BIGINT NOT NULL,
        status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
        note         TEXT,
        completed_at TEXT,
        PRIMARY KEY (fingerprint, attempt)
      );
      CREATE INDEX rechecks_due ON rechecks (status, due_at);

      CREATE TABLE comments (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY,
        fingerprint TEXT NOT NULL REFERENCES secrets (fingerprint),
        repository  TEXT NOT NULL,
        commit_sha  TEXT NOT NULL,
        comment_id  BIGINT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (fingerprint, repository, commit_sha)
      );

      CREATE TABLE check_runs (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY,
        check_run_id BIGINT PRIMARY KEY,
        repository   TEXT NOT NULL,
        head_sha     TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
      );
      CREATE TABLE check_run_secrets (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY,
        check_run_id BIGINT NOT NULL REFERENCES check_runs (check_run_id),
        fingerprint  TEXT NOT NULL REFERENCES secrets (fingerprint),
        PRIMARY KEY (check_run_id, fingerprint)
      );
      CREATE INDEX check_run_secrets_fingerprint ON check_run_secrets (fingerprint);

      CREATE TABLE issues (
        fingerprint TEXT PRIMARY KEY REFERENCES secrets (fingerprint),
        repository  TEXT NOT NULL,
        number      BIGINT NOT NULL,
        recorded_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "rotation attempts: an intent recorded before each rotator runs",
    sql: `
      CREATE TABLE rotation_attempts (
        fingerprint TEXT NOT NULL,
        rotator     TEXT NOT NULL,
        attempt_id  TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('in_flight', 'done', 'recorded')),
        outcome     TEXT CHECK (outcome IN ('rotated', 'requested', 'failed', 'skipped')),
        detail      TEXT,
        url         TEXT,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        PRIMARY KEY (fingerprint, rotator)
      );
    `,
  },
  {
    version: 4,
    name: "scanned commits: what a merge gate may take from earlier scans",
    sql: `
      CREATE TABLE scanned_commits (
        repository TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        scanner    TEXT NOT NULL,
        scanned_at TEXT NOT NULL,
        PRIMARY KEY (repository, commit_sha, scanner)
      );
      CREATE INDEX occurrences_repository_commit ON occurrences (repository, commit_sha);
    `,
  },
  {
    version: 5,
    name: "re-checks keep the time rotation was requested",
    // Existing rows: the time their due time and the schedule that wrote them imply, as in SQLite.
    sql: `
      ALTER TABLE rechecks ADD COLUMN rotated_at BIGINT;
      UPDATE rechecks SET rotated_at = due_at - ${V4_RECHECK_DELAY_SQL};
      ALTER TABLE rechecks ALTER COLUMN rotated_at SET NOT NULL;
    `,
  },
  {
    version: 6,
    name: "backfills: each repository's whole history, scanned once",
    sql: `
      CREATE TABLE backfills (
        repository_key  TEXT PRIMARY KEY,
        repository      TEXT NOT NULL,
        installation_id BIGINT NOT NULL,
        generation      INTEGER NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'skipped', 'failed')),
        delivery_id     TEXT NOT NULL REFERENCES deliveries (id),
        trigger         TEXT NOT NULL,
        reason          TEXT,
        head_sha        TEXT,
        commits         BIGINT,
        blobs           BIGINT,
        findings        BIGINT,
        incomplete      BOOLEAN NOT NULL DEFAULT false,
        requested_at    TEXT NOT NULL,
        started_at      TEXT,
        finished_at     TEXT
      );
      CREATE INDEX backfills_installation ON backfills (installation_id, status);
    `,
  },
];
