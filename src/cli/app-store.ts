// The store the running app uses, opened by a CLI command (report, backfill): DATABASE_URL
// (Postgres) when set, else the SQLite file CRISP_GUARD_DB. Never creates a store: a missing SQLite
// file is an error, not an empty one.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { AppEnvError, readStoreLocation } from "../app/env.js";
import type { Store } from "../store/types.js";
import { CliError, type CliIO } from "./io.js";

/** The store, and the Postgres URL it came from (null: SQLite): a command may need the job queue too. */
export type AppStore = Store & { databaseUrl: string | null };

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "error") : "error";
}

/** How long to wait for Postgres before calling it unreachable (pg alone would wait forever). */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens the store the running app uses. SQLite must exist already (the app creates and migrates
 * it): read-only for a report, read-write for queueing a backfill beside the running app (WAL).
 */
export async function openAppStore(io: CliIO, options: { readOnly: boolean }): Promise<AppStore> {
  let location: { dbPath: string; databaseUrl: string | null };
  try {
    location = readStoreLocation(io.env);
  } catch (error) {
    if (error instanceof AppEnvError) throw new CliError(error.message);
    throw error;
  }
  // Imported here: the store's native module costs every other command its load time.
  const { openStore } = await import("../store/index.js");
  if (location.databaseUrl) {
    // The host only: the URL may carry the database password.
    const host = new URL(location.databaseUrl).host;
    try {
      const store = await openStore({ databaseUrl: location.databaseUrl, dbPath: location.dbPath }, { connectTimeoutMs: POSTGRES_CONNECT_TIMEOUT_MS });
      return Object.assign(store, { databaseUrl: location.databaseUrl });
    } catch (error) {
      throw new CliError(`cannot open the Postgres store at ${host} (DATABASE_URL): ${firstLine(error)}`);
    }
  }
  const dbPath = resolve(io.cwd, location.dbPath);
  // Checked first for a clearer message; opened read-only or not, it is never created here.
  if (!existsSync(dbPath)) {
    throw new CliError(`no store at ${dbPath}: set CRISP_GUARD_DB to the app's SQLite file (or DATABASE_URL for Postgres)`);
  }
  try {
    const store = await openStore({ databaseUrl: null, dbPath }, options.readOnly ? { readOnly: true } : {});
    return Object.assign(store, { databaseUrl: null as string | null });
  } catch (error) {
    throw new CliError(`cannot open the store at ${dbPath}: ${firstLine(error)}`);
  }
}
