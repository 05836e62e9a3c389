// The installation webhooks' handler: thin, like the push handler. `installation.created` and
// `installation_repositories.added` name repositories whose past the app has never seen; the handler
// records one installation-wide request and queues its job, which requests one backfill job per
// repository (installation-worker.ts). A payload it cannot use is the caller's to report (400).
import * as v from "valibot";
import { invalidRepoRef, parseRepository } from "../github/repository.js";
import type { InstallationJobPayload, Store } from "../store/types.js";
import type { JobQueue } from "./jobs.js";
import { queueRecorded } from "./queue-recorded.js";
import type { WorkerLog } from "./worker.js";

/** The events and actions that start a backfill; the app receives them whatever app.yml subscribes to. */
export const BACKFILL_EVENTS = Object.freeze({ installation: "created", installation_repositories: "added" } as const);
export type BackfillEvent = keyof typeof BACKFILL_EVENTS;

export type InstallationHandlerResult =
  | { outcome: "enqueued" | "duplicate" | "ignored" }
  | { outcome: "invalid"; reason: string };

export interface InstallationEvent {
  /** X-GitHub-Delivery (Probot's context.id). */
  id: string;
  name: BackfillEvent;
  payload: unknown;
}

export interface InstallationHandlerDeps {
  store: Store;
  jobs: Pick<JobQueue, "enqueueInstallation">;
  log: WorkerLog;
}

const Repository = v.object({ full_name: v.string() });
const InstallationWebhook = v.object({
  action: v.string(),
  installation: v.object({
    id: v.pipe(v.number(), v.integer(), v.minValue(1)),
    account: v.nullish(v.object({ login: v.nullish(v.string()) })),
    repository_selection: v.nullish(v.string()),
  }),
  repositories: v.nullish(v.array(Repository)),
  repositories_added: v.nullish(v.array(Repository)),
});

/** The repositories a list names, checked: the names end up in API paths and clone URLs. */
function repositoriesOf(list: ReadonlyArray<{ full_name: string }>): Array<{ owner: string; repo: string }> | string {
  const out: Array<{ owner: string; repo: string }> = [];
  for (const r of list) {
    const ref = parseRepository(r.full_name);
    if (!ref || invalidRepoRef(ref)) return "a repository name is not owner/name";
    out.push(ref);
  }
  return out;
}

/**
 * Pure: the installation-wide request a webhook makes; `ignored` for other actions. An installation
 * on every repository ("all") is listed through the API when the job runs: a payload may not name
 * them all, and the list may have changed by then.
 */
export function installationRequest(name: BackfillEvent, payload: unknown): { request: InstallationJobPayload } | { ignored: string } | { invalid: string } {
  const parsed = v.safeParse(InstallationWebhook, payload);
  if (!parsed.success) return { invalid: `not an ${name} payload` };
  const p = parsed.output;
  if (p.action !== BACKFILL_EVENTS[name]) return { ignored: `${name}.${p.action} starts no backfill` };
  let repositories: InstallationJobPayload["repositories"];
  if (name === "installation" && p.installation.repository_selection === "all") repositories = null;
  else {
    const list = repositoriesOf((name === "installation" ? p.repositories : p.repositories_added) ?? []);
    if (typeof list === "string") return { invalid: list };
    repositories = list;
  }
  return {
    request: {
      installationId: p.installation.id,
      account: p.installation.account?.login ?? null,
      repositories,
      force: false,
      trigger: `${name}.${p.action}`,
    },
  };
}

/** What the store keeps in a delivery's repository column for an installation-wide request. */
export function installationScope(request: Pick<InstallationJobPayload, "account" | "installationId">): string {
  return `${request.account ?? `installation-${request.installationId}`}/*`;
}

/** Records the request and queues its job: one per delivery (a redelivery changes nothing). */
export async function recordInstallationRequest(
  deps: InstallationHandlerDeps,
  deliveryId: string,
  request: InstallationJobPayload,
): Promise<"enqueued" | "duplicate"> {
  const { store, jobs } = deps;
  const recorded = await store.recordDelivery({
    id: deliveryId,
    event: "installation",
    repository: installationScope(request),
    installationId: request.installationId,
    after: null,
    payload: request,
  });
  if (recorded === "duplicate") return "duplicate";
  await store.enqueueJob(deliveryId);
  await queueRecorded(store, deliveryId, () => jobs.enqueueInstallation(deliveryId, request));
  return "enqueued";
}

export async function handleInstallation(event: InstallationEvent, deps: InstallationHandlerDeps): Promise<InstallationHandlerResult> {
  const made = installationRequest(event.name, event.payload);
  if ("invalid" in made) return { outcome: "invalid", reason: made.invalid };
  if ("ignored" in made) return { outcome: "ignored" };
  const { request } = made;
  const outcome = await recordInstallationRequest(deps, event.id, request);
  const where = { deliveryId: event.id, installationId: request.installationId, account: request.account };
  if (outcome === "duplicate") deps.log.info(where, "delivery already received: ignored");
  else deps.log.info({ ...where, repositories: request.repositories?.length ?? "all" }, "backfill requested");
  return { outcome };
}
