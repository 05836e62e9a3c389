// Backfills on Postgres: the web role records an installation's request and runs nothing; two
// workers share the repositories through pg-boss's backfill queue, each repository backfilled once.
import nock from "nock";
import { afterEach, beforeAll, expect, it } from "vitest";
import { openPgBossQueue, type PgBossQueue } from "../../src/app/pg-boss-queue.js";
import type { WorkerLog } from "../../src/app/worker.js";
import { sharedVerifier } from "../../src/verify/shared.js";
import type { Store } from "../../src/store/types.js";
import { startFakeGitHost, type FakeGitHost } from "../helpers/fake-git-http.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { onPostgres, type StoreHandle } from "../helpers/stores.js";
import { NockGitHub, crispAccepts, nockVerifier, startApp, stopApp, type Harness } from "./harness.js";

const OWNER = "octo-org";
const INSTALLATION = 4242;

async function waitFor(what: string, done: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

onPostgres((backend) => {
  const harnesses: Array<{ h: Harness; store: Store }> = [];
  let host: FakeGitHost | null = null;
  afterEach(async () => {
    for (const { h, store } of harnesses.splice(0)) await stopApp(h, store);
    await host?.close();
    nock.cleanAll();
  });
  const queueOn = (place: StoreHandle) => (log: WorkerLog): Promise<PgBossQueue> =>
    openPgBossQueue(place.postgres!.url, { log, schema: `${place.postgres!.schema}_boss`, pollingIntervalSeconds: 0.5 });

  it("installation.created: the web records it, two workers backfill the three repositories once each", async () => {
    const place = await backend.fresh();
    host = await startFakeGitHost("ghs_test");
    const kp = randomKeypair();
    const names = ["one", "two", "three"];
    for (const name of names) host.repository(OWNER, name, [{ "README.md": `# ${name}\n` }, { "crisp.env": `CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n` }]);
    const gh = new NockGitHub().noConfig();
    gh.on("GET", new RegExp(`^/repos/${OWNER}/([a-z]+)$`), (m) => [200, { name: m[1], size: 1, archived: false, default_branch: "main" }]);
    gh.on("POST", new RegExp(`^/repos/${OWNER}/([a-z]+)/check-runs$`), () => [201, { id: gh.nextId++, html_url: "" }]);
    const crisp = crispAccepts(kp.identifier);

    const start = async (role: "web" | "worker") => {
      const store = await place.open();
      // As createAppFromEnv builds it with DATABASE_URL: answers shared through the store.
      const h = await startApp({ store, verifier: sharedVerifier(nockVerifier(), { store }), role, openQueue: queueOn(place), gitUrl: host!.url });
      harnesses.push({ h, store });
      return { h, store };
    };
    const web = await start("web");
    const payload = {
      action: "created",
      installation: { id: INSTALLATION, account: { login: OWNER }, repository_selection: "selected" },
      repositories: names.map((n) => ({ full_name: `${OWNER}/${n}` })),
    };
    await web.h.probot.receive({ id: "pg-installation-1", name: "installation", payload } as never);
    await web.h.probot.receive({ id: "pg-installation-1", name: "installation", payload } as never);
    expect(await web.store.getJob("pg-installation-1")).toMatchObject({ status: "queued" });
    expect(host.requests).toEqual([]);

    const workers = [await start("worker"), await start("worker")];
    await waitFor("three backfills", async () => (await web.store.backfillProgress(INSTALLATION)).done === 3);
    for (const w of workers) await w.h.guard.idle();

    // Each repository cloned once, one history run each; the keypair is one secret, checked once.
    for (const name of names) {
      // One fetch: one ref advertisement (protocol v2 then POSTs ls-refs and fetch).
      expect(host.requests.filter((r) => r.url.startsWith(`/${OWNER}/${name}.git/info/refs`)).length).toBe(1);
    }
    expect(gh.bodiesTo("POST", /\/check-runs$/).map((b) => [b.name, b.conclusion])).toEqual(names.map(() => ["Crisp Guard: history", "failure"]));
    expect((await web.store.allSecrets()).length).toBe(1);
    expect(new Set((await web.store.allOccurrences()).map((o) => o.occurrence.repository))).toEqual(new Set(names.map((n) => `${OWNER}/${n}`)));
    expect(crisp.filter((c) => c.startsWith("plugin")).length).toBe(1);
    const logs = workers.flatMap((w) => w.h.logs);
    expect(logs.filter((l) => l.includes('"repository backfilled"'))).toHaveLength(3);
    for (const text of [...web.h.logs, ...logs, await place.dump()]) expect(holdsRaw(text, kp)).toBe(false);
  }, 60_000);
});
