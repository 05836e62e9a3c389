// The store: persistence for the app and the lifecycle, SQLite (default) or Postgres (DATABASE_URL),
// behind one async contract. Never a raw key (see docs/store.md).
import { openSqliteStore, type StoreOptions } from "./sqlite.js";
import type { PostgresStoreOptions } from "./postgres.js";
import type { Store } from "./types.js";

export { openSqliteStore, type StoreOptions } from "./sqlite.js";
export type { PostgresStoreOptions } from "./postgres.js";
export { MIGRATIONS, migrate, type Migration } from "./migrations.js";
export { pickPushPayload, MAX_PAYLOAD_COMMITS } from "./push-payload.js";
export { pickPullRequestPayload } from "./pull-request-payload.js";
export { checkInstallationPayload } from "./installation-payload.js";
export { scrubText, MAX_TEXT_CHARS } from "./scrub.js";
export { LockBusyError, type LockOptions } from "./local-lock.js";
export type * from "./types.js";

/** Where the store lives: a Postgres URL when given (shared by many processes), else the SQLite file. */
export interface StoreLocation {
  databaseUrl?: string | null;
  dbPath: string;
}

/** Opens the store the location names and applies pending migrations. */
export async function openStore(
  location: StoreLocation,
  options: StoreOptions & Pick<PostgresStoreOptions, "connectTimeoutMs"> = {},
): Promise<Store> {
  if (location.databaseUrl) {
    // pg is loaded only when Postgres is used: the CLI and an SQLite app never need it.
    const { openPostgresStore } = await import("./postgres.js");
    return openPostgresStore(location.databaseUrl, options);
  }
  return openSqliteStore(location.dbPath, options);
}
