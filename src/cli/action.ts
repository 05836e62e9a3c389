// The GitHub Action (action.yml): `crisp-guard git` on the checkout, a SARIF file for code
// scanning, outputs for later steps, and the job's result. Reads only what the runner provides.
// It must not import the store or the app (better-sqlite3 is native; the bundle has no node_modules).
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { redactSecretShapes } from "../detect/redact-text.js";
import type { ReportFormat, ScanReport } from "../report/model.js";
import { REPORT_FORMATS } from "../report/model.js";
import { plural } from "../report/plural.js";
import { renderSarif } from "../report/sarif.js";
import { DEFAULT_MAX_FILE_SIZE } from "../sources/content.js";
import { runGitCommand, type GitCommandOptions } from "./git-command.js";
import { CliError, EXIT, type CliIO } from "./io.js";
import { writePrivateFile } from "./private-file.js";
import { parseSize } from "./size.js";

export type FailOn = "any" | "live";

export interface ActionInputs {
  verify: boolean;
  since?: string;
  format: ReportFormat;
  failOn: FailOn;
  sarifFile: string;
  maxFileSize: number;
}

/** GitHub passes input NAME as INPUT_<NAME uppercased>, spaces as _, hyphens kept (INPUT_FAIL-ON). */
export function input(env: Record<string, string | undefined>, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

function bool(value: string, name: string): boolean {
  // The YAML 1.2 core schema's booleans, as @actions/core's getBooleanInput accepts them.
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE", ""].includes(value)) return false;
  throw new CliError(`input ${name} must be true or false`);
}

export function readInputs(env: Record<string, string | undefined>): ActionInputs {
  const format = input(env, "format") || "text";
  if (!(REPORT_FORMATS as string[]).includes(format)) throw new CliError(`input format must be one of ${REPORT_FORMATS.join(", ")}`);
  const failOn = input(env, "fail-on") || "any";
  if (failOn !== "any" && failOn !== "live") throw new CliError("input fail-on must be any or live");
  const size = input(env, "max-file-size");
  return {
    // fail-on: live needs to know what is live.
    verify: bool(input(env, "verify"), "verify") || failOn === "live",
    since: input(env, "since") || undefined,
    format: format as ReportFormat,
    failOn,
    sarifFile: input(env, "sarif-file") || "crisp-guard.sarif",
    maxFileSize: size ? parseSize(size) : DEFAULT_MAX_FILE_SIZE,
  };
}

/** The event's part of the range: a pull request scans what its head adds over its base. */
export interface EventRange {
  since?: string;
  branch?: string;
}

export async function eventRange(env: Record<string, string | undefined>): Promise<EventRange> {
  const name = env.GITHUB_EVENT_NAME;
  if (name !== "pull_request" && name !== "pull_request_target") return {};
  if (!env.GITHUB_EVENT_PATH) throw new CliError("GITHUB_EVENT_PATH is not set on a pull_request event");
  let event: unknown;
  try {
    event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8"));
  } catch {
    throw new CliError(`cannot read the event payload at ${env.GITHUB_EVENT_PATH}`);
  }
  // Optional chaining all the way down: a payload of `null` or a scalar has no base sha either.
  const base = (event as { pull_request?: { base?: { sha?: unknown } } } | null)?.pull_request?.base?.sha;
  if (typeof base !== "string" || !/^[0-9a-f]{40,64}$/.test(base)) throw new CliError("the pull_request event has no base sha");
  // HEAD is the checked-out merge (or head) commit; other fetched branches are not this PR's.
  return { since: base, branch: "HEAD" };
}

/** `name=value` lines for GITHUB_OUTPUT (values here never hold a newline). */
export function outputLines(outputs: Record<string, string | number>): string {
  return Object.entries(outputs).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]/g, " ")}\n`).join("");
}

export async function runAction(io: CliIO): Promise<number> {
  const env = io.env;
  const workspace = env.GITHUB_WORKSPACE || io.cwd;
  let written: { findings: number; live: number } | null = null;
  try {
    const inputs = readInputs(env);
    const range = await eventRange(env);
    const sarifPath = isAbsolute(inputs.sarifFile) ? inputs.sarifFile : resolve(workspace, inputs.sarifFile);
    const options: GitCommandOptions = {
      format: inputs.format,
      verify: inputs.verify,
      maxFileSize: inputs.maxFileSize,
      since: inputs.since ?? range.since,
      ...(range.branch ? { branch: range.branch } : {}),
      async onReport(report: ScanReport) {
        await mkdir(dirname(sarifPath), { recursive: true });
        await writePrivateFile(sarifPath, renderSarif(report, { onWarning: (m) => void io.stderr.write(`crisp-guard: warning: ${m}\n`) }));
        written = { findings: report.findings.length, live: report.findings.filter((f) => f.verification.status === "live").length };
        if (env.GITHUB_OUTPUT) {
          await appendFile(env.GITHUB_OUTPUT, outputLines({ findings: written.findings, live: written.live, "sarif-file": sarifPath }));
        }
      },
    };
    const code = await runGitCommand({ ...io, cwd: workspace }, workspace, options);
    if (code === EXIT.error || written === null) return EXIT.error;
    const { findings, live } = written as { findings: number; live: number };
    const failed = inputs.failOn === "live" ? live > 0 : findings > 0;
    if (failed) {
      const what = inputs.failOn === "live" ? plural(live, "live Crisp token keypair") : plural(findings, "Crisp token keypair");
      io.stderr.write(`::error title=Crisp Guard::${what} found (fail-on: ${inputs.failOn}); SARIF: ${sarifPath}\n`);
      return EXIT.findings;
    }
    return EXIT.clean;
  } catch (error) {
    let message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : "unexpected error";
    // The usual cause: actions/checkout's default fetch-depth of 1 leaves the base commit out.
    if (/^--since /.test(message)) message += " (check out with actions/checkout fetch-depth: 0)";
    io.stderr.write(`::error title=Crisp Guard::${redactSecretShapes(message)}\n`);
    return EXIT.error;
  }
}
