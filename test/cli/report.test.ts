// crisp-guard report: an organization report read from the app's store. The store is seeded through
// the Store API as the app fills it (deliveries from two installations, secrets in several states,
// one dead after a rotation request), then the command runs in-process.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import Database from "better-sqlite3";
import { MIGRATIONS, migrate, openSqliteStore, type SecretState } from "../../src/store/index.js";
import { cli } from "../helpers/cli.js";
import { rawFormsIn, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";

const SHA_1 = "1111111111111111111111111111111111111111";
const SHA_2 = "2222222222222222222222222222222222222222";
const DAY_MS = 86_400_000;

interface Planted {
  raw: { identifier: string; key: string };
  kp: Keypair;
}

function plant(): Planted {
  const raw = randomKeypair();
  return { raw, kp: new Keypair(raw.identifier, raw.key) };
}

const dead = plant();
const live = plant();
const unknown = plant();
const detected = plant();
const all = [dead, live, unknown, detected];
let dir: string;
let dbPath: string;

function pushPayload(repository: string, installation: number) {
  const [owner, name] = repository.split("/");
  return {
    ref: "refs/heads/main", before: SHA_1, after: SHA_2, created: false, deleted: false, forced: false,
    commits: [{ id: SHA_2 }], repository: { name, full_name: repository, owner: { login: owner }, default_branch: "main" },
    installation: { id: installation },
  };
}

beforeAll(async () => {
  dir = tempDir("crisp-guard-report-");
  dbPath = join(dir, "guard.db");
  let clock = new Date("2025-01-05T00:00:00.000Z");
  const store = openSqliteStore(dbPath, { now: () => clock });
  // Installation 1 holds org-one/api, installation 2 org-two/web.
  for (const [id, repository, installation] of [["d-1", "org-one/api", 1], ["d-2", "org-two/web", 2]] as const) {
    await store.recordDelivery({ id, event: "push", repository, installationId: installation, after: SHA_2, payload: pushPayload(repository, installation) });
  }
  const add = async (p: Planted, state: SecretState, places: Array<[string, string, string?]>) => {
    await store.upsertSecret({ fingerprint: p.kp.fingerprint, redactedIdentifier: p.kp.redactedIdentifier, keyHint: p.kp.keyHint, tier: "plugin", websiteId: null });
    for (const [repository, path, date] of places) {
      await store.addOccurrence(p.kp.fingerprint, {
        repository, path, line: 4, column: 12, encoding: "plain",
        ...(date ? { commit: date.startsWith("2025-01-01") ? SHA_1 : SHA_2, date, author: "Mona" } : {}),
      });
    }
    if (state !== "detected") await store.setSecretState(p.kp.fingerprint, state);
  };
  // Pushed on 1 January (org-one) and 2 January (org-two), seen by the app on the 5th.
  await add(dead, "rotation_requested", [["org-one/api", "config/.env", "2025-01-01T00:00:00Z"], ["org-two/web", "deploy/app.yml", "2025-01-02T00:00:00Z"]]);
  await store.recordVerification(dead.kp.fingerprint, { status: "live", tier: "plugin", reason: "200", checkedAt: clock.toISOString() });
  await store.recordRotation(dead.kp.fingerprint, { rotator: "github-issue", status: "requested", detail: "issue #7", url: "https://github.com/org-one/api/issues/7" });
  await add(live, "live", [["org-one/api", "src/crisp.ts", "2025-01-03T00:00:00Z"]]);
  await add(unknown, "unknown", [["org-two/web", "scripts/setup.sh", "2025-01-04T00:00:00Z"]]);
  await add(detected, "detected", [["org-two/web", "notes.txt"]]);
  // The owner rolled the token: the re-check on 8 January at noon answered 401.
  clock = new Date("2025-01-08T12:00:00.000Z");
  await store.recordVerification(dead.kp.fingerprint, { status: "dead", tier: "plugin", reason: "401 invalid_session", checkedAt: clock.toISOString() });
  await store.setSecretState(dead.kp.fingerprint, "dead");
  await store.close();
});

const report = (args: string[], env: Record<string, string> = { CRISP_GUARD_DB: dbPath }) => cli(["report", ...args], { env, cwd: dir });

function expectNoRawHalf(text: string): void {
  for (const p of all) expect(rawFormsIn(text, p.raw)).toEqual([]);
}

type JsonFinding = {
  fingerprint: string; state: string; identifier: string; keyHint: string; tier: string | null;
  firstPushedAt: string; deadAt: string | null; timeToDeadMs: number | null;
  rotations: Array<{ rotator: string; status: string }>;
  occurrences: Array<{ repository: string; path: string; commit: string | null; line: number }>;
};
const findings = (stdout: string): JsonFinding[] => JSON.parse(stdout).findings;

describe("crisp-guard report", () => {
  it("lists every secret in text: state, tier, where it occurs, time from first push to dead", async () => {
    const run = await report([]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^4 secrets recorded for the store: 1 live, 1 unknown, 1 detected, 1 dead\.\n/);
    for (const p of all) expect(run.stdout).toContain(`${p.kp.redactedIdentifier} ${p.kp.keyHint}`);
    const block = run.stdout.split("\n\n").find((b) => b.includes(dead.kp.fingerprint))!;
    expect(block).toContain("dead  tier plugin");
    expect(block).toContain("first pushed 2025-01-01T00:00:00Z (commit date)");
    expect(block).toContain("dead since 2025-01-08T12:00:00.000Z, 7 d 12 h after the first push");
    expect(block).toContain("rotation via github-issue: requested: issue #7");
    expect(block).toContain(`org-one/api: config/.env:4 in ${SHA_1.slice(0, 12)}`);
    expect(block).toContain("org-two/web: deploy/app.yml:4");
    expectNoRawHalf(run.stdout + run.stderr);
  });

  it("writes the documented JSON, with the time to dead in milliseconds", async () => {
    const run = await report(["--format", "json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ version: 1, source: "store", installation: null, tool: { name: "crisp-guard" } });
    expect(Number.isNaN(Date.parse(json.generatedAt))).toBe(false);
    const byFp = new Map(findings(run.stdout).map((f) => [f.fingerprint, f]));
    expect([...byFp.keys()].sort()).toEqual(all.map((p) => p.kp.fingerprint).sort());
    expect(byFp.get(dead.kp.fingerprint)).toMatchObject({
      state: "dead", identifier: dead.kp.redactedIdentifier, keyHint: dead.kp.keyHint, tier: "plugin",
      firstPushedAt: "2025-01-01T00:00:00Z", deadAt: "2025-01-08T12:00:00.000Z", timeToDeadMs: 7.5 * DAY_MS,
      rotations: [expect.objectContaining({ rotator: "github-issue", status: "requested" })],
      occurrences: [
        expect.objectContaining({ repository: "org-one/api", path: "config/.env", commit: SHA_1, line: 4 }),
        expect.objectContaining({ repository: "org-two/web", path: "deploy/app.yml", commit: SHA_2, line: 4 }),
      ],
    });
    expect(byFp.get(live.kp.fingerprint)).toMatchObject({ state: "live", deadAt: null, timeToDeadMs: null });
    expect(byFp.get(unknown.kp.fingerprint)!.state).toBe("unknown");
    // Never pushed in a commit the store knows: the first push is when the app first saw it.
    expect(byFp.get(detected.kp.fingerprint)).toMatchObject({ state: "detected", firstPushedAt: "2025-01-05T00:00:00.000Z" });
    expect(byFp.get(detected.kp.fingerprint)!.occurrences).toEqual([expect.objectContaining({ commit: null, path: "notes.txt" })]);
    expectNoRawHalf(run.stdout + run.stderr);
  });

  it("--installation keeps its own repositories' secrets and occurrences only", async () => {
    const one = await report(["--installation", "1", "--format", "json"]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).installation).toBe(1);
    const f1 = findings(one.stdout);
    expect(f1.map((f) => f.fingerprint).sort()).toEqual([dead.kp.fingerprint, live.kp.fingerprint].sort());
    expect(f1.flatMap((f) => f.occurrences.map((o) => o.repository))).toEqual(["org-one/api", "org-one/api"]);

    const two = await report(["--installation", "2"]);
    expect(two.code).toBe(0);
    expect(two.stdout).toMatch(/^3 secrets recorded for installation 2: 1 unknown, 1 detected, 1 dead\./);
    // Its occurrences only; the rotation is the secret's own, wherever its issue was opened.
    expect(two.stdout).not.toContain("org-one/api:");
    expect(two.stdout).toContain("org-two/web: deploy/app.yml:4");
    // Seen from installation 2, the first push is its own commit of 2 January.
    expect(two.stdout).toContain("dead since 2025-01-08T12:00:00.000Z, 6 d 12 h after the first push");

    const none = await report(["--installation", "3"]);
    expect(none).toMatchObject({ code: 0, stdout: "No secrets recorded for installation 3.\n" });
  });

  it("refuses an installation id that is not a positive integer", async () => {
    for (const bad of ["abc", "0", "-4", "1.5"]) {
      const run = await report(["--installation", bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("installation id");
      expect(run.stdout).toBe("");
    }
  });

  it("--output writes the report to a file readable by its owner only", async () => {
    const out = join(tempDir("crisp-guard-report-out-"), "secrets.json");
    const run = await report(["--format", "json", "--output", out]);
    expect(run).toMatchObject({ code: 0, stdout: "" });
    const text = readFileSync(out, "utf8");
    expect(findings(text)).toHaveLength(4);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expectNoRawHalf(text);
  });

  it("an empty store is an empty report, exit 0", async () => {
    const empty = join(tempDir("crisp-guard-report-empty-"), "guard.db");
    await openSqliteStore(empty).close();
    expect(await report([], { CRISP_GUARD_DB: empty })).toMatchObject({ code: 0, stdout: "No secrets recorded for the store.\n" });
    const json = await report(["--format", "json"], { CRISP_GUARD_DB: empty });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).findings).toEqual([]);
  });

  it("a missing SQLite file is a one-line error, exit 2, and is not created", async () => {
    const missing = join(tempDir("crisp-guard-report-missing-"), "nope", "guard.db");
    const run = await report([], { CRISP_GUARD_DB: missing });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`crisp-guard: error: no store at ${missing}: set CRISP_GUARD_DB to the app's SQLite file (or DATABASE_URL for Postgres)\n`);
    expect(existsSync(join(missing, ".."))).toBe(false);

    // Unset, it is the app's default, relative to the current directory.
    const cwd = tempDir("crisp-guard-report-cwd-");
    const byDefault = await cli(["report"], { env: {}, cwd });
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toContain(`no store at ${join(cwd, "data", "crisp-guard.db")}`);
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });

  it("reads the store without changing it: an older schema is refused, not migrated", async () => {
    const old = join(tempDir("crisp-guard-report-old-"), "guard.db");
    const db = new Database(old);
    migrate(db, MIGRATIONS.slice(0, 2));
    db.close();
    const before = readFileSync(old);
    const run = await report([], { CRISP_GUARD_DB: old });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `crisp-guard: error: cannot open the store at ${old}: store schema version 2, this build reads version ${MIGRATIONS.length}: run the same build as the app\n`,
    );
    expect(readFileSync(old).equals(before)).toBe(true);
  });

  it("a file that is not a store is a one-line error, exit 2", async () => {
    const other = join(tempDir("crisp-guard-report-other-"), "notes.db");
    writeFileSync(other, "just some notes\n");
    const run = await report([], { CRISP_GUARD_DB: other });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^crisp-guard: error: cannot open the store at ${other.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .+\n$`));
  });

  it("an unreachable Postgres is a one-line error, exit 2, that names the host and never the password", async () => {
    // Port 1 on the loopback address: nothing listens there, so the connection is refused at once.
    const run = await report([], { DATABASE_URL: "postgres://guard:not-the-real-password@127.0.0.1:1/guard" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^crisp-guard: error: cannot open the Postgres store at 127\.0\.0\.1:1 \(DATABASE_URL\): .+\n$/);
    expect(run.stderr).not.toContain("not-the-real-password");
  });

  it("a DATABASE_URL that is not a Postgres URL is refused as the app refuses it", async () => {
    const run = await report([], { DATABASE_URL: "mysql://guard:pw@127.0.0.1/guard" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("DATABASE_URL must be a postgres:// URL");
  });

  it("--help says what it reads, from where, and the exit codes", async () => {
    const run = await cli(["report", "--help"]);
    expect(run.code).toBe(0);
    for (const text of ["DATABASE_URL", "CRISP_GUARD_DB", "./data/crisp-guard.db", "--installation <id>", "--format <format>", "--output <file>", "Exit codes: 0", "2 a usage error"]) {
      expect(run.stdout).toContain(text);
    }
  });
});
