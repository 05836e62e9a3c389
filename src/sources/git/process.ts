// The one place git is started. Everything the scanner runs goes through here, so the guarantees
// hold everywhere: an argument array (no shell), no prompts, and nothing from the scanned
// repository's configuration that could run a program (hooks, fsmonitor, external diff, textconv,
// pager, signature programs).
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { dirname, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";

/**
 * `-c` settings given to every git command. Command-line config overrides the repository's own
 * .git/config, so a hostile repository cannot switch these back on.
 */
export const SAFE_GIT_CONFIG: readonly string[] = Object.freeze([
  "core.hooksPath=/dev/null", // no hooks (reference-transaction hooks run even on clone)
  "core.fsmonitor=", // a repository-chosen fsmonitor is a program git runs
  "diff.external=", // an external diff program
  "core.pager=cat",
  "log.showSignature=false", // would run gpg.program, which the repository may set
  "protocol.ext.allow=never", // ext:: URLs run a command
  "core.quotePath=false",
  "color.ui=false",
]);

/**
 * `-c` settings for every command that reads a local repository (all of spawnGit's, never the
 * clone). A partial clone fetches a missing object from its promisor remote on first touch; a scan
 * must never reach the network. GIT_NO_LAZY_FETCH (git ≥ 2.44) says so directly; older git ignores
 * it, so every transport is refused as well: the lazy `git fetch` child inherits these settings
 * (through GIT_CONFIG_PARAMETERS) and fails before it connects or runs an upload-pack.
 */
export const NO_FETCH_GIT_CONFIG: readonly string[] = Object.freeze(["protocol.allow=never"]);

/** Flags for commands that produce diffs (log), so attributes cannot pick a textconv or diff program. */
export const SAFE_DIFF_FLAGS: readonly string[] = Object.freeze([
  "--no-textconv",
  "--no-ext-diff",
  "--no-show-signature",
  "--no-color",
]);

/**
 * Environment variables that could redirect git (another repository, object store or config
 * file) or make it run a program. Everything starting with GIT_ is dropped as well.
 */
const UNSAFE_ENV = new Set(["PAGER", "EDITOR", "VISUAL", "SSH_ASKPASS", "PREFIX"]);

/** The environment for git: the caller's, minus anything git-specific, plus no prompting. */
export function safeGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith("GIT_") || UNSAFE_ENV.has(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    GIT_TERMINAL_PROMPT: "0", // never wait for a username or password
    GIT_ASKPASS: "", // ditto, for a configured askpass helper
    GIT_PAGER: "cat",
    GIT_OPTIONAL_LOCKS: "0", // reading must not write the index of the scanned repository
    GIT_NO_REPLACE_OBJECTS: "1", // read the objects as stored: refs/replace cannot hide content
    LC_ALL: "C", // error text we can recognise
    ...extra,
  };
}

/**
 * The argv for a git command on `repoPath`. GIT_CEILING_DIRECTORIES (see gitEnvFor) keeps git from
 * walking up to an enclosing repository, so "not a repository" means exactly that.
 */
export function gitArgv(repoPath: string | null, args: readonly string[]): string[] {
  const argv: string[] = [];
  for (const setting of [...SAFE_GIT_CONFIG, ...NO_FETCH_GIT_CONFIG]) argv.push("-c", setting);
  argv.push("--no-pager");
  if (repoPath !== null) argv.push("-C", repoPath);
  argv.push(...args);
  return argv;
}

function gitEnvFor(repoPath: string | null, extra: Record<string, string> = {}): Record<string, string> {
  // A partial clone must never fetch what it lacks: the scan reports it missing instead.
  const noFetch = { GIT_NO_LAZY_FETCH: "1" };
  if (repoPath === null) return safeGitEnv({ ...noFetch, ...extra });
  return safeGitEnv({ ...noFetch, GIT_CEILING_DIRECTORIES: dirname(resolve(repoPath)), ...extra });
}

/** One line for an Error message: git's first `fatal:`/`error:` line, else its first line. */
export function gitFailureLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  const pick = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? "";
  return pick.replace(/^(fatal|error):\s*/, "").slice(0, 300);
}

/** git exited with a failure. `message` is one line. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitCommandError";
  }
}

/** Bytes of stderr kept per command: enough for git's message, bounded whatever git prints. */
export const STDERR_KEEP_BYTES = 16 * 1024;

export type GitChild = ChildProcessByStdio<Writable, Readable, Readable>;

export interface SpawnedGit {
  child: GitChild;
  /** Resolves when git exits with 0; rejects with a GitCommandError otherwise (or on abort). */
  done: Promise<void>;
}

/** Starts git for streaming. The caller reads child.stdout and may write child.stdin. */
export function spawnGit(
  repoPath: string | null,
  args: readonly string[],
  options: { signal?: AbortSignal; what?: string; env?: Record<string, string> } = {},
): SpawnedGit {
  const child = spawn("git", gitArgv(repoPath, args), {
    // `env`: variables the caller needs git to see despite safeGitEnv (a hook's GIT_INDEX_FILE).
    env: gitEnvFor(repoPath, options.env),
    stdio: ["pipe", "pipe", "pipe"],
    signal: options.signal,
    windowsHide: true,
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (stderr.length < STDERR_KEEP_BYTES) stderr += chunk;
  });
  // git may exit before reading all of stdin (an error); that must surface as git's error, not EPIPE.
  child.stdin.on("error", () => {});
  const what = options.what ?? `git ${args[0] ?? ""}`;
  const done = new Promise<void>((resolvePromise, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.name === "AbortError") reject(abortError(options.signal));
      else if (error.code === "ENOENT") reject(new Error("git is not installed or not on PATH"));
      else reject(new Error(`${what} could not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      if (options.signal?.aborted) reject(abortError(options.signal));
      else if (code === 0) resolvePromise();
      else {
        const detail = gitFailureLine(stderr) || (signal ? `killed by ${signal}` : `exit code ${code}`);
        reject(new GitCommandError(`${what} failed: ${detail}`, code, stderr));
      }
    });
  });
  // A rejection nobody awaited yet must not crash the process; callers await `done`.
  done.catch(() => {});
  return { child, done };
}

/** Runs git to completion and returns its stdout (for small outputs only). */
export async function runGit(
  repoPath: string | null,
  args: readonly string[],
  options: { signal?: AbortSignal; input?: string; what?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const { child, done } = spawnGit(repoPath, args, options);
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stdin.end(options.input ?? "");
  await done;
  return Buffer.concat(chunks).toString("utf8");
}

export function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("the scan was aborted");
  error.name = "AbortError";
  return error;
}
