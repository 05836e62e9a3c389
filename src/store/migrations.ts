// The store's schema, as an ordered list of migrations. A migration is never edited once released:
// a change is a new entry at the end, so every database reaches the same schema from wherever it is.
import type Database from "better-sqlite3";

export interface Migration {
  /** 1, 2, 3, … in order, without gaps. */
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}

/**
 * Migration 5's backfill: a re-check row's delay from rotation under the schedule of versions 1 to
 * 4, in epoch ms, by attempt (0 outside it). Frozen with the migration; the same text as Postgres'.
 */
export const V4_RECHECK_DELAY_SQL = `CASE attempt
  WHEN 1 THEN 900000 WHEN 2 THEN 3600000 WHEN 3 THEN 21600000 WHEN 4 THEN 86400000
  WHEN 5 THEN 172800000 WHEN 6 THEN 259200000 WHEN 7 THEN 345600000 WHEN 8 THEN 432000000
  WHEN 9 THEN 518400000 WHEN 10 THEN 604800000 WHEN 11 THEN 691200000 ELSE 0 END`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "deliveries, jobs, secrets, occurrences, verifications, rotations",
    up(db) {
      db.exec(`
        CREATE TABLE deliveries (
          id              TEXT PRIMARY KEY,           -- X-GitHub-Delivery: the idempotency key
          event           TEXT NOT NULL,
          repository      TEXT NOT NULL,              -- owner/repo
          installation_id INTEGER,
          after_sha       TEXT,
          payload         TEXT NOT NULL,              -- JSON: only what the job needs (PushJobPayload)
          received_at     TEXT NOT NULL
        );
        CREATE INDEX deliveries_repository_after ON deliveries (repository, after_sha);

        CREATE TABLE jobs (
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
          fingerprint         TEXT PRIMARY KEY,       -- sha256(identifier:key): safe to keep
          redacted_identifier TEXT NOT NULL,          -- first 8 characters + …
          key_hint            TEXT NOT NULL,          -- … + last 4 characters at most
          tier                TEXT CHECK (tier IN ('plugin', 'website')),
          website_id          TEXT,                   -- public
          state               TEXT NOT NULL DEFAULT 'detected' CHECK (state IN
                                ('detected', 'live', 'unknown', 'rotation_requested', 'rotated', 'dead')),
          first_seen_at       TEXT NOT NULL,
          updated_at          TEXT NOT NULL,
          dead_at             TEXT
        );
        CREATE INDEX secrets_state ON secrets (state);

        CREATE TABLE occurrences (
          id          INTEGER PRIMARY KEY,
          fingerprint TEXT NOT NULL REFERENCES secrets (fingerprint),
          repository  TEXT NOT NULL,
          commit_sha  TEXT NOT NULL DEFAULT '',       -- '' when not from a commit (UNIQUE treats NULLs as distinct)
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
          id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          fingerprint TEXT NOT NULL REFERENCES secrets (fingerprint),
          rotator     TEXT NOT NULL,
          status      TEXT NOT NULL CHECK (status IN ('rotated', 'requested', 'failed', 'skipped')),
          detail      TEXT NOT NULL,
          url         TEXT,
          recorded_at TEXT NOT NULL
        );
        CREATE INDEX rotations_fingerprint ON rotations (fingerprint, id);
      `);
    },
  },
  {
    version: 2,
    name: "re-checks and GitHub artefacts (comments, check runs, issues)",
    up(db) {
      db.exec(`
        CREATE TABLE rechecks (
          fingerprint  TEXT NOT NULL REFERENCES secrets (fingerprint),
          attempt      INTEGER NOT NULL,
          due_at       INTEGER NOT NULL,              -- epoch ms: compared numerically
          status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
          note         TEXT,
          completed_at TEXT,
          PRIMARY KEY (fingerprint, attempt)
        );
        CREATE INDEX rechecks_due ON rechecks (status, due_at);

        CREATE TABLE comments (
          fingerprint TEXT NOT NULL REFERENCES secrets (fingerprint),
          repository  TEXT NOT NULL,
          commit_sha  TEXT NOT NULL,
          comment_id  INTEGER NOT NULL,
          recorded_at TEXT NOT NULL,
          PRIMARY KEY (fingerprint, repository, commit_sha)   -- one comment per secret per commit
        );

        CREATE TABLE check_runs (
          check_run_id INTEGER PRIMARY KEY,
          repository   TEXT NOT NULL,
          head_sha     TEXT NOT NULL,
          recorded_at  TEXT NOT NULL
        );
        CREATE TABLE check_run_secrets (
          check_run_id INTEGER NOT NULL REFERENCES check_runs (check_run_id),
          fingerprint  TEXT NOT NULL REFERENCES secrets (fingerprint),
          PRIMARY KEY (check_run_id, fingerprint)
        );
        CREATE INDEX check_run_secrets_fingerprint ON check_run_secrets (fingerprint);

        CREATE TABLE issues (
          fingerprint TEXT PRIMARY KEY REFERENCES secrets (fingerprint),  -- one issue per secret
          repository  TEXT NOT NULL,
          number      INTEGER NOT NULL,
          recorded_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    name: "rotation attempts: an intent recorded before each rotator runs",
    up(db) {
      // One row per (secret, rotator): written before the rotator is called, so a crash while it is
      // in flight leaves 'in_flight' and the retry reuses attempt_id (the webhook's delivery id, the
      // issue's marker). 'done' holds an answer not yet copied to rotations; 'recorded' once it is.
      db.exec(`
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
      `);
    },
  },
  {
    version: 4,
    name: "scanned commits: what a merge gate may take from earlier scans",
    up(db) {
      // A job's kind needs no column: it is its delivery's event (push, pull_request). A commit is
      // listed once its findings are recorded; `scanner` (the build's version) lets a new detector
      // read it again rather than trust an older build's result.
      db.exec(`
        CREATE TABLE scanned_commits (
          repository TEXT NOT NULL,
          commit_sha TEXT NOT NULL,
          scanner    TEXT NOT NULL,
          scanned_at TEXT NOT NULL,
          PRIMARY KEY (repository, commit_sha, scanner)
        );
        CREATE INDEX occurrences_repository_commit ON occurrences (repository, commit_sha);
      `);
    },
  },
  {
    version: 5,
    name: "re-checks keep the time rotation was requested",
    up(db) {
      // Until now that time was worked out from a row's due time and the delay schedule, so a change
      // to the schedule would have rewritten history. Existing rows get it from that derivation once,
      // with the delays of the schedule that wrote them (15 min, 1 h, 6 h, 24 h, then days 2 to 8),
      // spelled out here so a later schedule cannot move them; an attempt outside it, its due time.
      // SQLite adds no NOT NULL column without a default: the table is rebuilt (nothing refers to it).
      db.exec(`
        CREATE TABLE rechecks_v5 (
          fingerprint  TEXT NOT NULL REFERENCES secrets (fingerprint),
          attempt      INTEGER NOT NULL,
          due_at       INTEGER NOT NULL,              -- epoch ms: compared numerically
          status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
          note         TEXT,
          completed_at TEXT,
          rotated_at   INTEGER NOT NULL,              -- epoch ms: when rotation was requested
          PRIMARY KEY (fingerprint, attempt)
        );
        INSERT INTO rechecks_v5 (fingerprint, attempt, due_at, status, note, completed_at, rotated_at)
          SELECT fingerprint, attempt, due_at, status, note, completed_at, due_at - ${V4_RECHECK_DELAY_SQL}
          FROM rechecks;
        DROP TABLE rechecks;
        ALTER TABLE rechecks_v5 RENAME TO rechecks;
        CREATE INDEX rechecks_due ON rechecks (status, due_at);
      `);
    },
  },
  {
    version: 6,
    name: "backfills: each repository's whole history, scanned once",
    up(db) {
      // One row per repository: its latest generation. GitHub names are case-insensitive, so the
      // row is found by the lowercased name; `repository` keeps the spelling of the latest request.
      // The delivery and job of a generation are ordinary rows (event 'backfill').
      db.exec(`
        CREATE TABLE backfills (
          repository_key  TEXT PRIMARY KEY,           -- owner/repo, lowercased
          repository      TEXT NOT NULL,              -- owner/repo as requested
          installation_id INTEGER NOT NULL,
          generation      INTEGER NOT NULL,
          status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'skipped', 'failed')),
          delivery_id     TEXT NOT NULL REFERENCES deliveries (id),
          trigger         TEXT NOT NULL,
          reason          TEXT,
          head_sha        TEXT,
          commits         INTEGER,
          blobs           INTEGER,
          findings        INTEGER,
          incomplete      INTEGER NOT NULL DEFAULT 0 CHECK (incomplete IN (0, 1)),
          requested_at    TEXT NOT NULL,
          started_at      TEXT,
          finished_at     TEXT
        );
        CREATE INDEX backfills_installation ON backfills (installation_id, status);
      `);
    },
  },
];

/**
 * Applies every migration newer than the database, each in its own transaction, and records it in
 * schema_migrations. Returns the versions applied (empty on an up-to-date database).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    // Fail closed: an older build must not write into a schema it does not know.
    throw new Error(`database schema version ${current} is newer than this build knows (${latest})`);
  }
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const applied: number[] = [];
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name}: version ${m.version}, expected ${i + 1}`);
    if (m.version <= current) return;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  });
  return applied;
}
