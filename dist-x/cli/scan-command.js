// The flow shared by `dir` and `git`: source result ▶ pipeline ▶ report ▶ exit code.
import { resolve } from "node:path";
import { runPipeline } from "../pipeline.js";
import { renderJson } from "../report/json.js";
import { renderSarif } from "../report/sarif.js";
import { renderText } from "../report/text.js";
import { writePrivateFile } from "./private-file.js";
import { CliError, EXIT } from "./io.js";
import { TOOL } from "../version.js";
export function render(report, format, color, warn) {
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
export async function finishScan(io, outcome, started, config, pipeline, options) {
    const report = { format: options.format, output: options.output && resolve(io.cwd, options.output) };
    const allow = new Map(config.allow.map((a) => [a.fingerprint, a.reason]));
    const result = await runPipeline(outcome, { ...pipeline, allow });
    const scanReport = {
        tool: TOOL,
        scan: {
            source: outcome.source,
            target: outcome.target,
            ...outcome.stats,
            durationMs: performance.now() - started,
            ...(outcome.missingObjects && outcome.missingObjects.length > 0
                ? { incomplete: true, missingObjects: [...outcome.missingObjects] }
                : {}),
            ...(outcome.shallow ? { shallow: true } : {}),
        },
        findings: result.findings,
        suppressed: result.suppressed,
    };
    const color = !report.output && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
    const text = render(scanReport, report.format, color, (m) => void io.stderr.write(`crisp-guard: warning: ${m}\n`));
    if (report.output) {
        try {
            await writePrivateFile(report.output, text);
        }
        catch (error) {
            throw new CliError(`cannot write ${report.output}: ${error.code ?? "error"}`);
        }
    }
    else {
        io.stdout.write(text);
    }
    // The GitHub Action writes its SARIF file and outputs from the same report.
    await options.onReport?.(scanReport);
    // Findings outrank an incomplete scan: what was found must be acted on either way.
    if (result.findings.length > 0)
        return EXIT.findings;
    return scanReport.scan.incomplete ? EXIT.error : EXIT.clean;
}
//# sourceMappingURL=scan-command.js.map