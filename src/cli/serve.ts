// `crisp-guard serve`: runs the GitHub App's HTTP server (Probot's `run`), like `npm start`.
// Probot reads APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET, PORT, HOST, GHE_HOST, ... from the
// environment; Crisp Guard adds CRISP_GUARD_DB or DATABASE_URL, CRISP_GUARD_CONFIG and CRISP_API_URL. Without
// APP_ID and a private key, Probot starts its setup page (the manifest flow) instead.
import { run, type Logger, type ProbotOctokit, type Server } from "probot";
import { AppEnvError, checkAppEnv, createAppFromEnv, type AppDeps, type CrispGuardApp } from "../app/index.js";
import { ServerConfigError } from "../rotate/index.js";
import { INTERRUPT_EXIT } from "./interrupt.js";
import { CliError, type CliIO } from "./io.js";
import { fixSetupWebhookUrl } from "./setup-manifest.js";

export interface ServeOptions {
  /** Probot's Octokit class (tests turn retries and throttling off). */
  Octokit?: typeof ProbotOctokit;
  /** A pino logger (tests capture the log lines). */
  log?: Logger;
  /** Overrides for the app's dependencies (tests: a detector stub, a clock). */
  app?: Partial<AppDeps>;
}

export interface ServeHandle {
  server: Server;
  /** The app (null in setup mode, before the GitHub App is registered). */
  guard: CrispGuardApp | null;
  /** The port the server listens on. */
  port: number;
  /** Stops the HTTP server, then the app (its queued jobs stay in the store for the next start). */
  stop(): Promise<void>;
}

/** Starts the server; resolves once it listens. Configuration errors are CliErrors (one line, exit 2). */
export async function runServe(io: Pick<CliIO, "env">, options: ServeOptions = {}): Promise<ServeHandle> {
  let guard: CrispGuardApp | null = null;
  try {
    // Checked before Probot starts, so a bad setting is one clear line rather than a stack.
    checkAppEnv(io.env);
    await fixSetupWebhookUrl();
    const env = io.env;
    const server = await run(
      async (probot, appOptions) => {
        guard = await createAppFromEnv(env, options.app);
        await guard.app(probot, appOptions);
      },
      { env: io.env, ...(options.Octokit ? { Octokit: options.Octokit } : {}), ...(options.log ? { log: options.log } : {}) },
    );
    const started = guard as CrispGuardApp | null;
    return {
      server,
      guard: started,
      port: server.port,
      async stop() {
        await server.stop();
        await started?.stop();
      },
    };
  } catch (error) {
    if (error instanceof AppEnvError || error instanceof ServerConfigError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * SIGTERM (docker stop, Kubernetes) and SIGINT stop the process gracefully: the HTTP server first,
 * then the app, whose running jobs get their grace period; the exit follows, with the interrupt
 * codes every command uses (143, 130). A second signal exits at once. Probot's own SIGINT handler
 * (added by runServe, listed in `probotListeners`) would exit without stopping the app: it is removed.
 */
export function stopOnSignals(
  handle: Pick<ServeHandle, "stop">,
  io: Pick<CliIO, "stderr">,
  probotListeners: readonly NodeJS.SignalsListener[] = [],
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = signal === "SIGINT" ? INTERRUPT_EXIT.SIGINT : INTERRUPT_EXIT.SIGTERM;
    if (stopping) process.exit(code);
    stopping = true;
    io.stderr.write(`crisp-guard serve: ${signal}: stopping (running jobs get their grace period)\n`);
    handle.stop().then(
      () => process.exit(code),
      (error: unknown) => {
        io.stderr.write(`crisp-guard serve: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const l of probotListeners) process.off("SIGINT", l);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** The SIGINT listeners added while `start` ran: Probot's, when `start` is runServe. */
export async function withNewSigintListeners<T>(start: () => Promise<T>): Promise<{ value: T; added: NodeJS.SignalsListener[] }> {
  const before = new Set(process.listeners("SIGINT"));
  const value = await start();
  return { value, added: process.listeners("SIGINT").filter((l) => !before.has(l)) };
}
