// The app through probot.receive: GitHub and Crisp on nock, push payload fixtures, the exact calls.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/types.js";
import { parseServerConfig } from "../../src/rotate/server-config.js";
import { recheckLifecycle } from "../../src/app/lifecycle.js";
import { pickPushPayload } from "../../src/store/push-payload.js";
import { holdsRaw, randomKeypair, rawFormsIn } from "../helpers/keypairs.js";
import { forEachStore } from "../helpers/stores.js";
import { startFakeGitHost } from "../helpers/fake-git-http.js";
import { BASE, INSTALLATION, NockGitHub, crispAccepts, envPatch, fixture, freshApp, nockVerifier, startApp, stopApp, type Harness } from "./harness.js";

let store: Store;
let gh: NockGitHub;
let harness: Harness | null;

beforeEach(() => {
  ({ store, gh } = freshApp("crisp-guard-app-"));
  harness = null;
});
afterEach(() => stopApp(harness, store));

function fastForward() {
  const payload = fixture("push.fast-forward.json");
  const [c1, c2] = (payload.commits as Array<{ id: string }>).map((c) => c.id) as [string, string];
  return { payload, before: payload.before as string, after: payload.after as string, c1, c2 };
}

function logLines(h: Harness): Array<Record<string, unknown>> {
  return h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("a push with a live keypair", () => {
  it("scans, verifies, comments at the line and fails the check run, with exactly these calls", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1, c2 } = fastForward();
    gh.noConfig().compare(before, after, [c1, c2]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    gh.commit(c2, [{ filename: "README.md", status: "modified", patch: "@@ -1 +1,2 @@\n # Shop\n+Uses Crisp chat." }]);
    const crisp = crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("delivery-1", payload);
    await harness.guard.idle();

    expect(gh.calls()).toEqual([
      `GET ${BASE}/contents/.github/crisp-guard.yml`,
      `GET /repos/octo-org/.github/contents/.github/crisp-guard.yml`,
      `GET ${BASE}/compare/${before}...${after}?per_page=100&page=1`,
      `GET ${BASE}/commits/${c1}?per_page=100&page=1`,
      `GET ${BASE}/commits/${c2}?per_page=100&page=1`,
      `POST ${BASE}/commits/${c1}/comments`,
      `POST ${BASE}/check-runs`,
    ]);
    expect(gh.requests[0]!.path).toBe(`/app/installations/${INSTALLATION}/access_tokens`);
    expect(crisp).toEqual(["plugin /v1/plugin/connect/account"]);

    const [comment] = gh.bodiesTo("POST", /\/comments$/);
    expect(comment).toMatchObject({ path: ".env", position: 3 });
    const body = String(comment!.body);
    expect(body).toContain(`${kp.identifier.slice(0, 8)}…`);
    expect(body).toContain(`…${kp.key.slice(-4)}`);
    expect(body).toMatch(/\*\*Live\*\*: Crisp accepted this keypair on the plugin tier/);
    expect(body).toContain("Marketplace dashboard > your plugin > Tokens");
    expect(body).toContain("does **not** make it safe");
    expect(body).toContain("noop");
    expect(holdsRaw(body, kp)).toBe(false);

    const [check] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(check).toMatchObject({
      name: "Crisp Guard",
      head_sha: after,
      status: "completed",
      conclusion: "failure",
      external_id: "delivery-1",
    });
    const output = check!.output as { title: string; annotations: Array<Record<string, unknown>> };
    expect(output.title).toBe("1 Crisp token keypair committed: 1 live");
    expect(output.annotations).toEqual([
      expect.objectContaining({ path: ".env", start_line: 3, end_line: 3, annotation_level: "failure" }),
    ]);

    // The store: the secret by fingerprint, its place, its verification, the comment and check run ids.
    const job = await store.getJob("delivery-1");
    expect(job).toMatchObject({ status: "done", attempts: 1 });
    expect(await store.isPushProcessed("octo-org/shop", after)).toBe(true);
    const fp = (await store.secretsInState("live"))[0]!.fingerprint;
    expect(await store.occurrencesOf(fp)).toEqual([expect.objectContaining({ repository: "octo-org/shop", commit: c1, path: ".env", line: 3 })]);
    expect(await store.latestVerification(fp)).toMatchObject({ status: "live", tier: "plugin" });
    expect(await store.commentsOf(fp)).toEqual([expect.objectContaining({ commit: c1, commentId: 1000 })]);
    expect(await store.checkRunsOf(fp)).toEqual([expect.objectContaining({ headSha: after, checkRunId: 1001 })]);
    expect(await store.rotationsOf(fp)).toEqual([expect.objectContaining({ rotator: "noop", status: "skipped" })]);

    // One structured line per push, with counts and timing.
    const line = logLines(harness).find((l) => l.msg === "push scanned");
    expect(line).toMatchObject({ repository: "octo-org/shop", commits: 2, files: 2, findings: 1, live: 1, comments: 1 });
    expect(typeof line!.ms).toBe("number");
  });

  // The same flow on each store backend: SQLite's files, or a pg_dump of the Postgres database.
  forEachStore((backend) => {
    it("never lets the raw key out: the database, log lines and every GitHub request body", async () => {
      const kp = randomKeypair();
      const { payload, before, after, c1 } = fastForward();
      gh.noConfig().compare(before, after, [c1]).acceptWrites();
      gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
      crispAccepts(kp.identifier);

      // A rotator that answers "requested": a rotation, its attempt and a re-check get stored too.
      const rotator = new URL("../fixtures/rotators/object-rotator.mjs", import.meta.url).pathname;
      const serverConfig = parseServerConfig(
        `rotators:\n  module: { path: ${JSON.stringify(rotator)} }\ndefaults: { rotate: { when: live, rotators: [module] } }\n`,
        {},
      );
      const place = await backend.fresh();
      const s = await place.open();
      harness = await startApp({ store: s, verifier: nockVerifier(), serverConfig });
      await harness.receive("delivery-raw", payload);
      await harness.guard.idle();
      await harness.guard.stop();

      expect(gh.calls()).toContain(`POST ${BASE}/check-runs`);
      // The flow stored what it found, verified and rotated, so the dump has something to hide.
      const [secret] = await s.secretsInState("rotation_requested");
      expect(secret).toBeDefined();
      expect((await s.latestVerification(secret!.fingerprint))?.status).toBe("live");
      expect((await s.rotationsOf(secret!.fingerprint)).map((r) => r.status)).toEqual(["requested"]);
      expect((await s.rotationAttempt(secret!.fingerprint, "module"))?.status).toBe("recorded");
      expect(await s.occurrencesOf(secret!.fingerprint)).toHaveLength(1);
      await s.close();

      const dump = await place.dump();
      expect(dump).toContain(secret!.fingerprint);
      expect(rawFormsIn(dump, kp)).toEqual([]);
      expect(harness.logs.length).toBeGreaterThan(0);
      expect(holdsRaw(harness.logs.join("\n"), kp)).toBe(false);
      for (const r of gh.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), kp), r.path).toBe(false);
    });
  });
});

describe("idempotency", () => {
  it("a redelivery (same delivery id) and a second delivery of the same push do nothing", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    gh.noConfig().compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("delivery-a", payload);
    await harness.guard.idle();
    const first = gh.requests.length;

    await harness.receive("delivery-a", payload);
    await harness.receive("delivery-b", payload);
    await harness.guard.idle();

    expect(gh.requests.length).toBe(first);
    expect(gh.bodiesTo("POST", /\/comments$/)).toHaveLength(1);
    expect(await store.getJob("delivery-b")).toBeUndefined();
    const msgs = logLines(harness).map((l) => l.msg);
    expect(msgs).toContain("delivery already received: ignored");
    expect(msgs).toContain("push already processed: ignored");
  });

  it("two deliveries of the same push while the first is still queued: scanned once", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    gh.noConfig().compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("delivery-x", payload);
    await harness.receive("delivery-y", payload);
    await harness.guard.idle();
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toHaveLength(1);
    expect(gh.calls().filter((c) => c.includes("/compare/"))).toHaveLength(1);
  });

  it("the same secret pushed again in a later commit: a comment on the new commit, no second rotation", async () => {
    const kp = randomKeypair();
    const rotator = new URL("../fixtures/rotators/object-rotator.mjs", import.meta.url).pathname;
    const serverConfig = parseServerConfig(
      `rotators:\n  module: { path: ${JSON.stringify(rotator)} }\ndefaults: { rotate: { when: live, rotators: [module] } }\n`,
      {},
    );
    const scheduled: string[] = [];
    const { payload, before, after, c1 } = fastForward();
    const c3 = "c".repeat(40);
    gh.noConfig().compare(before, after, [c1]).compare(after, c3, [c3]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    gh.commit(c3, [{ filename: "config/.env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);

    harness = await startApp({
      store,
      verifier: nockVerifier(),
      serverConfig,
      lifecycle: () => ({ schedule: (fp) => void scheduled.push(fp), start() {}, stop() {} }),
    });
    await harness.receive("d-1", payload);
    await harness.guard.idle();
    await harness.receive("d-2", { ...payload, before: after, after: c3, commits: [{ id: c3 }] });
    await harness.guard.idle();

    const fp = (await store.secretsInState("rotation_requested"))[0]?.fingerprint;
    expect(fp).toBeDefined();
    expect(await store.rotationsOf(fp!)).toEqual([
      expect.objectContaining({ rotator: "module", status: "requested", detail: expect.stringContaining("desk ticket") }),
    ]);
    expect(scheduled).toEqual([fp]);
    const comments = gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/comments")).map((r) => r.path);
    expect(comments).toEqual([`${BASE}/commits/${c1}/comments`, `${BASE}/commits/${c3}/comments`]);
    // The second comment still says what rotation was triggered (the first time).
    expect(String(gh.bodiesTo("POST", /\/comments$/)[1]!.body)).toContain("desk ticket");
  });
});

describe("rotation lifecycle", () => {
  it("a rotation requested by a push starts the re-check series in the store (first one 15 min later)", async () => {
    const kp = randomKeypair();
    const rotator = new URL("../fixtures/rotators/object-rotator.mjs", import.meta.url).pathname;
    const serverConfig = parseServerConfig(
      `rotators:\n  module: { path: ${JSON.stringify(rotator)} }\ndefaults: { rotate: { when: live, rotators: [module] } }\n`,
      {},
    );
    const now = new Date("2025-01-10T10:00:00Z");
    const { payload, before, after, c1 } = fastForward();
    gh.noConfig().compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);
    harness = await startApp({
      store,
      verifier: nockVerifier(),
      serverConfig,
      // No timer in the test: the series is checked in the store, not run.
      lifecycle: recheckLifecycle({ verifier: nockVerifier(), now: () => now, setTimeout: () => 0, clearTimeout: () => {} }),
    });
    await harness.receive("rotate-me", payload);
    await harness.guard.idle();
    const fp = (await store.secretsInState("rotation_requested"))[0]!.fingerprint;
    expect(await store.rechecksOf(fp)).toEqual([
      expect.objectContaining({ attempt: 1, status: "pending", dueAt: new Date(now.getTime() + 15 * 60_000) }),
    ]);
  });
});

describe("resume after a crash", () => {
  it("a job left queued in the store is processed when the app starts", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    await store.recordDelivery({ id: "left-over", event: "push", repository: "octo-org/shop", installationId: INSTALLATION, after, payload });
    await store.enqueueJob("left-over");
    gh.noConfig().compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.guard.idle();

    expect(await store.getJob("left-over")).toMatchObject({ status: "done", attempts: 1 });
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toHaveLength(1);
    expect(logLines(harness).map((l) => l.msg)).toContain("resuming unfinished jobs");
  });

  it("a job that was running looks up its comments first and does not post one twice", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    await store.recordDelivery({ id: "crashed", event: "push", repository: "octo-org/shop", installationId: INSTALLATION, after, payload });
    await store.enqueueJob("crashed");
    await store.startJob("crashed"); // the process died here, after posting the comment
    gh.noConfig().compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);
    const { Keypair } = await import("../../src/detect/fingerprint.js");
    const fp = new Keypair(kp.identifier, kp.key).fingerprint;
    gh.on("GET", new RegExp(`^${BASE}/commits/${c1}/comments`), () => [
      200,
      [{ id: 77, html_url: "https://github.com/x#77", body: `earlier\n<!-- crisp-guard:fingerprint=${fp} -->`, path: ".env", position: 3 }],
    ]);
    // ...and for the check run an earlier attempt may have created (none here: it died before).
    gh.on("GET", new RegExp(`^${BASE}/commits/${after}/check-runs`), () => [200, { total_count: 0, check_runs: [] }]);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.guard.idle();

    expect(await store.getJob("crashed")).toMatchObject({ status: "done", attempts: 2 });
    expect(gh.calls()).toContain(`GET ${BASE}/commits/${c1}/comments?per_page=100`);
    expect(gh.bodiesTo("POST", /\/comments$/)).toHaveLength(0);
    expect(gh.calls().some((c) => c.startsWith(`GET ${BASE}/commits/${after}/check-runs?`))).toBe(true);
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toEqual([expect.objectContaining({ external_id: "crashed" })]);
    expect(await store.commentsOf(fp)).toEqual([expect.objectContaining({ commit: c1, commentId: 77 })]);
  });
});

describe("repository config", () => {
  it("a bad config: a check run explains it, and the scan goes on with the defaults", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    gh.config("verify: maybe\n").compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    const crisp = crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("bad-config", payload);
    await harness.guard.idle();

    expect(crisp).toHaveLength(1); // verify: defaults to true
    const [check] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(check).toMatchObject({ conclusion: "failure" });
    const summary = String((check!.output as { summary: string }).summary);
    expect(summary).toContain("Invalid `.github/crisp-guard.yml`");
    expect(summary).toContain("verify must be true or false");
    expect(summary).toContain("ran with the default settings");
    expect(gh.bodiesTo("POST", /\/comments$/)).toHaveLength(1);
  });

  it("paths-ignore, verify off and comments off are honoured", async () => {
    const kp = randomKeypair();
    const other = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    gh.config("verify: false\nreport: { commitComment: false }\npaths-ignore: [\"test/**\"]\n").compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [
      { filename: ".env", patch: envPatch(kp) },
      { filename: "test/fixtures/.env", patch: envPatch(other) },
    ]);
    const crisp = crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("configured", payload);
    await harness.guard.idle();

    expect(crisp).toEqual([]);
    expect(gh.bodiesTo("POST", /\/comments$/)).toHaveLength(0);
    const [check] = gh.bodiesTo("POST", /\/check-runs$/);
    expect(check).toMatchObject({ conclusion: "neutral" });
    const annotations = (check!.output as { annotations: Array<{ path: string }> }).annotations;
    expect(annotations.map((a) => a.path)).toEqual([".env"]);
  });

  it("a rotator the server does not enable: explained, and the server's default rotators are used", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    gh.config("rotate: { rotators: [webhook] }\n").compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);

    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("rotator", payload);
    await harness.guard.idle();
    const summary = String((gh.bodiesTo("POST", /\/check-runs$/)[0]!.output as { summary: string }).summary);
    expect(summary).toContain('rotator "webhook" is not enabled in the server config');
    const fp = (await store.secretsInState("live"))[0]!.fingerprint;
    expect(await store.rotationsOf(fp)).toEqual([expect.objectContaining({ rotator: "noop" })]);
  });
});

describe("the github-issue rotator with a security repository", () => {
  it("opens the issue there with that repository's installation token, not the pushing one's", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    gh.noConfig().compare(before, after, [c1]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    gh.on("GET", /^\/repos\/sec-org\/security\/installation$/, () => [200, { id: 777 }]);
    gh.on("GET", /^\/repos\/sec-org\/security\/issues\?/, () => [200, []]);
    gh.on("POST", /^\/repos\/sec-org\/security\/issues$/, () => [201, { number: 5, html_url: "https://github.com/sec-org/security/issues/5" }]);
    crispAccepts(kp.identifier);
    const serverConfig = parseServerConfig(
      "rotators:\n  github-issue: { repository: sec-org/security }\ndefaults: { rotate: { when: live, rotators: [github-issue] } }\n",
      {},
    );

    harness = await startApp({ store, verifier: nockVerifier(), serverConfig });
    await harness.receive("security-repo", payload);
    await harness.guard.idle();

    const tokenRequests = gh.requests.filter((r) => r.path.endsWith("/access_tokens")).map((r) => r.path);
    expect(tokenRequests).toContain("/app/installations/777/access_tokens");
    const issueCreate = gh.requests.find((r) => r.method === "POST" && r.path === "/repos/sec-org/security/issues");
    expect(issueCreate).toBeDefined();
    const fp = (await store.secretsInState("rotation_requested"))[0]?.fingerprint;
    expect(fp).toBeDefined();
    expect(await store.rotationsOf(fp!)).toEqual([expect.objectContaining({ rotator: "github-issue", status: "requested" })]);
  });
});

describe("push shapes", () => {
  it("a deleted ref: nothing recorded, no request", async () => {
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("deleted", fixture("push.deleted.json"));
    await harness.guard.idle();
    expect(gh.requests).toEqual([]);
    expect(await store.getDelivery("deleted")).toBeUndefined();
  });

  it("a created branch: compares the default branch with the new head; no keypair gives a success check", async () => {
    const payload = fixture("push.created-branch.json");
    const after = payload.after as string;
    gh.noConfig().compare("main", after, [after]).acceptWrites();
    gh.commit(after, [{ filename: "src/chat.ts", patch: "@@ -0,0 +1 @@\n+export const chat = true;" }]);
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("created", payload);
    await harness.guard.idle();
    expect(gh.calls()).toContain(`GET ${BASE}/compare/main...${after}?per_page=100&page=1`);
    expect(gh.bodiesTo("POST", /\/check-runs$/)[0]).toMatchObject({ conclusion: "success", head_sha: after });
  });

  it("a 300-commit push its range cannot be fetched for: compare paged past 250, every commit read, the leak in commit 275 commented", async () => {
    const kp = randomKeypair();
    // Past 250 commits a push is scanned from git (see big-push.test.ts); a git host that refuses
    // the token sends it back to the REST API, as here.
    const host = await startFakeGitHost("ghs_not_the_installation_token");
    const payload = fixture("push.300-commits.json");
    const shas = (payload.commits as Array<{ id: string }>).map((c) => c.id);
    gh.noConfig().compare(payload.before as string, payload.after as string, shas).acceptWrites();
    shas.forEach((sha, i) => gh.commit(sha, i === 274 ? [{ filename: "steps/.env", patch: envPatch(kp) }] : []));
    crispAccepts(kp.identifier);
    harness = await startApp({ store, verifier: nockVerifier(), gitUrl: host.url });
    await harness.receive("big", payload);
    await harness.guard.idle();
    await host.close();
    expect(gh.calls().filter((c) => c.includes("/compare/"))).toHaveLength(3);
    expect(gh.calls().filter((c) => /\/commits\/[0-9a-f]{40}\?/.test(c))).toHaveLength(300);
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/comments")).map((r) => r.path)).toEqual([
      `${BASE}/commits/${shas[274]}/comments`,
    ]);
    expect(logLines(harness).find((l) => l.msg === "push scanned")).toMatchObject({ route: "rest", commits: 300, findings: 1, live: 1 });
  });

  it("a tag push: compares the default branch with the tagged commit, check run on it", async () => {
    const kp = randomKeypair();
    const payload = fixture("push.tag.json");
    const tagged = payload.after as string;
    gh.noConfig().compare("main", tagged, [tagged]).acceptWrites();
    gh.commit(tagged, [{ filename: "release/.env", patch: envPatch(kp) }]);
    crispAccepts(kp.identifier);
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("tag", payload);
    await harness.guard.idle();
    expect(gh.bodiesTo("POST", /\/check-runs$/)[0]).toMatchObject({ head_sha: tagged, conclusion: "failure" });
    expect(gh.bodiesTo("POST", /\/comments$/)[0]).toMatchObject({ path: "release/.env", position: 3 });
  });

  it("an invalid payload is ignored without recording anything", async () => {
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("junk", { ref: "refs/heads/main", after: "nope", repository: {} });
    await harness.guard.idle();
    expect(await store.getDelivery("junk")).toBeUndefined();
    expect(gh.requests).toEqual([]);
  });

  it("a job stored with a repository named '..' (before names were checked) fails on resume, asking GitHub nothing", async () => {
    const { payload } = fastForward();
    const hostile = { ...payload, repository: { ...(payload.repository as object), name: ".." } };
    const push = pickPushPayload(hostile);
    await store.recordDelivery({ id: "stored-dotdot", event: "push", repository: `${push.owner}/..`, installationId: push.installationId, after: push.after, payload: hostile });
    await store.enqueueJob("stored-dotdot");
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.guard.idle();
    expect(await store.getJob("stored-dotdot")).toMatchObject({ status: "failed", error: expect.stringContaining("not a GitHub repository name") });
    expect(gh.calls()).toEqual([]);
  });

  it("a GitHub read error fails the job (recorded), without comments or check run", async () => {
    const { payload, before, after } = fastForward();
    gh.noConfig().on("GET", /\/compare\//, () => [500, { message: "boom" }]).acceptWrites();
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("broken", payload);
    await harness.guard.idle();
    expect(await store.getJob("broken")).toMatchObject({ status: "failed" });
    expect(await store.isPushProcessed("octo-org/shop", after)).toBe(false);
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toHaveLength(0);
    expect(before).not.toBe(after);
    // One line for the job, at error, with its error and its time in the queue.
    const lines = logLines(harness).filter((l) => l.deliveryId === "broken");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: "push job failed", attempt: 1, err: "boom" });
    expect(typeof lines[0]!.queueMs).toBe("number");
  });

  it("a GitHub write that fails is in the job's one log line, at warn, and fails the job for a redelivery", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1, c2 } = fastForward();
    gh.noConfig().compare(before, after, [c1, c2]);
    gh.on("POST", /\/comments$/, () => [422, { message: "Validation Failed" }]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]).commit(c2, []);
    crispAccepts(kp.identifier);
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("write-fails", payload);
    await harness.guard.idle();
    const lines = logLines(harness).filter((l) => l.deliveryId === "write-fails");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: "push scanned", attempt: 1, findings: 1, errors: [expect.stringContaining("422") as unknown] });
    expect(await store.getJob("write-fails")).toMatchObject({ status: "failed" });
  });

  it("a manual redelivery of the failed push (same delivery id) runs it again", async () => {
    const kp = randomKeypair();
    const { payload, before, after, c1 } = fastForward();
    gh.noConfig().on("GET", /\/compare\//, () => [500, { message: "boom" }]).acceptWrites();
    crispAccepts(kp.identifier);
    harness = await startApp({ store, verifier: nockVerifier() });
    await harness.receive("broken", payload);
    await harness.guard.idle();
    expect(await store.getJob("broken")).toMatchObject({ status: "failed" });

    // The operator fixed the cause; GitHub answers again.
    gh.routes.splice(gh.routes.findIndex((r) => String(r.pattern) === String(/\/compare\//)), 1);
    gh.compare(before, after, [c1]).commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    // A second attempt first looks for comments an earlier one may have posted.
    gh.on("GET", new RegExp(`^${BASE}/commits/${c1}/comments`), () => [200, []]);
    gh.on("GET", new RegExp(`^${BASE}/commits/${after}/check-runs`), () => [200, { total_count: 0, check_runs: [] }]);
    await harness.receive("broken", payload);
    await harness.guard.idle();
    expect(await store.getJob("broken")).toMatchObject({ status: "done", attempts: 2 });
    expect(gh.bodiesTo("POST", /\/check-runs$/)).toEqual([expect.objectContaining({ conclusion: "failure" })]);

    // Once done, the same redelivery is a plain duplicate again.
    await harness.receive("broken", payload);
    await harness.guard.idle();
    expect(await store.getJob("broken")).toMatchObject({ status: "done", attempts: 2 });
  });
});
