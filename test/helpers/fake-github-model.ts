// The in-memory git model behind the fake GitHub: commits with full trees, real git blob ids, and
// unified-diff patches shaped like the `patch` field of GitHub's commit and compare responses.
import { createHash } from "node:crypto";

export interface CommitAuthor {
  name: string;
  email: string;
  /** GitHub login; null for an author GitHub cannot map to an account. */
  login?: string | null;
}

export interface AddCommitInput {
  /** 40 hex; made from the content when absent. */
  sha?: string;
  /** The parent; defaults to the head of `branch`. null makes a root commit. */
  parent?: string | null;
  /** Several parents, for a merge commit (overrides `parent`). */
  parents?: string[];
  /** Changes against the first parent: new content, or null to delete the file. */
  files: Record<string, string | null>;
  author?: CommitAuthor;
  message?: string;
  date?: string;
  /** The branch whose head moves to this commit (default: the repository's default branch). */
  branch?: string;
  /** Paths whose `patch` GitHub leaves out (as it does for binary or very large diffs). */
  noPatch?: string[];
}

export interface FakeCommit {
  sha: string;
  parents: string[];
  tree: Map<string, string>;
  treeSha: string;
  /** Paths changed against the first parent (null = deleted). */
  changes: Record<string, string | null>;
  author: Required<CommitAuthor>;
  message: string;
  date: string;
  noPatch: Set<string>;
}

export const ZERO_SHA = "0000000000000000000000000000000000000000";
/** Git's default when none is given: three lines of context around each change. */
const DIFF_CONTEXT_LINES = 3;
/** Above this many cells the line diff stops looking for a minimal edit and replaces the block. */
const LCS_MAX_CELLS = 4_000_000;

/** git's blob id: sha1("blob <bytes>\0<content>"). */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Line diff and unified patch

interface Token {
  text: string;
  /** The file's last line, without a final newline. */
  noEol: boolean;
}

function tokens(content: string | null): Token[] {
  if (content === null || content === "") return [];
  const parts = content.split("\n");
  const finalNewline = content.endsWith("\n");
  if (finalNewline) parts.pop();
  return parts.map((text, i) => ({ text, noEol: !finalNewline && i === parts.length - 1 }));
}

const same = (a: Token, b: Token): boolean => a.text === b.text && a.noEol === b.noEol;

type Op = { kind: " " | "-" | "+"; token: Token };

/** A line diff: common prefix and suffix trimmed, then LCS on the middle (or replace when huge). */
function diffTokens(a: Token[], b: Token[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && same(a[start]!, b[start]!)) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && same(a[endA - 1]!, b[endB - 1]!)) {
    endA -= 1;
    endB -= 1;
  }
  const ops: Op[] = a.slice(0, start).map((token) => ({ kind: " ", token }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > LCS_MAX_CELLS) {
    for (const token of midA) ops.push({ kind: "-", token });
    for (const token of midB) ops.push({ kind: "+", token });
  } else {
    const n = midA.length;
    const m = midB.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i -= 1) {
      for (let j = m - 1; j >= 0; j -= 1) {
        lcs[i]![j] = same(midA[i]!, midB[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && same(midA[i]!, midB[j]!)) {
        ops.push({ kind: " ", token: midA[i]! });
        i += 1;
        j += 1;
      } else if (j < m && (i >= n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) {
        // Deletions before additions on a tie, as git prints them.
        ops.push({ kind: "+", token: midB[j]! });
        j += 1;
      } else {
        ops.push({ kind: "-", token: midA[i]! });
        i += 1;
      }
    }
  }
  for (const token of a.slice(endA)) ops.push({ kind: " ", token });
  return ops;
}

export interface Patch {
  patch: string;
  additions: number;
  deletions: number;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** A git unified diff body (hunks only, as in GitHub's `patch`), or null when nothing changed. */
export function unifiedPatch(before: string | null, after: string | null): Patch | null {
  const ops = diffTokens(tokens(before), tokens(after));
  const changed = ops.map((op, i) => (op.kind === " " ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return null;

  // Old/new line numbers before each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== "+") o += 1;
    if (op.kind !== "-") n += 1;
  }

  // Group changes whose gap is small enough that their context would touch.
  const groups: Array<[number, number]> = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * DIFF_CONTEXT_LINES + 1) last[1] = i;
    else groups.push([i, i]);
  }

  const out: string[] = [];
  let additions = 0;
  let deletions = 0;
  for (const [first, lastChange] of groups) {
    const from = Math.max(0, first - DIFF_CONTEXT_LINES);
    const to = Math.min(ops.length - 1, lastChange + DIFF_CONTEXT_LINES);
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    const oldStart = oldCount === 0 ? oldAt[from]! - 1 : oldAt[from]!;
    const newStart = newCount === 0 ? newAt[from]! - 1 : newAt[from]!;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) {
      out.push(`${op.kind}${op.token.text}`);
      if (op.token.noEol) out.push("\\ No newline at end of file");
      if (op.kind === "+") additions += 1;
      if (op.kind === "-") deletions += 1;
    }
  }
  return { patch: out.join("\n"), additions, deletions };
}

// ---------------------------------------------------------------------------------------------
// Repository model

export interface FileChange {
  filename: string;
  status: "added" | "modified" | "removed";
  /** Blob id of the file after the change (before it, for a removal). */
  sha: string;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
}

export function fileChanges(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  noPatch: ReadonlySet<string> = new Set(),
): FileChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: FileChange[] = [];
  for (const filename of paths) {
    const a = before.get(filename) ?? null;
    const b = after.get(filename) ?? null;
    if (a === b) continue;
    const status = a === null ? "added" : b === null ? "removed" : "modified";
    const p = unifiedPatch(a, b);
    const additions = p?.additions ?? 0;
    const deletions = p?.deletions ?? 0;
    const binary = (b ?? a ?? "").includes("\0");
    out.push({
      filename,
      status,
      sha: gitBlobSha((b ?? a)!),
      additions,
      deletions,
      changes: additions + deletions,
      ...(p && !binary && !noPatch.has(filename) ? { patch: p.patch } : {}),
    });
  }
  return out;
}

const BASE_DATE = Date.parse("2024-05-01T09:00:00Z");

export class GitModel {
  readonly commits = new Map<string, FakeCommit>();
  readonly branches = new Map<string, string>();
  readonly tags = new Map<string, string>();
  readonly blobs = new Map<string, string>();
  #counter = 0;

  /**
   * For a repository backed by a real git repository: the full id `ref` names there, or null. A
   * commit found so is added to the model as a stub (no tree, no parents), so that the routes
   * writing to a commit (check runs, comments) accept it.
   */
  externalCommit: ((ref: string) => string | null) | null = null;

  constructor(readonly defaultBranch: string) {}

  addCommit(input: AddCommitInput): string {
    const branch = input.branch ?? this.defaultBranch;
    const parents =
      input.parents ??
      (input.parent === null
        ? []
        : input.parent !== undefined
          ? [input.parent]
          : this.branches.has(branch)
            ? [this.branches.get(branch)!]
            : []);
    for (const p of parents) {
      if (!this.commits.has(p)) throw new Error(`fake-github: unknown parent ${p}`);
    }
    const tree = new Map(parents[0] ? this.commits.get(parents[0])!.tree : []);
    for (const [path, content] of Object.entries(input.files)) {
      if (content === null) tree.delete(path);
      else {
        tree.set(path, content);
        this.blobs.set(gitBlobSha(content), content);
      }
    }
    this.#counter += 1;
    const date = input.date ?? new Date(BASE_DATE + this.#counter * 60_000).toISOString().replace(".000Z", "Z");
    const author = {
      name: input.author?.name ?? "Dana Developer",
      email: input.author?.email ?? "dana@example.com",
      login: input.author?.login === undefined ? "dana" : input.author.login,
    };
    const message = input.message ?? `Commit ${this.#counter}`;
    const treeSha = sha1([...tree.entries()].sort().map(([p, c]) => `${p}\0${gitBlobSha(c)}`).join("\n"));
    const sha =
      input.sha ?? sha1(`tree ${treeSha}\n${parents.map((p) => `parent ${p}\n`).join("")}${date}\n${message}\n${this.#counter}`);
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`fake-github: a sha is 40 lowercase hex: ${sha}`);
    this.commits.set(sha, {
      sha,
      parents,
      tree,
      treeSha,
      changes: { ...input.files },
      author,
      message,
      date,
      noPatch: new Set(input.noPatch ?? []),
    });
    this.branches.set(branch, sha);
    return sha;
  }

  /** A full sha, a unique prefix (7+), a branch or a tag name; null when nothing matches. */
  resolve(ref: string): string | null {
    const r = ref.replace(/^refs\/(heads|tags)\//, "").replace(/^(heads|tags)\//, "");
    if (this.commits.has(r)) return r;
    if (this.branches.has(r)) return this.branches.get(r)!;
    if (this.tags.has(r)) return this.tags.get(r)!;
    if (/^[0-9a-f]{7,39}$/.test(r)) {
      const matches = [...this.commits.keys()].filter((s) => s.startsWith(r));
      if (matches.length === 1) return matches[0]!;
    }
    const external = this.externalCommit?.(ref) ?? null;
    if (external && !this.commits.has(external)) {
      const author = { name: "Dev", email: "dev@example.com", login: "dev" };
      this.commits.set(external, {
        sha: external, parents: [], tree: new Map(), treeSha: external, changes: {}, author, message: "", date: new Date(BASE_DATE).toISOString(), noPatch: new Set(),
      });
    }
    return external;
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(this.commits.get(s)?.parents ?? []));
    }
    return seen;
  }

  /** Commits reachable from head but not from base, oldest first (parents before children). */
  between(base: string | null, head: string): string[] {
    const exclude = base ? this.ancestors(base) : new Set<string>();
    const out: string[] = [];
    const done = new Set<string>();
    const visit = (root: string): void => {
      // Iterative post-order so a long history does not overflow the stack.
      const stack: Array<[string, number]> = [[root, 0]];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const [s, i] = top;
        if (done.has(s) || exclude.has(s)) {
          stack.pop();
          continue;
        }
        const parents = this.commits.get(s)?.parents ?? [];
        if (i < parents.length) {
          top[1] = i + 1;
          stack.push([parents[i]!, 0]);
        } else {
          done.add(s);
          out.push(s);
          stack.pop();
        }
      }
    };
    visit(head);
    return out;
  }

  mergeBase(a: string, b: string): string | null {
    const ofA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const s = queue.shift()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (ofA.has(s)) return s;
      queue.push(...(this.commits.get(s)?.parents ?? []));
    }
    return null;
  }

  /** The files a commit changed against its first parent, as GitHub lists them. */
  commitFiles(sha: string): FileChange[] {
    const c = this.commits.get(sha)!;
    const parentTree = c.parents[0] ? this.commits.get(c.parents[0])!.tree : new Map<string, string>();
    return fileChanges(parentTree, c.tree, c.noPatch);
  }
}
