// The re-check scheduler end to end: a real store, the fake GitHub (127.0.0.1) and the fake Crisp
// (127.0.0.1), an injected clock, and vitest fake timers for the polling.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { testGitHubClient } from "../helpers/github-client.js";
import type { GitHubClient } from "../../src/github/client.js";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { detect } from "../../src/detect/index.js";
import type { Finding } from "../../src/detect/types.js";
import { createCheckRun, postCommitComments } from "../../src/report/github.js";
import { checkRunOutput } from "../../src/report/github-text.js";
import { githubIssueRotator } from "../../src/rotate/github-issue.js";
import { RECHECK_NOTES } from "../../src/lifecycle/index.js";
import { advanceSecretState, shouldRotateStored } from "../../src/lifecycle/store.js";
import { storedUpdate } from "../../src/lifecycle/findings.js";
import { createRecheckScheduler, type RecheckScheduler } from "../../src/lifecycle/recheck.js";
import { openSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { createVerifier } from "../../src/verify/verifier.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse("2026-03-01T12:00:00.000Z");

let github: FakeGitHub;
let crisp: FakeCrisp;
let octokit: GitHubClient;
let dir: string;
let clock: number;
/** Secrets Crisp now refuses (rolled), by fingerprint. */
let rolled: Set<string>;
/** Secrets Crisp cannot answer for now (503), by fingerprint. */
let down: Set<string>;
let stores: Store[];
let schedulers: RecheckScheduler[];
let logLines: string[];

const now = (): Date => new Date(clock);

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

let tokens: Array<{ identifier: string; key: string; tier: "website"; websiteIds: string[] }>;

beforeEach(async () => {
  clock = T0;
  rolled = new Set();
  down = new Set();
  stores = [];
  schedulers = [];
  logLines = [];
  tokens = [];
  dir = tempDir("crisp-guard-lifecycle-");
  github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  // Tokens are added per test; the fake Crisp reads the list at start, so answer from it here.
  crisp = await startFakeCrisp([], {
    respond(request) {
      if (request.fingerprint && down.has(request.fingerprint)) {
        return { status: 503, body: { error: true, reason: "service_unavailable", data: {} } };
      }
      if (request.fingerprint && rolled.has(request.fingerprint)) {
        return { status: 401, body: { error: true, reason: "invalid_session", data: {} } };
      }
      const t = tokens.find((x) => x.identifier === request.identifier);
      const website = /^\/v1\/website\/([^/]+)$/.exec(request.path)?.[1];
      if (t && request.tier === "website" && website && t.websiteIds.includes(website)) {
        return { status: 200, body: { error: false, reason: "resolved", data: { website_id: website, name: "Shop" } } };
      }
      return undefined;
    },
  });
  octokit = testGitHubClient({ baseUrl: github.apiUrl, token: github.token });
});

afterEach(async () => {
  vi.useRealTimers();
  for (const s of schedulers) await s.stop();
  for (const s of stores) await s.close();
  await github.close();
  await crisp.close();
});

function open(path = join(dir, "crisp-guard.db")): Store {
  const store = openSqliteStore(path, { now });
  stores.push(store);
  return store;
}

function scheduler(store: Store, extra: Partial<Parameters<typeof createRecheckScheduler>[0]> = {}): RecheckScheduler {
  const s = createRecheckScheduler({
    store,
    verifier: createVerifier({ baseUrl: new URL(crisp.url), cacheTtlMs: 0, unknownTtlMs: 0, retries: 0, now: () => clock }),
    octokitFor: async () => octokit,
    now,
    log: { info: (m) => logLines.push(m), warn: (m) => logLines.push(m) },
    ...extra,
  });
  schedulers.push(s);
  return s;
}

interface Leaked {
  raw: { identifier: string; key: string };
  fingerprint: string;
  commit: string;
  commentId: number;
  checkRunId: number;
  issueNumber: number;
}

/**
 * What the push handling does before the lifecycle takes over, with the real reporter and
 * github-issue rotator: commit the keypair, record it, verify it (live), open the issue, comment on
 * the commit, create the check run, and schedule the re-checks.
 */
async function leak(store: Store, s: RecheckScheduler, path = "src/crisp.js"): Promise<Leaked> {
  const raw = randomKeypair();
  const websiteId = randomWebsiteId();
  tokens.push({ ...raw, tier: "website", websiteIds: [websiteId] });
  const text =
    `import Crisp from "crisp-api";\nconst CRISP_WEBSITE_ID = "${websiteId}";\n` +
    `const client = new Crisp();\nclient.authenticateTier("website", "${raw.identifier}", "${raw.key}");\n`;
  const repo = github.repo("acme/web");
  const commit = repo.addCommit({ files: { [path]: text }, message: "add crisp" });
  const [candidate] = detect(text, { path }).candidates;
  if (!candidate) throw new Error("test setup: the detector found no keypair");
  const fingerprint = candidate.fingerprint;

  await store.upsertSecret({
    fingerprint,
    redactedIdentifier: candidate.keypair.redactedIdentifier,
    keyHint: candidate.keypair.keyHint,
    tier: candidate.tier,
    websiteId: candidate.websiteId,
  });
  await store.addOccurrence(fingerprint, { repository: "acme/web", commit, ...candidate.occurrence });
  const verifier = createVerifier({ baseUrl: new URL(crisp.url), now: () => clock });
  const verification = await verifier.verify({ keypair: candidate.keypair, tier: candidate.tier, websiteId: candidate.websiteId, websiteIds: [websiteId] });
  expect(verification.status).toBe("live");
  await store.recordVerification(fingerprint, verification);
  await advanceSecretState(store, fingerprint, { type: "verified", status: "live" });

  const finding: Finding = {
    fingerprint,
    keypair: candidate.keypair,
    tier: candidate.tier,
    websiteId: candidate.websiteId,
    verification,
    rotations: [],
    occurrences: [{ ...candidate.occurrence, commit }],
  };
  const rotator = githubIssueRotator({ repository: null, labels: [], assignees: [] }, { octokitFor: () => octokit });
  const outcome = await rotator.rotate(
    { ...finding, repository: { owner: "acme", repo: "web" }, pusher: "dana" },
    new AbortController().signal,
  );
  expect(outcome.status).toBe("requested");
  finding.rotations.push({ rotator: rotator.name, ...outcome });
  await store.recordRotation(fingerprint, { rotator: rotator.name, ...outcome });
  await advanceSecretState(store, fingerprint, { type: "rotation", status: outcome.status });

  const comments = await postCommitComments(octokit, { owner: "acme", repo: "web" }, [finding], new Map());
  const posted = comments.posted[0]!;
  await store.recordComment({ fingerprint, repository: "acme/web", commit, commentId: posted.commentId });
  const run = await createCheckRun(octokit, { owner: "acme", repo: "web" }, commit, checkRunOutput([finding]));
  await store.recordCheckRun({ repository: "acme/web", headSha: commit, checkRunId: run.checkRunId, fingerprints: [fingerprint] });

  expect(await s.scheduleAfterRotation(fingerprint, now())).toBe(true);
  const issueNumber = Number(/\/issues\/(\d+)$/.exec(outcome.url ?? "")?.[1]);
  return { raw, fingerprint, commit, commentId: posted.commentId, checkRunId: run.checkRunId, issueNumber };
}

const repo = () => github.repo("acme/web");
const crispRequestsFor = (fp: string) => crisp.requests.filter((r) => r.fingerprint === fp).length;
const issue = (n: number) => repo().issues.find((i) => i.number === n)!;
const comment = (id: number) => repo().commitComments.find((c) => c.id === id)!;
const checkRun = (id: number) => repo().checkRuns.find((c) => c.id === id)!;

/** Every byte of the store's files (database, WAL, shared memory). */
function storeBytes(): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f)).toString("latin1"))
    .join("\n");
}

function assertNoRaw(raw: { identifier: string; key: string }): void {
  for (const r of github.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), raw)).toBe(false);
  for (const line of logLines) expect(holdsRaw(line, raw)).toBe(false);
  expect(holdsRaw(storeBytes(), raw)).toBe(false);
}

describe("re-checks after rotation", () => {
  it("live → still live after 24 h (said once) → dead: comment, check run and issue updated, no more re-checks", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    const before = crispRequestsFor(l.fingerprint);
    expect((await store.getSecret(l.fingerprint))!.state).toBe("rotation_requested");

    // Not before the first due time (15 min: Crisp's ~10 min cache waited out).
    clock = T0 + 14 * MIN;
    expect(await s.runDue()).toBe(0);
    expect(crispRequestsFor(l.fingerprint)).toBe(before);

    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(1);
    expect(crispRequestsFor(l.fingerprint)).toBe(before + 1);
    expect((await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status, r.note])).toEqual([
      [1, "done", RECHECK_NOTES.live],
      [2, "pending", null],
    ]);
    expect((await store.rechecksOf(l.fingerprint))[1]!.dueAt.getTime()).toBe(T0 + HOUR);
    expect(issue(l.issueNumber).comments).toHaveLength(0);
    const firstBody = comment(l.commentId).body;

    // Down for a day (attempts 2-4 missed): one request, the alarm, and no catching up one by one.
    clock = T0 + DAY + 2 * MIN;
    expect(await s.runDue()).toBe(1);
    expect(await s.runDue()).toBe(0);
    expect(crispRequestsFor(l.fingerprint)).toBe(before + 2);
    const notes = (await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status, r.note?.split(":")[0] ?? null]);
    expect(notes).toEqual([
      [1, "done", RECHECK_NOTES.live],
      [2, "done", "still live after 24 h"],
      [5, "pending", null],
    ]);
    expect((await store.rechecksOf(l.fingerprint))[2]!.dueAt.getTime()).toBe(T0 + 2 * DAY);
    expect(issue(l.issueNumber).state).toBe("open");
    expect(issue(l.issueNumber).comments).toHaveLength(1);
    expect(issue(l.issueNumber).comments[0]!.body).toContain("Still live after 24 h");
    expect(comment(l.commentId).body).not.toBe(firstBody);
    expect(comment(l.commentId).body).toContain("Still live after 24 h");
    expect(checkRun(l.checkRunId).conclusion).toBe("failure");
    expect(checkRun(l.checkRunId).output.title).toContain("still live after rotation was requested");
    const annotationRequests = checkRun(l.checkRunId).annotationRequests;

    // Still live the next day: not said again.
    clock = T0 + 2 * DAY;
    expect(await s.runDue()).toBe(1);
    expect(issue(l.issueNumber).comments).toHaveLength(1);
    expect((await store.getSecret(l.fingerprint))!.state).toBe("rotation_requested");

    // The owner rolls the token; the next re-check gets 401.
    rolled.add(l.fingerprint);
    clock = T0 + 3 * DAY;
    expect(await s.runDue()).toBe(1);
    const secret = (await store.getSecret(l.fingerprint))!;
    expect(secret.state).toBe("dead");
    expect(secret.deadAt).toBe(new Date(T0 + 3 * DAY).toISOString());
    expect((await store.latestVerification(l.fingerprint))!.status).toBe("dead");
    expect((await store.rechecksOf(l.fingerprint)).filter((r) => r.status === "pending")).toHaveLength(0);
    expect((await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status])).toEqual([
      [1, "done"],
      [2, "done"],
      [5, "done"],
      [6, "done"],
    ]);
    expect((await store.rechecksOf(l.fingerprint)).find((r) => r.attempt === 6)!.note).toBe(RECHECK_NOTES.dead);

    const since = new Date(T0 + 3 * DAY).toISOString();
    expect(comment(l.commentId).body).toContain(`**Rotated**: the old key now answers 401 (dead) since ${since}`);
    expect(comment(l.commentId).body).toContain("now rotated");
    const run = checkRun(l.checkRunId);
    expect(run.conclusion).toBe("neutral");
    expect(run.output.title).toContain("1 rotated");
    expect(run.output.summary).toContain(`rotated, dead since ${since}`);
    expect(run.annotationRequests).toBe(annotationRequests); // no duplicated annotations
    const closed = issue(l.issueNumber);
    expect(closed.state).toBe("closed");
    expect(closed.state_reason).toBe("completed");
    expect(closed.comments.at(-1)!.body).toContain(`HTTP 401 since ${since}`);

    // Nothing more: the series is over, Crisp is not asked again.
    const after = crispRequestsFor(l.fingerprint);
    clock = T0 + 30 * DAY;
    expect(await s.runDue()).toBe(0);
    expect(crispRequestsFor(l.fingerprint)).toBe(after);
    // A later push of the same secret does not start a new series.
    expect(await s.scheduleAfterRotation(l.fingerprint, now())).toBe(false);

    assertNoRaw(l.raw);
  });

  it("goes by the stored rotation time, not one worked out from a due time off the schedule", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    // Attempt 1 put off to a day after rotation (written under another schedule, say): 15 min back
    // from its due time is not when rotation was requested, and would hold back the alarm.
    await store.scheduleRecheck(l.fingerprint, new Date(T0 + DAY), 1, new Date(T0));
    clock = T0 + DAY;
    expect(await s.runDue()).toBe(1);
    expect((await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status, r.note, r.dueAt.getTime(), r.rotatedAt.getTime()])).toEqual([
      [1, "done", RECHECK_NOTES.alarm, T0 + DAY, T0],
      [5, "pending", null, T0 + 2 * DAY, T0],
    ]);
    const rotatedAt = new Date(T0).toISOString();
    expect(issue(l.issueNumber).comments.at(-1)!.body).toContain(`**Still live after 24 h.** Rotation was requested at ${rotatedAt}`);
    expect(comment(l.commentId).body).toContain(`**Still live after 24 h**: rotation was requested at ${rotatedAt}`);
    expect(logLines).toContain(`crisp-guard re-check ${l.fingerprint.slice(0, 12)} (${(await store.getSecret(l.fingerprint))!.redactedIdentifier}:${(await store.getSecret(l.fingerprint))!.keyHint}): STILL LIVE ${rotatedAt} + 24 h`);
  });

  it("a secret's stored still-live news dates from the stored rotation time", async () => {
    const store = open();
    const raw = randomKeypair();
    const [candidate] = detect(`CRISP_IDENTIFIER=${raw.identifier}\nCRISP_KEY=${raw.key}\n`, { path: ".env" }).candidates;
    const fingerprint = candidate!.fingerprint;
    await store.upsertSecret({ fingerprint, redactedIdentifier: candidate!.keypair.redactedIdentifier, keyHint: candidate!.keypair.keyHint, tier: null, websiteId: null });
    // The alarm on attempt 2, due 5 h after rotation rather than the schedule's 1 h.
    await store.scheduleRecheck(fingerprint, new Date(T0 + 5 * HOUR), 2, new Date(T0));
    await store.completeRecheck(fingerprint, 2, RECHECK_NOTES.alarm);
    const checkedAt = new Date(T0 + 5 * HOUR).toISOString();
    await store.recordVerification(fingerprint, { status: "live", tier: "website", reason: "200", checkedAt });
    expect(await storedUpdate(store, fingerprint)).toEqual({ kind: "still-live", since: new Date(T0).toISOString(), checkedAt });
  });

  it("schedules one series per secret, however many pushes hand it over", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    // A second push of the same secret: rotation is not asked again and no second series starts.
    expect(await shouldRotateStored(store, l.fingerprint, "live", "live")).toBe(false);
    clock = T0 + 5 * MIN;
    expect(await s.scheduleAfterRotation(l.fingerprint, now())).toBe(false);
    expect(await s.scheduleAfterRotation(l.fingerprint, new Date(T0 + HOUR))).toBe(false);
    expect((await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.dueAt.getTime()])).toEqual([[1, T0 + 15 * MIN]]);

    // Unknown secrets are refused, not thrown at.
    expect(await s.scheduleAfterRotation("f".repeat(64), now())).toBe(false);
  });

  it("records that the re-check was impossible when the keypair can no longer be read, and stops", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    // The only recorded place is now a commit GitHub does not have (history rewritten and gc'd).
    const gone = "0123456789abcdef".repeat(2) + "01234567";
    await store.addOccurrence(l.fingerprint, { repository: "acme/web", commit: gone, path: "src/crisp.js", line: 4, column: 1, encoding: "plain" });
    // The real place answers 404 too: the repository's contents are gone.
    github.failNext({ method: "GET", path: /\/contents\//, status: 404, times: 10 });

    const before = crispRequestsFor(l.fingerprint);
    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(1);
    expect(crispRequestsFor(l.fingerprint)).toBe(before); // nothing to verify
    const rechecks = await store.rechecksOf(l.fingerprint);
    expect(rechecks[0]!.status).toBe("done");
    expect(rechecks[0]!.note).toMatch(/^re-check impossible: keypair no longer readable: acme\/web:src\/crisp\.js@0123456: GitHub answered HTTP 404/);
    expect(rechecks.filter((r) => r.status === "pending")).toHaveLength(0);
    expect((await store.getSecret(l.fingerprint))!.state).toBe("rotation_requested");
    expect(comment(l.commentId).body).toContain("**Re-check impossible**");
    expect(checkRun(l.checkRunId).output.summary).toContain("re-check impossible");
    expect(issue(l.issueNumber).state).toBe("open");
    expect(issue(l.issueNumber).comments.at(-1)!.body).toContain("Re-check impossible");
    assertNoRaw(l.raw);
  });

  it("falls back to an older recorded place when the newest no longer holds the keypair", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    const moved = repo().addCommit({ files: { "src/crisp.js": "// Crisp token moved to the vault\n" } });
    await store.addOccurrence(l.fingerprint, { repository: "acme/web", commit: moved, path: "src/crisp.js", line: 4, column: 1, encoding: "plain" });
    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(1);
    expect((await store.rechecksOf(l.fingerprint))[0]!.note).toBe(RECHECK_NOTES.live);
    expect(github.requestsTo("GET", "/repos/acme/web/contents/src/crisp.js").map((r) => r.query.ref)).toEqual([moved, l.commit]);
  });

  it("treats a file that no longer holds the keypair as unreadable", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    const later = repo().addCommit({ files: { "src/settings.js": "export const crisp = { tier: 'website' };\n" } });
    await store.addOccurrence(l.fingerprint, { repository: "acme/web", commit: later, path: "src/settings.js", line: 1, column: 1, encoding: "plain" });
    github.failNext({ method: "GET", path: "/repos/acme/web/contents/src/crisp.js", status: 404 });
    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(1);
    const [first] = await store.rechecksOf(l.fingerprint);
    expect(first!.note).toMatch(/^re-check impossible: .*src\/settings\.js.*: the file no longer holds this keypair \(and 1 more place\)$/);
    expect((await store.rechecksOf(l.fingerprint)).filter((r) => r.status === "pending")).toHaveLength(0);
  });

  it("skips to the next attempt when GitHub fails for now (5xx), saying nothing on GitHub", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    const body = comment(l.commentId).body;
    github.failNext({ method: "GET", path: /\/contents\//, status: 502 });
    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(1);
    expect((await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status, r.note?.slice(0, 15) ?? null])).toEqual([
      [1, "done", "re-check failed"],
      [2, "pending", null],
    ]);
    expect(comment(l.commentId).body).toBe(body);
    expect(issue(l.issueNumber).comments).toHaveLength(0);

    // The next attempt reads it fine.
    clock = T0 + HOUR;
    expect(await s.runDue()).toBe(1);
    expect((await store.rechecksOf(l.fingerprint))[1]!.note).toBe(RECHECK_NOTES.live);
  });

  it("an unknown answer (Crisp down) is noted and the series goes on, without alarm", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    down.add(l.fingerprint);
    clock = T0 + DAY;
    expect(await s.runDue()).toBe(1);
    const [first, next] = await store.rechecksOf(l.fingerprint);
    expect(first!.note).toMatch(/^unknown: /);
    expect(next).toMatchObject({ attempt: 5, status: "pending" });
    expect(issue(l.issueNumber).comments).toHaveLength(0);
    expect((await store.getSecret(l.fingerprint))!.state).toBe("rotation_requested");
  });

  it("a secret found dead elsewhere (a later push) ends its series without asking Crisp", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    await store.scheduleRecheck(l.fingerprint, new Date(T0 + DAY), 4, new Date(T0)); // a stray later attempt
    await advanceSecretState(store, l.fingerprint, { type: "verified", status: "dead" });
    const before = crispRequestsFor(l.fingerprint);
    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(1);
    expect(crispRequestsFor(l.fingerprint)).toBe(before);
    expect((await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status, r.note])).toEqual([
      [1, "done", RECHECK_NOTES.alreadyDead],
      [4, "cancelled", null],
    ]);
  });

  it("runs only the latest of several due attempts of one secret", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    await store.scheduleRecheck(l.fingerprint, new Date(T0 + HOUR), 2, new Date(T0));
    const before = crispRequestsFor(l.fingerprint);
    clock = T0 + 2 * HOUR;
    expect(await s.runDue()).toBe(1);
    expect(crispRequestsFor(l.fingerprint)).toBe(before + 1);
    expect((await store.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status, r.note])).toEqual([
      [1, "done", "superseded by attempt 2"],
      [2, "done", RECHECK_NOTES.live],
      [3, "pending", null],
    ]);
  });

  it("a check run listing two secrets stays a failure while the other is live, and shows both redacted", async () => {
    const store = open();
    const s = scheduler(store);
    const a = await leak(store, s, "src/a.js");
    const b = await leak(store, s, "src/b.js");
    // One run for a push that held both.
    const both = await createCheckRun(octokit, { owner: "acme", repo: "web" }, b.commit, {
      conclusion: "failure",
      title: "2 live",
      summary: "2 live",
      annotations: [],
    });
    await store.recordCheckRun({ repository: "acme/web", headSha: b.commit, checkRunId: both.checkRunId, fingerprints: [a.fingerprint, b.fingerprint] });
    rolled.add(a.fingerprint);
    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(2);
    const run = checkRun(both.checkRunId);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("2 Crisp token keypairs committed: 1 live, 1 rotated");
    for (const x of [a, b]) {
      const secret = (await store.getSecret(x.fingerprint))!;
      expect(run.output.summary).toContain(`\`${secret.redactedIdentifier}\` | \`${secret.keyHint}\``);
      assertNoRaw(x.raw);
    }
    expect(run.output.summary).toContain("rotated, dead since");
  });

  it("finds the issue from the rotator's outcome when the store has none recorded", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    expect(await store.issueOf(l.fingerprint)).toBeUndefined();
    rolled.add(l.fingerprint);
    clock = T0 + 15 * MIN;
    await s.runDue();
    expect(issue(l.issueNumber).state).toBe("closed");
    expect(await store.issueOf(l.fingerprint)).toMatchObject({ repository: "acme/web", number: l.issueNumber });
  });

  it("keeps going when one GitHub update fails (a deleted comment)", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    await octokit.rest.repos.deleteCommitComment({ owner: "acme", repo: "web", comment_id: l.commentId });
    rolled.add(l.fingerprint);
    clock = T0 + 15 * MIN;
    expect(await s.runDue()).toBe(1);
    expect((await store.getSecret(l.fingerprint))!.state).toBe("dead");
    expect(checkRun(l.checkRunId).conclusion).toBe("neutral");
    expect(issue(l.issueNumber).state).toBe("closed");
    expect(logLines.some((m) => m.includes(`could not update comment ${l.commentId}`))).toBe(true);
  });
});

describe("polling and restarts", () => {
  it("start() runs what is due at once, then polls on its interval until stop()", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const store = open();
    const s = scheduler(store, { pollIntervalMs: 60_000 });
    const l = await leak(store, s);
    const before = crispRequestsFor(l.fingerprint);

    clock = T0 + 15 * MIN;
    s.start();
    await vi.waitFor(async () => expect((await store.rechecksOf(l.fingerprint))[0]!.status).toBe("done"));
    expect(crispRequestsFor(l.fingerprint)).toBe(before + 1);

    // Attempt 2 falls due; nothing runs until the poll timer fires.
    clock = T0 + HOUR;
    await Promise.resolve();
    expect((await store.rechecksOf(l.fingerprint))[1]!.status).toBe("pending");
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(async () => expect((await store.rechecksOf(l.fingerprint))[1]!.status).toBe("done"));
    expect(crispRequestsFor(l.fingerprint)).toBe(before + 2);

    await s.stop();
    clock = T0 + 6 * HOUR;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect((await store.rechecksOf(l.fingerprint))[2]!.status).toBe("pending");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("re-checks survive a restart: a new scheduler on the reopened file runs the due one", async () => {
    const path = join(dir, "crisp-guard.db");
    const first = open(path);
    const s1 = scheduler(first);
    const l = await leak(first, s1);
    await s1.stop();
    await first.close();

    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    rolled.add(l.fingerprint);
    clock = T0 + 2 * HOUR; // down past attempts 1 and 2
    const second = open(path);
    const s2 = scheduler(second);
    s2.start();
    await vi.waitFor(async () => expect((await second.getSecret(l.fingerprint))!.state).toBe("dead"));
    await s2.stop();
    // Attempts 1 and 2 were both missed: one check stands for them, and it found the key dead.
    expect((await second.rechecksOf(l.fingerprint)).map((r) => [r.attempt, r.status, r.note])).toEqual([[1, "done", RECHECK_NOTES.dead]]);
    expect(issue(l.issueNumber).state).toBe("closed");
    expect(comment(l.commentId).body).toContain("**Rotated**");
    await second.close();
    assertNoRaw(l.raw);
  });

  it("shares one run between overlapping runDue calls", async () => {
    const store = open();
    const s = scheduler(store);
    const l = await leak(store, s);
    const before = crispRequestsFor(l.fingerprint);
    clock = T0 + 15 * MIN;
    const [a, b] = await Promise.all([s.runDue(), s.runDue()]);
    expect(a).toBe(1);
    expect(b).toBe(1);
    expect(crispRequestsFor(l.fingerprint)).toBe(before + 1);
  });
});
