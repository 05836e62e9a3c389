// The app's settings from the environment: read here (DESIGN.md: only app/ and cli/ read env) and
// handed down as plain data. Pure: an env record in, settings or a clear error out.

/** DESIGN.md "Environment": the SQLite file when CRISP_GUARD_DB is unset. */
export const DEFAULT_DB_PATH = "./data/crisp-guard.db";
/** GitHub's web address when GHE_HOST is unset (Probot's own default for the API is api.github.com). */
export const DEFAULT_GITHUB_URL = "https://github.com";

export type Env = Record<string, string | undefined>;

/** CRISP_GUARD_ROLE / `serve --role`: which part of the app a process runs. */
export const APP_ROLES = ["all", "web", "worker"] as const;
export type AppRole = (typeof APP_ROLES)[number];

/**
 * How long a stopping process (SIGTERM) lets running jobs finish before leaving them to the queue:
 * under the 30 s Docker and Kubernetes wait between SIGTERM and SIGKILL, with room to close the pools.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

export interface AppSettings {
  /** CRISP_GUARD_DB: the SQLite file, used when databaseUrl is null. */
  dbPath: string;
  /** DATABASE_URL (postgres://…): the Postgres store shared by many processes; null: SQLite. */
  databaseUrl: string | null;
  /** CRISP_GUARD_CONFIG: the server config file; null: none (only the noop rotator). */
  serverConfigPath: string | null;
  /** CRISP_API_URL as given; resolveCrispApiUrl checks it and applies the default. */
  crispApiUrl: string | undefined;
  /** The GitHub web address, for links in issues and events (GHE_HOST / GHE_PROTOCOL). */
  githubUrl: string;
  production: boolean;
  /** CRISP_GUARD_ROLE: all (default), web or worker; web and worker need DATABASE_URL. */
  role: AppRole;
  /** CRISP_GUARD_SHUTDOWN_GRACE_SECONDS, in ms: what SIGTERM gives running jobs. */
  shutdownGraceMs: number;
  /** CRISP_GUARD_JOB_EXPIRE_SECONDS (Postgres): when a job whose worker died goes to another; undefined: the queue's default. */
  jobExpireSeconds: number | undefined;
}

export class AppEnvError extends Error {
  override readonly name = "AppEnvError";
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/** DATABASE_URL checked: a postgres:// or postgresql:// URL, or null when unset. */
function postgresUrl(value: string | undefined): string | null {
  const url = nonEmpty(value);
  if (url === undefined) return null;
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    // Not echoed: the URL may carry the database password.
    throw new AppEnvError("DATABASE_URL is not a URL: expected postgres://user:password@host:5432/database");
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    throw new AppEnvError(`DATABASE_URL must be a postgres:// URL (got ${protocol}//…): only Postgres is supported there`);
  }
  return url;
}

/**
 * Where the app's store lives: DATABASE_URL (Postgres) when set, else CRISP_GUARD_DB (SQLite, default
 * DEFAULT_DB_PATH, relative to the working directory). Shared by the app and `crisp-guard report`,
 * so both read the same store from the same environment.
 */
export function readStoreLocation(env: Env): { dbPath: string; databaseUrl: string | null } {
  return { dbPath: nonEmpty(env.CRISP_GUARD_DB) ?? DEFAULT_DB_PATH, databaseUrl: postgresUrl(env.DATABASE_URL) };
}

/**
 * Reads the app's settings. Refuses production without WEBHOOK_SECRET: Probot would otherwise fall
 * back to the public default secret "development", and anyone could post forged pushes.
 */
export function readAppSettings(env: Env): AppSettings {
  const production = env.NODE_ENV === "production";
  if (production && !nonEmpty(env.WEBHOOK_SECRET)) {
    throw new AppEnvError(
      "WEBHOOK_SECRET is not set: refusing to start in production (NODE_ENV=production), since webhooks " +
        "could not be authenticated. Set WEBHOOK_SECRET to the secret configured in the GitHub App settings.",
    );
  }
  const gheHost = nonEmpty(env.GHE_HOST);
  const location = readStoreLocation(env);
  const role = readRole(env.CRISP_GUARD_ROLE);
  if (role !== "all" && location.databaseUrl === null) {
    throw new AppEnvError(
      `role ${role} needs DATABASE_URL (Postgres): with SQLite (CRISP_GUARD_DB) one process runs webhooks and jobs ` +
        "together, so only role all is possible. Unset CRISP_GUARD_ROLE (or --role), or set DATABASE_URL.",
    );
  }
  const grace = seconds(env, "CRISP_GUARD_SHUTDOWN_GRACE_SECONDS", 0);
  return {
    ...location,
    role,
    shutdownGraceMs: grace === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : grace * 1000,
    jobExpireSeconds: seconds(env, "CRISP_GUARD_JOB_EXPIRE_SECONDS", 1),
    serverConfigPath: nonEmpty(env.CRISP_GUARD_CONFIG) ?? null,
    crispApiUrl: nonEmpty(env.CRISP_API_URL),
    githubUrl: gheHost ? `${nonEmpty(env.GHE_PROTOCOL) ?? "https"}://${gheHost}` : DEFAULT_GITHUB_URL,
    production,
  };
}

function readRole(value: string | undefined): AppRole {
  const role = nonEmpty(value)?.toLowerCase() ?? "all";
  if (!(APP_ROLES as readonly string[]).includes(role)) {
    throw new AppEnvError(`CRISP_GUARD_ROLE must be one of ${APP_ROLES.join(", ")} (got ${JSON.stringify(value?.slice(0, 20))})`);
  }
  return role as AppRole;
}

/** A whole number of seconds, at least `min`, or undefined when unset. */
function seconds(env: Env, name: string, min: number): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new AppEnvError(`${name} must be a whole number of seconds, at least ${min} (got ${JSON.stringify(raw.slice(0, 20))})`);
  }
  return n;
}
