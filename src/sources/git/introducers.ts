// Which commit introduced which blob at which path, from one streamed
// `git log -m --raw -z --root --find-object=…` walk of the scanned range, for the blobs with findings. A commit introduces blob B at path P when
// P holds B in the commit and in none of its parents. So:
// - an ordinary commit that adds or changes P to B introduces it (a root commit, all it holds);
// - a merge introduces it only when every parent differs at P, which is exactly a conflict
//   resolution (or an "evil merge"): the case diff-based scanners miss. A merge that merely brings
//   a branch's change over is not blamed for it;
// - a rename or copy introduces B at its new path (the secret now also lives there).
import { runGit, SAFE_DIFF_FLAGS, spawnGit } from "./process.js";
import { LineSplitter } from "./lines.js";

/** Marks the start of a commit header in the -z stream (a byte git never puts in an id). */
const HEADER_MARK = "\u0001";
const HEADER_FIELDS = 2; // %H %P
/** A gitlink (submodule commit): not a blob of this repository. */
const GITLINK_MODE = "160000";

export interface Introducer {
  commit: string;
  path: string;
  /** "name <email>", or the name alone when there is no email. */
  author: string;
  /** Author date, ISO 8601. */
  date: string;
}

/**
 * Parses `git log -z --raw -m --format=%x01%H%x00%P`. Tokens are NUL-separated: a header (mark +
 * commit, then parents), then raw entries (`:m1 m2 old new S`, then a path). Calls `introduced`
 * once per (commit, path, blob) the commit introduced, and `commit` once per commit. Exported for tests.
 */
export class RawLogParser {
  readonly #introduced: (commit: string, path: string, blob: string) => void;
  readonly #onCommit: (commit: string) => void;
  #header: string[] | null = null;
  #commit: string | null = null;
  #parents = 0;
  /** "path\0blob" → in how many parent diffs the path became the blob (this commit only). */
  #added = new Map<string, number>();
  #pendingBlob: string | null = null;
  #expectPath = false;

  constructor(introduced: (commit: string, path: string, blob: string) => void, onCommit: (commit: string) => void = () => {}) {
    this.#introduced = introduced;
    this.#onCommit = onCommit;
  }

  token(raw: string): void {
    if (this.#header !== null) {
      this.#header.push(raw);
      if (this.#header.length === HEADER_FIELDS) this.#startCommit(this.#header);
      return;
    }
    if (this.#expectPath) {
      this.#expectPath = false;
      const blob = this.#pendingBlob;
      this.#pendingBlob = null;
      if (blob !== null) {
        const key = `${raw}\u0000${blob}`;
        this.#added.set(key, (this.#added.get(key) ?? 0) + 1);
      }
      return;
    }
    // git ends the header line with a newline before the raw entries.
    const token = raw.charCodeAt(0) === 0x0a ? raw.replace(/^\n+/, "") : raw;
    if (token.startsWith(HEADER_MARK)) {
      this.#header = [token.slice(HEADER_MARK.length)];
      return;
    }
    if (token.startsWith(":")) {
      // ":100644 100644 <old> <new> M": the new side is what this commit put at the path.
      const fields = token.split(" ");
      const mode = fields[1];
      const blob = fields[3];
      const kept = blob !== undefined && mode !== GITLINK_MODE && !/^0+$/.test(blob);
      this.#pendingBlob = kept ? blob : null;
      this.#expectPath = true;
    }
  }

  end(): void {
    this.#flush();
  }

  #startCommit(fields: string[]): void {
    this.#header = null;
    const [commit, parents] = fields as [string, string];
    // -m prints a merge once per parent, consecutively: same commit, keep counting.
    if (this.#commit === commit) return;
    this.#flush();
    this.#commit = commit;
    this.#parents = parents.trim() === "" ? 0 : parents.trim().split(" ").length;
    this.#onCommit(commit);
  }

  #flush(): void {
    const commit = this.#commit;
    if (commit === null) return;
    const needed = Math.max(1, this.#parents);
    for (const [key, count] of this.#added) {
      if (count < needed) continue;
      const sep = key.lastIndexOf("\u0000");
      this.#introduced(commit, key.slice(0, sep), key.slice(sep + 1));
    }
    this.#added = new Map();
    this.#commit = null;
  }
}

/** Author and date of a few commits (those that introduced findings). */
export async function commitDetails(
  repoPath: string,
  commits: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, { author: string; date: string }>> {
  const out = new Map<string, { author: string; date: string }>();
  if (commits.length === 0) return out;
  const text = await runGit(
    repoPath,
    ["log", "--no-walk=unsorted", "--stdin", "-z", "--no-show-signature", "--encoding=UTF-8", "--format=%H%x00%an%x00%ae%x00%aI"],
    { signal, input: commits.join("\n") + "\n", what: "git log" },
  );
  const fields = text.split("\u0000");
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const commit = fields[i]!.replace(/^\n+/, "");
    const [name, email, date] = [fields[i + 1]!, fields[i + 2]!, fields[i + 3]!];
    out.set(commit, { author: email.trim() === "" ? name : `${name} <${email}>`, date: date.trim() });
  }
  return out;
}

/**
 * More wanted blobs than this and the walk diffs everything without --find-object (filtering as
 * it parses): each --find-object is one argument, and the command line has a size limit.
 */
const MAX_FIND_OBJECTS = 2000;

export interface Introduction {
  commit: string;
  path: string;
}

/**
 * Which commits introduced the `wanted` blobs, and at which paths: one `git log -m --raw` walk of
 * the range restricted to those objects (`--find-object`), so only the few blobs with findings
 * cost a walk. Same rule as RawLogParser: a merge introduces a blob only where it differs from
 * every parent.
 */
export async function findIntroductions(
  repoPath: string,
  revArgs: readonly string[],
  wanted: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<Map<string, Introduction[]>> {
  if (wanted.size === 0) return new Map();
  // In a partial clone, git prefetches every blob of a pickaxe (--find-object) diff from the
  // promisor remote; fetching is refused, so git would die. There the walk diffs everything.
  const pickaxe = wanted.size <= MAX_FIND_OBJECTS && !(await hasPromisorRemote(repoPath, signal));
  const finds = pickaxe ? [...wanted].map((id) => `--find-object=${id}`) : [];
  return walkIntroductions(repoPath, [...finds, ...revArgs], (blob) => wanted.has(blob), signal);
}

/**
 * Where blobs were introduced at paths matching `pathspec`, for the blobs `accept` keeps. A diff
 * walk, because `rev-list --objects` does not descend into a directory whose own name does not
 * match a wildcard pathspec (`*crisp*` would miss config/crisp.env). Diffs compare object ids
 * only, so a partial clone is never asked for a blob.
 */
export async function introductionsAtPaths(
  repoPath: string,
  revArgs: readonly string[],
  pathspec: string,
  accept: (blob: string) => boolean,
  signal?: AbortSignal,
): Promise<Map<string, Introduction[]>> {
  return walkIntroductions(repoPath, [...revArgs, "--", pathspec], accept, signal);
}

/** One `git log -m --raw` walk (see RawLogParser): the introductions of the blobs `accept` keeps. */
async function walkIntroductions(
  repoPath: string,
  rangeArgs: readonly string[],
  accept: (blob: string) => boolean,
  signal?: AbortSignal,
): Promise<Map<string, Introduction[]>> {
  const out = new Map<string, Introduction[]>();
  const args = [
    "log",
    "--format=%x01%H%x00%P",
    "-z",
    "--raw",
    "--no-abbrev",
    "--no-renames", // a rename is a delete and an add: the add is what we look for
    "--no-relative",
    "--diff-merges=separate", // each parent on its own, whatever log.diffMerges says
    "--root",
    ...SAFE_DIFF_FLAGS,
    ...rangeArgs,
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git log" });
  child.stdin.end();
  const seen = new Set<string>();
  const parser = new RawLogParser((commit, path, blob) => {
    if (!accept(blob)) return;
    const key = `${commit}\u0000${path}\u0000${blob}`;
    if (seen.has(key)) return;
    seen.add(key);
    let list = out.get(blob);
    if (list === undefined) out.set(blob, (list = []));
    list.push({ commit, path });
  });
  const records = new LineSplitter((token) => parser.token(token), 0x00);
  child.stdout.on("data", (chunk: Buffer) => records.push(chunk));
  await done;
  records.end();
  parser.end();
  return out;
}

/** A partial clone: some remote is a promisor (missing objects would be fetched from it). */
export async function hasPromisorRemote(repoPath: string, signal?: AbortSignal): Promise<boolean> {
  const out = await runGit(repoPath, ["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"], {
    signal,
  }).catch(() => ""); // exit 1: no such setting
  return out.split("\n").some((line) => {
    const [name, value = ""] = line.split(" ");
    return name === "extensions.partialclone" ? value !== "" : name !== undefined && name !== "" && value === "true";
  });
}
