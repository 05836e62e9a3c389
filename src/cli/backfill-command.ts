// `crisp-guard backfill`: queues history backfills in the store the running app uses, and says what
// it queued. A repository is backfilled once; asked again it is scanned again only with --force.
// With Postgres the jobs go to the app's pg-boss queue at once; with SQLite the running app finds
// them in the store within STORE_POLL_MS. Nothing is cloned or scanned here.
import { installationScope, recordInstallationRequest } from "../app/installation-handler.js";
import { parseRepository } from "../github/repository.js";
import type { BackfillJobPayload, BackfillProgress, BackfillRow } from "../store/types.js";
import { openAppStore, type AppStore } from "./app-store.js";
import { CliError, EXIT, type CliIO } from "./io.js";

export interface BackfillCommandOptions {
  installation?: number;
  repo?: string[];
  force?: boolean;
  /** The request's clock, for tests. */
  now?: () => Date;
}

/** Where queued jobs go: the app's pg-boss queue (Postgres), or nowhere (SQLite: the app polls the store). */
interface JobSender {
  installation(deliveryId: string): Promise<void>;
  backfill(deliveryId: string, backfill: BackfillJobPayload): Promise<void>;
  close(): Promise<void>;
}

const SILENT = { info() {}, warn() {}, error() {} };

async function openSender(store: AppStore): Promise<JobSender> {
  if (!store.databaseUrl) return { installation: async () => {}, backfill: async () => {}, close: async () => {} };
  // Imported here: pg-boss is needed by this command only, and only on Postgres.
  const { BACKFILL_QUEUE, JOB_QUEUE, openPgBossQueue } = await import("../app/pg-boss-queue.js");
  const queue = await openPgBossQueue(store.databaseUrl, { log: SILENT });
  const send = async (name: string, deliveryId: string) => {
    if ((await queue.boss.send(name, { deliveryId })) === null) throw new Error(`the job queue did not take ${deliveryId}`);
  };
  return {
    installation: (deliveryId) => send(JOB_QUEUE, deliveryId),
    backfill: (deliveryId) => send(BACKFILL_QUEUE, deliveryId),
    close: () => queue.stop(0),
  };
}

function describeRow(row: BackfillRow): string {
  const when = row.finishedAt ?? row.startedAt ?? row.requestedAt;
  const what = row.status === "queued" ? "queued" : row.status === "running" ? "running" : `${row.status}`;
  return `${what} since ${when}${row.reason ? ` (${row.reason})` : ""}`;
}

function progressLine(p: BackfillProgress): string {
  const finished = p.done + p.skipped + p.failed;
  const parts = [`${p.queued} queued`, `${p.running} running`, `${p.skipped} skipped`, `${p.failed} failed`];
  return `installation ${p.installationId}: ${finished}/${p.total} repositories backfilled (${parts.join(", ")})`;
}

/** The installation a repository's deliveries came from, as the store knows it. */
async function installationOf(store: AppStore, repository: string): Promise<number> {
  const known = (await store.repositoryInstallations()).filter((r) => r.repository.toLowerCase() === repository.toLowerCase());
  const ids = [...new Set(known.map((r) => r.installationId))];
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0) throw new CliError(`${repository}: the store knows no installation for it: pass --installation ID`);
  throw new CliError(`${repository}: the store knows several installations for it (${ids.join(", ")}): pass --installation ID`);
}

export async function runBackfillCommand(io: CliIO, options: BackfillCommandOptions): Promise<number> {
  const repos = options.repo ?? [];
  if (options.installation === undefined && repos.length === 0) {
    throw new CliError("say what to backfill: --installation ID (every repository it can read) and/or --repo owner/name");
  }
  const refs = repos.map((r) => {
    const ref = parseRepository(r);
    if (!ref) throw new CliError(`--repo: expected owner/name, not ${JSON.stringify(r.slice(0, 100))}`);
    return ref;
  });
  const force = options.force === true;
  const store = await openAppStore(io, { readOnly: false });
  let sender: JobSender | null = null;
  const touched = new Set<number>();
  try {
    sender = await openSender(store).catch((error: unknown) => {
      throw new CliError(`cannot open the job queue: ${error instanceof Error ? error.message.split("\n")[0] : "error"}`);
    });
    if (refs.length === 0) {
      const installationId = options.installation!;
      const deliveryId = `cli:installation:${installationId}:${(options.now?.() ?? new Date()).toISOString()}`;
      const request = { installationId, account: null, repositories: null, force, trigger: "cli" };
      await recordInstallationRequest({ store, jobs: { enqueueInstallation: (id) => sender!.installation(id) }, log: SILENT }, deliveryId, request);
      io.stdout.write(`queued: every repository installation ${installationId} can read (${installationScope(request)}; the app lists them when it runs the job)${force ? ", forced" : ""}\n`);
      touched.add(installationId);
    }
    for (const ref of refs) {
      const repository = `${ref.owner}/${ref.repo}`;
      const installationId = options.installation ?? (await installationOf(store, repository));
      touched.add(installationId);
      const asked = await store.requestBackfill({ owner: ref.owner, repo: ref.repo, installationId, trigger: "cli", force });
      if (!asked.queued) {
        const hint = asked.reason === "already-backfilled" ? "; --force scans it again" : "";
        io.stdout.write(`${repository}: not queued, already ${asked.reason === "already-queued" ? "queued" : "backfilled"}: ${describeRow(asked.row)}${hint}\n`);
        continue;
      }
      const payload: BackfillJobPayload = { owner: ref.owner, repo: ref.repo, installationId, generation: asked.generation, trigger: "cli" };
      try {
        await sender.backfill(asked.deliveryId, payload);
      } catch (error) {
        await store.finishBackfill(repository, asked.generation, { status: "failed", reason: "could not be queued" }).catch(() => false);
        throw new CliError(`${repository}: cannot queue the backfill: ${error instanceof Error ? error.message.split("\n")[0] : "error"}`);
      }
      io.stdout.write(`queued: ${repository} (installation ${installationId}, backfill #${asked.generation})\n`);
    }
    for (const id of touched) io.stdout.write(`${progressLine(await store.backfillProgress(id))}\n`);
    io.stdout.write(
      store.databaseUrl
        ? "The app's workers take the jobs from the queue.\n"
        : "The running app (serve, same CRISP_GUARD_DB) takes them from the store within seconds; one that is not running takes them at its start.\n",
    );
    return EXIT.clean;
  } finally {
    await sender?.close().catch(() => {});
    await store.close();
  }
}
