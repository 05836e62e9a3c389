// GitHub repositories fetched over HTTPS with an installation token into temporary bare
// repositories: one commit's tree (fetchCommit: blobs up to the scanner's file size limit, no
// history), for pairing halves across the files of a tree the REST API shows file by file; or whole
// histories (fetchHistory, fetchCommits), for backfills and pushes too big for the API. The token
// travels in git's environment only (GIT_CONFIG_* with http.extraHeader): never in a URL, an
// argument (visible in /proc), a log line or an error message.
import { repositoryName } from "../../github/repository.js";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, lstat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isLoopbackHost } from "../../config/loopback.js";
import { DEFAULT_MAX_FILE_SIZE } from "../content.js";
import { gitFailureLine, runGit, SAFE_GIT_CONFIG, safeGitEnv, STDERR_KEEP_BYTES } from "./process.js";

/**
 * How long the fetch may take. A push job has no deadline of its own, but a shallow fetch of one
 * commit of a repository within CLONE_MAX_BYTES takes well under a minute on GitHub; past two the
 * job's ordinary findings should not wait any longer.
 */
export const CLONE_TIMEOUT_MS = 120_000;

/**
 * Disk the temporary repository may use (pack files as they arrive). GitHub warns at 1 GB per
 * repository, and one commit's tree without blobs over the file size limit is far smaller in all
 * but monorepos: past half of that, the push is reported without the cross-file pass.
 */
export const CLONE_MAX_BYTES = 512 * 1024 * 1024;

/** How often the temporary directory's size is measured while git fetches. */
const DISK_POLL_MS = 250;

/** A full object id: what is fetched (never a ref name the server could resolve differently). */
const SHA_RE = /^[0-9a-f]{40}$/;
/** GitHub owner and repository names (letters, digits, '-', '_', '.'). */
const NAME_RE = /^[A-Za-z0-9_.-]+$/;

export interface RepositoryName {
  owner: string;
  repo: string;
}

export interface FetchCommitOptions {
  /** GitHub's web address (https://github.com, a GHE host); http only for a loopback host (tests). */
  baseUrl: string;
  /** An installation access token with contents: read. */
  token: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  /** Blobs larger than this are left out of the fetch (the scanner would skip them anyway). */
  maxBlobBytes?: number;
  /** Where the temporary directory is made (default: the system's temp folder). */
  tempRoot?: string;
}

export interface FetchedCommit {
  /** The temporary bare repository: read it with spawnGit/runGit (which never fetch). */
  gitDir: string;
  commit: string;
  /** Blobs of the commit's tree the fetch left out (over maxBlobBytes): not readable here. */
  missing: ReadonlySet<string>;
  /** Removes the temporary repository. Safe to call more than once. */
  cleanup(): Promise<void>;
}

/** The fetch failed: a one-line message that names the repository, never the token. */
export class CloneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CloneError";
  }
}

/** `https://host/owner/repo.git`; refuses anything but https, or http on a loopback host. */
export function cloneUrl(baseUrl: string, repo: RepositoryName): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CloneError("the GitHub address is not a URL");
  }
  if (url.username || url.password) throw new CloneError("the GitHub address must not hold credentials");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new CloneError("the GitHub address must be https (http only on a loopback address)");
  }
  if (!NAME_RE.test(repo.owner) || !NAME_RE.test(repo.repo) || repo.repo === "." || repo.repo === "..") {
    throw new CloneError("not a GitHub repository name");
  }
  const base = url.href.replace(/\/+$/, "");
  return `${base}/${repo.owner}/${repo.repo}.git`;
}

/**
 * git's environment for an authenticated fetch: the safe environment, then the header, added after
 * safeGitEnv (which drops every GIT_* variable). GitHub takes an installation token as the password
 * of the user `x-access-token`.
 */
export function authenticatedGitEnv(token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  return safeGitEnv({
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  });
}

/** Text as it may leave this module: without the token, in either of its forms. */
function withoutToken(text: string, token: string): string {
  if (token === "") return text;
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  return text.split(token).join("[token]").split(basic).join("[token]");
}

/** Bytes under `dir` (files and links as stored; directories count nothing). */
async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // removed or not made yet
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += await diskBytes(path);
    else {
      try {
        total += (await lstat(path)).size;
      } catch {
        // a temporary file git renamed meanwhile
      }
    }
  }
  return total;
}

/** What one fetch asks for: refspecs (or object ids), and how much of their history. */
export interface FetchSpec {
  /** Refspecs or full object ids, as `git fetch origin` takes them. */
  refspecs: readonly string[];
  /** Only this many commits of each (a single commit's tree: 1); absent: the whole history. */
  depth?: number;
  /** Leave out blobs larger than this (partial fetch); absent: every blob. */
  maxBlobBytes?: number;
}

/**
 * The argv of the fetch: only the transport of the URL is allowed (no redirect to file:// or
 * ext::), no credential helper (the header is the only credential), and nothing secret.
 */
export function fetchArgv(gitDir: string, url: string, spec: FetchSpec): string[] {
  const transport = new URL(url).protocol === "http:" ? "http" : "https";
  const argv: string[] = [];
  for (const setting of SAFE_GIT_CONFIG) argv.push("-c", setting);
  argv.push(
    "-c", "protocol.allow=never",
    "-c", `protocol.${transport}.allow=always`,
    "-c", "credential.helper=",
    "-c", "http.followRedirects=false", // the header must not follow a redirect to another host
    "--no-pager",
    "-C", gitDir,
    "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
  );
  if (spec.depth !== undefined) argv.push(`--depth=${spec.depth}`);
  if (spec.maxBlobBytes !== undefined) argv.push(`--filter=blob:limit=${spec.maxBlobBytes}`);
  argv.push("origin", ...spec.refspecs);
  return argv;
}

/** The budgets of one fetch; what the caller left out takes the defaults. */
interface FetchBudget {
  token: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Runs the fetch with the token in its environment, within the time and disk budgets. */
async function runFetch(gitDir: string, root: string, url: string, spec: FetchSpec, options: FetchBudget): Promise<void> {
  const timeoutMs = options.timeoutMs ?? CLONE_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? CLONE_MAX_BYTES;
  const controller = new AbortController();
  let stopped: string | null = null;
  const stop = (why: string) => {
    stopped ??= why;
    controller.abort();
  };
  const timer = setTimeout(() => stop(`took longer than ${timeoutMs} ms`), timeoutMs);
  const onAbort = () => stop("was aborted");
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let measuring = false;
  const poll = setInterval(() => {
    if (measuring) return;
    measuring = true;
    void diskBytes(root).then((bytes) => {
      measuring = false;
      if (bytes > maxBytes) stop(`is larger than the ${maxBytes}-byte budget`);
    });
  }, DISK_POLL_MS);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn("git", fetchArgv(gitDir, url, spec), {
        env: authenticatedGitEnv(options.token),
        stdio: ["ignore", "ignore", "pipe"],
        signal: controller.signal,
        windowsHide: true,
      });
      let stderr = "";
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (d: string) => {
        if (stderr.length < STDERR_KEEP_BYTES) stderr += d;
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        if (error.name === "AbortError") return; // reported on close
        reject(new CloneError(error.code === "ENOENT" ? "git is not installed or not on PATH" : "git fetch could not start"));
      });
      child.on("close", (code) => {
        if (stopped) reject(new CloneError(`the fetch ${stopped}`));
        else if (code === 0) resolve();
        else reject(new CloneError(`git fetch failed: ${withoutToken(gitFailureLine(stderr), options.token) || `exit code ${code}`}`));
      });
    });
  } finally {
    clearTimeout(timer);
    clearInterval(poll);
    options.signal?.removeEventListener("abort", onAbort);
  }
  // A fetch quicker than the first measurement is measured once it is done.
  if ((await diskBytes(root)) > maxBytes) throw new CloneError(`the fetch is larger than the ${maxBytes}-byte budget`);
}

/** Blobs of the commit's tree the partial fetch did not bring (listed without fetching them). */
async function missingBlobs(gitDir: string, commit: string): Promise<Set<string>> {
  const out = await runGit(gitDir, ["rev-list", "--objects", "--missing=print", "--no-object-names", commit]);
  const missing = new Set<string>();
  for (const line of out.split("\n")) if (line.startsWith("?")) missing.add(line.slice(1).trim());
  return missing;
}

/**
 * Fetches `commit` of `repo` into a new temporary bare repository. The caller must call cleanup();
 * on any failure the directory is already removed and a CloneError (without the token) is thrown.
 */
export async function fetchCommit(repo: RepositoryName, commit: string, options: FetchCommitOptions): Promise<FetchedCommit> {
  const name = repositoryName(repo);
  if (!SHA_RE.test(commit)) throw new CloneError(`cannot fetch ${name}: not a full commit id`);
  const spec = { refspecs: [commit], depth: 1, maxBlobBytes: options.maxBlobBytes ?? DEFAULT_MAX_FILE_SIZE };
  return fetchInto(`${name} at ${commit.slice(0, 12)}`, cloneUrl(options.baseUrl, repo), spec, options, async (gitDir) => {
    const type = (await runGit(gitDir, ["cat-file", "-t", commit])).trim();
    if (type !== "commit") throw new CloneError(`${commit} is not a commit`);
    return { commit, missing: await missingBlobs(gitDir, commit) };
  });
}

/** A temporary bare repository holding what a fetch brought: whole histories. */
export interface FetchedRepository {
  /** Read it with spawnGit/runGit (which never fetch) or the history scan. */
  gitDir: string;
  /** The fetch brought no ref at all (an empty repository). */
  empty: boolean;
  /** Bytes on disk once fetched: what the disk budget measured. */
  bytes: number;
  /** Removes the temporary repository. Safe to call more than once. */
  cleanup(): Promise<void>;
}

export type FetchHistoryOptions = Omit<FetchCommitOptions, "maxBlobBytes">;

/** Every branch and every tag: what GitHub shows as the repository's history (not pull request refs). */
export const HISTORY_REFSPECS: readonly string[] = Object.freeze(["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]);

/** Where fetchCommits keeps the commits it was asked for (a fetched id needs a ref to stay reachable). */
export const FETCHED_REF_PREFIX = "refs/crisp-guard/fetched/";

/**
 * Runs one fetch into a new temporary bare repository, then `check` on it; on any failure removes
 * it and throws a CloneError naming `what` (without the token).
 */
async function fetchInto<T>(
  what: string,
  url: string,
  spec: FetchSpec,
  options: FetchHistoryOptions,
  check: (gitDir: string) => Promise<T>,
): Promise<T & { gitDir: string; cleanup(): Promise<void> }> {
  const root = await mkdtemp(join(options.tempRoot ?? tmpdir(), "crisp-guard-fetch-"));
  const cleanup = () => rm(root, { recursive: true, force: true });
  try {
    const gitDir = join(root, "repo.git");
    await runGit(null, ["init", "--quiet", "--bare", gitDir]);
    // The remote as configuration (a partial fetch needs a named remote); the URL holds no secret.
    await runGit(gitDir, ["config", "remote.origin.url", url]);
    await runFetch(gitDir, root, url, spec, options);
    return { ...(await check(gitDir)), gitDir, cleanup };
  } catch (error) {
    await cleanup();
    const detail = error instanceof Error ? error.message : String(error);
    throw new CloneError(`cannot fetch ${what}: ${withoutToken(detail, options.token)}`);
  }
}

/** A fetch of whole histories: whether it brought any ref, and its size on disk. */
function historyOf(repo: RepositoryName, what: string, spec: FetchSpec, options: FetchHistoryOptions): Promise<FetchedRepository> {
  return fetchInto(`${what} of ${repositoryName(repo)}`, cloneUrl(options.baseUrl, repo), spec, options, async (gitDir) => {
    const refs = (await runGit(gitDir, ["for-each-ref", "--count=1", "--format=%(objectname)"])).trim();
    return { empty: refs === "", bytes: await diskBytes(dirname(gitDir)) };
  });
}

/**
 * Fetches every branch and tag of `repo` with their whole history into a new temporary bare
 * repository (a backfill). Every blob comes too: a blob left out would make the history incomplete.
 */
export function fetchHistory(repo: RepositoryName, options: FetchHistoryOptions): Promise<FetchedRepository> {
  return historyOf(repo, "the history", { refspecs: HISTORY_REFSPECS }, options);
}

/**
 * Fetches these commits (full ids) with their whole history, each under FETCHED_REF_PREFIX<id>: a
 * push's new head and what it is compared with, for scanning the range from git.
 */
export function fetchCommits(repo: RepositoryName, commits: readonly string[], options: FetchHistoryOptions): Promise<FetchedRepository> {
  const bad = commits.find((c) => !SHA_RE.test(c));
  if (bad !== undefined || commits.length === 0) {
    return Promise.reject(new CloneError(`cannot fetch ${repositoryName(repo)}: not a full commit id`));
  }
  const refspecs = [...new Set(commits)].map((c) => `+${c}:${FETCHED_REF_PREFIX}${c}`);
  return historyOf(repo, `${commits.length} commit(s)`, { refspecs }, options);
}

/** Fetches the commit, runs `use` on it, and removes the temporary repository whatever happens. */
export async function withFetchedCommit<T>(
  repo: RepositoryName,
  commit: string,
  options: FetchCommitOptions,
  use: (fetched: FetchedCommit) => Promise<T>,
): Promise<T> {
  const fetched = await fetchCommit(repo, commit, options);
  try {
    return await use(fetched);
  } finally {
    await fetched.cleanup();
  }
}
