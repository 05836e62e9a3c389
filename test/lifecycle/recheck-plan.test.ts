// The re-check's steps alone: what it decides from a read-back or an answer (pure), and the small
// steps that apply it, on an in-memory store, without the scheduler's timer or a fake GitHub.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detect } from "../../src/detect/index.js";
import type { Verification } from "../../src/detect/types.js";
import { RECHECK_NOTES } from "../../src/lifecycle/schedule.js";
import type { ReadBack, ReadFailure } from "../../src/lifecycle/read-back.js";
import {
  latestDuePerSecret,
  outcomeOfError,
  outcomeOfReadFailure,
  outcomeOfVerification,
  verificationRequest,
} from "../../src/lifecycle/recheck-plan.js";
import { runDueRechecks, settleAttempt, writeBestEffort, type RecheckIo } from "../../src/lifecycle/recheck.js";
import { openSqliteStore } from "../../src/store/index.js";
import type { RecheckRow, SecretRow, Store } from "../../src/store/types.js";
import { holdsRaw, randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse("2026-03-01T12:00:00.000Z");
const at = (ms: number): Date => new Date(T0 + ms);

/** A keypair as a re-check reads it back: from a file naming its tier and a website id. */
function readBack(websiteId = randomWebsiteId()) {
  const raw = randomKeypair();
  const text = `const CRISP_WEBSITE_ID = "${websiteId}";\nclient.authenticateTier("website", "${raw.identifier}", "${raw.key}");\n`;
  const [candidate] = detect(text, { path: "src/crisp.js" }).candidates;
  if (!candidate) throw new Error("test setup: the detector found no keypair");
  const found: ReadBack = { candidate, websiteIds: [websiteId], place: { repository: "acme/web", commit: "c".repeat(40), path: "src/crisp.js" } };
  return { raw, found };
}

function secretFor(found: ReadBack, extra: Partial<SecretRow> = {}): SecretRow {
  const { keypair } = found.candidate;
  return {
    fingerprint: found.candidate.fingerprint,
    redactedIdentifier: keypair.redactedIdentifier,
    keyHint: keypair.keyHint,
    tier: null,
    websiteId: null,
    state: "rotation_requested",
    firstSeenAt: at(0).toISOString(),
    updatedAt: at(0).toISOString(),
    deadAt: null,
    ...extra,
  };
}

const failure = (permanent: boolean, status: number): ReadFailure => ({
  repository: "acme/web",
  commit: "0123456789abcdef0123456789abcdef01234567",
  path: "src/crisp.js",
  status,
  reason: `GitHub answered HTTP ${status}`,
  permanent,
});

const verification = (status: Verification["status"], checkedAt: string | null = at(DAY).toISOString()): Verification => ({
  status,
  tier: "website",
  reason: status === "unknown" ? "503 service_unavailable" : "resolved",
  checkedAt,
});

describe("latestDuePerSecret", () => {
  const row = (fingerprint: string, attempt: number, dueAt: number): RecheckRow => ({
    fingerprint, attempt, dueAt: at(dueAt), rotatedAt: at(0), status: "pending", note: null, completedAt: null,
  });

  it("runs the highest attempt of each secret, in the order the secrets first fall due", () => {
    const a = "a".repeat(64);
    const b = "b".repeat(64);
    // Earliest due first, as the store lists them; a's stray attempt 4 falls due before its attempt 2.
    const rows = [row(b, 1, 15 * MIN), row(a, 4, 20 * MIN), row(a, 2, HOUR), row(b, 2, HOUR), row(a, 5, 2 * HOUR)];
    const { run, superseded } = latestDuePerSecret(rows);
    expect(run.map((r) => [r.fingerprint, r.attempt])).toEqual([[b, 2], [a, 5]]);
    expect(superseded.map(({ row: r, by }) => [r.fingerprint, r.attempt, by])).toEqual([
      [a, 2, 4], // later due, lower attempt: superseded by the one already seen
      [b, 1, 2],
      [a, 4, 5],
    ]);
  });

  it("runs a lone row and supersedes nothing", () => {
    expect(latestDuePerSecret([row("c".repeat(64), 3, 0)])).toMatchObject({ run: [{ attempt: 3 }], superseded: [] });
    expect(latestDuePerSecret([])).toEqual({ run: [], superseded: [] });
  });
});

describe("verificationRequest", () => {
  it("asks with the tier last verified, else the stored one, else the file's; the stored website id first", () => {
    const stored = randomWebsiteId();
    const { found } = readBack();
    const inFile = found.websiteIds[0]!;
    const secret = secretFor(found, { tier: "plugin", websiteId: stored });
    expect(verificationRequest(secret, "website", found)).toMatchObject({ tier: "website", websiteId: stored, websiteIds: [stored, inFile] });
    expect(verificationRequest(secret, null, found).tier).toBe("plugin");
    expect(verificationRequest(secretFor(found), undefined, found)).toMatchObject({ tier: "website", websiteId: inFile, websiteIds: [inFile] });
    expect(verificationRequest(secretFor(found), undefined, found).keypair).toBe(found.candidate.keypair);
    // The same id stored and in the file is asked about once.
    expect(verificationRequest(secretFor(found, { websiteId: inFile }), undefined, found).websiteIds).toEqual([inFile]);
  });
});

describe("outcomeOfReadFailure", () => {
  it("every place gone for good: impossible, said on comments, check runs and the issue; the series stops", () => {
    const { raw, found } = readBack();
    const secret = secretFor(found);
    const row = { fingerprint: secret.fingerprint, attempt: 2, rotatedAt: at(0) };
    const outcome = outcomeOfReadFailure(row, secret, [failure(true, 404), failure(true, 410)], at(HOUR));
    expect(outcome).toMatchObject({
      note: expect.stringMatching(/^re-check impossible: keypair no longer readable: acme\/web:src\/crisp\.js@0123456: GitHub answered HTTP 404 \(and 1 more place\)$/),
      next: "stop",
      log: { level: "warn" },
      publish: { update: { kind: "recheck-impossible", at: at(HOUR).toISOString() } },
      issue: { close: false },
    });
    expect(outcome.event).toBeUndefined();
    expect(outcome.publish!.keypair).toBeUndefined();
    expect(outcome.issue!.body).toContain(`Re-check impossible** at ${at(HOUR).toISOString()}`);
    expect(holdsRaw(JSON.stringify({ ...outcome, publish: outcome.publish!.update }), raw)).toBe(false);
  });

  it("one passing failure among them: noted, nothing said on GitHub, the next attempt from the stored rotation time", () => {
    const { found } = readBack();
    const secret = secretFor(found);
    // Rotation 10 h before a row due at 1 h: the schedule's delays would put rotation elsewhere.
    const row = { fingerprint: secret.fingerprint, attempt: 2, rotatedAt: at(-10 * HOUR) };
    const outcome = outcomeOfReadFailure(row, secret, [failure(true, 404), failure(false, 502)], at(HOUR));
    expect(outcome).toEqual({
      note: expect.stringMatching(/^re-check failed: /),
      next: { attempt: 4, dueAt: at(14 * HOUR) },
      log: { level: "warn", message: expect.stringContaining(": failed for now, keypair no longer readable") },
    });
  });
});

describe("outcomeOfVerification", () => {
  const setup = () => {
    const { raw, found } = readBack();
    const secret = secretFor(found);
    return { raw, found, secret, keypair: found.candidate.keypair };
  };

  it("dead: through the state machine, the series stops, the news carries the key read back, the issue is closed", () => {
    const { secret, keypair } = setup();
    const row = { fingerprint: secret.fingerprint, attempt: 1, rotatedAt: at(0) };
    const outcome = outcomeOfVerification(row, secret, { verification: verification("dead"), keypair, alarmRaised: false, now: at(DAY) });
    expect(outcome).toMatchObject({
      event: { type: "verified", status: "dead" },
      note: RECHECK_NOTES.dead,
      next: "stop",
      log: { level: "info", message: expect.stringContaining(`dead since ${at(DAY).toISOString()}, re-checks stopped`) },
      publish: { update: { kind: "dead", since: at(DAY).toISOString() } },
      issue: { close: true, body: expect.stringContaining(`rotation was requested at ${at(0).toISOString()}`) },
    });
    expect(outcome.publish!.keypair).toBe(keypair);
  });

  it("live 24 h after the stored rotation time: the alarm, once, dated from that time", () => {
    const { raw, secret, keypair } = setup();
    // Attempt 1 due a day late: 15 min back from it is not when rotation was requested.
    const row = { fingerprint: secret.fingerprint, attempt: 1, rotatedAt: at(0) };
    const live = verification("live", null); // no checkedAt from Crisp: the clock's time
    const outcome = outcomeOfVerification(row, secret, { verification: live, keypair, alarmRaised: false, now: at(DAY) });
    expect(outcome).toMatchObject({
      note: RECHECK_NOTES.alarm,
      next: { attempt: 5, dueAt: at(2 * DAY) },
      log: { level: "warn", message: expect.stringContaining(`STILL LIVE ${at(0).toISOString()} + 24 h`) },
      publish: { update: { kind: "still-live", since: at(0).toISOString(), checkedAt: at(DAY).toISOString() } },
      issue: { close: false, body: expect.stringContaining("**Still live after 24 h.**") },
    });
    expect(outcome.event).toBeUndefined();
    expect(holdsRaw(outcome.issue!.body + outcome.log!.message + outcome.note, raw)).toBe(false);

    const again = outcomeOfVerification(row, secret, { verification: live, keypair, alarmRaised: true, now: at(DAY) });
    expect(again).toEqual({
      note: RECHECK_NOTES.live,
      next: { attempt: 5, dueAt: at(2 * DAY) },
      log: { level: "info", message: expect.stringMatching(/ attempt 1: live$/) },
    });
  });

  it("live before 24 h, or unknown: noted, and the series goes on without a word on GitHub", () => {
    const { secret, keypair } = setup();
    const row = { fingerprint: secret.fingerprint, attempt: 1, rotatedAt: at(0) };
    expect(outcomeOfVerification(row, secret, { verification: verification("live"), keypair, alarmRaised: false, now: at(15 * MIN) })).toEqual({
      note: RECHECK_NOTES.live,
      next: { attempt: 2, dueAt: at(HOUR) },
      log: { level: "info", message: expect.stringMatching(/ attempt 1: live$/) },
    });
    const unknown = outcomeOfVerification(row, secret, { verification: verification("unknown"), keypair, alarmRaised: false, now: at(DAY) });
    expect(unknown).toEqual({
      note: `${RECHECK_NOTES.unknown}: 503 service_unavailable`,
      next: { attempt: 5, dueAt: at(2 * DAY) },
      log: { level: "info", message: expect.stringMatching(/ attempt 1: unknown$/) },
    });
  });

  it("past the last attempt the series simply ends", () => {
    const { secret, keypair } = setup();
    const row = { fingerprint: secret.fingerprint, attempt: 11, rotatedAt: at(0) };
    const outcome = outcomeOfVerification(row, secret, { verification: verification("live"), keypair, alarmRaised: true, now: at(8 * DAY) });
    expect(outcome.next).toBeNull();
  });
});

describe("the steps that apply an outcome", () => {
  let store: Store;
  let logLines: string[];
  const log = { info: (m: string) => logLines.push(m), warn: (m: string) => logLines.push(m) };

  beforeEach(() => {
    store = openSqliteStore(":memory:", { now: () => at(0) });
    logLines = [];
  });
  afterEach(async () => {
    await store.close();
  });

  async function seriesOf(attempts: number[]) {
    const { found } = readBack();
    const secret = secretFor(found);
    await store.upsertSecret(secret);
    for (const n of attempts) await store.scheduleRecheck(secret.fingerprint, at(n * HOUR), n, at(0));
    return secret.fingerprint;
  }

  it("settleAttempt closes the attempt, then stops the series or schedules the next from the row's rotation time", async () => {
    const fp = await seriesOf([1, 2]);
    await settleAttempt(store, { fingerprint: fp, attempt: 1, rotatedAt: at(-DAY) }, { note: "n1", next: { attempt: 7, dueAt: at(3 * DAY) } });
    expect((await store.rechecksOf(fp)).map((r) => [r.attempt, r.status, r.note, r.rotatedAt.getTime()])).toEqual([
      [1, "done", "n1", T0],
      [2, "pending", null, T0],
      [7, "pending", null, T0 - DAY],
    ]);
    await settleAttempt(store, { fingerprint: fp, attempt: 2, rotatedAt: at(0) }, { note: "n2", next: null });
    expect((await store.rechecksOf(fp)).map((r) => r.status)).toEqual(["done", "done", "pending"]);
    await settleAttempt(store, { fingerprint: fp, attempt: 1, rotatedAt: at(0) }, { note: "n3", next: "stop" });
    expect((await store.rechecksOf(fp)).map((r) => r.status)).toEqual(["done", "done", "cancelled"]);
  });

  it("a re-check that throws is closed as failed and the series goes on, not retried every poll", async () => {
    const fp = await seriesOf([1]);
    const broken: Store = { ...store, occurrencesOf: () => Promise.reject(new Error("disk I/O error")) };
    const io: RecheckIo = {
      store: broken,
      verifier: { verify: () => Promise.reject(new Error("not reached")) },
      octokitFor: () => Promise.reject(new Error("not reached")),
      now: () => at(2 * HOUR),
      log,
    };
    expect(await runDueRechecks(io)).toBe(1);
    expect((await store.rechecksOf(fp)).map((r) => [r.attempt, r.status, r.note, r.dueAt.getTime()])).toEqual([
      [1, "done", `${RECHECK_NOTES.failed}: disk I/O error`, T0 + HOUR],
      [3, "pending", null, T0 + 6 * HOUR], // attempt 2 (1 h) is already past
    ]);
    expect(logLines).toEqual([`crisp-guard re-check ${fp.slice(0, 12)} attempt 1: disk I/O error`]);
    expect(await runDueRechecks(io)).toBe(0);
  });

  it("outcomeOfError goes on from the stored rotation time", () => {
    expect(outcomeOfError({ fingerprint: "f".repeat(64), attempt: 1, rotatedAt: at(0) }, "boom", at(20 * MIN))).toEqual({
      note: `${RECHECK_NOTES.failed}: boom`,
      next: { attempt: 2, dueAt: at(HOUR) },
    });
  });

  it("writeBestEffort: a failed write is logged and answered false, a bad repository name is not tried", async () => {
    const asked: string[] = [];
    const octokitFor = async (repository: string): Promise<never> => {
      asked.push(repository);
      return {} as never;
    };
    const io = { log, octokitFor };
    expect(await writeBestEffort(io, "update comment 7", "acme/web", async () => undefined)).toBe(true);
    const gone = Object.assign(new Error("Not Found\nmore"), { status: 404 });
    expect(await writeBestEffort(io, "update comment 8", "acme/web", () => Promise.reject(gone))).toBe(false);
    expect(await writeBestEffort(io, "update comment 9", "not-a-repository", async () => undefined)).toBe(false);
    expect(asked).toEqual(["acme/web", "acme/web"]);
    expect(logLines).toEqual(["crisp-guard re-check: could not update comment 8 in acme/web: HTTP 404: Not Found"]);
  });
});
