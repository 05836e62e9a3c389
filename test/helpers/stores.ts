// The store backends a contract test runs against: SQLite (a temp file) and Postgres (the server in
// CRISP_GUARD_TEST_DATABASE_URL). Each test file gets its own Postgres database, created and dropped
// here, and each test its own schema in it, so files run in parallel and tests start empty.
// In CI (CI=true) a missing or unreachable server fails the Postgres tests; elsewhere they are
// skipped, loudly.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { MIGRATIONS, migrate, openSqliteStore, type StoreOptions } from "../../src/store/index.js";
import { openPostgresStore } from "../../src/store/postgres.js";
import { PG_MIGRATIONS } from "../../src/store/postgres-migrations.js";
import type { Store } from "../../src/store/types.js";
import { tempDir } from "./temp.js";

export const TEST_DATABASE_URL_ENV = "CRISP_GUARD_TEST_DATABASE_URL";

/** One empty place for a store: opened (and reopened) as often as a test likes. */
export interface StoreHandle {
  /** Opens the store at this place (applying migrations); closed after the test. */
  open(options?: StoreOptions): Promise<Store>;
  /** Applies only the first `version` migrations: the database as an older build left it. */
  migrateTo(version: number): Promise<void>;
  /** Runs SQL on the place directly, beside the store (to plant a newer schema, count rows). */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Every byte the database holds, as text: the SQLite file and WAL, or a pg_dump of the schema. */
  dump(): Promise<string>;
  /** Postgres: the URL the store connects with (its own schema first on the search path), and that schema. */
  postgres?: { url: string; schema: string };
}

export interface StoreBackend {
  name: "sqlite" | "postgres";
  /** A new empty place: the stores opened on it are closed after the test, the place goes when the file ends. */
  fresh(): Promise<StoreHandle>;
}

function sqliteBackend(): StoreBackend {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  return {
    name: "sqlite",
    async fresh() {
      const dir = tempDir("crisp-guard-store-");
      const path = join(dir, "guard.db");
      return {
        async open(options) {
          const s = openSqliteStore(path, options);
          opened.push(s);
          return s;
        },
        async migrateTo(version) {
          const db = new Database(path);
          try {
            migrate(db, MIGRATIONS.slice(0, version));
          } finally {
            db.close();
          }
        },
        async query(sql) {
          const db = new Database(path);
          try {
            const stmt = db.prepare(sql);
            if (stmt.reader) return stmt.all() as Array<Record<string, unknown>>;
            stmt.run();
            return [];
          } finally {
            db.close();
          }
        },
        async dump() {
          return readdirSync(dir)
            .map((f) => join(dir, f))
            .filter(existsSync)
            .map((f) => readFileSync(f).toString("latin1"))
            .join("\n");
        },
      };
    },
  };
}

/** pg_dump from PATH, or from Debian's versioned directory (not on PATH). */
export function pgBin(name: string): string {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = join(debian, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  return name;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

/**
 * A database of the test file's own on the server, made in beforeAll and dropped (with whatever
 * still holds it) in afterAll. The getter throws why it could not be made: every test then fails
 * with it (a failing hook alone would count its tests as skipped, and CI must see them fail).
 */
function fileDatabase(serverUrl: string): () => { url: string; pool: pg.Pool } {
  const database = `crisp_guard_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = withDatabase(serverUrl, database);
  let pool: pg.Pool | null = null;
  let unavailable: Error | null = null;
  beforeAll(async () => {
    const server = new pg.Client({ connectionString: serverUrl });
    try {
      await server.connect();
      await server.query(`CREATE DATABASE ${database}`);
      pool = new pg.Pool({ connectionString: url, max: 2 });
    } catch (error) {
      unavailable = new Error(`Postgres tests: cannot use ${TEST_DATABASE_URL_ENV}: ${(error as Error).message}`);
    } finally {
      await server.end().catch(() => {});
    }
  });
  afterAll(async () => {
    await pool?.end();
    const server = new pg.Client({ connectionString: serverUrl });
    await server.connect().catch(() => {});
    await server.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await server.end().catch(() => {});
  });
  return () => {
    if (!pool) throw unavailable ?? new Error("Postgres tests: the test database was not created");
    return { url, pool };
  };
}

function postgresBackend(serverUrl: string): StoreBackend {
  const database = fileDatabase(serverUrl);
  let schemas = 0;
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  return {
    name: "postgres",
    async fresh() {
      const { url: fileUrl, pool: admin } = database();
      const schema = `t${++schemas}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = withSearchPath(fileUrl, schema);
      return {
        postgres: { url, schema },
        async open(options) {
          const s = await openPostgresStore(url, options);
          opened.push(s);
          return s;
        },
        async migrateTo(version) {
          await (await openPostgresStore(url, { migrations: PG_MIGRATIONS.slice(0, version) })).close();
        },
        async query(sql) {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return (await client.query(sql)).rows as Array<Record<string, unknown>>;
          } finally {
            await client.end();
          }
        },
        async dump() {
          return execFileSync(pgBin("pg_dump"), ["--no-owner", "--schema", schema, "--dbname", fileUrl], {
            encoding: "latin1",
            maxBuffer: 64 * 1024 * 1024,
          });
        },
      };
    },
  };
}

let warned = false;

/**
 * Declares `body` once per backend, inside describe("sqlite") and describe("postgres"). The body
 * registers its tests; it gets the backend to make fresh stores from.
 */
export function forEachStore(body: (backend: StoreBackend) => void): void {
  describe("sqlite", () => body(sqliteBackend()));
  onPostgres(body);
}

/**
 * Declares `body` inside describe("postgres") only: tests of what exists with Postgres alone (the
 * shared queue, several processes). Skipped loudly without a server, failed on CI.
 */
export function onPostgres(body: (backend: StoreBackend) => void): void {
  withPostgresServer(
    "postgres",
    (url) => body(postgresBackend(url)),
    (missing) => body({ name: "postgres", fresh: () => Promise.reject(missing) }),
  );
}

/**
 * describe(name) with the test server's URL, when there is one. Without: skipped, loudly (once per
 * file), or, on CI, `missing` gets the error every test must fail with: CI runs them, never skips.
 */
function withPostgresServer(name: string, run: (serverUrl: string) => void, missing: (error: Error) => void): void {
  const url = process.env[TEST_DATABASE_URL_ENV];
  if (!url && process.env.CI !== "true") {
    if (!warned) {
      warned = true;
      console.warn(
        `\n*** ${TEST_DATABASE_URL_ENV} is not set: the Postgres tests are SKIPPED. ` +
          "Run scripts/test-postgres.sh to run them against a throwaway local server. ***\n",
      );
    }
    describe.skip(name, () => missing(new Error("skipped")));
    return;
  }
  describe(name, () => {
    if (!url) return missing(new Error(`CI=true but ${TEST_DATABASE_URL_ENV} is not set: the Postgres tests cannot run`));
    run(url);
  });
}

/** A database of its own for a test file whose processes share it (the app's web and worker roles). */
export interface PostgresDatabase {
  /** postgres://… of the file's database: the processes' DATABASE_URL. */
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Every byte the database holds, as text: a pg_dump of all its schemas. */
  dump(): string;
}

/**
 * Declares `body`'s tests inside describe(name), on a database created for them in beforeAll and
 * dropped (with whatever still holds it) in afterAll. The conventions of forEachStore: without
 * CRISP_GUARD_TEST_DATABASE_URL the tests are skipped loudly, and on CI (CI=true) they fail.
 */
export function describePostgres(name: string, body: (database: () => PostgresDatabase) => void): void {
  const fail = (error: Error) => body(() => {
    throw error;
  });
  withPostgresServer(name, (serverUrl) => {
    const database = fileDatabase(serverUrl);
    body(() => {
      const { url, pool } = database();
      return {
        url,
        query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
        dump: () => execFileSync(pgBin("pg_dump"), ["--no-owner", "--dbname", url], { encoding: "latin1", maxBuffer: 256 * 1024 * 1024 }),
      };
    });
  }, fail);
}
