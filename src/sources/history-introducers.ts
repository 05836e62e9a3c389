// Which commits introduced a blob: run only for the few blobs that hold findings. A commit
// introduces blob B at path P when P holds B in the commit and in none of its parents. So:
// - an ordinary commit that adds or changes P to B introduces it;
// - a merge introduces it only when every parent differs at P, which is exactly a conflict
//   resolution (or an "evil merge"): the case diff-based scanners miss, and a merge that merely
//   brings in a branch's change is not blamed for it;
// - a rename or copy introduces B at its new path (the secret now also lives there).
// One `git log -m --raw -z` pass over the scanned range, streamed; with few hits git filters with
// --find-object so only their commits are printed.
import { spawnGit, SAFE_DIFF_FLAGS } from "./git-process.js";
import { LineSplitter } from "./git-lines.js";

export interface Introducer {
  commit: string;
  path: string;
  /** "name <email>", or the name alone when there is no email. */
  author: string;
  /** Author date, ISO 8601. */
  date: string;
}

/**
 * Above this many blobs, every commit's changes are streamed and filtered here instead of passing
 * --find-object per blob: keeps git's argument list well under Linux's 128 KiB per-argument and
 * 2 MiB total limits (each --find-object costs ~55 bytes).
 */
export const FIND_OBJECT_MAX = 1000;

/** Marks the start of a commit header in the -z stream (a byte git never puts in an id). */
const HEADER_MARK = "\u0001";
const HEADER_FIELDS = 5; // %H %P %an %ae %aI

export interface IntroducerOptions {
  signal?: AbortSignal;
  /** Tests force the unfiltered path with 0. */
  findObjectMax?: number;
}

export async function findIntroducers(
  repoPath: string,
  revArgs: readonly string[],
  blobIds: ReadonlySet<string>,
  options: IntroducerOptions = {},
): Promise<Map<string, Introducer[]>> {
  const result = new Map<string, Introducer[]>();
  if (blobIds.size === 0) return result;
  const findObjectMax = options.findObjectMax ?? FIND_OBJECT_MAX;
  const pickaxe = blobIds.size <= findObjectMax ? [...blobIds].map((id) => `--find-object=${id}`) : [];
  const args = [
    "log",
    "--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI",
    "-z",
    "--raw",
    "--no-abbrev",
    "--no-renames", // a rename is a delete and an add: the add is what we look for
    "--no-relative",
    "--diff-merges=separate", // each parent on its own, whatever log.diffMerges says
    "--root",
    ...SAFE_DIFF_FLAGS,
    ...pickaxe,
    ...revArgs,
  ];
  const { child, done } = spawnGit(repoPath, args, { signal: options.signal, what: "git log" });
  child.stdin.end();
  const parser = new RawLogParser(blobIds, (blob, introducer) => {
    let list = result.get(blob);
    if (list === undefined) result.set(blob, (list = []));
    list.push(introducer);
  });
  const records = new LineSplitter((token) => parser.token(token), 0x00);
  child.stdout.on("data", (chunk: Buffer) => records.push(chunk));
  await done;
  records.end();
  parser.end();
  return result;
}

interface CommitState {
  commit: string;
  parents: number;
  author: string;
  date: string;
  /** "path\0blob" → in how many parent diffs the path became the blob. */
  added: Map<string, number>;
}

/**
 * Parses `git log -z --raw -m` with the header format above. Exported for tests. Tokens are
 * NUL-separated: a header (mark + 5 fields), then raw entries (`:m1 m2 old new S` and a path).
 */
export class RawLogParser {
  readonly #wanted: ReadonlySet<string>;
  readonly #emit: (blob: string, introducer: Introducer) => void;
  #header: string[] | null = null;
  #current: CommitState | null = null;
  #pendingBlob: string | null = null;
  #expectPath = false;

  constructor(wanted: ReadonlySet<string>, emit: (blob: string, introducer: Introducer) => void) {
    this.#wanted = wanted;
    this.#emit = emit;
  }

  token(raw: string): void {
    // git ends the header line with a newline before the raw entries.
    const token = raw.startsWith("\n") ? raw.replace(/^\n+/, "") : raw;
    if (this.#header !== null) {
      this.#header.push(raw);
      if (this.#header.length === HEADER_FIELDS) this.#startCommit(this.#header);
      return;
    }
    if (this.#expectPath) {
      this.#expectPath = false;
      const blob = this.#pendingBlob;
      this.#pendingBlob = null;
      if (blob !== null && this.#current !== null) {
        const key = `${raw}\u0000${blob}`;
        this.#current.added.set(key, (this.#current.added.get(key) ?? 0) + 1);
      }
      return;
    }
    if (token.startsWith(HEADER_MARK)) {
      this.#header = [token.slice(HEADER_MARK.length)];
      return;
    }
    if (token.startsWith(":")) {
      // ":100644 100644 <old> <new> M": the new side is what this commit put at the path.
      const fields = token.split(" ");
      const blob = fields[3];
      this.#pendingBlob = blob !== undefined && this.#wanted.has(blob) ? blob : null;
      this.#expectPath = true;
    }
  }

  end(): void {
    this.#flush();
  }

  #startCommit(fields: string[]): void {
    this.#header = null;
    const [commit, parents, name, email, date] = fields as [string, string, string, string, string];
    // -m prints a merge once per parent, consecutively: same commit, keep counting.
    if (this.#current?.commit === commit) return;
    this.#flush();
    this.#current = {
      commit,
      parents: parents.trim() === "" ? 0 : parents.trim().split(" ").length,
      author: email.trim() === "" ? name : `${name} <${email}>`,
      date,
      added: new Map(),
    };
  }

  #flush(): void {
    const state = this.#current;
    this.#current = null;
    if (state === null) return;
    const needed = Math.max(1, state.parents);
    for (const [key, count] of state.added) {
      if (count < needed) continue;
      const sep = key.lastIndexOf("\u0000");
      this.#emit(key.slice(sep + 1), {
        commit: state.commit,
        path: key.slice(0, sep),
        author: state.author,
        date: state.date,
      });
    }
  }
}
