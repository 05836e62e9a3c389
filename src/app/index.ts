// The Crisp Guard GitHub App: the package's main export, run by `npm start` (probot run) and by
// `crisp-guard serve`. Dependencies are built once (store, verifier, server config, queues) and
// handed down as plain data; tests build them with createApp and inject their own.
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import { loadServerConfig, type ServerConfig } from "../rotate/index.js";
import { openStore } from "../store/index.js";
import type { Store } from "../store/types.js";
import { resolveCrispApiUrl } from "../verify/base-url.js";
import { createBreaker } from "../verify/breaker.js";
import { createVerifier } from "../verify/verifier.js";
import type { Verifier } from "../verify/types.js";
import type { GitHubClient } from "../github/client.js";
import { parseRepository, repositoryName } from "../github/repository.js";
import { fetchCommit, fetchHistory } from "../sources/git/github-clone.js";
import { scanHistoryInThread } from "../sources/git/history-thread.js";
import { BACKFILL_CLONE_MAX_BYTES, BACKFILL_CLONE_TIMEOUT_MS, processBackfill, type BackfillDeps } from "./backfill-worker.js";
import { BACKFILL_EVENTS, handleInstallation, type BackfillEvent } from "./installation-handler.js";
import { processInstallation } from "./installation-worker.js";
import { createContentQueues } from "./content-queue.js";
import { AppEnvError, DEFAULT_GITHUB_URL, readAppSettings, type AppRole, type AppSettings, type Env } from "./env.js";
import { createJobRunner, JOB_CONCURRENCY, STORE_POLL_MS, type JobQueue } from "./jobs.js";
import { createPgBossJobQueue, JOB_QUEUE, openPgBossQueue, type PgBossQueue } from "./pg-boss-queue.js";
import { createHealthHandler } from "./health.js";
import { settlesWithin } from "./within.js";
import { sharedVerifier } from "../verify/shared.js";
import { handlePush, invalidPush } from "./push-handler.js";
import { handlePullRequest, invalidPullRequest } from "./pull-request-handler.js";
import { processPullRequest, type PullRequestJob } from "./pull-request-worker.js";
import { useWebhookIngress } from "./probot-ingress.js";
import { handlerFailure, type DeliveryVerdict, type WebhookDelivery } from "./webhook-ingress.js";
import { recheckLifecycle, type Lifecycle, type LifecycleContext } from "./lifecycle.js";
import { VERSION } from "../version.js";
import {
  NO_SERVER_CONFIG,
  processPush,
  type PushJob,
  type WorkerDeps,
  type WorkerLog,
} from "./worker.js";

export { AppEnvError, readAppSettings, DEFAULT_DB_PATH, APP_ROLES, type AppRole, type AppSettings } from "./env.js";
export { handlePush, invalidPush, type PushHandlerOutcome, type PushHandlerResult } from "./push-handler.js";
export { handlePullRequest, invalidPullRequest, GATED_ACTIONS, type PullRequestHandlerResult } from "./pull-request-handler.js";
export { processPullRequest, type PullRequestJob, type PullRequestSummary } from "./pull-request-worker.js";
export { GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES } from "./webhook-body.js";
export { processPush, NO_SERVER_CONFIG, type PushJob, type PushSummary } from "./worker.js";
export type { GitHubClient } from "../github/client.js";
export { loadRepoConfig, REPO_CONFIG_PATH } from "./repo-config-loader.js";
export { recheckLifecycle, type Lifecycle, type LifecycleContext, type RecheckLifecycleOptions } from "./lifecycle.js";

export interface AppDeps {
  store: Store;
  verifier: Verifier;
  /** The operator's server config; null/absent: only the `noop` rotator. */
  serverConfig?: ServerConfig | null;
  /** The GitHub web address, for links rotators write (GHE). */
  githubUrl?: string;
  /** Milliseconds clock for timings. */
  now?: () => number;
  /**
   * Where git fetches repositories from over HTTPS (cross-file pairing); default githubUrl, else
   * https://github.com. http only on a loopback address (tests).
   */
  gitUrl?: string;
  jobConcurrency?: number;
  /** Detector and concurrency overrides for the push scan. */
  scan?: WorkerDeps["scan"];
  /** Builds the rotation lifecycle once the app is loaded (it needs GitHub access). */
  lifecycle?: (context: LifecycleContext) => Lifecycle;
  /** Re-queue unfinished jobs when the app loads (default true). */
  resume?: boolean;
  /** Close the store on stop() (when the app opened it). */
  ownsStore?: boolean;
  /** What runs in this process: webhooks (web), jobs and re-checks (worker), or both (all, the default). */
  role?: AppRole;
  /**
   * Opens the durable queue shared by every process on the store (Postgres, pg-boss): jobs and
   * re-checks go through it, and GitHub writes and verifications are coordinated through the store.
   * Absent: the in-process queue (SQLite, one process).
   */
  openQueue?: (log: WorkerLog) => Promise<PgBossQueue>;
  /** How long stop() waits for running jobs before leaving them to the queue; default 0. */
  shutdownGraceMs?: number;
  /** Repositories backfilled at once in this process (default BACKFILL_CONCURRENCY). */
  backfillConcurrency?: number;
  /** Backfills skip repositories larger than this (GitHub's size, KB; default BACKFILL_MAX_REPOSITORY_KB). */
  maxRepositoryKb?: number;
  /** In-process queue (SQLite): how often to look for jobs another process recorded (default STORE_POLL_MS). */
  storePollMs?: number;
  /** A backfill's history scan (tests); default scanHistoryInThread, off the event loop. */
  historyScan?: BackfillDeps["scanHistory"];
}

/** The installation's own token (contents: read is all git over HTTPS needs), in memory only. */
async function installationToken(octokit: GitHubClient): Promise<string> {
  const token = ((await octokit.auth({ type: "installation" })) as { token?: unknown } | null)?.token;
  if (typeof token !== "string") throw new Error("no installation token for git");
  return token;
}

export interface CrispGuardApp {
  /** The Probot application function. Load it once. */
  app: ApplicationFunction;
  /** Resolves when every queued push job (and its GitHub writes) has finished. */
  idle(): Promise<void>;
  /** Stops taking jobs and the lifecycle timer; closes the store if the app opened it. */
  stop(): Promise<void>;
}

/** How long stop() waits for the store's pools to close before it returns anyway. */
const STORE_CLOSE_TIMEOUT_MS = 3_000;

export function createApp(deps: AppDeps): CrispGuardApp {
  const role = deps.role ?? "all";
  const runsJobs = role !== "web";
  const takesWebhooks = role !== "worker";
  // Shared by many processes: GitHub writes per installation are serialized through the store.
  const content = createContentQueues(deps.openQueue ? { shared: deps.store } : {});
  let jobs: JobQueue | null = null;
  let queue: PgBossQueue | null = null;
  let lifecycle: Lifecycle | null = null;
  /** "owner/repo" (lowercased) → installation id, learnt from pushes. */
  const installations = new Map<string, number>();

  const gitUrl = deps.gitUrl ?? deps.githubUrl ?? DEFAULT_GITHUB_URL;
  const app: ApplicationFunction = async (probot: Probot, _options?: ApplicationFunctionOptions) => {
    if (jobs) throw new Error("crisp-guard: the app function was loaded twice");
    const log: WorkerLog = probot.log;
    const octokitFor = async (installationId: number): Promise<GitHubClient> =>
      await probot.auth(installationId);
    const octokitForRepository = async (repository: string): Promise<GitHubClient> => {
      let id = installations.get(repository.toLowerCase());
      if (id === undefined) {
        // Not seen in a push since start: ask GitHub which installation covers the repository.
        const ref = parseRepository(repository);
        if (!ref) throw new Error(`not a repository name: ${JSON.stringify(repository)}`);
        const appOctokit = await probot.auth();
        const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner: ref.owner, repo: ref.repo });
        id = data.id;
        installations.set(repository.toLowerCase(), id);
      }
      return octokitFor(id);
    };
    queue = deps.openQueue ? await deps.openQueue(log) : null;
    lifecycle =
      deps.lifecycle?.({
        store: deps.store,
        verifier: deps.verifier,
        log,
        octokitFor,
        octokitForRepository,
        content,
        runsJobs,
        queue,
      }) ?? null;

    const workerDeps: WorkerDeps = {
      store: deps.store,
      verifier: deps.verifier,
      serverConfig: deps.serverConfig ?? NO_SERVER_CONFIG,
      content,
      log,
      githubUrl: deps.githubUrl,
      now: deps.now,
      lifecycle: lifecycle ?? undefined,
      octokitForRepository,
      scan: deps.scan,
      repositoryAt: async (octokit, repo, commit) =>
        fetchCommit(repo, commit, { baseUrl: gitUrl, token: await installationToken(octokit) }),
      // Any gate job for the head, failed ones included: a failed gate must not be hidden by a
      // push's neutral run; with no run at all the required check stays missing (closed).
      gateCovers: async (repository, headSha) => await deps.store.hasPullRequestJob(repository, headSha),
    };
    const backfillDeps: BackfillDeps = {
      ...workerDeps,
      repositoryHistory: async (octokit, repo) =>
        fetchHistory(repo, { baseUrl: gitUrl, token: await installationToken(octokit), maxBytes: BACKFILL_CLONE_MAX_BYTES, timeoutMs: BACKFILL_CLONE_TIMEOUT_MS }),
      scanHistory: deps.historyScan ?? ((gitDir) => scanHistoryInThread(gitDir)),
      maxRepositoryKb: deps.maxRepositoryKb,
    };
    const runDeps = {
      store: deps.store,
      log,
      processInstallation: async (job: Parameters<typeof processInstallation>[1]) =>
        processInstallation(await octokitFor(job.installation.installationId), job, {
          store: deps.store,
          log,
          now: deps.now,
          enqueueBackfill: (deliveryId, backfill) => runner.enqueueBackfill(deliveryId, backfill),
        }),
      processBackfill: async (job: Parameters<typeof processBackfill>[1]) => {
        const { backfill } = job;
        installations.set(repositoryName(backfill).toLowerCase(), backfill.installationId);
        return processBackfill(await octokitFor(backfill.installationId), job, backfillDeps);
      },
      process: async (job: PushJob) => {
        if (job.push.installationId === null) {
          throw new Error("the push names no installation: the app cannot read the repository");
        }
        // A job stored before names were checked at the handler is resumed from the store as it is.
        const invalid = invalidPush(job.push);
        if (invalid) throw new Error(`the stored push is invalid: ${invalid}`);
        installations.set(repositoryName(job.push).toLowerCase(), job.push.installationId);
        return processPush(await octokitFor(job.push.installationId), job, workerDeps);
      },
      processPullRequest: async (job: PullRequestJob) => {
        const pr = job.pullRequest;
        if (pr.installationId === null) {
          throw new Error("the pull request names no installation: the app cannot read the repository");
        }
        const invalid = invalidPullRequest(pr);
        if (invalid) throw new Error(`the stored pull request is invalid: ${invalid}`);
        installations.set(repositoryName(pr).toLowerCase(), pr.installationId);
        return processPullRequest(await octokitFor(pr.installationId), job, workerDeps);
      },
    };
    const concurrency = deps.jobConcurrency ?? JOB_CONCURRENCY;
    const backfillConcurrency = deps.backfillConcurrency;
    const shared = queue ? createPgBossJobQueue({ ...runDeps, queue, concurrency, backfillConcurrency, work: runsJobs }) : null;
    const local = shared ? null : createJobRunner({ ...runDeps, concurrency, backfillConcurrency });
    const runner: JobQueue = shared ?? local!;
    jobs = runner;

    // Verified deliveries, from the ingress: a payload the handler cannot use is refused (400). Over
    // HTTP, events reach the app here only (not through probot.on): a new event's handler goes here.
    // Deliveries are handled one after another, as when the store answered at once: a second delivery of
    // the same push then sees the first one's job in flight rather than racing it between two awaits.
    let handling: Promise<unknown> = Promise.resolve();
    const receive = async (delivery: WebhookDelivery): Promise<DeliveryVerdict> => {
      const handlerDeps = { store: deps.store, jobs: runner, log };
      const event = { id: delivery.id, payload: delivery.payload };
      const name = delivery.name;
      const installationEvent = Object.hasOwn(BACKFILL_EVENTS, name);
      if (name !== "push" && name !== "pull_request" && !installationEvent) return { accepted: true };
      const handled = handling.then(async (): Promise<{ outcome: string; reason?: string }> =>
        installationEvent
          ? handleInstallation({ ...event, name: name as BackfillEvent }, handlerDeps)
          : name === "push"
            ? handlePush(event, handlerDeps)
            : handlePullRequest(event, handlerDeps),
      );
      handling = handled.catch(() => {});
      const result = await handled;
      return result.outcome === "invalid" ? { accepted: false, reason: result.reason ?? "invalid" } : { accepted: true };
    };
    useWebhookIngress(probot, {
      receive,
      takesWebhooks,
      health: createHealthHandler({
        role,
        checks: {
          store: async () => void (await deps.store.getJob("readyz")),
          ...(queue ? { queue: async () => void (await queue!.boss.getQueueSize(JOB_QUEUE)) } : {}),
        },
      }),
    });
    // probot.receive (tests, embedders) reaches the same handler, which never throws there: Probot
    // would log the error with the whole event.
    for (const name of ["push", "pull_request", "installation", "installation_repositories"] as const) {
      probot.on(name, async (context) => {
        let verdict: DeliveryVerdict;
        try {
          verdict = await receive({ id: context.id, name, payload: context.payload });
        } catch (error) {
          verdict = { accepted: false, reason: handlerFailure(error) };
        }
        if (!verdict.accepted) log.warn({ deliveryId: context.id, event: name, reason: verdict.reason }, "webhook rejected");
      });
    }

    if (runsJobs) {
      if (deps.resume !== false) await runner.resume();
      await shared?.start();
      // One process on SQLite: what `crisp-guard backfill` records beside it is picked up from the store.
      if (deps.resume !== false) local?.watch(deps.storePollMs ?? STORE_POLL_MS);
    }
    lifecycle?.start();
  };

  return {
    app,
    async idle() {
      // The worker awaits its GitHub writes, so an idle job queue means idle content queues too.
      await jobs?.onIdle();
      await content.onIdle();
    },
    async stop() {
      // The re-check poll first (it may still send delayed jobs), then the jobs: running ones get the
      // grace period, and what is left is the queue's to hand on (pg-boss) or to resume at the next
      // start (in process). Then the pools, which a job still running past its grace could hold
      // open: the process leaves anyway, and its locks go with its connections.
      const graceMs = deps.shutdownGraceMs ?? 0;
      await settlesWithin(Promise.resolve(lifecycle?.stop()), graceMs);
      await jobs?.stop(graceMs);
      if (deps.ownsStore) await settlesWithin(deps.store.close(), STORE_CLOSE_TIMEOUT_MS);
    },
  };
}

/** Every setting the app reads from the environment, checked: throws AppEnvError with one clear line. */
export function checkAppEnv(env: Env): { settings: AppSettings; crispApiUrl: URL } {
  const settings = readAppSettings(env);
  try {
    return { settings, crispApiUrl: resolveCrispApiUrl(settings.crispApiUrl) };
  } catch (error) {
    throw new AppEnvError(`CRISP_API_URL: ${(error as Error).message}`);
  }
}

/**
 * Builds the app from the environment: refuses production without WEBHOOK_SECRET, opens the store
 * (DATABASE_URL, else CRISP_GUARD_DB), loads the server config (CRISP_GUARD_CONFIG), points the verifier at CRISP_API_URL.
 */
export async function createAppFromEnv(env: Env, overrides: Partial<AppDeps> = {}): Promise<CrispGuardApp> {
  const { settings, crispApiUrl: baseUrl } = checkAppEnv(env);
  const serverConfig = settings.serverConfigPath ? await loadServerConfig(settings.serverConfigPath, env) : null;
  // One breaker for the process: an outage seen by push checks also spares the re-checks.
  const breaker = createBreaker();
  const verifier = createVerifier({ baseUrl, version: VERSION, breaker });
  // A re-check must ask Crisp again, never answer from the cache.
  const recheckVerifier = createVerifier({ baseUrl, version: VERSION, breaker, cacheTtlMs: 0, unknownTtlMs: 0 });
  const store = await openStore({ databaseUrl: settings.databaseUrl, dbPath: settings.dbPath });
  const databaseUrl = settings.databaseUrl;
  return createApp({
    store,
    // Workers sharing a store share their answers too: one Crisp request per secret, not per worker.
    verifier: databaseUrl ? sharedVerifier(verifier, { store }) : verifier,
    serverConfig,
    githubUrl: settings.githubUrl,
    lifecycle: recheckLifecycle({ verifier: recheckVerifier }),
    ownsStore: true,
    role: settings.role,
    shutdownGraceMs: settings.shutdownGraceMs,
    ...(databaseUrl
      ? { openQueue: (log: WorkerLog) => openPgBossQueue(databaseUrl, { log, expireInSeconds: settings.jobExpireSeconds }) }
      : {}),
    ...overrides,
  });
}

/** The Probot app, configured from process.env: what `probot run ./dist/app/index.js` loads. */
const crispGuard: ApplicationFunction = async (probot, options) => {
  const guard = await createAppFromEnv(process.env);
  await guard.app(probot, options);
};

export default crispGuard;
