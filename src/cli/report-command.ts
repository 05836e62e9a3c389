// `crisp-guard report`: what the app's store knows, organization-wide. Reads the store the running
// app uses (DATABASE_URL, else CRISP_GUARD_DB), one listing per table, and hands the rows to the pure
// report builder. Never creates a store: a missing SQLite file is an error, not an empty report.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { AppEnvError, readStoreLocation } from "../app/env.js";
import { buildOrganizationReport, renderOrganizationJson, renderOrganizationText } from "../report/organization.js";
import type { Store } from "../store/types.js";
import { TOOL } from "../version.js";
import { CliError, EXIT, type CliIO } from "./io.js";
import { writePrivateFile } from "./private-file.js";

/** How long to wait for Postgres before calling it unreachable (pg alone would wait forever). */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

export interface ReportCommandOptions {
  format: "text" | "json";
  output?: string;
  installation?: number;
  /** The report's clock, for tests. */
  now?: () => Date;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "error") : "error";
}

async function openAppStore(io: CliIO): Promise<Store> {
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
      return await openStore({ databaseUrl: location.databaseUrl, dbPath: location.dbPath }, { connectTimeoutMs: POSTGRES_CONNECT_TIMEOUT_MS });
    } catch (error) {
      throw new CliError(`cannot open the Postgres store at ${host} (DATABASE_URL): ${firstLine(error)}`);
    }
  }
  const dbPath = resolve(io.cwd, location.dbPath);
  // Checked first for a clearer message; the store is opened read-only too, so never created.
  if (!existsSync(dbPath)) {
    throw new CliError(`no store at ${dbPath}: set CRISP_GUARD_DB to the app's SQLite file (or DATABASE_URL for Postgres)`);
  }
  try {
    return await openStore({ databaseUrl: null, dbPath }, { readOnly: true });
  } catch (error) {
    throw new CliError(`cannot open the store at ${dbPath}: ${firstLine(error)}`);
  }
}

export async function runReportCommand(io: CliIO, options: ReportCommandOptions): Promise<number> {
  const store = await openAppStore(io);
  let text: string;
  try {
    const [secrets, occurrences, rotations, verifications, repositoryInstallations] = await Promise.all([
      store.allSecrets(),
      store.allOccurrences(),
      store.allRotations(),
      store.latestVerifications(),
      store.repositoryInstallations(),
    ]);
    const report = buildOrganizationReport(
      { secrets, occurrences, rotations, verifications, repositoryInstallations },
      { generatedAt: (options.now ?? (() => new Date()))(), ...(options.installation !== undefined ? { installationId: options.installation } : {}) },
    );
    text = options.format === "json" ? renderOrganizationJson(report, TOOL) : renderOrganizationText(report);
  } catch (error) {
    throw new CliError(`cannot read the store: ${firstLine(error)}`);
  } finally {
    await store.close();
  }
  if (options.output) {
    const path = resolve(io.cwd, options.output);
    try {
      await writePrivateFile(path, text);
    } catch (error) {
      throw new CliError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    }
  } else {
    io.stdout.write(text);
  }
  return EXIT.clean;
}
