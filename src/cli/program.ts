// The `crisp-guard` command: argument parsing and dispatch. Each command reads argv and the
// environment here and passes plain options down (DESIGN.md: only app/ and cli/ read them).
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { resolve } from "node:path";
import { redactSecretShapes } from "../detect/redact-text.js";
import { REPORT_FORMATS } from "../report/model.js";
import { DEFAULT_MAX_FILE_SIZE } from "../sources/content.js";
import { directorySource, loadBaseline, loadLocalRepoConfig } from "./config-files.js";
import { resolveInputs, scanInputs } from "./dir-inputs.js";
import { collect, ignoreMatcher } from "./exclude.js";
import { runInstallHook } from "./install-hook.js";
import { runStagedCommand } from "./staged-command.js";
import { CliError, EXIT, type CliIO } from "./io.js";
import { createProgress } from "./progress.js";
import { finishScan } from "./scan-command.js";
import { parseSize } from "./size.js";
import { VERSION } from "../version.js";
import { buildPipelineOptions } from "./services.js";
import { runGitCommand } from "./git-command.js";
import { catchInterrupts, INTERRUPT_EXIT } from "./interrupt.js";
import { runVerifyCli } from "./verify-cli.js";
import { runReportCommand } from "./report-command.js";
import { runBackfillCommand } from "./backfill-command.js";
import { BREAKER_COOLDOWN_MS, BREAKER_FAILURE_THRESHOLD } from "../verify/breaker.js";
import { CRISP_UNAVAILABLE_REASON, DEFAULT_RETRIES, MAX_WEBSITE_IDS_TRIED } from "../verify/verifier.js";
import { escapeTerminal } from "../escape/terminal.js";
import type { CommonOptions } from "./common-options.js";

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
    .addOption(
      new Option("--max-file-size <size>", "skip files larger than this (e.g. 512KB, 25MB)")
        .argParser(parseSize)
        .default(DEFAULT_MAX_FILE_SIZE, "25MB"),
    )
    .option("--exclude <glob>", "skip paths matching GLOB, beside the config's paths-ignore (repeatable)", collect);
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
      // Commander quotes the arguments it rejects: escaped line by line, its own newlines kept.
      writeErr: (s) => void io.stderr.write(redactSecretShapes(s).split("\n").map(escapeTerminal).join("\n")),
      // Commander's own errors ("error: unknown option") carry the prefix every other error has.
      outputError: (s, write) => write(`crisp-guard: ${s}`),
    })
    .exitOverride();

  addCommonOptions(
    program
      .command("dir")
      .description("scan the files under each PATH (default .; - reads one document from stdin)")
      .argument("[path...]", "directories or files to scan, or - for standard input"),
  )
    .addHelpText("after", `
Examples:
  crisp-guard dir .
  crisp-guard dir src config --exclude "**/*.test.ts"
  crisp-guard dir src --verify --format json --output report.json
  kubectl get secret app -o yaml | crisp-guard dir -
  crisp-guard dir . --baseline report.json --format sarif > crisp.sarif`)
    .action(async (paths: string[], opts: CommonOptions) => {
      setExit(await runDirCommand(io, paths.length > 0 ? paths : ["."], opts));
    });

  addCommonOptions(
    program
      .command("git")
      .description("scan every commit reachable from any ref of a repository (default .)")
      .argument("[repo]", "a local repository path or a URL to clone", "."),
  )
    .option("--since <rev>", "only what is not reachable from REV (e.g. the last scanned commit)")
    .option("--branch <ref>", "only commits reachable from REF instead of every ref (repeatable)", collect)
    .option("--keep-clone <dir>", "clone a URL into DIR and keep it (default: a temporary directory, removed)")
    .addHelpText("after", `
Examples:
  crisp-guard git .
  crisp-guard git https://github.com/my-org/my-repo.git --format json --output report.json
  crisp-guard git . --since origin/main --branch HEAD   # only what a branch adds
  crisp-guard git . --branch main --branch release

A partial clone or a repository missing objects is scanned as far as it can be read, never fetched
from; the report says what was not scanned. A shallow clone's boundary commits stand for the history
before them (in CI, check out with fetch-depth: 0).`)
    .action(async (repo: string, opts: CommonOptions & { since?: string; branch?: string[]; keepClone?: string }) => {
      setExit(await runGitCommand(io, repo, opts));
    });

  addCommonOptions(
    program
      .command("staged")
      .description("scan what is staged in the index (for a pre-commit hook): the staged files only, never history"),
  )
    .addHelpText("after", `
Examples:
  crisp-guard staged                 # in a pre-commit hook: exit 1 refuses the commit
  crisp-guard install-hook           # writes that hook for you
Run it anywhere inside the work tree; the repository config is read from its top level.`)
    .action(async (opts: CommonOptions) => {
      setExit(await runStagedCommand(io, opts));
    });

  program
    .command("install-hook")
    .description('write a git pre-commit hook that runs "crisp-guard staged" (honours core.hooksPath)')
    .option("--force", "replace an existing pre-commit hook")
    .addHelpText("after", `
An existing hook is never replaced without --force (exit 2). With the pre-commit framework, use
this repository's .pre-commit-hooks.yaml instead (hook id crisp-guard).`)
    .action(async (opts: { force?: boolean }) => {
      setExit(await runInstallHook(io, opts));
    });

  program
    .command("verify")
    .description('read "identifier:key" lines (or JSON {identifier, key, tier?, websiteId?}) from stdin, print live | dead | unknown')
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(new Option("--tier <tier>", "the tier of keypairs whose line names none: checked on that tier only").choices(["plugin", "website"]))
    .option("--website-id <uuid>", "the website id beside keypairs whose line gives none (needed to check a website token)")
    .addHelpText("after", `
Requests per keypair: a named tier (the line's "tier" or --tier) is one request; the website tier
needs a website id (the line's "websiteId" or --website-id). With no tier named: plugin, then
website with that id, else with the input's other website ids (at most ${MAX_WEBSITE_IDS_TRIED}).
While Crisp fails: at most ${DEFAULT_RETRIES + 1} requests per keypair, and after ${BREAKER_FAILURE_THRESHOLD} failures in a row
nothing is sent for ${BREAKER_COOLDOWN_MS / 1000} s (unknown, "${CRISP_UNAVAILABLE_REASON}").

Examples:
  echo "$CRISP_IDENTIFIER:$CRISP_KEY" | crisp-guard verify
  echo "$CRISP_IDENTIFIER:$CRISP_KEY" | crisp-guard verify --tier website --website-id "$CRISP_WEBSITE_ID"
  crisp-guard verify --format json < keypairs.txt
Exit codes: 1 at least one live, else 2 a malformed line (named by its number on stderr, never its
content) or an error, else 0.`)
    .action(async (opts: { format: "text" | "json"; tier?: "plugin" | "website"; websiteId?: string }) => {
      setExit(await runVerifyCli(io, opts));
    });

  program
    .command("backfill")
    .description("queue history backfills in the app's store: every branch and tag of each repository, scanned once")
    .option("--installation <id>", "the GitHub App installation: alone, every repository it can read", parseInstallationId)
    .option("--repo <owner/name>", "one repository (repeatable); its installation comes from the store unless --installation names it", collectRepo, [])
    .option("--force", "scan again repositories already backfilled", false)
    .addHelpText("after", `
Writes to the store the running app uses: DATABASE_URL (Postgres: the jobs go to its queue at once)
when set, else the SQLite file CRISP_GUARD_DB (default ./data/crisp-guard.db; the running app picks
the jobs up within 5 s, or at its next start). Nothing is cloned here: the app's workers clone each
repository with the installation's token, scan its history, and report in a "Crisp Guard: history"
check run on the default branch. The app backfills on its own when it is installed
(installation.created) and when repositories are added to an installation.
A repository is backfilled once: asked again, it is queued only with --force (a failed one is
queued again without it).

Examples:
  crisp-guard backfill --installation 12345678
  crisp-guard backfill --repo my-org/shop --repo my-org/api
  DATABASE_URL=postgres://guard@db:5432/guard crisp-guard backfill --repo my-org/shop --force
Exit codes: 0 the request was recorded (queued, or already done), 2 a usage error, a missing store,
an unknown installation, or Postgres unreachable.`)
    .action(async (opts: { installation?: number; repo: string[]; force: boolean }) => {
      setExit(await runBackfillCommand(io, opts));
    });

  program
    .command("report")
    .description("list every secret the app's store knows, organization-wide: state, tier, where it occurs, time to dead")
    .option("--installation <id>", "only the repositories whose webhooks came from this GitHub App installation", parseInstallationId)
    .addOption(new Option("--format <format>", "report format").choices(["text", "json"]).default("text"))
    .option("--output <file>", "write the report to a file (mode 600) instead of stdout")
    .addHelpText("after", `
Reads the store the running app uses: DATABASE_URL (Postgres) when set, else the SQLite file
CRISP_GUARD_DB (default ./data/crisp-guard.db, relative to the current directory). Nothing is sent
to Crisp; the SQLite file is opened read-only (never created, never migrated: run the app's build).
The store holds no raw key: identifiers show their first 8 characters, keys at most their last 4.
"First pushed" is the earliest commit date of the secret's occurrences, else when the app first saw it.

Examples:
  CRISP_GUARD_DB=/srv/crisp-guard/data/crisp-guard.db crisp-guard report
  DATABASE_URL=postgres://guard@db:5432/guard crisp-guard report --format json --output secrets.json
  crisp-guard report --installation 12345678
Exit codes: 0 the report was written (empty or not), 2 a usage error, a missing or unreadable store,
or Postgres unreachable.`)
    .action(async (opts: { installation?: number; format: "text" | "json"; output?: string }) => {
      setExit(await runReportCommand(io, opts));
    });

  program
    .command("serve")
    .description("run the GitHub App's webhook server and its jobs (same as npm start)")
    .option("--role <role>", "what this process runs: all (webhooks and jobs), web (webhooks only) or worker (jobs only); web and worker need DATABASE_URL (default: CRISP_GUARD_ROLE, else all)")
    .addHelpText("after", `
Reads Probot's variables (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST,
GHE_HOST, GHE_PROTOCOL, LOG_LEVEL) and CRISP_GUARD_DB (SQLite) or DATABASE_URL (Postgres),
CRISP_GUARD_CONFIG, CRISP_API_URL, CRISP_GUARD_ROLE.
Without APP_ID and a private key it serves the setup page that registers the app (manifest flow).
With NODE_ENV=production it refuses to start without WEBHOOK_SECRET.
Webhooks: POST /api/github/webhooks, signed (X-Hub-Signature-256), at most 25 MB (GitHub's cap; 413 beyond).
Health: GET /healthz (the process answers), GET /readyz (the store and the queue answer; 503 if not).
SQLite (the default) runs everything in one process. With DATABASE_URL (Postgres, pg-boss queue) any
number of web and worker processes may share the database: web answers webhooks and queues jobs,
worker runs them and the re-checks (CRISP_GUARD_JOB_EXPIRE_SECONDS: when a dead worker's job moves on).
SIGTERM or SIGINT: stops taking webhooks and jobs, gives running jobs CRISP_GUARD_SHUTDOWN_GRACE_SECONDS
(default 25) to finish, leaves the rest to the queue, closes the database, exits 143 (130).
In a container set HOST=0.0.0.0.`)
    .action(async (opts: { role?: string }) => {
      // Loaded here only: Probot and the store (a native module) cost every other command ~1 s to
      // import, and a scan must run where the native module could not be built.
      const { runServe, stopOnSignals, withNewSigintListeners } = await import("./serve.js");
      const env = opts.role === undefined ? io.env : { ...io.env, CRISP_GUARD_ROLE: opts.role };
      // The server keeps the process alive until a signal stops it.
      const { value: handle, added } = await withNewSigintListeners(() => runServe({ env }));
      stopOnSignals(handle, io, added);
    });

  return program;
}

export async function runDirCommand(io: CliIO, paths: readonly string[], opts: CommonOptions): Promise<number> {
  const started = performance.now();
  const inputs = await resolveInputs(io.cwd, paths);
  // One directory: its own config, as before; several, a file or stdin: the current directory's.
  const only = inputs.length === 1 && inputs[0]!.isDir ? inputs[0]!.abs! : io.cwd;
  const { config } = await loadLocalRepoConfig(opts.config && resolve(io.cwd, opts.config), [directorySource(only)]);
  const baseline = opts.baseline ? await loadBaseline(resolve(io.cwd, opts.baseline)) : undefined;
  const pipeline = await buildPipelineOptions(io, opts, config);

  const progress = createProgress(io.stderr as NodeJS.WriteStream);
  const interrupts = catchInterrupts();
  try {
    // The walk has no child processes or temporary files: on a signal, stop waiting for it.
    const scanned = await Promise.race([
      scanInputs(inputs, io.stdin, {
        maxFileSize: opts.maxFileSize,
        ignore: ignoreMatcher(config, opts.exclude),
        onProgress: (p) => progress.update({ done: p.filesDone, bytesDone: p.bytesDone, unit: "files" }),
        onWarning: (m) => void io.stderr.write(`crisp-guard: warning: ${escapeTerminal(m)}\n`),
      }),
      interrupts.arrived,
    ]);
    progress.done();
    if (typeof scanned === "string") {
      io.stderr.write(`crisp-guard: interrupted (${scanned}); nothing reported\n`);
      return INTERRUPT_EXIT[scanned];
    }
    const code = await finishScan(io, { source: "dir", target: paths.join(" "), ...scanned }, started, config, { ...pipeline, baseline }, opts);
    return interrupts.received !== null ? INTERRUPT_EXIT[interrupts.received] : code;
  } finally {
    progress.done();
    interrupts.dispose();
  }
}

/** --repo, repeatable: collected in order. */
function collectRepo(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** --installation: a GitHub installation id, a positive integer. */
function parseInstallationId(value: string): number {
  const id = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError("expected a GitHub App installation id (a positive integer)");
  }
  return id;
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
    io.stderr.write(`crisp-guard: error: ${escapeTerminal(redactSecretShapes(message))}\n`);
    return EXIT.error;
  }
}

/** An unexpected error: its message only, never a stack or the input that caused it. */
function describeUnexpected(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? "unexpected error";
  return "unexpected error";
}
