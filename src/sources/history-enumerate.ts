// Which history a scan covers: the revision arguments for a range (every ref and the stash, or
// --since/--branch), shared by every git command of the scan.
import type { BlobSet } from "./history-blobs.js";
import { runGit } from "./git-process.js";

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

/**
 * Blobs that refs reach without a commit: a tag (or ref) pointing straight at a blob or a tree.
 * No commit introduced them, so the log walk cannot list them. Rare; a tag of a tag of a blob is
 * not followed.
 */
export async function refTargetBlobs(repoPath: string, blobs: BlobSet, signal?: AbortSignal): Promise<void> {
  const refs = await runGit(
    repoPath,
    ["for-each-ref", "--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)"],
    { signal },
  );
  const trees: string[] = [];
  for (const line of refs.split("\n")) {
    const [type, id, peeledType, peeledId] = line.split(" ");
    const [t, o] = type === "tag" ? [peeledType, peeledId] : [type, id];
    if (t === "blob" && o) blobs.add(o, "");
    else if (t === "tree" && o) trees.push(o);
  }
  for (const tree of trees) {
    const listing = await runGit(repoPath, ["ls-tree", "-r", "-z", "--full-tree", tree], { signal });
    for (const entry of listing.split("\u0000")) {
      // "<mode> blob <id>\t<path>"
      const tab = entry.indexOf("\t");
      const [, type, id] = entry.slice(0, tab).split(" ");
      if (type === "blob" && id) blobs.add(id, entry.slice(tab + 1));
    }
  }
}
