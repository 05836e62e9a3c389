// Opening what `crisp-guard git [REPO|URL]` was given: a local repository (checked), or a URL
// cloned as a mirror into a temporary directory.
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gitFailureLine, runGit, SAFE_GIT_CONFIG, safeGitEnv } from "./process.js";

/** True when `path` is itself a git repository (its top-level work tree, or a bare repository). */
export async function isRepository(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isDirectory()) return false;
    await runGit(path, ["rev-parse", "--git-dir"]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The repository `path` lies in: the top of its work tree when `path` is a subdirectory of one
 * (`crisp-guard git` run from src/), else `path` itself (a bare repository, or not a repository).
 */
export async function repositoryAround(path: string): Promise<string> {
  try {
    // No ceiling here (repoPath null): finding the enclosing repository is the point.
    const top = (await runGit(null, ["-C", path, "rev-parse", "--show-toplevel"])).trim();
    return top === "" ? path : top;
  } catch {
    return path;
  }
}

/** Throws a one-line Error unless `path` is a git repository. */
export async function assertRepository(path: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new Error(`no such file or directory: ${path}`);
  }
  if (!isDir) throw new Error(`${path} is not a directory, so not a git repository`);
  try {
    await runGit(path, ["rev-parse", "--git-dir"]);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/not a git repository/i.test(detail)) {
      throw new Error(`${path} is not a git repository (give its top-level directory or a bare repository)`);
    }
    throw new Error(`${path} cannot be opened as a git repository: ${detail}`);
  }
}

/** Does this look like a URL (or scp-like address) rather than a local path? */
export function looksLikeUrl(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target) || /^[^/\\:@\s]+@[^/\\:\s]+:/.test(target);
}

/** Text as it may appear in messages: URLs without user name or password (a token often sits there). */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]*@/gi, "$1***@");
}

export interface ClonedRepository {
  /** The bare mirror to scan. */
  path: string;
  /** Removes the clone, unless it was made in `keepDir`. */
  cleanup: () => Promise<void>;
}

export interface CloneOptions {
  /** Clone here and keep it (`--keep-clone DIR`): the directory must be empty or not exist. */
  keepDir?: string;
  signal?: AbortSignal;
  /** git's own clone progress (stage, percent), for a progress line. */
  onProgress?: (stage: string, percent: number) => void;
}

/**
 * Clones `url` with `git clone --mirror` (every ref: branches, tags, notes, pull refs, stash), with
 * the same safe settings as every other git command here. A mirror is bare: nothing is checked
 * out, so no filter or checkout hook of the cloned repository can run.
 */
export async function cloneRepository(url: string, options: CloneOptions = {}): Promise<ClonedRepository> {
  if (url.startsWith("-")) throw new Error(`not a repository URL: ${redactUrl(url)}`);
  if (/^ext::/i.test(url)) throw new Error("ext:: URLs run a command and are not accepted");
  let dir: string;
  let temporary: string | null = null;
  if (options.keepDir !== undefined) {
    dir = resolve(options.keepDir);
    await mkdir(dir, { recursive: true });
    if ((await readdir(dir)).length > 0) throw new Error(`--keep-clone directory ${options.keepDir} is not empty`);
  } else {
    temporary = await mkdtemp(join(tmpdir(), "crisp-guard-clone-"));
    dir = join(temporary, "repo.git");
  }
  const removeTemporary = async () => {
    if (temporary !== null) await rm(temporary, { recursive: true, force: true });
  };
  const onProgress = options.onProgress;
  // Loaded only to clone: a scan of a local repository (and its thread) starts without it.
  const { simpleGit } = await import("simple-git");
  const git = simpleGit({
    config: [...SAFE_GIT_CONFIG],
    abort: options.signal,
    ...(onProgress ? { progress: (p: { stage: string; progress: number }) => onProgress(p.stage, p.progress) } : {}),
    // These settings switch the risky features off; simple-git refuses any mention of them unless told.
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeFsMonitor: true,
      allowUnsafeDiffExternal: true,
      allowUnsafePager: true,
      allowUnsafeProtocolOverride: true,
      allowUnsafeAskPass: true,
    },
  }).env(safeGitEnv());
  try {
    // --quiet would silence the progress simple-git parses; without a listener, nothing is shown anyway.
    await git.clone(url, dir, onProgress ? ["--mirror"] : ["--mirror", "--quiet"]);
  } catch (error) {
    await removeTemporary();
    if (options.signal?.aborted) throw error;
    const detail = gitFailureLine(error instanceof Error ? error.message : String(error));
    throw new Error(`cannot clone ${redactUrl(url)}: ${redactUrl(detail) || "git clone failed"}`);
  }
  return {
    path: dir,
    cleanup: temporary === null ? async () => {} : removeTemporary,
  };
}
