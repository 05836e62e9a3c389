// The store contract, run against every backend: SQLite (a temp file) and Postgres (the server in
// CRISP_GUARD_TEST_DATABASE_URL; see test/helpers/stores.ts). SQLite-only details (WAL, the file)
// are at the end.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import {
  LockBusyError, MIGRATIONS, openSqliteStore, pickPushPayload, type BackfillRequest, type BackfillRequestInput,
  type BackfillResult, type Store,
} from "../../src/store/index.js";
import { PG_MIGRATIONS } from "../../src/store/postgres-migrations.js";
import { holdsRaw, randomKeypair, rawFormsIn } from "../helpers/keypairs.js";
import { forEachStore, type StoreHandle } from "../helpers/stores.js";
import { tempDir } from "../helpers/temp.js";

const REPO = "octo-org/app";
const SHA_A = "a".repeat(40);
const SHA_B = "b".repeat(40);

function pushPayload(after: string, extra: Record<string, unknown> = {}) {
  return {
    ref: "refs/heads/main",
    before: SHA_A,
    after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    commits: [{ id: after, message: "add config", author: { name: "Mona", email: "mona@example.com" } }],
    head_commit: { id: after, message: "add config" },
    pusher: { name: "mona", email: "mona@example.com" },
    repository: { name: "app", full_name: REPO, owner: { login: "octo-org" }, default_branch: "main" },
    installation: { id: 42 },
    ...extra,
  };
}

function secretOf(kp = new Keypair(randomKeypair().identifier, randomKeypair().key)) {
  return {
    kp,
    input: { fingerprint: kp.fingerprint, redactedIdentifier: kp.redactedIdentifier, keyHint: kp.keyHint, tier: null, websiteId: null },
  };
}

let clock: Date;
const now = () => clock;

it("both backends know the same schema versions", () => {
  expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
});

forEachStore((backend) => {
  let store: Store;
  beforeEach(async () => {
    clock = new Date("2025-01-01T00:00:00.000Z");
    store = await (await backend.fresh()).open({ now });
  });

  const migrationCount = async (place: StoreHandle) =>
    Number((await place.query("SELECT COUNT(*) AS n FROM schema_migrations"))[0]!.n);

  describe("opening", () => {
    it("is idempotent on reopen and keeps the data", async () => {
      const place = await backend.fresh();
      const first = await place.open();
      const { input } = secretOf();
      await first.upsertSecret(input);
      await first.close();
      const second = await place.open();
      expect((await second.getSecret(input.fingerprint))?.state).toBe("detected");
      await second.close();
      expect(await migrationCount(place)).toBe(MIGRATIONS.length);
    });

    it("refuses a database from a newer build, with a clear error", async () => {
      const place = await backend.fresh();
      await (await place.open()).close();
      await place.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')");
      await expect(place.open()).rejects.toThrow(`schema version 999 is newer than this build knows (${MIGRATIONS.length})`);
    });

    it("several processes opening an empty database at once apply each migration once", async () => {
      const place = await backend.fresh();
      const stores = await Promise.all([1, 2, 3, 4].map(() => place.open()));
      expect(stores).toHaveLength(4);
      expect(await migrationCount(place)).toBe(MIGRATIONS.length);
      const { input } = secretOf();
      await stores[0]!.upsertSecret(input);
      expect((await stores[3]!.getSecret(input.fingerprint))?.fingerprint).toBe(input.fingerprint);
    });
  });

  describe("across processes (two stores on one database)", () => {
    it("records a delivery once when two processes receive it at once", async () => {
      const place = await backend.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      const input = { id: "d-race", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) };
      const answers = await Promise.all([a.recordDelivery(input), b.recordDelivery(input), a.recordDelivery(input)]);
      expect(answers.sort()).toEqual(["duplicate", "duplicate", "new"]);
    });

    it("hands a queued job to exactly one of the workers claiming it", async () => {
      const place = await backend.fresh();
      const workers = await Promise.all([1, 2, 3].map(() => place.open({ now })));
      await workers[0]!.recordDelivery({ id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) });
      await workers[0]!.enqueueJob("d-1");
      const claims = await Promise.all(workers.flatMap((w) => [w.claimJob("d-1"), w.claimJob("d-1")]));
      const won = claims.filter((c) => c !== undefined);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ status: "running", attempts: 1 });
      expect((await workers[1]!.getJob("d-1"))?.attempts).toBe(1);
    });

    it("keeps one rotation attempt per (secret, rotator) when two processes start it at once", async () => {
      const place = await backend.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      const { input } = secretOf();
      await Promise.all([a.upsertSecret(input), b.upsertSecret(input)]);
      await Promise.all([
        a.startRotationAttempt(input.fingerprint, "webhook", "id-a"),
        b.startRotationAttempt(input.fingerprint, "webhook", "id-b"),
      ]);
      const rows = await place.query("SELECT attempt_id FROM rotation_attempts");
      expect(rows).toHaveLength(1);
      expect(["id-a", "id-b"]).toContain(rows[0]!.attempt_id);
    });

    it("runs tasks under one lock name one at a time across processes, other names side by side", async () => {
      const place = await backend.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      const events: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const first = a.withLock("push:x", async () => {
        events.push("a in");
        await held;
        events.push("a out");
        return 1;
      });
      // Let a take the lock before b asks for it.
      while (!events.includes("a in")) await new Promise((r) => setTimeout(r, 5));
      const second = b.withLock("push:x", async () => {
        events.push("b in");
        return 2;
      });
      const other = await b.withLock("push:y", async () => "other name ran while push:x was held");
      expect(other).toMatch(/ran/);
      await new Promise((r) => setTimeout(r, 50));
      expect(events).toEqual(["a in"]);
      release();
      expect(await Promise.all([first, second])).toEqual([1, 2]);
      expect(events).toEqual(["a in", "a out", "b in"]);
    });

    it("gives up waiting after waitMs without running the task, and the lock works on after", async () => {
      const place = await backend.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let holding = false;
      const first = a.withLock("job:push:r:1", async () => {
        holding = true;
        await held;
      });
      while (!holding) await new Promise((r) => setTimeout(r, 5));
      let ran = false;
      await expect(b.withLock("job:push:r:1", async () => void (ran = true), { waitMs: 100 })).rejects.toThrow(LockBusyError);
      expect(ran).toBe(false);
      release();
      await first;
      expect(await b.withLock("job:push:r:1", async () => "next", { waitMs: 1000 })).toBe("next");
      expect(await a.withLock("job:push:r:1", async () => "after"), ).toBe("after");
    });

    it("releases a lock when its task throws", async () => {
      const place = await backend.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      await expect(a.withLock("rotate:z", async () => Promise.reject(new Error("rotator broke")))).rejects.toThrow("rotator broke");
      expect(await b.withLock("rotate:z", async () => "taken")).toBe("taken");
    });

    it("sees another process's unfinished job for a push until it is finished", async () => {
      const place = await backend.fresh();
      const [web, worker] = await Promise.all([place.open(), place.open()]);
      expect(await worker.hasUnfinishedJob("push", REPO, SHA_B)).toBe(false);
      await web.recordDelivery({ id: "d-u", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) });
      expect(await worker.hasUnfinishedJob("push", REPO, SHA_B)).toBe(false);
      await web.enqueueJob("d-u");
      expect(await worker.hasUnfinishedJob("push", REPO, SHA_B)).toBe(true);
      expect(await worker.hasUnfinishedJob("pull_request", REPO, SHA_B)).toBe(false);
      expect(await worker.hasUnfinishedJob("push", REPO, SHA_A)).toBe(false);
      await worker.startJob("d-u");
      expect(await web.hasUnfinishedJob("push", REPO, SHA_B)).toBe(true);
      await worker.finishJob("d-u", { status: "failed", error: "x" });
      expect(await web.hasUnfinishedJob("push", REPO, SHA_B)).toBe(false);
    });

    it("records one answer once when two workers sharing it both record it", async () => {
      const place = await backend.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      const { input } = secretOf();
      await a.upsertSecret(input);
      const answer = { status: "live" as const, tier: "plugin" as const, reason: "200", checkedAt: "2025-01-01T00:00:00Z" };
      await a.recordVerification(input.fingerprint, answer);
      await b.recordVerification(input.fingerprint, { ...answer });
      expect(await a.verificationsOf(input.fingerprint)).toHaveLength(1);
      // A new check (a later checkedAt), or another answer, is history.
      await b.recordVerification(input.fingerprint, { ...answer, checkedAt: "2025-01-01T01:00:00Z" });
      await b.recordVerification(input.fingerprint, { ...answer, status: "unknown", tier: null, checkedAt: "2025-01-01T01:00:00Z" });
      await b.recordVerification(input.fingerprint, { ...answer, status: "unknown", tier: null, checkedAt: "2025-01-01T01:00:00Z" });
      expect((await a.verificationsOf(input.fingerprint)).map((v) => v.status)).toEqual(["live", "live", "unknown"]);
    });

    it("a verification one process records is the latest for every other (the shared cache)", async () => {
      const place = await backend.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      const { input } = secretOf();
      await a.upsertSecret(input);
      await a.recordVerification(input.fingerprint, { status: "live", tier: "plugin", reason: "200", checkedAt: "2025-01-01T00:00:00Z" });
      expect(await b.latestVerification(input.fingerprint)).toMatchObject({ status: "live", reason: "200" });
    });
  });

  describe("deliveries and jobs", () => {
    it("records a delivery once, keeping only what the job needs", async () => {
      const input = { id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) };
      expect(await store.recordDelivery(input)).toBe("new");
      expect(await store.recordDelivery(input)).toBe("duplicate");
      const row = (await store.getDelivery("d-1"))!;
      expect(row).toMatchObject({ id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B });
      expect(row.payload).toEqual({
        ref: "refs/heads/main", before: SHA_A, after: SHA_B, created: false, deleted: false, forced: false,
        commits: [SHA_B], pusher: "mona", defaultBranch: "main", baseRef: null, owner: "octo-org", repo: "app",
        installationId: 42,
      });
      expect(JSON.stringify(row)).not.toContain("add config");
      expect(JSON.stringify(row)).not.toContain("mona@example.com");
    });

    it("runs a job through queued, running, done, and knows the push is processed", async () => {
      await store.recordDelivery({ id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) });
      expect(await store.getJob("d-1")).toBeUndefined();
      expect((await store.enqueueJob("d-1")).status).toBe("queued");
      expect((await store.enqueueJob("d-1")).attempts).toBe(0); // second enqueue changes nothing
      expect(await store.isPushProcessed(REPO, SHA_B)).toBe(false);
      clock = new Date("2025-01-01T00:00:05.000Z");
      const running = await store.startJob("d-1");
      expect(running).toMatchObject({ status: "running", attempts: 1, startedAt: "2025-01-01T00:00:05.000Z" });
      expect(await store.isPushProcessed(REPO, SHA_B)).toBe(false);
      const done = await store.finishJob("d-1", { status: "done" });
      expect(done).toMatchObject({ status: "done", error: null, finishedAt: "2025-01-01T00:00:05.000Z" });
      expect(await store.isPushProcessed(REPO, SHA_B)).toBe(true);
      expect(await store.isPushProcessed("octo-org/other", SHA_B)).toBe(false);
      expect(await store.unfinishedJobs()).toEqual([]);
    });

    it("a failed push is not processed, and its error is kept without secret-shaped text", async () => {
      const kp = randomKeypair();
      await store.recordDelivery({ id: "d-2", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) });
      await store.enqueueJob("d-2");
      await store.startJob("d-2");
      const failed = await store.finishJob("d-2", { status: "failed", error: `boom near ${kp.identifier}:${kp.key} at ${SHA_A}` });
      expect(failed.status).toBe("failed");
      expect(holdsRaw(failed.error!, kp)).toBe(false);
      expect(failed.error).toContain(SHA_A); // commit ids stay readable
      expect(failed.error).toContain(`${kp.identifier.slice(0, 8)}…`);
      expect(await store.isPushProcessed(REPO, SHA_B)).toBe(false);
      // A redelivery queues it again; only a failed job can be requeued.
      expect(await store.requeueFailedJob("d-2")).toMatchObject({ status: "queued", error: null });
      expect(await store.requeueFailedJob("d-2")).toBeUndefined();
      expect((await store.unfinishedJobs()).map((j) => j.deliveryId)).toEqual(["d-2"]);
    });

    it("claims a queued job once; a running or finished job is not claimed", async () => {
      await store.recordDelivery({ id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) });
      expect(await store.claimJob("d-1")).toBeUndefined(); // not queued yet
      await store.enqueueJob("d-1");
      expect(await store.claimJob("d-1")).toMatchObject({ status: "running", attempts: 1 });
      expect(await store.claimJob("d-1")).toBeUndefined();
      await store.finishJob("d-1", { status: "failed", error: "x" });
      expect(await store.claimJob("d-1")).toBeUndefined();
      await store.requeueFailedJob("d-1");
      expect(await store.claimJob("d-1")).toMatchObject({ status: "running", attempts: 2 });
    });

    it("throws for a job that does not exist", async () => {
      await expect(store.startJob("nope")).rejects.toThrow(/no job/);
    });

    it("resumes queued and running jobs after a reopen, oldest first, with their payload", async () => {
      const place = await backend.fresh();
      const first = await place.open({ now });
      for (const [id, after] of [["d-1", SHA_A], ["d-2", SHA_B], ["d-3", "c".repeat(40)]] as const) {
        await first.recordDelivery({ id, event: "push", repository: REPO, installationId: 42, after, payload: pushPayload(after) });
        await first.enqueueJob(id);
        clock = new Date(clock.getTime() + 1000);
      }
      await first.startJob("d-1"); // crashed while running
      await first.startJob("d-3");
      await first.finishJob("d-3", { status: "done" });
      await first.close();

      const second = await place.open({ now });
      const jobs = await second.unfinishedJobs();
      expect(jobs.map((j) => [j.deliveryId, j.status])).toEqual([["d-1", "running"], ["d-2", "queued"]]);
      expect(jobs[0]!.delivery.payload.after).toBe(SHA_A);
      expect(jobs[1]!.delivery.payload.commits).toEqual([SHA_B]);
      expect((await second.startJob("d-1")).attempts).toBe(2);
      await second.close();
    });
  });

  describe("secrets", () => {
    it("creates a secret as detected, keeps a known tier over null, and tracks state", async () => {
      const { input } = secretOf();
      const created = await store.upsertSecret({ ...input, tier: "website", websiteId: "0f3b2d41-1111-4222-8333-444455556666" });
      expect(created).toMatchObject({ state: "detected", tier: "website", firstSeenAt: clock.toISOString(), deadAt: null });
      clock = new Date("2025-01-02T00:00:00.000Z");
      const again = await store.upsertSecret(input);
      expect(again).toMatchObject({ tier: "website", websiteId: "0f3b2d41-1111-4222-8333-444455556666" });
      expect(again.firstSeenAt).toBe("2025-01-01T00:00:00.000Z");
      expect(again.updatedAt).toBe("2025-01-02T00:00:00.000Z");

      expect(await store.setSecretState(input.fingerprint, "live")).toBe(true);
      expect(await store.setSecretState(input.fingerprint, "rotation_requested")).toBe(true);
      expect((await store.secretsInState("rotation_requested")).map((s) => s.fingerprint)).toEqual([input.fingerprint]);
      clock = new Date("2025-01-03T00:00:00.000Z");
      await store.setSecretState(input.fingerprint, "dead");
      clock = new Date("2025-01-04T00:00:00.000Z");
      await store.setSecretState(input.fingerprint, "dead");
      expect(await store.getSecret(input.fingerprint)).toMatchObject({ state: "dead", deadAt: "2025-01-03T00:00:00.000Z" });
      expect(await store.setSecretState("f".repeat(64), "live")).toBe(false);
      expect(await store.getSecret("f".repeat(64))).toBeUndefined();
    });

    it("refuses anything that is not in redacted form", async () => {
      const raw = randomKeypair();
      const { input } = secretOf();
      await expect(store.upsertSecret({ ...input, redactedIdentifier: raw.identifier })).rejects.toThrow(/redactedIdentifier/);
      await expect(store.upsertSecret({ ...input, keyHint: raw.key })).rejects.toThrow(/keyHint/);
      await expect(store.upsertSecret({ ...input, fingerprint: `${raw.identifier}:${raw.key}` })).rejects.toThrow(/fingerprint/);
    });
  });

  describe("occurrences, verifications, rotations", () => {
    it("records each place once", async () => {
      const { input } = secretOf();
      await store.upsertSecret(input);
      const occ = { repository: REPO, commit: SHA_A, path: ".env", line: 2, column: 11, encoding: "plain" as const, author: "Mona", date: "2025-01-01T00:00:00Z" };
      expect(await store.addOccurrence(input.fingerprint, occ)).toBe("new");
      expect(await store.addOccurrence(input.fingerprint, occ)).toBe("duplicate");
      expect(await store.addOccurrence(input.fingerprint, { ...occ, commit: SHA_B })).toBe("new");
      expect(await store.addOccurrence(input.fingerprint, { repository: "dir:.", path: "a.env", line: 1, column: 1, encoding: "base64" })).toBe("new");
      expect(await store.addOccurrence(input.fingerprint, { repository: "dir:.", path: "a.env", line: 1, column: 1, encoding: "base64" })).toBe("duplicate");
      const rows = await store.occurrencesOf(input.fingerprint);
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatchObject({ ...occ, recordedAt: clock.toISOString() });
      expect(rows[2]).not.toHaveProperty("commit");
      expect(rows[2]).not.toHaveProperty("author");
    });

    it("needs the secret first", async () => {
      await expect(store.addOccurrence("e".repeat(64), { repository: REPO, path: "x", line: 1, column: 1, encoding: "plain" })).rejects.toThrow(/foreign key/i);
    });

    it("keeps the verification history and returns the latest", async () => {
      const { input } = secretOf();
      await store.upsertSecret(input);
      expect(await store.latestVerification(input.fingerprint)).toBeUndefined();
      await store.recordVerification(input.fingerprint, { status: "live", tier: "plugin", reason: "200", checkedAt: "2025-01-01T00:00:00Z", pluginId: "p-1" });
      await store.recordVerification(input.fingerprint, { status: "dead", tier: "plugin", reason: "401 invalid_session", checkedAt: "2025-01-02T00:00:00Z" });
      expect(await store.latestVerification(input.fingerprint)).toMatchObject({ status: "dead", reason: "401 invalid_session" });
      expect(await store.latestVerification(input.fingerprint)).not.toHaveProperty("pluginId");
      expect((await store.verificationsOf(input.fingerprint)).map((v) => v.status)).toEqual(["live", "dead"]);
      expect((await store.verificationsOf(input.fingerprint))[0]!.pluginId).toBe("p-1");
    });

    it("records rotations and says when one was requested", async () => {
      const { input } = secretOf();
      await store.upsertSecret(input);
      await store.recordRotation(input.fingerprint, { rotator: "webhook", status: "failed", detail: "timeout" });
      expect(await store.hasRotationRequested(input.fingerprint)).toBe(false);
      await store.recordRotation(input.fingerprint, { rotator: "github-issue", status: "requested", detail: "issue #7", url: "https://github.com/o/r/issues/7" });
      expect(await store.hasRotationRequested(input.fingerprint)).toBe(true);
      expect(await store.rotationsOf(input.fingerprint)).toEqual([
        { rotator: "webhook", status: "failed", detail: "timeout", recordedAt: clock.toISOString() },
        { rotator: "github-issue", status: "requested", detail: "issue #7", url: "https://github.com/o/r/issues/7", recordedAt: clock.toISOString() },
      ]);
    });
  });

  describe("organization-wide listings", () => {
    it("lists every secret, occurrence, rotation and latest verification, one table at a time", async () => {
      expect(await store.allSecrets()).toEqual([]);
      expect(await store.allOccurrences()).toEqual([]);
      expect(await store.allRotations()).toEqual([]);
      expect(await store.latestVerifications()).toEqual([]);
      const a = secretOf();
      const b = secretOf();
      await store.upsertSecret(a.input);
      clock = new Date("2025-01-02T00:00:00.000Z");
      await store.upsertSecret(b.input);
      await store.setSecretState(b.input.fingerprint, "dead");
      await store.addOccurrence(b.input.fingerprint, { repository: REPO, commit: SHA_A, path: ".env", line: 2, column: 1, encoding: "plain" });
      await store.addOccurrence(a.input.fingerprint, { repository: "octo-org/other", path: "x.env", line: 1, column: 1, encoding: "plain" });
      await store.recordRotation(b.input.fingerprint, { rotator: "github-issue", status: "requested", detail: "issue #7" });
      await store.recordVerification(a.input.fingerprint, { status: "live", tier: "plugin", reason: "200", checkedAt: "2025-01-01T00:00:00Z" });
      await store.recordVerification(b.input.fingerprint, { status: "live", tier: "plugin", reason: "200", checkedAt: "2025-01-01T00:00:00Z" });
      await store.recordVerification(b.input.fingerprint, { status: "dead", tier: "plugin", reason: "401", checkedAt: "2025-01-02T00:00:00Z" });

      const secrets = await store.allSecrets();
      expect(secrets.map((s) => [s.fingerprint, s.state])).toEqual([[a.input.fingerprint, "detected"], [b.input.fingerprint, "dead"]]);
      expect(secrets[1]!.deadAt).toBe("2025-01-02T00:00:00.000Z");
      expect(await store.allOccurrences()).toEqual([
        { fingerprint: b.input.fingerprint, occurrence: expect.objectContaining({ repository: REPO, commit: SHA_A, path: ".env", line: 2 }) },
        { fingerprint: a.input.fingerprint, occurrence: expect.objectContaining({ repository: "octo-org/other", path: "x.env" }) },
      ]);
      expect(await store.allRotations()).toEqual([
        { fingerprint: b.input.fingerprint, rotation: expect.objectContaining({ rotator: "github-issue", status: "requested" }) },
      ]);
      const latest = await store.latestVerifications();
      expect(latest.map((v) => [v.fingerprint, v.verification.status]).sort()).toEqual(
        [[a.input.fingerprint, "live"], [b.input.fingerprint, "dead"]].sort(),
      );
    });

    it("names the installations each repository's deliveries came from", async () => {
      expect(await store.repositoryInstallations()).toEqual([]);
      const deliver = (id: string, repository: string, installationId: number | null) =>
        store.recordDelivery({ id, event: "push", repository, installationId, after: SHA_A, payload: pushPayload(SHA_A) });
      await deliver("d-1", "octo-org/b", 42);
      await deliver("d-2", "octo-org/b", 42);
      await deliver("d-3", "octo-org/a", 42);
      await deliver("d-4", "octo-org/a", 7);
      await deliver("d-5", "octo-org/c", null);
      expect(await store.repositoryInstallations()).toEqual([
        { repository: "octo-org/a", installationId: 7 },
        { repository: "octo-org/a", installationId: 42 },
        { repository: "octo-org/b", installationId: 42 },
      ]);
    });
  });

  describe("re-checks", () => {
    it("returns what is due, completes, reschedules and cancels", async () => {
      const a = secretOf().input;
      const b = secretOf().input;
      await store.upsertSecret(a);
      await store.upsertSecret(b);
      const t = (m: number) => new Date(Date.UTC(2025, 0, 1, 0, m));
      await store.scheduleRecheck(a.fingerprint, t(15), 1, t(0));
      await store.scheduleRecheck(a.fingerprint, t(60), 2, t(0));
      await store.scheduleRecheck(b.fingerprint, t(10), 1, t(0));
      expect(await store.dueRechecks(t(9))).toEqual([]);
      expect((await store.dueRechecks(t(15))).map((r) => [r.fingerprint, r.attempt])).toEqual([[b.fingerprint, 1], [a.fingerprint, 1]]);
      expect((await store.dueRechecks(t(15)))[1]!.dueAt).toEqual(t(15));
      await store.completeRecheck(b.fingerprint, 1, "keypair no longer readable");
      expect((await store.dueRechecks(t(15))).map((r) => r.fingerprint)).toEqual([a.fingerprint]);
      expect((await store.rechecksOf(b.fingerprint))[0]).toMatchObject({ status: "done", note: "keypair no longer readable" });
      await store.scheduleRecheck(a.fingerprint, t(20), 1, t(0)); // reschedule attempt 1
      expect(await store.dueRechecks(t(15))).toEqual([]);
      expect(await store.cancelRechecks(a.fingerprint)).toBe(2);
      expect(await store.dueRechecks(t(24 * 60))).toEqual([]);
      expect((await store.rechecksOf(a.fingerprint)).map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
    });

    it("keeps the rotation time as given, whatever the due time, and a reschedule replaces it", async () => {
      const { input } = secretOf();
      await store.upsertSecret(input);
      const t = (m: number) => new Date(Date.UTC(2025, 0, 1, 0, m));
      // Attempt 2 three hours after rotation: no delay schedule would place it there.
      await store.scheduleRecheck(input.fingerprint, t(180), 2, t(0));
      expect((await store.dueRechecks(t(180))).map((r) => [r.attempt, r.dueAt, r.rotatedAt])).toEqual([[2, t(180), t(0)]]);
      await store.scheduleRecheck(input.fingerprint, t(240), 2, t(7));
      expect((await store.rechecksOf(input.fingerprint)).map((r) => [r.attempt, r.dueAt, r.rotatedAt])).toEqual([[2, t(240), t(7)]]);
    });

    it("migration 5 gives a version 4 database's re-checks the rotation time their schedule implied", async () => {
      const place = await backend.fresh();
      await place.migrateTo(4);
      const { input } = secretOf();
      const rotated = Date.UTC(2025, 0, 1);
      const [MIN, HOUR, DAY] = [60_000, 3_600_000, 86_400_000];
      await place.query(
        `INSERT INTO secrets (fingerprint, redacted_identifier, key_hint, state, first_seen_at, updated_at)
         VALUES ('${input.fingerprint}', '${input.redactedIdentifier}', '${input.keyHint}', 'rotation_requested', 'x', 'x')`,
      );
      // As version 4 wrote them: 15 min, 1 h, then (after downtime) day 2, and a stray attempt past the schedule.
      const rows: Array<[number, number, string, string | null]> = [
        [1, rotated + 15 * MIN, "done", "'still live'"],
        [2, rotated + HOUR, "done", "'still live after 24 h: alarm raised'"],
        [5, rotated + 2 * DAY, "pending", null],
        [12, rotated + 30 * DAY, "pending", null],
      ];
      for (const [attempt, due, status, note] of rows) {
        await place.query(
          `INSERT INTO rechecks (fingerprint, attempt, due_at, status, note) VALUES ('${input.fingerprint}', ${attempt}, ${due}, '${status}', ${note ?? "NULL"})`,
        );
      }
      const migrated = await place.open();
      expect(await migrationCount(place)).toBe(MIGRATIONS.length);
      expect((await migrated.rechecksOf(input.fingerprint)).map((r) => [r.attempt, r.rotatedAt.getTime(), r.dueAt.getTime(), r.status, r.note])).toEqual([
        [1, rotated, rotated + 15 * MIN, "done", "still live"],
        [2, rotated, rotated + HOUR, "done", "still live after 24 h: alarm raised"],
        [5, rotated, rotated + 2 * DAY, "pending", null],
        [12, rotated + 30 * DAY, rotated + 30 * DAY, "pending", null], // outside the schedule: its due time, as before
      ]);
      expect((await migrated.dueRechecks(new Date(rotated + 2 * DAY))).map((r) => r.attempt)).toEqual([5]);
      // The table keeps its constraints.
      await expect(migrated.scheduleRecheck("e".repeat(64), new Date(rotated), 1, new Date(rotated))).rejects.toThrow(/foreign key/i);
    });

    it("survives a reopen", async () => {
      const place = await backend.fresh();
      const first = await place.open();
      const { input } = secretOf();
      await first.upsertSecret(input);
      await first.scheduleRecheck(input.fingerprint, new Date("2025-01-01T00:15:00Z"), 1, new Date("2025-01-01T00:00:00Z"));
      await first.close();
      const second = await place.open();
      expect((await second.dueRechecks(new Date("2025-01-01T00:15:00Z"))).map((r) => r.attempt)).toEqual([1]);
      await second.close();
    });
  });

  describe("GitHub artefacts", () => {
    it("keeps one comment per secret per commit", async () => {
      const { input } = secretOf();
      await store.upsertSecret(input);
      await store.recordComment({ fingerprint: input.fingerprint, repository: REPO, commit: SHA_A, commentId: 1 });
      await store.recordComment({ fingerprint: input.fingerprint, repository: REPO, commit: SHA_B, commentId: 2 });
      await store.recordComment({ fingerprint: input.fingerprint, repository: REPO, commit: SHA_A, commentId: 3 });
      expect((await store.commentsOf(input.fingerprint)).map((c) => [c.commit, c.commentId])).toEqual([[SHA_A, 3], [SHA_B, 2]]);
    });

    it("links check runs to the secrets they report", async () => {
      const a = secretOf().input;
      const b = secretOf().input;
      await store.upsertSecret(a);
      await store.upsertSecret(b);
      await store.recordCheckRun({ repository: REPO, headSha: SHA_A, checkRunId: 10, fingerprints: [a.fingerprint, b.fingerprint] });
      await store.recordCheckRun({ repository: REPO, headSha: SHA_B, checkRunId: 11, fingerprints: [a.fingerprint] });
      await store.recordCheckRun({ repository: REPO, headSha: SHA_B, checkRunId: 11, fingerprints: [a.fingerprint] });
      expect((await store.checkRunsOf(a.fingerprint)).map((c) => [c.checkRunId, c.headSha])).toEqual([[10, SHA_A], [11, SHA_B]]);
      expect((await store.checkRunsOf(b.fingerprint)).map((c) => c.checkRunId)).toEqual([10]);
      expect(await store.fingerprintsOfCheckRun(10)).toEqual([a.fingerprint, b.fingerprint]);
      expect(await store.fingerprintsOfCheckRun(11)).toEqual([a.fingerprint]);
    });

    it("keeps one issue per secret", async () => {
      const { input } = secretOf();
      await store.upsertSecret(input);
      expect(await store.issueOf(input.fingerprint)).toBeUndefined();
      await store.recordIssue({ fingerprint: input.fingerprint, repository: "octo-org/security", number: 4 });
      await store.recordIssue({ fingerprint: input.fingerprint, repository: "octo-org/security", number: 5 });
      expect(await store.issueOf(input.fingerprint)).toMatchObject({ repository: "octo-org/security", number: 5 });
    });
  });


  describe("no raw key in the database", () => {
    it("a full finding leaves neither half, nor their base64 forms, anywhere in the database", async () => {
      const raw = randomKeypair();
      const kp = new Keypair(raw.identifier, raw.key);
      const place = await backend.fresh();
      const s = await place.open({ now });
      await s.recordDelivery({
        id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B,
        // A commit message quoting the key must not reach the database either.
        payload: pushPayload(SHA_B, { head_commit: { id: SHA_B, message: `add ${raw.identifier} ${raw.key}` } }),
      });
      await s.enqueueJob("d-1");
      await s.startJob("d-1");
      await s.upsertSecret({ fingerprint: kp.fingerprint, redactedIdentifier: kp.redactedIdentifier, keyHint: kp.keyHint, tier: "plugin", websiteId: null });
      await s.addOccurrence(kp.fingerprint, { repository: REPO, commit: SHA_B, path: ".env", line: 1, column: 18, encoding: "plain", author: "Mona" });
      await s.recordVerification(kp.fingerprint, { status: "live", tier: "plugin", reason: `authenticated as ${raw.identifier}`, checkedAt: clock.toISOString() });
      await s.startRotationAttempt(kp.fingerprint, "command", "attempt-1");
      await s.finishRotationAttempt(kp.fingerprint, "command", "attempt-1", { status: "failed", detail: `stderr: ${raw.key}` });
      await s.recordRotation(kp.fingerprint, { rotator: "command", status: "failed", detail: `stderr: ${raw.key}` });
      await s.scheduleRecheck(kp.fingerprint, new Date(), 1, new Date());
      await s.completeRecheck(kp.fingerprint, 1, `read ${raw.identifier}:${raw.key}`);
      await s.recordComment({ fingerprint: kp.fingerprint, repository: REPO, commit: SHA_B, commentId: 1 });
      await s.recordCheckRun({ repository: REPO, headSha: SHA_B, checkRunId: 2, fingerprints: [kp.fingerprint] });
      await s.recordIssue({ fingerprint: kp.fingerprint, repository: REPO, number: 3 });
      await s.finishJob("d-1", { status: "failed", error: `crashed on ${raw.key}` });
      // A backfill's trigger and reason, and an installation request's trigger, are free text too.
      await s.requestBackfill({ owner: "octo-org", repo: "app", installationId: 42, trigger: `cli ${raw.identifier}`, force: false });
      await s.finishBackfill(REPO, 1, { status: "failed", reason: `clone failed: ${raw.identifier}:${raw.key}` });
      await s.recordDelivery({
        id: "inst-1", event: "installation", repository: "octo-org/*", installationId: 42, after: null,
        payload: { installationId: 42, account: "octo-org", repositories: null, force: false, trigger: `cli ${raw.key}` },
      });

      const dump = await place.dump();
      // The fingerprint is there, so the test would notice if the dump were unreadable.
      expect(dump).toContain(kp.fingerprint);
      expect(rawFormsIn(dump, raw)).toEqual([]);
    });
  });

  describe("pull_request deliveries and scanned commits", () => {
    const prPayload = () => ({
      action: "opened",
      number: 7,
      pull_request: {
        number: 7,
        title: "add config",
        body: "see mona@example.com",
        user: { login: "outsider" },
        base: { ref: "main", sha: SHA_A, repo: { id: 1, full_name: REPO } },
        head: { ref: "feature", sha: SHA_B, repo: { id: 2, full_name: "outsider/app", fork: true } },
      },
      repository: { id: 1, name: "app", full_name: REPO, owner: { login: "octo-org" } },
      installation: { id: 42 },
    });

    it("keeps only what the gate needs, and a done gate is not a processed push (nor the reverse)", async () => {
      await store.recordDelivery({ id: "pr-1", event: "pull_request", repository: REPO, installationId: 42, after: SHA_B, payload: prPayload() });
      const row = (await store.getDelivery("pr-1"))!;
      expect(row.pullRequest).toEqual({
        action: "opened", number: 7, baseSha: SHA_A, headSha: SHA_B, fork: true, author: "outsider", owner: "octo-org", repo: "app", installationId: 42,
      });
      expect(JSON.stringify(row)).not.toContain("add config");
      expect(JSON.stringify(row)).not.toContain("mona@example.com");
      await store.enqueueJob("pr-1");
      await store.startJob("pr-1");
      await store.finishJob("pr-1", { status: "done" });
      expect(await store.isPullRequestProcessed(REPO, SHA_B)).toBe(true);
      expect(await store.isPushProcessed(REPO, SHA_B)).toBe(false);

      await store.recordDelivery({ id: "push-1", event: "push", repository: REPO, installationId: 42, after: SHA_A, payload: pushPayload(SHA_A) });
      await store.enqueueJob("push-1");
      await store.startJob("push-1");
      await store.finishJob("push-1", { status: "done" });
      expect(await store.isPushProcessed(REPO, SHA_A)).toBe(true);
      expect(await store.isPullRequestProcessed(REPO, SHA_A)).toBe(false);
    });

    it("resumes an unfinished gate as a pull_request job", async () => {
      await store.recordDelivery({ id: "pr-2", event: "pull_request", repository: REPO, installationId: 42, after: SHA_B, payload: prPayload() });
      await store.enqueueJob("pr-2");
      const [job] = await store.unfinishedJobs();
      expect(job!.delivery.event).toBe("pull_request");
      expect(job!.delivery.pullRequest?.headSha).toBe(SHA_B);
    });

    it("knows which commits a scanner read completely, per repository, and their occurrences", async () => {
      const { input } = secretOf();
      await store.upsertSecret(input);
      await store.addOccurrence(input.fingerprint, { repository: REPO, commit: SHA_A, path: ".env", line: 4, column: 1, encoding: "plain" });
      await store.addOccurrence(input.fingerprint, { repository: "octo-org/other", commit: SHA_A, path: ".env", line: 4, column: 1, encoding: "plain" });
      await store.recordScannedCommits(REPO, [SHA_A, SHA_B], "1.0.0");
      await store.recordScannedCommits(REPO, [SHA_A], "1.0.0"); // again: no error, no change
      expect([...(await store.scannedCommits(REPO, [SHA_A, SHA_B, "c".repeat(40)], "1.0.0"))].sort()).toEqual([SHA_A, SHA_B]);
      // Another build's scan is not trusted: its detector may differ.
      expect((await store.scannedCommits(REPO, [SHA_A], "2.0.0")).size).toBe(0);
      expect((await store.scannedCommits("octo-org/other", [SHA_A], "1.0.0")).size).toBe(0);
      const found = await store.occurrencesInCommits(REPO, [SHA_A, SHA_B]);
      expect(found).toEqual([{ fingerprint: input.fingerprint, occurrence: expect.objectContaining({ repository: REPO, commit: SHA_A, line: 4 }) }]);
    });
  });

  describe("backfills and installation deliveries", () => {
    const request = (over: Partial<BackfillRequestInput> = {}, on: Store = store): Promise<BackfillRequest> =>
      on.requestBackfill({ owner: "octo-org", repo: "app", installationId: 42, trigger: "installation.created", force: false, ...over });
    const later = () => (clock = new Date(clock.getTime() + 1000));
    const installationPayload = (over: Record<string, unknown> = {}) => ({
      installationId: 42, account: "octo-org", repositories: [{ owner: "octo-org", repo: "app" }], force: false,
      trigger: "installation.created", ...over,
    });

    it("records a generation with its delivery and queued job; while queued or running, a request is already-queued", async () => {
      expect(await store.getBackfill(REPO)).toBeUndefined();
      expect(await request()).toEqual({ queued: true, deliveryId: "backfill:octo-org/app:1", generation: 1 });
      expect(await store.getDelivery("backfill:octo-org/app:1")).toEqual({
        id: "backfill:octo-org/app:1", event: "backfill", repository: REPO, installationId: 42, after: null,
        payload: pickPushPayload({}), pullRequest: null, installation: null,
        backfill: { owner: "octo-org", repo: "app", installationId: 42, generation: 1, trigger: "installation.created" },
        receivedAt: clock.toISOString(),
      });
      expect(await store.getJob("backfill:octo-org/app:1")).toMatchObject({ status: "queued", attempts: 0, enqueuedAt: clock.toISOString() });
      const queued = {
        repository: REPO, installationId: 42, generation: 1, status: "queued", deliveryId: "backfill:octo-org/app:1",
        trigger: "installation.created", reason: null, headSha: null, commits: null, blobs: null, findings: null,
        incomplete: false, requestedAt: clock.toISOString(), startedAt: null, finishedAt: null,
      };
      expect(await store.getBackfill(REPO)).toEqual(queued);
      later();
      // Force or not: a generation already on its way is not doubled.
      expect(await request({ force: true, trigger: "cli" })).toEqual({ queued: false, reason: "already-queued", row: queued });
      expect(await store.startBackfill(REPO, 1)).toBe(true);
      const running = { ...queued, status: "running", startedAt: clock.toISOString() };
      expect(await store.getBackfill(REPO)).toEqual(running);
      expect(await request()).toEqual({ queued: false, reason: "already-queued", row: running });
      expect((await store.unfinishedJobs()).map((j) => j.deliveryId)).toEqual(["backfill:octo-org/app:1"]);
    });

    it("done or skipped: backfilled, again only when forced, as a new generation with its own delivery and job", async () => {
      await request();
      await store.startBackfill(REPO, 1);
      later();
      const result = { status: "done", reason: "archived: no check run", headSha: SHA_A, commits: 120, blobs: 3400, findings: 2, incomplete: true } as const;
      expect(await store.finishBackfill(REPO, 1, result)).toBe(true);
      const done = await store.getBackfill(REPO);
      expect(done).toMatchObject({ ...result, generation: 1, finishedAt: clock.toISOString() });
      await store.startJob("backfill:octo-org/app:1");
      await store.finishJob("backfill:octo-org/app:1", { status: "done" });
      expect(await request()).toEqual({ queued: false, reason: "already-backfilled", row: done });

      later();
      expect(await request({ force: true, trigger: "cli" })).toEqual({ queued: true, deliveryId: "backfill:octo-org/app:2", generation: 2 });
      expect(await store.getBackfill(REPO)).toEqual({
        repository: REPO, installationId: 42, generation: 2, status: "queued", deliveryId: "backfill:octo-org/app:2",
        trigger: "cli", reason: null, headSha: null, commits: null, blobs: null, findings: null, incomplete: false,
        requestedAt: clock.toISOString(), startedAt: null, finishedAt: null,
      });
      // The first generation's delivery and job are history, untouched.
      expect((await store.getDelivery("backfill:octo-org/app:1"))?.backfill?.generation).toBe(1);
      expect((await store.getJob("backfill:octo-org/app:1"))?.status).toBe("done");
      const [job, ...others] = await store.unfinishedJobs();
      expect(others).toEqual([]);
      expect(job).toMatchObject({ deliveryId: "backfill:octo-org/app:2", status: "queued" });
      expect(job!.delivery.backfill).toEqual({ owner: "octo-org", repo: "app", installationId: 42, generation: 2, trigger: "cli" });

      // Skipped counts as backfilled too; absent result fields are null, incomplete false.
      await store.startBackfill(REPO, 2);
      expect(await store.finishBackfill(REPO, 2, { status: "skipped", reason: "empty repository" })).toBe(true);
      expect(await store.getBackfill(REPO)).toMatchObject({
        status: "skipped", reason: "empty repository", headSha: null, commits: null, blobs: null, findings: null, incomplete: false,
      });
      expect(await request()).toMatchObject({ queued: false, reason: "already-backfilled" });
    });

    it("a failed backfill is queued again without force, from the installation that asks", async () => {
      await request();
      await store.startBackfill(REPO, 1);
      expect(await store.finishBackfill(REPO, 1, { status: "failed", reason: "clone: 404" })).toBe(true);
      expect(await store.getBackfill(REPO)).toMatchObject({ status: "failed", reason: "clone: 404", commits: null });
      // A reinstalled app: its new installation id goes with the new generation.
      expect(await request({ installationId: 7, trigger: "installation_repositories.added" })).toEqual({
        queued: true, deliveryId: "backfill:octo-org/app:2", generation: 2,
      });
      expect(await store.getBackfill(REPO)).toMatchObject({ status: "queued", installationId: 7, reason: null, trigger: "installation_repositories.added" });
      expect((await store.getDelivery("backfill:octo-org/app:2"))?.installationId).toBe(7);
    });

    it("a start or finish for another generation than the row's changes nothing", async () => {
      await request();
      await store.finishBackfill(REPO, 1, { status: "failed", reason: "x" });
      await request();
      const row = await store.getBackfill(REPO);
      expect(row?.generation).toBe(2);
      later();
      expect(await store.startBackfill(REPO, 1)).toBe(false);
      expect(await store.finishBackfill(REPO, 1, { status: "done", commits: 1 })).toBe(false);
      expect(await store.startBackfill(REPO, 3)).toBe(false);
      expect(await store.getBackfill(REPO)).toEqual(row);
      expect(await store.startBackfill("octo-org/unknown", 1)).toBe(false);
      expect(await store.finishBackfill("octo-org/unknown", 1, { status: "done" })).toBe(false);
      expect(await store.getBackfill("octo-org/unknown")).toBeUndefined();
    });

    it("knows a repository whatever the case of its name", async () => {
      expect(await request({ owner: "Octo-Org", repo: "App" })).toEqual({ queued: true, deliveryId: "backfill:octo-org/app:1", generation: 1 });
      expect(await request()).toMatchObject({ queued: false, reason: "already-queued", row: { repository: "Octo-Org/App" } });
      expect(await store.startBackfill("OCTO-ORG/app", 1)).toBe(true);
      expect(await store.finishBackfill("octo-org/APP", 1, { status: "done" })).toBe(true);
      expect(await store.getBackfill("octo-org/app")).toMatchObject({ repository: "Octo-Org/App", status: "done" });
      expect((await store.backfills()).map((b) => b.repository)).toEqual(["Octo-Org/App"]);
      // The row keeps the spelling of the request that queued its latest generation.
      await request({ force: true });
      expect((await store.getBackfill("OCTO-ORG/APP"))?.repository).toBe(REPO);
      expect((await store.getDelivery("backfill:octo-org/app:1"))?.repository).toBe("Octo-Org/App");
    });

    it("resumes a queued backfill after a reopen with its payload", async () => {
      const place = await backend.fresh();
      const first = await place.open({ now });
      await request({}, first);
      await first.close();
      const second = await place.open({ now });
      const jobs = await second.unfinishedJobs();
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ deliveryId: "backfill:octo-org/app:1", status: "queued", attempts: 0 });
      expect(jobs[0]!.delivery).toMatchObject({
        event: "backfill", repository: REPO, installationId: 42, after: null, pullRequest: null, installation: null,
        backfill: { owner: "octo-org", repo: "app", installationId: 42, generation: 1, trigger: "installation.created" },
      });
      expect(jobs[0]!.delivery.payload).toEqual(pickPushPayload({}));
    });

    it("lists backfills by repository name and counts an installation's by status", async () => {
      const statuses: Array<[string, BackfillResult["status"] | "queued" | "running"]> = [
        ["octo-org/e", "skipped"], ["octo-org/b", "done"], ["octo-org/C", "running"], ["octo-org/a", "queued"], ["octo-org/d", "failed"],
      ];
      for (const [repository, status] of statuses) {
        const [owner, repo] = repository.split("/") as [string, string];
        await request({ owner, repo });
        if (status === "queued") continue;
        await store.startBackfill(repository, 1);
        if (status !== "running") await store.finishBackfill(repository, 1, { status });
      }
      await request({ owner: "another", repo: "x", installationId: 7 });
      expect((await store.backfills()).map((b) => [b.repository, b.status])).toEqual([
        ["another/x", "queued"], ["octo-org/a", "queued"], ["octo-org/b", "done"], ["octo-org/C", "running"], ["octo-org/d", "failed"],
        ["octo-org/e", "skipped"],
      ]);
      expect((await store.backfills(7)).map((b) => b.repository)).toEqual(["another/x"]);
      expect(await store.backfills(999)).toEqual([]);
      expect(await store.backfillProgress(42)).toEqual({ installationId: 42, total: 5, queued: 1, running: 1, done: 1, skipped: 1, failed: 1 });
      expect(await store.backfillProgress(7)).toEqual({ installationId: 7, total: 1, queued: 1, running: 0, done: 0, skipped: 0, failed: 0 });
      expect(await store.backfillProgress(999)).toEqual({ installationId: 999, total: 0, queued: 0, running: 0, done: 0, skipped: 0, failed: 0 });
    });

    it("queues one generation when two processes request the same repository at once", async () => {
      const place = await backend.fresh();
      const stores = await Promise.all([1, 2, 3].map(() => place.open({ now })));
      const answers = await Promise.all(stores.flatMap((s) => [request({}, s), request({ repo: "APP" }, s)]));
      expect(answers.filter((a) => a.queued)).toEqual([{ queued: true, deliveryId: "backfill:octo-org/app:1", generation: 1 }]);
      expect(answers.filter((a) => !a.queued).map((a) => !a.queued && a.reason)).toEqual(Array(5).fill("already-queued"));
      expect((await stores[0]!.unfinishedJobs()).map((j) => j.deliveryId)).toEqual(["backfill:octo-org/app:1"]);
    });

    it("an installation delivery keeps only its request; a payload that is not one is refused", async () => {
      const payload = { ...installationPayload(), sender: { login: "mona" }, repositories: [{ owner: "octo-org", repo: "app", private: true }] };
      const input = { id: "inst-1", event: "installation", repository: "octo-org/*", installationId: 42, after: null, payload };
      expect(await store.recordDelivery(input)).toBe("new");
      expect(await store.recordDelivery(input)).toBe("duplicate");
      expect(await store.getDelivery("inst-1")).toEqual({
        id: "inst-1", event: "installation", repository: "octo-org/*", installationId: 42, after: null,
        payload: pickPushPayload({}), pullRequest: null, backfill: null, installation: installationPayload(),
        receivedAt: clock.toISOString(),
      });
      // Every repository the installation can read (the CLI does not know the account).
      await store.recordDelivery({ ...input, id: "inst-2", payload: installationPayload({ repositories: null, account: null, force: true, trigger: "cli" }) });
      expect((await store.getDelivery("inst-2"))?.installation).toEqual({ installationId: 42, account: null, repositories: null, force: true, trigger: "cli" });
      await store.enqueueJob("inst-2");
      const [job] = await store.unfinishedJobs();
      expect(job!.delivery).toMatchObject({ id: "inst-2", event: "installation", backfill: null, installation: { repositories: null, force: true } });

      const raw = randomKeypair();
      const bad: unknown[] = [
        { action: "created", installation: { id: 42, account: { login: "octo-org" } } }, // the webhook payload as it is
        installationPayload({ installationId: "42" }),
        installationPayload({ installationId: 0 }),
        installationPayload({ repositories: [{ owner: "octo-org" }] }),
        installationPayload({ repositories: [{ owner: "", repo: "app" }] }),
        installationPayload({ force: undefined }),
        installationPayload({ trigger: 1 }),
        installationPayload({ repositories: raw.key }),
        null,
      ];
      for (const [i, p] of bad.entries()) {
        const refused = store.recordDelivery({ ...input, id: `bad-${i}`, payload: p });
        await expect(refused).rejects.toThrow(/not an InstallationJobPayload/);
        // The error names fields, never the value it was given.
        await expect(refused).rejects.not.toThrow(raw.key);
        expect(await store.getDelivery(`bad-${i}`)).toBeUndefined();
      }
      // A backfill delivery comes with its row, from requestBackfill alone.
      await expect(
        store.recordDelivery({ id: "backfill:octo-org/app:1", event: "backfill", repository: REPO, installationId: 42, after: null, payload: {} }),
      ).rejects.toThrow(/requestBackfill/);
      expect(await store.getDelivery("backfill:octo-org/app:1")).toBeUndefined();
    });

    it("repository installations leave installation deliveries out and count backfill ones", async () => {
      await store.recordDelivery({ id: "inst-1", event: "installation", repository: "octo-org/*", installationId: 42, after: null, payload: installationPayload() });
      expect(await store.repositoryInstallations()).toEqual([]);
      await request({ repo: "lib", installationId: 7 });
      await store.recordDelivery({ id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_A, payload: pushPayload(SHA_A) });
      expect(await store.repositoryInstallations()).toEqual([
        { repository: REPO, installationId: 42 },
        { repository: "octo-org/lib", installationId: 7 },
      ]);
    });

    it("migration 6 keeps a version 5 database's deliveries and jobs, and backfills start empty", async () => {
      const place = await backend.fresh();
      await place.migrateTo(5);
      const push = JSON.stringify(pickPushPayload(pushPayload(SHA_B)));
      await place.query(
        `INSERT INTO deliveries (id, event, repository, installation_id, after_sha, payload, received_at)
         VALUES ('d-old', 'push', '${REPO}', 42, '${SHA_B}', '${push}', '2024-12-31T00:00:00.000Z')`,
      );
      await place.query("INSERT INTO jobs (delivery_id, status, enqueued_at) VALUES ('d-old', 'queued', '2024-12-31T00:00:00.000Z')");
      const migrated = await place.open({ now });
      expect(await migrationCount(place)).toBe(MIGRATIONS.length);
      const [job] = await migrated.unfinishedJobs();
      expect(job!.delivery).toMatchObject({ id: "d-old", event: "push", pullRequest: null, backfill: null, installation: null });
      expect(job!.delivery.payload.after).toBe(SHA_B);
      expect(await migrated.backfills()).toEqual([]);
      expect(await request({}, migrated)).toMatchObject({ queued: true, generation: 1 });
      expect(await migrated.repositoryInstallations()).toEqual([{ repository: REPO, installationId: 42 }]);
      // The table keeps its constraints: a row names a recorded delivery.
      await expect(
        place.query(
          `INSERT INTO backfills (repository_key, repository, installation_id, generation, status, delivery_id, trigger, requested_at)
           VALUES ('x/y', 'x/y', 1, 1, 'queued', 'no-such-delivery', 'cli', 'x')`,
        ),
      ).rejects.toThrow(/foreign key/i);
    });
  });
});

describe("pickPushPayload", () => {
  it("caps the commit list at 2048 and reads older field names", async () => {
    const commits = Array.from({ length: 2100 }, (_, i) => ({ id: i.toString(16).padStart(40, "0") }));
    const picked = pickPushPayload({
      ...pushPayload(SHA_B, { commits }),
      repository: { name: "app", owner: { name: "octo-org" }, master_branch: "trunk" },
    });
    expect(picked.commits).toHaveLength(2048);
    expect(picked.owner).toBe("octo-org");
    expect(picked.defaultBranch).toBe("trunk");
  });

  it("tolerates a payload without the optional parts", async () => {
    expect(pickPushPayload(null)).toMatchObject({ ref: "", commits: [], pusher: null, installationId: null });
  });
});


describe("sqlite only", () => {
  let dir: string;
  beforeEach(() => {
    clock = new Date("2025-01-01T00:00:00.000Z");
    dir = tempDir("crisp-guard-store-");
  });

  it("creates the parent directory, uses WAL and records every migration", async () => {
    const path = join(dir, "nested", "deeper", "guard.db");
    const s = openSqliteStore(path);
    await s.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it("read-only: never creates the file, reads what the app wrote (also while it is open), writes nothing", async () => {
    const path = join(dir, "guard.db");
    expect(() => openSqliteStore(path, { readOnly: true })).toThrow();
    expect(existsSync(path)).toBe(false);
    const app = openSqliteStore(path, { now });
    const { input } = secretOf();
    await app.upsertSecret(input);
    const reader = openSqliteStore(path, { readOnly: true });
    try {
      expect((await reader.allSecrets()).map((s) => s.fingerprint)).toEqual([input.fingerprint]);
      await expect(reader.upsertSecret(secretOf().input)).rejects.toThrow(/readonly/i);
    } finally {
      await reader.close();
      await app.close();
    }
  });

  it("no raw key in the database file or its WAL while the store is open", async () => {
    const raw = randomKeypair();
    const kp = new Keypair(raw.identifier, raw.key);
    const path = join(dir, "guard.db");
    const s = openSqliteStore(path, { now });
    await s.upsertSecret({ fingerprint: kp.fingerprint, redactedIdentifier: kp.redactedIdentifier, keyHint: kp.keyHint, tier: "plugin", websiteId: null });
    await s.recordVerification(kp.fingerprint, { status: "live", tier: "plugin", reason: `authenticated as ${raw.identifier}`, checkedAt: clock.toISOString() });
    await s.recordRotation(kp.fingerprint, { rotator: "command", status: "failed", detail: `stderr: ${raw.key}` });
    const files = () => [path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f).toString("latin1"));
    const whileOpen = files();
    expect(whileOpen.length).toBe(2); // the WAL is there to be checked
    expect(whileOpen.some((bytes) => bytes.includes(kp.fingerprint))).toBe(true);
    for (const bytes of whileOpen) expect(holdsRaw(bytes, raw)).toBe(false);
    await s.close();
    for (const bytes of files()) expect(rawFormsIn(bytes, raw)).toEqual([]);
  });
});

