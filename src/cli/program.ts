// The `crisp-guard` command: argument parsing and dispatch. Each command reads argv and the
// environment here and passes plain options down (DESIGN.md: only app/ and cli/ read them).
import { Command, CommanderError, Option } from "commander";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { redactSecretShapes } from "../detect/redact-text.js";
import { pathMatcher } from "../repo-config.js";
import { REPORT_FORMATS, type ReportFormat } from "../report/model.js";
import { DEFAULT_MAX_FILE_SIZE } from "../sources/content.js";
import { scanDirectory } from "../sources/dir.js";
import { directorySource, loadBaseline, loadRepoConfig } from "./config-files.js";
import { CliError, EXIT, type CliIO } from "./io.js";
import { createProgress } from "./progress.js";
import { finishScan } from "./scan-command.js";
import { parseSize } from "./size.js";
import { VERSION } from "../version.js";
import { buildPipelineOptions } from "./services.js";
import { runGitCommand } from "./git-command.js";
import { catchInterrupts, INTERRUPT_EXIT } from "./interrupt.js";
import { runVerifyCli } from "./verify-cli.js";
import { runServe } from "./serve.js";

export interface CommonOptions {
  format: ReportFormat;
  output?: string;
  verify?: boolean;
  rotate?: boolean;
  baseline?: string;
  config?: string;
  maxFileSize: number;
}

const EXIT_CODES_HELP = `
Exit codes: 0 nothing reported, 1 at least one finding reported, 2 usage or runtime error
(or a git scan that could not read every object and found nothing), 130/143 on Ctrl-C/SIGTERM.
Progress goes to stderr (only on a terminal); the report to stdout or --output.
Keys are never printed: identifiers show their first 8 characters, keys at most their last 4.`;

function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--format <format>", "report format").choices(REPORT_FORMATS as string[]).default("text"))
    .option("--output <file>", "write the report to a file (mode 600) instead of stdout")
    .option("--verify", "check each keypair against the Crisp API (sends it to CRISP_API_URL only)")
    .option("--rotate", "hand live keypairs to the rotators in CRISP_GUARD_CONFIG (implies --verify)")
    .option("--baseline <file>", "suppress fingerprints found in an earlier JSON report")
    .option("--config <file>", "a crisp-guard.yml (default: .github/crisp-guard.yml, then crisp-guard.yml)")
    .option("--max-file-size <size>", "skip files larger than this (e.g. 25MB)", parseSize, DEFAULT_MAX_FILE_SIZE);
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command("crisp-guard")
    .description(
      "Find leaked Crisp API token keypairs (identifier + key) in files and git history,\n" +
        "verify them live against the Crisp API, and hand live ones to rotation.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP)
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      // Commander echoes what it did not understand: a mistyped "id:key" argument must not be.
      writeErr: (s) => void io.stderr.write(redactSecretShapes(s)),
    })
    .exitOverride();

  addCommonOptions(
    program
      .command("dir")
      .description("scan the files under PATH (default .)")
      .argument("[path]", "directory or file to scan", "."),
  )
    .addHelpText("after", `
Examples:
  crisp-guard dir .
  crisp-guard dir src --verify --format json --output report.json
  crisp-guard dir . --baseline report.json --format sarif > crisp.sarif`)
    .action(async (path: string, opts: CommonOptions) => {
      setExit(await runDirCommand(io, path, opts));
    });

  addCommonOptions(
    program
      .command("git")
      .description("scan every commit reachable from any ref of a repository (default .)")
      .argument("[repo]", "a local repository path or a URL to clone", "."),
  )
    .option("--since <rev>", "only what is not reachable from REV (e.g. the last scanned commit)")
    .option("--branch <ref>", "only commits reachable from REF instead of every ref")
    .option("--keep-clone <dir>", "clone a URL into DIR and keep it (default: a temporary directory, removed)")
    .addHelpText("after", `
Examples:
  crisp-guard git .
  crisp-guard git https://github.com/my-org/my-repo.git --format json --output report.json
  crisp-guard git . --since origin/main --branch HEAD   # only what a branch adds

A partial clone or a repository missing objects is scanned as far as it can be read, never fetched
from; the report says what was not scanned. A shallow clone's boundary commits stand for the history
before them (in CI, check out with fetch-depth: 0).`)
    .action(async (repo: string, opts: CommonOptions & { since?: string; branch?: string; keepClone?: string }) => {
      setExit(await runGitCommand(io, repo, opts));
    });

  program
    .command("verify")
    .description('read "identifier:key" lines (or JSON {identifier, key, tier?, websiteId?}) from stdin, print live | dead | unknown')
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addHelpText("after", `
Examples:
  echo "$CRISP_IDENTIFIER:$CRISP_KEY" | crisp-guard verify
  crisp-guard verify < keypairs.txt
Exit codes: 0 none live, 1 at least one live, 2 bad input or error.`)
    .action(async (opts: { format: "text" | "json" }) => {
      setExit(await runVerifyCli(io, opts));
    });

  program
    .command("serve")
    .description("run the GitHub App's webhook server (same as npm start)")
    .addHelpText("after", `
Reads Probot's variables (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST,
GHE_HOST, GHE_PROTOCOL, LOG_LEVEL) and CRISP_GUARD_DB, CRISP_GUARD_CONFIG, CRISP_API_URL.
Without APP_ID and a private key it serves the setup page that registers the app (manifest flow).
With NODE_ENV=production it refuses to start without WEBHOOK_SECRET.
In a container set HOST=0.0.0.0.`)
    .action(async () => {
      // The server keeps the process alive; Probot stops it on SIGINT.
      await runServe(io);
    });

  return program;
}

export async function runDirCommand(io: CliIO, path: string, opts: CommonOptions): Promise<number> {
  const started = performance.now();
  const root = resolve(io.cwd, path);
  let isDir: boolean;
  try {
    const s = await stat(root);
    isDir = s.isDirectory();
    if (!isDir && !s.isFile()) throw new CliError(`not a file or directory: ${path}`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`no such file or directory: ${path}`);
  }
  const { config } = await loadRepoConfig(opts.config && resolve(io.cwd, opts.config), [directorySource(isDir ? root : io.cwd)]);
  const baseline = opts.baseline ? await loadBaseline(resolve(io.cwd, opts.baseline)) : undefined;
  const pipeline = await buildPipelineOptions(io, opts, config);

  const progress = createProgress(io.stderr as NodeJS.WriteStream);
  const interrupts = catchInterrupts();
  try {
    // The walk has no child processes or temporary files: on a signal, stop waiting for it.
    const scanned = await Promise.race([
      scanDirectory(root, {
        maxFileSize: opts.maxFileSize,
        ignore: pathMatcher(config.pathsIgnore),
        onProgress: (p) => progress.update({ done: p.filesDone, bytesDone: p.bytesDone, unit: "files" }),
        onWarning: (m) => void io.stderr.write(`crisp-guard: warning: ${m}\n`),
      }),
      interrupts.arrived,
    ]);
    progress.done();
    if (typeof scanned === "string") {
      io.stderr.write(`crisp-guard: interrupted (${scanned}); nothing reported\n`);
      return INTERRUPT_EXIT[scanned];
    }
    const code = await finishScan(io, { source: "dir", target: path, ...scanned }, started, config, { ...pipeline, baseline }, opts);
    return interrupts.received !== null ? INTERRUPT_EXIT[interrupts.received] : code;
  } finally {
    progress.done();
    interrupts.dispose();
  }
}

/** Runs the CLI and returns the exit code; never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.clean;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are "errors" to commander; their exit code is 0.
      return error.exitCode === 0 ? EXIT.clean : EXIT.error;
    }
    const message = error instanceof CliError ? error.message : describeUnexpected(error);
    io.stderr.write(`crisp-guard: error: ${redactSecretShapes(message)}\n`);
    return EXIT.error;
  }
}

/** An unexpected error: its message only, never a stack or the input that caused it. */
function describeUnexpected(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? "unexpected error";
  return "unexpected error";
}
