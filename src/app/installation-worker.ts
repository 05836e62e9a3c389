// The installation-wide request's job: the repositories to backfill (the request's own list, or
// every repository the installation can read, listed through the API now), one backfill requested
// per repository in the store, each queued as its own job. Running it twice requests nothing twice:
// the store answers "already queued" or "already backfilled".
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import type { BackfillJobPayload, InstallationJobPayload, Store } from "../store/types.js";
import { queueRecorded } from "./queue-recorded.js";
import type { WorkerLog } from "./worker.js";

export interface InstallationJob {
  deliveryId: string;
  installation: InstallationJobPayload;
  attempt: number;
}

export interface InstallationSummary {
  installationId: number;
  repositories: number;
  queued: number;
  alreadyBackfilled: number;
  alreadyQueued: number;
  /** Backfills that could not be queued: the job is marked failed with these (a new request retries them). */
  errors: string[];
  ms: number;
}

export interface InstallationDeps {
  store: Store;
  log: WorkerLog;
  /** Hands a recorded backfill job to the queue (jobs.ts enqueueBackfill). */
  enqueueBackfill: (deliveryId: string, backfill: BackfillJobPayload) => Promise<void>;
  now?: () => number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every repository the installation can read, 100 a page (GitHub's largest). */
export async function installationRepositories(octokit: GitHubClient): Promise<RepoRef[]> {
  const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repos.map((r) => ({ owner: r.owner.login, repo: r.name }));
}

export async function processInstallation(octokit: GitHubClient, job: InstallationJob, deps: InstallationDeps): Promise<InstallationSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { installation } = job;
  const { installationId, trigger, force } = installation;
  const repositories = installation.repositories ?? (await installationRepositories(octokit));
  const summary: InstallationSummary = {
    installationId, repositories: repositories.length, queued: 0, alreadyBackfilled: 0, alreadyQueued: 0, errors: [], ms: 0,
  };
  for (const { owner, repo } of repositories) {
    const asked = await deps.store.requestBackfill({ owner, repo, installationId, trigger, force });
    if (!asked.queued) {
      if (asked.reason === "already-queued") summary.alreadyQueued++;
      else summary.alreadyBackfilled++;
      continue;
    }
    const payload: BackfillJobPayload = { owner, repo, installationId, generation: asked.generation, trigger };
    try {
      await queueRecorded(deps.store, asked.deliveryId, () => deps.enqueueBackfill(asked.deliveryId, payload));
      summary.queued++;
    } catch (error) {
      // Not left "queued" with no job behind it: a later request queues it again.
      await deps.store.finishBackfill(`${owner}/${repo}`, asked.generation, { status: "failed", reason: message(error) }).catch(() => false);
      summary.errors.push(`${owner}/${repo}: ${message(error)}`);
    }
  }
  summary.ms = now() - started;
  return summary;
}
