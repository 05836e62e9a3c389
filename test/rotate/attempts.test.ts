// Rotation attempts: recorded before a rotator runs, so a crash mid-rotation resumes the same attempt.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { testGitHubClient } from "../helpers/github-client.js";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RotationOutcome, RotationRecord } from "../../src/detect/types.js";
import { runRotatorsOnce } from "../../src/rotate/attempts.js";
import { attemptMarker, githubIssueRotator, leakIssueMarker } from "../../src/rotate/github-issue.js";
import type { Leak, Rotator } from "../../src/rotate/types.js";
import { DELIVERY_HEADER, webhookRotator } from "../../src/rotate/webhook.js";
import { openSqliteStore, type Store } from "../../src/store/index.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { forEachStore } from "../helpers/stores.js";
import { makeLeak } from "./leak.js";


let store: Store;
beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  store = openSqliteStore(":memory:");
});
afterEach(async () => await store.close());

/** The secret's row, which a recorded rotation refers to (the worker writes it before recording). */
async function known(leak: Leak): Promise<Leak> {
  await store.upsertSecret({
    fingerprint: leak.fingerprint,
    redactedIdentifier: leak.keypair.redactedIdentifier,
    keyHint: leak.keypair.keyHint,
    tier: leak.tier,
    websiteId: leak.websiteId,
  });
  return leak;
}

/** A rotator that records the leak it was handed and answers `outcome`. */
function recording(name: string, outcome: RotationOutcome = { status: "requested", detail: "ok" }) {
  const seen: Leak[] = [];
  const rotator: Rotator = {
    name,
    async rotate(leak) {
      seen.push(leak);
      return outcome;
    },
  };
  return { rotator, seen };
}

// The attempts' store calls on each backend: SQLite, and Postgres where several processes share them.
forEachStore((backend) => {
  beforeEach(async () => {
    await store.close();
    store = await (await backend.fresh()).open();
  });

  describe("runRotatorsOnce", () => {
    it("records the intent before the rotator runs, and its answer after", async () => {
      const leak = await known(makeLeak().leak);
      let during: Awaited<ReturnType<Store["rotationAttempt"]>>;
      const rotator: Rotator = {
        name: "webhook",
        async rotate() {
          during = await store.rotationAttempt(leak.fingerprint, "webhook");
          return { status: "requested", detail: "accepted" };
        },
      };
      const records = await runRotatorsOnce(store, [rotator], leak, { newId: () => "id-1" });
      expect(records).toEqual([{ rotator: "webhook", status: "requested", detail: "accepted" }]);
      expect(during).toMatchObject({ id: "id-1", status: "in_flight", outcome: null });
      expect(await store.rotationAttempt(leak.fingerprint, "webhook")).toMatchObject({
        id: "id-1",
        status: "done",
        outcome: { status: "requested", detail: "accepted" },
      });
      await store.recordRotation(leak.fingerprint, records[0]!);
      expect((await store.rotationAttempt(leak.fingerprint, "webhook"))?.status).toBe("recorded");
    });

    it("an attempt left in flight (the process died) runs again with the same id, marked resumed", async () => {
      const { leak } = makeLeak();
      await store.startRotationAttempt(leak.fingerprint, "webhook", "id-before-crash");
      const { rotator, seen } = recording("webhook");
      await runRotatorsOnce(store, [rotator], leak, { newId: () => "id-new" });
      expect(seen.map((l) => l.attempt)).toEqual([{ id: "id-before-crash", resumed: true }]);
    });

    it("an answer the store holds but has not recorded is reused: the rotator is not called again", async () => {
      const { leak } = makeLeak();
      await store.startRotationAttempt(leak.fingerprint, "github-issue", "id-1");
      await store.finishRotationAttempt(leak.fingerprint, "github-issue", "id-1", { status: "requested", detail: "opened issue acme/widgets#7", url: "https://github.com/acme/widgets/issues/7" });
      const { rotator, seen } = recording("github-issue");
      const records = await runRotatorsOnce(store, [rotator], leak);
      expect(seen).toEqual([]);
      expect(records).toEqual([{ rotator: "github-issue", status: "requested", detail: "opened issue acme/widgets#7", url: "https://github.com/acme/widgets/issues/7" }]);
    });

    it("keeps the id across failed attempts (like a redelivery) and starts a new one after a success", async () => {
      const leak = await known(makeLeak().leak);
      let n = 0;
      const newId = () => `id-${++n}`;
      const failing = recording("webhook", { status: "failed", detail: "HTTP 503" });
      await store.recordRotation(leak.fingerprint, (await runRotatorsOnce(store, [failing.rotator], leak, { newId }))[0]!);
      const ok = recording("webhook");
      await store.recordRotation(leak.fingerprint, (await runRotatorsOnce(store, [ok.rotator], leak, { newId }))[0]!);
      const later = recording("webhook");
      await runRotatorsOnce(store, [later.rotator], leak, { newId });
      expect(failing.seen[0]!.attempt).toEqual({ id: "id-1", resumed: false });
      expect(ok.seen[0]!.attempt).toEqual({ id: "id-1", resumed: true });
      expect(later.seen[0]!.attempt).toEqual({ id: "id-2", resumed: false });
    });

    it("two jobs of one process meeting the same secret share one call per rotator", async () => {
      const { leak } = makeLeak();
      let calls = 0;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow: Rotator = {
        name: "webhook",
        async rotate() {
          calls += 1;
          await gate;
          return { status: "requested", detail: "ok" };
        },
      };
      const a = runRotatorsOnce(store, [slow], leak);
      const b = runRotatorsOnce(store, [slow], leak);
      release();
      const [ra, rb] = await Promise.all([a, b]);
      expect(calls).toBe(1);
      expect(rb).toEqual(ra);
    });

    it("keeps each rotator's own attempt and the given order", async () => {
      const { leak } = makeLeak();
      let n = 0;
      const one = recording("webhook");
      const two = recording("github-issue");
      const records: RotationRecord[] = await runRotatorsOnce(store, [one.rotator, two.rotator], leak, { newId: () => `id-${++n}` });
      expect(records.map((r) => r.rotator)).toEqual(["webhook", "github-issue"]);
      expect(new Set([one.seen[0]!.attempt!.id, two.seen[0]!.attempt!.id]).size).toBe(2);
    });
  });
});

describe("the webhook rotator's delivery id", () => {
  let server: Server;
  let url: string;
  const received: IncomingHttpHeaders[] = [];
  const bodies: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.headers);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        bodies.push(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200, { connection: "close" }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("is the attempt's id, on every run of it", async () => {
    const { leak } = makeLeak();
    const rotator = webhookRotator({ url, secret: "s", includeKeypair: false, timeoutMs: 5000, retries: 0 });
    const signal = new AbortController().signal;
    await rotator.rotate({ ...leak, attempt: { id: "attempt-7", resumed: false } }, signal);
    await rotator.rotate({ ...leak, attempt: { id: "attempt-7", resumed: true } }, signal);
    expect(received.slice(-2).map((h) => h[DELIVERY_HEADER.toLowerCase()])).toEqual(["attempt-7", "attempt-7"]);
    // In the body too, for command rotators' receivers and for whoever logs bodies, not headers.
    expect(bodies.slice(-2).map((b) => (JSON.parse(b) as { attempt: unknown }).attempt)).toEqual([
      { id: "attempt-7", resumed: false },
      { id: "attempt-7", resumed: true },
    ]);
  });
});

describe("the github-issue rotator, resumed", () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "widgets" }] });
  });
  afterEach(() => github.close());
  const rotator = () =>
    githubIssueRotator(
      { repository: null, labels: [], assignees: [] },
      { octokitFor: () => testGitHubClient({ baseUrl: github.apiUrl, token: github.token }) },
    );
  const signal = () => new AbortController().signal;

  it("adopts the issue its own attempt opened before the crash: no \"found again\" comment", async () => {
    const { leak, raw } = makeLeak();
    const attempt = { id: "attempt-1", resumed: false };
    const first = await rotator().rotate({ ...leak, attempt }, signal());
    const again = await rotator().rotate({ ...leak, attempt: { ...attempt, resumed: true } }, signal());
    const repo = github.repo("acme/widgets");
    expect(repo.issues).toHaveLength(1);
    expect(repo.issues[0]!.body).toContain(leakIssueMarker(leak.fingerprint));
    expect(repo.issues[0]!.body).toContain(attemptMarker("attempt-1"));
    expect(repo.issues[0]!.comments).toEqual([]);
    expect(again).toEqual(first);
    expect(holdsRaw(JSON.stringify(github.requests.map((r) => r.body)), raw)).toBe(false);
  });

  it("a new sighting still comments on an older issue, once even if resumed after that comment", async () => {
    const { leak } = makeLeak();
    await rotator().rotate({ ...leak, attempt: { id: "attempt-1", resumed: false } }, signal());
    const later = { ...leak, attempt: { id: "attempt-2", resumed: false } };
    await rotator().rotate(later, signal());
    await rotator().rotate({ ...later, attempt: { id: "attempt-2", resumed: true } }, signal());
    const [issue] = github.repo("acme/widgets").issues;
    expect(issue!.comments).toHaveLength(1);
    expect(issue!.comments[0]!.body).toContain(attemptMarker("attempt-2"));
    expect(issue!.comments[0]!.body).toMatch(/found again/);
  });
});
