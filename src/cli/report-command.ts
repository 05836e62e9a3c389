// `crisp-guard report`: what the app's store knows, organization-wide. Reads the store the running
// app uses (DATABASE_URL, else CRISP_GUARD_DB), one listing per table, and hands the rows to the pure
// report builder. Never creates a store: a missing SQLite file is an error, not an empty report.
import { resolve } from "node:path";
import { buildOrganizationReport, renderOrganizationJson, renderOrganizationText } from "../report/organization.js";
import { TOOL } from "../version.js";
import { CliError, EXIT, type CliIO } from "./io.js";
import { openAppStore } from "./app-store.js";
import { writePrivateFile } from "./private-file.js";

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

export async function runReportCommand(io: CliIO, options: ReportCommandOptions): Promise<number> {
  const store = await openAppStore(io, { readOnly: true });
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
