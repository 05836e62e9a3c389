// The app's settings from the environment: read here (DESIGN.md: only app/ and cli/ read env) and
// handed down as plain data. Pure: an env record in, settings or a clear error out.

/** DESIGN.md "Environment": the SQLite file when CRISP_GUARD_DB is unset. */
export const DEFAULT_DB_PATH = "./data/crisp-guard.db";
/** GitHub's web address when GHE_HOST is unset (Probot's own default for the API is api.github.com). */
export const DEFAULT_GITHUB_URL = "https://github.com";

export type Env = Record<string, string | undefined>;

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
  return {
    ...readStoreLocation(env),
    serverConfigPath: nonEmpty(env.CRISP_GUARD_CONFIG) ?? null,
    crispApiUrl: nonEmpty(env.CRISP_API_URL),
    githubUrl: gheHost ? `${nonEmpty(env.GHE_PROTOCOL) ?? "https"}://${gheHost}` : DEFAULT_GITHUB_URL,
    production,
  };
}
