// Which blobs a history scan reads: every blob reachable from the chosen refs, each once, with one
// path (`git rev-list --objects`, streamed; git itself de-duplicates). Also which revisions the
// scan covers, so the commit mapping walks exactly the same range.
import { BlobSet } from "./history-blobs.js";
import { runGit, spawnGit } from "./git-process.js";
import { LineSplitter } from "./git-lines.js";

export interface HistoryRange {
  /** Only what is not reachable from this revision (a commit). */
  since?: string;
  /** Only what is reachable from this ref instead of from every ref. */
  branch?: string;
}

/** Resolves a user-given revision to a commit id; a clear one-line Error when it does not name one. */
export async function resolveCommit(repoPath: string, rev: string, what: string, signal?: AbortSignal): Promise<string> {
  try {
    // --end-of-options: a revision that starts with "-" is a name, never an option.
    const out = await runGit(repoPath, ["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`], { signal });
    return out.trim();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error(`${what} ${JSON.stringify(rev)} is not a commit in ${repoPath}`);
  }
}

/**
 * The revision arguments (for rev-list and log alike) for a range: `REF`, `SINCE..REF`,
 * `--all --not SINCE`, or `--all` plus every stash entry (older entries live only in the stash's
 * reflog, which --all does not follow).
 */
export async function revisionArgs(repoPath: string, range: HistoryRange, signal?: AbortSignal): Promise<string[]> {
  const since = range.since !== undefined ? await resolveCommit(repoPath, range.since, "--since", signal) : null;
  const positive: string[] = [];
  if (range.branch !== undefined) {
    positive.push(await resolveCommit(repoPath, range.branch, "--branch", signal));
  } else {
    positive.push("--all", ...(await stashEntries(repoPath, signal)));
  }
  return since === null ? positive : [...positive, "--not", since];
}

async function stashEntries(repoPath: string, signal?: AbortSignal): Promise<string[]> {
  const has = await runGit(repoPath, ["for-each-ref", "--format=%(refname)", "refs/stash"], { signal });
  if (has.trim() === "") return [];
  const out = await runGit(repoPath, ["log", "-g", "--no-show-signature", "--format=%H", "refs/stash"], { signal });
  return out.split("\n").filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}

export interface Enumeration {
  blobs: BlobSet;
  commits: number;
}

/** The hash width of the repository's object ids (SHA-1: 20 bytes, SHA-256: 32). */
export async function objectIdBytes(repoPath: string, signal?: AbortSignal): Promise<number> {
  const format = (await runGit(repoPath, ["rev-parse", "--show-object-format"], { signal })).trim();
  return format === "sha256" ? 32 : 20;
}

/** How many commits the range holds (a commit-only walk: cheap). */
export async function countCommits(repoPath: string, revArgs: readonly string[], signal?: AbortSignal): Promise<number> {
  const out = await runGit(repoPath, ["rev-list", "--count", ...revArgs], { signal, what: "git rev-list" });
  return Number(out.trim());
}

/**
 * Streams `git rev-list --objects --filter=object:type=blob` into a BlobSet. Lines are an id and a
 * path (a blob, or an annotated tag object, told apart when read), or a ref's commit id alone
 * (the filter drops all other commits, so commits are counted separately).
 */
export async function enumerateBlobs(
  repoPath: string,
  revArgs: readonly string[],
  idBytes: number,
  signal?: AbortSignal,
): Promise<Enumeration> {
  const blobs = new BlobSet(idBytes);
  const hexLength = idBytes * 2;
  const counting = countCommits(repoPath, revArgs, signal);
  const { child, done } = spawnGit(
    repoPath,
    ["rev-list", "--objects", "--filter=object:type=blob", ...revArgs],
    { signal, what: "git rev-list" },
  );
  child.stdin.end();
  const lines = new LineSplitter((line) => {
    if (line.length < hexLength + 1 || line.charCodeAt(hexLength) !== 0x20) return;
    // Paths are cut at a newline by git itself, so a path cannot forge a line of its own.
    blobs.add(line.slice(0, hexLength), line.slice(hexLength + 1));
  });
  child.stdout.on("data", (chunk: Buffer) => lines.push(chunk));
  await done;
  lines.end();
  return { blobs, commits: await counting };
}
