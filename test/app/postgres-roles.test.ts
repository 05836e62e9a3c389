// The app on Postgres, in one test process: a web role and a worker role, each with its own store
// and pg-boss on one database, as two processes would be. The web role answers and queues; the
// worker takes the job from the queue, and re-checks are the queue's delayed jobs.
import { afterEach, expect, it } from "vitest";
import { recheckLifecycle } from "../../src/app/lifecycle.js";
import { openPgBossQueue, RECHECK_QUEUE, sendRecheck, type PgBossQueue } from "../../src/app/pg-boss-queue.js";
import { createContentQueues } from "../../src/app/content-queue.js";
import type { Store } from "../../src/store/types.js";
import type { WorkerLog } from "../../src/app/worker.js";
import { Keypair } from "../../src/detect/fingerprint.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { onPostgres, type StoreHandle } from "../helpers/stores.js";
import { BASE, NockGitHub, crispAccepts, envPatch, fixture, nockVerifier, startApp, stopApp, type Harness } from "./harness.js";
import nock from "nock";

const silent: WorkerLog = { info: () => {}, warn: () => {}, error: () => {} };

async function waitFor(what: string, done: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

onPostgres((backend) => {
  const harnesses: Harness[] = [];
  const stores: Store[] = [];
  const queues: PgBossQueue[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await stopApp(h, stores.shift()!);
    for (const q of queues.splice(0)) await q.stop(0);
    nock.cleanAll();
  });

  const queueOn = (place: StoreHandle) => async (log: WorkerLog) => {
    const q = await openPgBossQueue(place.postgres!.url, { log, schema: `${place.postgres!.schema}_boss`, pollingIntervalSeconds: 0.5 });
    return q;
  };

  it("the web role queues and runs nothing; a worker on the same database scans the push once", async () => {
    const place = await backend.fresh();
    const [webStore, workerStore] = [await place.open(), await place.open()];
    const kp = randomKeypair();
    const payload = fixture("push.fast-forward.json");
    const [c1, c2] = (payload.commits as Array<{ id: string }>).map((c) => c.id) as [string, string];
    const gh = new NockGitHub().noConfig().compare(payload.before as string, payload.after as string, [c1, c2]).acceptWrites();
    gh.commit(c1, [{ filename: ".env", patch: envPatch(kp) }]);
    gh.commit(c2, [{ filename: "README.md", status: "modified", patch: "@@ -1 +1,2 @@\n # Shop\n+Uses Crisp chat." }]);
    crispAccepts(kp.identifier);

    const web = await startApp({ store: webStore, verifier: nockVerifier(), role: "web", openQueue: queueOn(place) });
    stores.push(webStore);
    harnesses.push(web);
    await web.receive("pg-delivery-1", payload);
    // Again, and the same push under another delivery id: both inert.
    await web.receive("pg-delivery-1", payload);
    await web.receive("pg-delivery-2", payload);
    expect(gh.calls()).toEqual([]);
    expect(await webStore.getJob("pg-delivery-1")).toMatchObject({ status: "queued" });
    expect(await webStore.getJob("pg-delivery-2")).toBeUndefined();

    const worker = await startApp({ store: workerStore, verifier: nockVerifier(), role: "worker", openQueue: queueOn(place) });
    stores.push(workerStore);
    harnesses.push(worker);
    await waitFor("the job", async () => (await workerStore.getJob("pg-delivery-1"))?.status === "done");
    await worker.guard.idle();

    expect(gh.calls().filter((c) => c.startsWith("POST"))).toEqual([`POST ${BASE}/commits/${c1}/comments`, `POST ${BASE}/check-runs`]);
    const lines = worker.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const scanned = lines.find((l) => l.msg === "push scanned");
    expect(scanned).toMatchObject({ deliveryId: "pg-delivery-1", attempt: 1, findings: 1, live: 1 });
    expect(typeof scanned!.queueMs).toBe("number");
    expect(web.logs.some((l) => l.includes("push scanned"))).toBe(false);
    for (const text of [...web.logs, ...worker.logs, await place.dump()]) expect(holdsRaw(text, kp)).toBe(false);
  }, 30_000);

  it("a job the store holds as queued but no queued job carries (the web died before sending it) is sent again by a worker", async () => {
    const place = await backend.fresh();
    const longAgo = () => new Date(Date.now() - 2 * 3600_000);
    const webStore = await place.open({ now: longAgo });
    const workerStore = await place.open();
    const payload = fixture("push.fast-forward.json");
    const [c1, c2] = (payload.commits as Array<{ id: string }>).map((c) => c.id) as [string, string];
    const gh = new NockGitHub().noConfig().compare(payload.before as string, payload.after as string, [c1, c2]).acceptWrites();
    gh.commit(c1, [{ filename: "README.md", patch: "@@ -0,0 +1 @@\n+hello" }]);
    gh.commit(c2, [{ filename: "README.md", patch: "@@ -1 +1,2 @@\n hello\n+world" }]);
    await webStore.recordDelivery({ id: "lost-1", event: "push", repository: "octo-org/shop", installationId: 4242, after: payload.after as string, payload });
    await webStore.enqueueJob("lost-1");
    await webStore.close();

    const worker = await startApp({ store: workerStore, verifier: nockVerifier(), role: "worker", openQueue: queueOn(place) });
    stores.push(workerStore);
    harnesses.push(worker);
    await waitFor("the lost job", async () => (await workerStore.getJob("lost-1"))?.status === "done");
    expect(worker.logs.some((l) => l.includes("unfinished jobs no worker had: queued again"))).toBe(true);
  }, 30_000);

  it("a re-check is a delayed job at its due time, and a worker taking it runs the due attempt once", async () => {
    const place = await backend.fresh();
    const store = await place.open();
    stores.push(store);
    const queue = await queueOn(place)(silent);
    queues.push(queue);
    const kp = new Keypair(randomKeypair().identifier, randomKeypair().key);
    await store.upsertSecret({ fingerprint: kp.fingerprint, redactedIdentifier: kp.redactedIdentifier, keyHint: kp.keyHint, tier: "plugin", websiteId: null });
    await store.setSecretState(kp.fingerprint, "rotation_requested");
    await store.addOccurrence(kp.fingerprint, { repository: "octo-org/shop", commit: "c".repeat(40), path: ".env", line: 2, column: 1, encoding: "plain" });

    const context = {
      store,
      verifier: nockVerifier(),
      log: silent,
      octokitFor: () => Promise.reject(new Error("no GitHub here")),
      octokitForRepository: () => Promise.reject(new Error("no GitHub here")),
      content: createContentQueues(),
      runsJobs: true,
      queue,
    };
    const rotatedAt = new Date();
    const lifecycle = recheckLifecycle({ verifier: nockVerifier(), now: () => rotatedAt })(context);
    await lifecycle.schedule(kp.fingerprint);
    const [first] = await store.rechecksOf(kp.fingerprint);
    const { rows } = await queue.boss.getDb().executeSql(
      `SELECT data, start_after FROM ${place.postgres!.schema}_boss.job WHERE name = $1`,
      [RECHECK_QUEUE],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toEqual({ fingerprint: kp.fingerprint });
    expect(new Date(rows[0].start_after).getTime()).toBe(first!.dueAt.getTime());

    // The first attempt falls due: a job for it now. GitHub cannot be reached (not a permanent
    // failure): the attempt ends "failed for now", once though the job is sent twice, and the next is due later.
    await store.scheduleRecheck(kp.fingerprint, new Date(Date.now() - 1000), first!.attempt, rotatedAt);
    await sendRecheck(queue, kp.fingerprint, new Date());
    await sendRecheck(queue, kp.fingerprint, new Date());
    lifecycle.start();
    await waitFor("the re-check", async () => (await store.rechecksOf(kp.fingerprint)).some((r) => r.status !== "pending" && r.attempt === first!.attempt));
    const jobs = async () =>
      (
        await queue.boss.getDb().executeSql(
          `SELECT state, start_after FROM ${place.postgres!.schema}_boss.job WHERE name = $1 ORDER BY created_on`,
          [RECHECK_QUEUE],
        )
      ).rows as Array<{ state: string; start_after: Date }>;
    // Both due jobs ran (the second found nothing pending); the series' next attempt waits as its own job.
    await waitFor("the re-check jobs", async () => (await jobs()).filter((j) => j.state === "completed").length === 2);
    const attempts = await store.rechecksOf(kp.fingerprint);
    expect(attempts.filter((r) => r.attempt === first!.attempt)).toHaveLength(1);
    expect(attempts.find((r) => r.attempt === first!.attempt)!.note).toBeTruthy();
    const next = attempts.find((r) => r.status === "pending");
    expect(next?.attempt).toBe(first!.attempt + 1);
    const waiting = (await jobs()).filter((j) => j.state === "created");
    expect(waiting.map((j) => new Date(j.start_after).getTime())).toContain(next!.dueAt.getTime());
    await lifecycle.stop();
  }, 30_000);
});
