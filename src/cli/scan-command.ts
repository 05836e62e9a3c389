// The flow shared by `dir` and `git`: source result ▶ pipeline ▶ report ▶ exit code.
import { resolve } from "node:path";
import type { Candidate } from "../detect/types.js";
import { runPipeline, type PipelineOptions } from "../pipeline.js";
import type { RepoConfig } from "../config/repo-config.js";
import { renderJson } from "../report/json.js";
import type { ReportFormat, ScanMeta, ScanReport } from "../report/model.js";
import { renderSarif } from "../report/sarif.js";
import { renderText } from "../report/text.js";
import type { SourceStats } from "../sources/types.js";
import { writePrivateFile } from "./private-file.js";
import { CliError, EXIT, type CliIO } from "./io.js";
import { TOOL } from "../version.js";

export interface ScanOutcome {
  source: ScanMeta["source"];
  target: string;
  candidates: readonly Candidate[];
  websiteIds: readonly string[];
  stats: SourceStats;
  missingObjects?: ReadonlyArray<{ id: string; path?: string }>;
  shallow?: true;
}

export function render(report: ScanReport, format: ReportFormat, color: boolean, warn?: (message: string) => void): string {
  switch (format) {
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, { onWarning: warn });
    default:
      return renderText(report, { color });
  }
}

/** Pipeline, report and exit code for one scan; `started` is performance.now() at the command's start. */
export async function finishScan(
  io: CliIO,
  outcome: ScanOutcome,
  started: number,
  config: RepoConfig,
  pipeline: Omit<PipelineOptions, "allow">,
  options: { format: ReportFormat; output?: string; onReport?: (report: ScanReport) => void | Promise<void> },
): Promise<number> {
  const report = { format: options.format, output: options.output && resolve(io.cwd, options.output) };
  const allow = new Map(config.allow.map((a) => [a.fingerprint, a.reason]));
  const result = await runPipeline(outcome, { ...pipeline, allow });
  const scanReport: ScanReport = {
    tool: TOOL,
    scan: {
      source: outcome.source,
      target: outcome.target,
      ...outcome.stats,
      durationMs: performance.now() - started,
      ...(outcome.missingObjects && outcome.missingObjects.length > 0
        ? { incomplete: true as const, missingObjects: [...outcome.missingObjects] }
        : {}),
      ...(outcome.shallow ? { shallow: true as const } : {}),
    },
    findings: result.findings,
    suppressed: result.suppressed,
  };
  const color = !report.output && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
  const text = render(scanReport, report.format, color, (m) => void io.stderr.write(`crisp-guard: warning: ${m}\n`));
  if (report.output) {
    try {
      await writePrivateFile(report.output, text);
    } catch (error) {
      throw new CliError(`cannot write ${report.output}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    }
  } else {
    io.stdout.write(text);
  }
  // The GitHub Action writes its SARIF file and outputs from the same report.
  await options.onReport?.(scanReport);
  // Findings outrank an incomplete scan: what was found must be acted on either way.
  if (result.findings.length > 0) return EXIT.findings;
  return scanReport.scan.incomplete ? EXIT.error : EXIT.clean;
}
