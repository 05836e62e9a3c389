// Which history a scan covers: the revision arguments for a range (every ref and the stash, or
// --since/--branch), shared by every git command of the scan.
import { readFile } from "node:fs/promises";
import { runGit, spawnGit } from "./process.js";
import { LineSplitter } from "./lines.js";

export interface HistoryRange {
  /** Only what is not reachable from this revision (a commit). */
  since?: string;
  /** Only what is reachable from these refs instead of from every ref. */
  branch?: string | readonly string[];
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
 * The revision arguments (for every git log of the scan) for a range: `REF`, `SINCE..REF`,
 * `--all --not SINCE`, or `--all` plus every stash entry (older entries live only in the stash's
 * reflog, which --all does not follow).
 */
export async function revisionArgs(repoPath: string, range: HistoryRange, signal?: AbortSignal): Promise<string[]> {
  const since = range.since !== undefined ? await resolveCommit(repoPath, range.since, "--since", signal) : null;
  const positive: string[] = [];
  if (range.branch !== undefined) {
    for (const ref of typeof range.branch === "string" ? [range.branch] : range.branch) {
      positive.push(await resolveCommit(repoPath, ref, "--branch", signal));
    }
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

/** The hash width of the repository's object ids (SHA-1: 20 bytes, SHA-256: 32). */
export async function objectIdBytes(repoPath: string, signal?: AbortSignal): Promise<number> {
  const format = (await runGit(repoPath, ["rev-parse", "--show-object-format"], { signal })).trim();
  return format === "sha256" ? 32 : 20;
}

export interface BlobListing {
  /** A blob reachable from the range, with the path it was first met at ("" for a tag's blob). */
  onBlob(hex: string, path: string): void;
  /** An object the range reaches that the store does not hold (partial clone, damaged mirror). */
  onMissing(hex: string): void;
  /** Set while the consumer cannot take more: the listing pauses until it resolves. */
  congested?(): Promise<void> | null;
}

/**
 * Every blob the range reaches, each once: `git rev-list --objects` walks each tree once (a
 * tree shared by ten thousand commits is read once), much cheaper than diffing every commit
 * against its parents. `--missing=print` lists what the store lacks instead of failing (and, in
 * a partial clone, without fetching it). Paths with a newline are not split correctly (rev-list
 * prints names raw): the rest of the name is taken as part of the path.
 */
export async function listBlobs(
  repoPath: string,
  revArgs: readonly string[],
  listing: BlobListing,
  signal?: AbortSignal,
  extraArgs: readonly string[] = [],
): Promise<void> {
  const args = [
    "rev-list",
    "--objects",
    "--filter=object:type=blob",
    "--filter-provided-objects",
    "--missing=print",
    ...revArgs,
    ...extraArgs,
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git rev-list" });
  child.stdin.end();
  let last: { hex: string; path: string } | null = null;
  const emit = () => {
    if (last !== null) listing.onBlob(last.hex, last.path);
    last = null;
  };
  const lines = new LineSplitter((line) => {
    if (line.startsWith("?")) {
      emit();
      listing.onMissing(line.slice(1).trim());
      return;
    }
    const space = line.indexOf(" ");
    const hex = space === -1 ? line : line.slice(0, space);
    if ((hex.length === 40 || hex.length === 64) && /^[0-9a-f]+$/.test(hex)) {
      emit();
      last = { hex, path: space === -1 ? "" : line.slice(space + 1) };
    } else if (last !== null) {
      last.path += `\n${line}`;
    }
  });
  child.stdout.on("data", (chunk: Buffer) => {
    lines.push(chunk);
    const wait = listing.congested?.();
    if (wait) {
      child.stdout.pause();
      void wait.then(() => child.stdout.resume());
    }
  });
  await done;
  lines.end();
  emit();
}

/** Commits in the range (merges and stash entries included). */
export async function countCommits(repoPath: string, revArgs: readonly string[], signal?: AbortSignal): Promise<number> {
  const out = await runGit(repoPath, ["rev-list", "--count", ...revArgs], { signal });
  return Number(out.trim()) || 0;
}

/** The commits a shallow clone was cut at (they stand for all the history before them). */
export async function shallowBoundary(repoPath: string, signal?: AbortSignal): Promise<Set<string>> {
  const shallow = (await runGit(repoPath, ["rev-parse", "--is-shallow-repository"], { signal })).trim() === "true";
  if (!shallow) return new Set();
  const file = (await runGit(repoPath, ["rev-parse", "--path-format=absolute", "--git-path", "shallow"], { signal })).trim();
  const text = await readFile(file, "utf8").catch(() => "");
  return new Set(text.split("\n").map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l)));
}
