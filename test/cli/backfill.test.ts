// `crisp-guard backfill`: queues backfills in the store the running app uses, says what it queued,
// and queues a repository once (again only with --force).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStore, openStore } from "../../src/store/index.js";
import { BACKFILL_QUEUE, JOB_QUEUE } from "../../src/app/pg-boss-queue.js";
import { cli } from "../helpers/cli.js";
import { describePostgres } from "../helpers/stores.js";
import { tempDir } from "../helpers/temp.js";

const SHA = "2222222222222222222222222222222222222222";

/** A store as the app left it: one push delivery from octo-org/shop, installation 42. */
async function appStore(): Promise<string> {
  const dbPath = join(tempDir("crisp-guard-backfill-cli-"), "guard.db");
  const store = openSqliteStore(dbPath);
  await store.recordDelivery({
    id: "d-1", event: "push", repository: "octo-org/shop", installationId: 42, after: SHA,
    payload: {
      ref: "refs/heads/main", before: SHA, after: SHA, created: false, deleted: false, forced: false, commits: [{ id: SHA }],
      repository: { name: "shop", owner: { login: "octo-org" }, default_branch: "main" }, installation: { id: 42 },
    },
  });
  await store.close();
  return dbPath;
}

describe("crisp-guard backfill", () => {
  it("queues a repository once, with its installation from the store; again only with --force", async () => {
    const dbPath = await appStore();
    const env = { CRISP_GUARD_DB: dbPath };
    const first = await cli(["backfill", "--repo", "octo-org/shop"], { env });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("queued: octo-org/shop (installation 42, backfill #1)");
    expect(first.stdout).toContain("installation 42: 0/1 repositories backfilled (1 queued, 0 running, 0 skipped, 0 failed)");

    const again = await cli(["backfill", "--repo", "octo-org/shop"], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/octo-org\/shop: not queued, already queued: queued since /);

    const store = openSqliteStore(dbPath);
    const row = await store.getBackfill("octo-org/shop");
    await store.startBackfill("octo-org/shop", 1);
    await store.finishBackfill("octo-org/shop", 1, { status: "done", commits: 10, blobs: 3, findings: 0 });
    await store.startJob(row!.deliveryId);
    await store.finishJob(row!.deliveryId, { status: "done" });
    await store.close();
    expect(row).toMatchObject({ installationId: 42, generation: 1, status: "queued", trigger: "cli" });

    const done = await cli(["backfill", "--repo", "octo-org/shop"], { env });
    expect(done.stdout).toMatch(/not queued, already backfilled: done since .*; --force scans it again/);
    const forced = await cli(["backfill", "--repo", "OCTO-ORG/shop", "--force"], { env });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("queued: OCTO-ORG/shop (installation 42, backfill #2)");

    // The job is in the store for the running app to find.
    const reopened = openSqliteStore(dbPath);
    const unfinished = await reopened.unfinishedJobs();
    await reopened.close();
    expect(unfinished.map((j) => j.delivery.backfill)).toEqual([
      { owner: "OCTO-ORG", repo: "shop", installationId: 42, generation: 2, trigger: "cli" },
    ]);
  });

  it("--installation alone queues one installation-wide request (the app lists the repositories)", async () => {
    const dbPath = await appStore();
    const run = await cli(["backfill", "--installation", "7"], { env: { CRISP_GUARD_DB: dbPath } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("queued: every repository installation 7 can read");
    const store = openSqliteStore(dbPath);
    const [job] = await store.unfinishedJobs();
    await store.close();
    expect(job!.delivery.installation).toEqual({ installationId: 7, account: null, repositories: null, force: false, trigger: "cli" });
  });

  it("refuses what it cannot queue, in one line: nothing asked, a bad name, an unknown installation, no store", async () => {
    const dbPath = await appStore();
    const env = { CRISP_GUARD_DB: dbPath };
    expect(await cli(["backfill"], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining("say what to backfill") });
    expect(await cli(["backfill", "--repo", "nope"], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining("--repo: expected owner/name") });
    expect(await cli(["backfill", "--repo", "octo-org/other"], { env })).toMatchObject({
      code: 2,
      stderr: "crisp-guard: error: octo-org/other: the store knows no installation for it: pass --installation ID\n",
    });
    expect(await cli(["backfill", "--installation", "0"], { env })).toMatchObject({ code: 2 });
    const missing = join(tempDir("crisp-guard-backfill-none-"), "none.db");
    expect(await cli(["backfill", "--installation", "7"], { env: { CRISP_GUARD_DB: missing } })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("no store at"),
    });
  });

  it("--help explains where the jobs go", async () => {
    const help = await cli(["backfill", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--force");
    expect(help.stdout).toContain("Crisp Guard: history");
  });
});

describePostgres("crisp-guard backfill on Postgres", (database) => {
  it("records the backfill and sends its job to the app's backfill queue at once", async () => {
    const url = database().url;
    const store = await openStore({ databaseUrl: url, dbPath: "" });
    await store.close();
    const run = await cli(["backfill", "--repo", "octo-org/shop", "--installation", "42"], { env: { DATABASE_URL: url } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("queued: octo-org/shop (installation 42, backfill #1)");
    expect(run.stdout).toContain("The app's workers take the jobs from the queue.");
    const both = await cli(["backfill", "--installation", "42"], { env: { DATABASE_URL: url } });
    expect(both.code).toBe(0);
    const rows = await database().query<{ name: string; id: string }>("SELECT name, data->>'deliveryId' AS id FROM pgboss.job ORDER BY created_on");
    expect(rows.map((r) => r.name)).toEqual([BACKFILL_QUEUE, JOB_QUEUE]);
    expect(rows[0]!.id).toBe("backfill:octo-org/shop:1");
  });
});
