// Which commit introduced which blob at which path, from one streamed
// `git log -m --raw -z --root` walk of the scanned range. A commit introduces blob B at path P when
// P holds B in the commit and in none of its parents. So:
// - an ordinary commit that adds or changes P to B introduces it (a root commit, all it holds);
// - a merge introduces it only when every parent differs at P, which is exactly a conflict
//   resolution (or an "evil merge"): the case diff-based scanners miss. A merge that merely brings
//   a branch's change over is not blamed for it;
// - a rename or copy introduces B at its new path (the secret now also lives there).
// Every blob any commit of the range holds was introduced by a commit of the range or before it,
// so the walk also enumerates the blobs to read, each with its exact path.
// What is kept per introduction is three numbers (blob, commit, path): compact per-object ids.
import type { BlobSet } from "./history-blobs.js";
import { runGit, SAFE_DIFF_FLAGS, spawnGit } from "./git-process.js";
import { LineSplitter } from "./git-lines.js";

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

/** Growable columns of (blob index, commit index, path id): every introduction of the walk. */
export class Introductions {
  #blob = new Uint32Array(1024);
  #commit = new Uint32Array(1024);
  #path = new Uint32Array(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(blob: number, commit: number, path: number): void {
    if (this.#size === this.#blob.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#blob = grow(this.#blob);
      this.#commit = grow(this.#commit);
      this.#path = grow(this.#path);
    }
    this.#blob[this.#size] = blob;
    this.#commit[this.#size] = commit;
    this.#path[this.#size] = path;
    this.#size++;
  }

  /** (commit index, path id) pairs per wanted blob index. */
  select(wanted: ReadonlySet<number>): Map<number, Array<{ commit: number; path: number }>> {
    const out = new Map<number, Array<{ commit: number; path: number }>>();
    for (let i = 0; i < this.#size; i++) {
      const blob = this.#blob[i]!;
      if (!wanted.has(blob)) continue;
      let list = out.get(blob);
      if (list === undefined) out.set(blob, (list = []));
      list.push({ commit: this.#commit[i]!, path: this.#path[i]! });
    }
    return out;
  }
}

/** Commit ids in one buffer, by index. */
export class CommitIds {
  readonly #idBytes: number;
  #ids: Buffer;
  #size = 0;

  constructor(idBytes: number) {
    this.#idBytes = idBytes;
    this.#ids = Buffer.alloc(1024 * idBytes);
  }

  get size(): number {
    return this.#size;
  }

  add(hex: string): number {
    if ((this.#size + 1) * this.#idBytes > this.#ids.length) {
      const grown = Buffer.alloc(this.#ids.length * 2);
      this.#ids.copy(grown);
      this.#ids = grown;
    }
    this.#ids.write(hex, this.#size * this.#idBytes, this.#idBytes, "hex");
    return this.#size++;
  }

  hexAt(index: number): string {
    return this.#ids.toString("hex", index * this.#idBytes, (index + 1) * this.#idBytes);
  }
}

export interface HistoryWalk {
  blobs: BlobSet;
  commits: CommitIds;
  introductions: Introductions;
  /** Commits in the range (each once, merges included). */
  commitCount: number;
  /**
   * Blob index → the other paths (path ids) it was introduced at, for blobs with more than one
   * (renames, copies): the detector takes the path as context, so each is tried.
   */
  otherPaths: Map<number, number[]>;
}

/** Streams the log of the range into `blobs` (each blob once, with the path it was first seen at). */
export async function walkHistory(
  repoPath: string,
  revArgs: readonly string[],
  blobs: BlobSet,
  signal?: AbortSignal,
): Promise<HistoryWalk> {
  const commits = new CommitIds(blobs.idBytes);
  const introductions = new Introductions();
  const otherPaths = new Map<number, number[]>();
  let commitCount = 0;
  let lastCommit = "";
  let lastIndex = -1;
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
    ...revArgs,
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git log" });
  child.stdin.end();
  const parser = new RawLogParser(
    (commit, path, blob) => {
      if (commit !== lastCommit) {
        lastCommit = commit;
        lastIndex = commits.add(commit);
      }
      const blobIndex = blobs.add(blob, path);
      const pathId = blobs.internPath(path);
      introductions.push(blobIndex, lastIndex, pathId);
      if (blobs.pathAt(blobIndex) !== path) {
        const others = otherPaths.get(blobIndex);
        if (others === undefined) otherPaths.set(blobIndex, [pathId]);
        else if (!others.includes(pathId)) others.push(pathId);
      }
    },
    () => commitCount++,
  );
  const records = new LineSplitter((token) => parser.token(token), 0x00);
  child.stdout.on("data", (chunk: Buffer) => records.push(chunk));
  await done;
  records.end();
  parser.end();
  return { blobs, commits, introductions, commitCount, otherPaths };
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
  const out = new Map<string, Introduction[]>();
  if (wanted.size === 0) return out;
  const finds = wanted.size <= MAX_FIND_OBJECTS ? [...wanted].map((id) => `--find-object=${id}`) : [];
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
    ...finds,
    ...SAFE_DIFF_FLAGS,
    ...revArgs,
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git log" });
  child.stdin.end();
  const seen = new Set<string>();
  const parser = new RawLogParser((commit, path, blob) => {
    if (!wanted.has(blob)) return;
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
