import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import { MIGRATIONS, openStore, pickPushPayload, type Store } from "../../src/store/index.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

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

let dir: string;
let clock: Date;
let store: Store;
const now = () => clock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "crisp-guard-store-"));
  clock = new Date("2025-01-01T00:00:00.000Z");
  store = openStore(":memory:", { now });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("openStore", () => {
  it("creates the parent directory, uses WAL and records every migration", () => {
    const path = join(dir, "nested", "deeper", "guard.db");
    const s = openStore(path);
    s.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it("is idempotent on reopen and keeps the data", () => {
    const path = join(dir, "guard.db");
    const first = openStore(path);
    const { input } = secretOf();
    first.upsertSecret(input);
    first.close();
    const second = openStore(path);
    expect(second.getSecret(input.fingerprint)?.state).toBe("detected");
    second.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) FROM schema_migrations").pluck().get()).toBe(MIGRATIONS.length);
    db.close();
  });

  it("refuses a database from a newer build", () => {
    const path = join(dir, "guard.db");
    openStore(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    db.close();
    expect(() => openStore(path)).toThrow(/newer/);
  });
});

describe("deliveries and jobs", () => {
  it("records a delivery once, keeping only what the job needs", () => {
    const input = { id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) };
    expect(store.recordDelivery(input)).toBe("new");
    expect(store.recordDelivery(input)).toBe("duplicate");
    const row = store.getDelivery("d-1")!;
    expect(row).toMatchObject({ id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B });
    expect(row.payload).toEqual({
      ref: "refs/heads/main", before: SHA_A, after: SHA_B, created: false, deleted: false, forced: false,
      commits: [SHA_B], pusher: "mona", defaultBranch: "main", baseRef: null, owner: "octo-org", repo: "app",
      installationId: 42,
    });
    expect(JSON.stringify(row)).not.toContain("add config");
    expect(JSON.stringify(row)).not.toContain("mona@example.com");
  });

  it("runs a job through queued, running, done, and knows the push is processed", () => {
    store.recordDelivery({ id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) });
    expect(store.getJob("d-1")).toBeUndefined();
    expect(store.enqueueJob("d-1").status).toBe("queued");
    expect(store.enqueueJob("d-1").attempts).toBe(0); // second enqueue changes nothing
    expect(store.isPushProcessed(REPO, SHA_B)).toBe(false);
    clock = new Date("2025-01-01T00:00:05.000Z");
    const running = store.startJob("d-1");
    expect(running).toMatchObject({ status: "running", attempts: 1, startedAt: "2025-01-01T00:00:05.000Z" });
    expect(store.isPushProcessed(REPO, SHA_B)).toBe(false);
    const done = store.finishJob("d-1", { status: "done" });
    expect(done).toMatchObject({ status: "done", error: null, finishedAt: "2025-01-01T00:00:05.000Z" });
    expect(store.isPushProcessed(REPO, SHA_B)).toBe(true);
    expect(store.isPushProcessed("octo-org/other", SHA_B)).toBe(false);
    expect(store.unfinishedJobs()).toEqual([]);
  });

  it("a failed push is not processed, and its error is kept without secret-shaped text", () => {
    const kp = randomKeypair();
    store.recordDelivery({ id: "d-2", event: "push", repository: REPO, installationId: 42, after: SHA_B, payload: pushPayload(SHA_B) });
    store.enqueueJob("d-2");
    store.startJob("d-2");
    const failed = store.finishJob("d-2", { status: "failed", error: `boom near ${kp.identifier}:${kp.key} at ${SHA_A}` });
    expect(failed.status).toBe("failed");
    expect(holdsRaw(failed.error!, kp)).toBe(false);
    expect(failed.error).toContain(SHA_A); // commit ids stay readable
    expect(failed.error).toContain(`${kp.identifier.slice(0, 8)}…`);
    expect(store.isPushProcessed(REPO, SHA_B)).toBe(false);
    // A redelivery queues it again; only a failed job can be requeued.
    expect(store.requeueFailedJob("d-2")).toMatchObject({ status: "queued", error: null });
    expect(store.requeueFailedJob("d-2")).toBeUndefined();
    expect(store.unfinishedJobs().map((j) => j.deliveryId)).toEqual(["d-2"]);
  });

  it("throws for a job that does not exist", () => {
    expect(() => store.startJob("nope")).toThrow(/no job/);
  });

  it("resumes queued and running jobs after a reopen, oldest first, with their payload", () => {
    const path = join(dir, "guard.db");
    const first = openStore(path, { now });
    for (const [id, after] of [["d-1", SHA_A], ["d-2", SHA_B], ["d-3", "c".repeat(40)]] as const) {
      first.recordDelivery({ id, event: "push", repository: REPO, installationId: 42, after, payload: pushPayload(after) });
      first.enqueueJob(id);
      clock = new Date(clock.getTime() + 1000);
    }
    first.startJob("d-1"); // crashed while running
    first.startJob("d-3");
    first.finishJob("d-3", { status: "done" });
    first.close();

    const second = openStore(path, { now });
    const jobs = second.unfinishedJobs();
    expect(jobs.map((j) => [j.deliveryId, j.status])).toEqual([["d-1", "running"], ["d-2", "queued"]]);
    expect(jobs[0]!.delivery.payload.after).toBe(SHA_A);
    expect(jobs[1]!.delivery.payload.commits).toEqual([SHA_B]);
    expect(second.startJob("d-1").attempts).toBe(2);
    second.close();
  });
});

describe("pickPushPayload", () => {
  it("caps the commit list at 2048 and reads older field names", () => {
    const commits = Array.from({ length: 2100 }, (_, i) => ({ id: i.toString(16).padStart(40, "0") }));
    const picked = pickPushPayload({
      ...pushPayload(SHA_B, { commits }),
      repository: { name: "app", owner: { name: "octo-org" }, master_branch: "trunk" },
    });
    expect(picked.commits).toHaveLength(2048);
    expect(picked.owner).toBe("octo-org");
    expect(picked.defaultBranch).toBe("trunk");
  });

  it("tolerates a payload without the optional parts", () => {
    expect(pickPushPayload(null)).toMatchObject({ ref: "", commits: [], pusher: null, installationId: null });
  });
});

describe("secrets", () => {
  it("creates a secret as detected, keeps a known tier over null, and tracks state", () => {
    const { input } = secretOf();
    const created = store.upsertSecret({ ...input, tier: "website", websiteId: "0f3b2d41-1111-4222-8333-444455556666" });
    expect(created).toMatchObject({ state: "detected", tier: "website", firstSeenAt: clock.toISOString(), deadAt: null });
    clock = new Date("2025-01-02T00:00:00.000Z");
    const again = store.upsertSecret(input);
    expect(again).toMatchObject({ tier: "website", websiteId: "0f3b2d41-1111-4222-8333-444455556666" });
    expect(again.firstSeenAt).toBe("2025-01-01T00:00:00.000Z");
    expect(again.updatedAt).toBe("2025-01-02T00:00:00.000Z");

    expect(store.setSecretState(input.fingerprint, "live")).toBe(true);
    expect(store.setSecretState(input.fingerprint, "rotation_requested")).toBe(true);
    expect(store.secretsInState("rotation_requested").map((s) => s.fingerprint)).toEqual([input.fingerprint]);
    clock = new Date("2025-01-03T00:00:00.000Z");
    store.setSecretState(input.fingerprint, "dead");
    clock = new Date("2025-01-04T00:00:00.000Z");
    store.setSecretState(input.fingerprint, "dead");
    expect(store.getSecret(input.fingerprint)).toMatchObject({ state: "dead", deadAt: "2025-01-03T00:00:00.000Z" });
    expect(store.setSecretState("f".repeat(64), "live")).toBe(false);
    expect(store.getSecret("f".repeat(64))).toBeUndefined();
  });

  it("refuses anything that is not in redacted form", () => {
    const raw = randomKeypair();
    const { input } = secretOf();
    expect(() => store.upsertSecret({ ...input, redactedIdentifier: raw.identifier })).toThrow(/redactedIdentifier/);
    expect(() => store.upsertSecret({ ...input, keyHint: raw.key })).toThrow(/keyHint/);
    expect(() => store.upsertSecret({ ...input, fingerprint: `${raw.identifier}:${raw.key}` })).toThrow(/fingerprint/);
  });
});

describe("occurrences, verifications, rotations", () => {
  it("records each place once", () => {
    const { input } = secretOf();
    store.upsertSecret(input);
    const occ = { repository: REPO, commit: SHA_A, path: ".env", line: 2, column: 11, encoding: "plain" as const, author: "Mona", date: "2025-01-01T00:00:00Z" };
    expect(store.addOccurrence(input.fingerprint, occ)).toBe("new");
    expect(store.addOccurrence(input.fingerprint, occ)).toBe("duplicate");
    expect(store.addOccurrence(input.fingerprint, { ...occ, commit: SHA_B })).toBe("new");
    expect(store.addOccurrence(input.fingerprint, { repository: "dir:.", path: "a.env", line: 1, column: 1, encoding: "base64" })).toBe("new");
    expect(store.addOccurrence(input.fingerprint, { repository: "dir:.", path: "a.env", line: 1, column: 1, encoding: "base64" })).toBe("duplicate");
    const rows = store.occurrencesOf(input.fingerprint);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ ...occ, recordedAt: clock.toISOString() });
    expect(rows[2]).not.toHaveProperty("commit");
    expect(rows[2]).not.toHaveProperty("author");
  });

  it("needs the secret first", () => {
    expect(() =>
      store.addOccurrence("e".repeat(64), { repository: REPO, path: "x", line: 1, column: 1, encoding: "plain" }),
    ).toThrow(/FOREIGN KEY/);
  });

  it("keeps the verification history and returns the latest", () => {
    const { input } = secretOf();
    store.upsertSecret(input);
    expect(store.latestVerification(input.fingerprint)).toBeUndefined();
    store.recordVerification(input.fingerprint, { status: "live", tier: "plugin", reason: "200", checkedAt: "2025-01-01T00:00:00Z", pluginId: "p-1" });
    store.recordVerification(input.fingerprint, { status: "dead", tier: "plugin", reason: "401 invalid_session", checkedAt: "2025-01-02T00:00:00Z" });
    expect(store.latestVerification(input.fingerprint)).toMatchObject({ status: "dead", reason: "401 invalid_session" });
    expect(store.latestVerification(input.fingerprint)).not.toHaveProperty("pluginId");
    expect(store.verificationsOf(input.fingerprint).map((v) => v.status)).toEqual(["live", "dead"]);
    expect(store.verificationsOf(input.fingerprint)[0]!.pluginId).toBe("p-1");
  });

  it("records rotations and says when one was requested", () => {
    const { input } = secretOf();
    store.upsertSecret(input);
    store.recordRotation(input.fingerprint, { rotator: "webhook", status: "failed", detail: "timeout" });
    expect(store.hasRotationRequested(input.fingerprint)).toBe(false);
    store.recordRotation(input.fingerprint, { rotator: "github-issue", status: "requested", detail: "issue #7", url: "https://github.com/o/r/issues/7" });
    expect(store.hasRotationRequested(input.fingerprint)).toBe(true);
    expect(store.rotationsOf(input.fingerprint)).toEqual([
      { rotator: "webhook", status: "failed", detail: "timeout", recordedAt: clock.toISOString() },
      { rotator: "github-issue", status: "requested", detail: "issue #7", url: "https://github.com/o/r/issues/7", recordedAt: clock.toISOString() },
    ]);
  });
});

describe("re-checks", () => {
  it("returns what is due, completes, reschedules and cancels", () => {
    const a = secretOf().input;
    const b = secretOf().input;
    store.upsertSecret(a);
    store.upsertSecret(b);
    const t = (m: number) => new Date(Date.UTC(2025, 0, 1, 0, m));
    store.scheduleRecheck(a.fingerprint, t(15), 1);
    store.scheduleRecheck(a.fingerprint, t(60), 2);
    store.scheduleRecheck(b.fingerprint, t(10), 1);
    expect(store.dueRechecks(t(9))).toEqual([]);
    expect(store.dueRechecks(t(15)).map((r) => [r.fingerprint, r.attempt])).toEqual([[b.fingerprint, 1], [a.fingerprint, 1]]);
    expect(store.dueRechecks(t(15))[1]!.dueAt).toEqual(t(15));
    store.completeRecheck(b.fingerprint, 1, "keypair no longer readable");
    expect(store.dueRechecks(t(15)).map((r) => r.fingerprint)).toEqual([a.fingerprint]);
    expect(store.rechecksOf(b.fingerprint)[0]).toMatchObject({ status: "done", note: "keypair no longer readable" });
    store.scheduleRecheck(a.fingerprint, t(20), 1); // reschedule attempt 1
    expect(store.dueRechecks(t(15))).toEqual([]);
    expect(store.cancelRechecks(a.fingerprint)).toBe(2);
    expect(store.dueRechecks(t(24 * 60))).toEqual([]);
    expect(store.rechecksOf(a.fingerprint).map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("survives a reopen", () => {
    const path = join(dir, "guard.db");
    const first = openStore(path);
    const { input } = secretOf();
    first.upsertSecret(input);
    first.scheduleRecheck(input.fingerprint, new Date("2025-01-01T00:15:00Z"), 1);
    first.close();
    const second = openStore(path);
    expect(second.dueRechecks(new Date("2025-01-01T00:15:00Z")).map((r) => r.attempt)).toEqual([1]);
    second.close();
  });
});

describe("GitHub artefacts", () => {
  it("keeps one comment per secret per commit", () => {
    const { input } = secretOf();
    store.upsertSecret(input);
    store.recordComment({ fingerprint: input.fingerprint, repository: REPO, commit: SHA_A, commentId: 1 });
    store.recordComment({ fingerprint: input.fingerprint, repository: REPO, commit: SHA_B, commentId: 2 });
    store.recordComment({ fingerprint: input.fingerprint, repository: REPO, commit: SHA_A, commentId: 3 });
    expect(store.commentsOf(input.fingerprint).map((c) => [c.commit, c.commentId])).toEqual([[SHA_A, 3], [SHA_B, 2]]);
  });

  it("links check runs to the secrets they report", () => {
    const a = secretOf().input;
    const b = secretOf().input;
    store.upsertSecret(a);
    store.upsertSecret(b);
    store.recordCheckRun({ repository: REPO, headSha: SHA_A, checkRunId: 10, fingerprints: [a.fingerprint, b.fingerprint] });
    store.recordCheckRun({ repository: REPO, headSha: SHA_B, checkRunId: 11, fingerprints: [a.fingerprint] });
    store.recordCheckRun({ repository: REPO, headSha: SHA_B, checkRunId: 11, fingerprints: [a.fingerprint] });
    expect(store.checkRunsOf(a.fingerprint).map((c) => [c.checkRunId, c.headSha])).toEqual([[10, SHA_A], [11, SHA_B]]);
    expect(store.checkRunsOf(b.fingerprint).map((c) => c.checkRunId)).toEqual([10]);
    expect(store.fingerprintsOfCheckRun(10)).toEqual([a.fingerprint, b.fingerprint]);
    expect(store.fingerprintsOfCheckRun(11)).toEqual([a.fingerprint]);
  });

  it("keeps one issue per secret", () => {
    const { input } = secretOf();
    store.upsertSecret(input);
    expect(store.issueOf(input.fingerprint)).toBeUndefined();
    store.recordIssue({ fingerprint: input.fingerprint, repository: "octo-org/security", number: 4 });
    store.recordIssue({ fingerprint: input.fingerprint, repository: "octo-org/security", number: 5 });
    expect(store.issueOf(input.fingerprint)).toMatchObject({ repository: "octo-org/security", number: 5 });
  });
});

describe("no raw key on disk", () => {
  it("a full finding leaves neither half in the database file or its WAL", () => {
    const raw = randomKeypair();
    const kp = new Keypair(raw.identifier, raw.key);
    const path = join(dir, "guard.db");
    const s = openStore(path);
    s.recordDelivery({
      id: "d-1", event: "push", repository: REPO, installationId: 42, after: SHA_B,
      // A commit message quoting the key must not reach the disk either.
      payload: pushPayload(SHA_B, { head_commit: { id: SHA_B, message: `add ${raw.identifier} ${raw.key}` } }),
    });
    s.enqueueJob("d-1");
    s.startJob("d-1");
    s.upsertSecret({ fingerprint: kp.fingerprint, redactedIdentifier: kp.redactedIdentifier, keyHint: kp.keyHint, tier: "plugin", websiteId: null });
    s.addOccurrence(kp.fingerprint, { repository: REPO, commit: SHA_B, path: ".env", line: 1, column: 18, encoding: "plain", author: "Mona" });
    s.recordVerification(kp.fingerprint, { status: "live", tier: "plugin", reason: `authenticated as ${raw.identifier}`, checkedAt: clock.toISOString() });
    s.startRotationAttempt(kp.fingerprint, "command", "attempt-1");
    s.finishRotationAttempt(kp.fingerprint, "command", "attempt-1", { status: "failed", detail: `stderr: ${raw.key}` });
    s.recordRotation(kp.fingerprint, { rotator: "command", status: "failed", detail: `stderr: ${raw.key}` });
    s.scheduleRecheck(kp.fingerprint, new Date(), 1);
    s.completeRecheck(kp.fingerprint, 1, `read ${raw.identifier}:${raw.key}`);
    s.recordComment({ fingerprint: kp.fingerprint, repository: REPO, commit: SHA_B, commentId: 1 });
    s.recordCheckRun({ repository: REPO, headSha: SHA_B, checkRunId: 2, fingerprints: [kp.fingerprint] });
    s.recordIssue({ fingerprint: kp.fingerprint, repository: REPO, number: 3 });
    s.finishJob("d-1", { status: "failed", error: `crashed on ${raw.key}` });

    const files = () => [path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f).toString("latin1"));
    const whileOpen = files();
    expect(whileOpen.length).toBe(2); // the WAL is there to be checked
    // The fingerprint is on disk, so the test would notice if the bytes were unreadable.
    expect(whileOpen.some((bytes) => bytes.includes(kp.fingerprint))).toBe(true);
    for (const bytes of whileOpen) expect(holdsRaw(bytes, raw)).toBe(false);
    s.close();
    for (const bytes of files()) expect(holdsRaw(bytes, raw)).toBe(false);
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

  it("keeps only what the gate needs, and a done gate is not a processed push (nor the reverse)", () => {
    store.recordDelivery({ id: "pr-1", event: "pull_request", repository: REPO, installationId: 42, after: SHA_B, payload: prPayload() });
    const row = store.getDelivery("pr-1")!;
    expect(row.pullRequest).toEqual({
      action: "opened", number: 7, baseSha: SHA_A, headSha: SHA_B, fork: true, author: "outsider", owner: "octo-org", repo: "app", installationId: 42,
    });
    expect(JSON.stringify(row)).not.toContain("add config");
    expect(JSON.stringify(row)).not.toContain("mona@example.com");
    store.enqueueJob("pr-1");
    store.startJob("pr-1");
    store.finishJob("pr-1", { status: "done" });
    expect(store.isPullRequestProcessed(REPO, SHA_B)).toBe(true);
    expect(store.isPushProcessed(REPO, SHA_B)).toBe(false);

    store.recordDelivery({ id: "push-1", event: "push", repository: REPO, installationId: 42, after: SHA_A, payload: pushPayload(SHA_A) });
    store.enqueueJob("push-1");
    store.startJob("push-1");
    store.finishJob("push-1", { status: "done" });
    expect(store.isPushProcessed(REPO, SHA_A)).toBe(true);
    expect(store.isPullRequestProcessed(REPO, SHA_A)).toBe(false);
  });

  it("resumes an unfinished gate as a pull_request job", () => {
    store.recordDelivery({ id: "pr-2", event: "pull_request", repository: REPO, installationId: 42, after: SHA_B, payload: prPayload() });
    store.enqueueJob("pr-2");
    const [job] = store.unfinishedJobs();
    expect(job!.delivery.event).toBe("pull_request");
    expect(job!.delivery.pullRequest?.headSha).toBe(SHA_B);
  });

  it("knows which commits a scanner read completely, per repository, and their occurrences", () => {
    const { input } = secretOf();
    store.upsertSecret(input);
    store.addOccurrence(input.fingerprint, { repository: REPO, commit: SHA_A, path: ".env", line: 4, column: 1, encoding: "plain" });
    store.addOccurrence(input.fingerprint, { repository: "octo-org/other", commit: SHA_A, path: ".env", line: 4, column: 1, encoding: "plain" });
    store.recordScannedCommits(REPO, [SHA_A, SHA_B], "1.0.0");
    store.recordScannedCommits(REPO, [SHA_A], "1.0.0"); // again: no error, no change
    expect([...store.scannedCommits(REPO, [SHA_A, SHA_B, "c".repeat(40)], "1.0.0")].sort()).toEqual([SHA_A, SHA_B]);
    // Another build's scan is not trusted: its detector may differ.
    expect(store.scannedCommits(REPO, [SHA_A], "2.0.0").size).toBe(0);
    expect(store.scannedCommits("octo-org/other", [SHA_A], "1.0.0").size).toBe(0);
    const found = store.occurrencesInCommits(REPO, [SHA_A, SHA_B]);
    expect(found).toEqual([{ fingerprint: input.fingerprint, occurrence: expect.objectContaining({ repository: REPO, commit: SHA_A, line: 4 }) }]);
  });
});
