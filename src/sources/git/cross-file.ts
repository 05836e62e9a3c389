// Pairs lone halves across the files of each commit's tree: the identifier in config.yaml committed
// in one commit, the key in .env committed in a later one. The blob scan keeps, per blob, only its
// lone labelled halves (most blobs have none); this pass runs only when some blob holds a lone
// identifier and some blob a lone key, and only over the paths those blobs were introduced at:
//
//   introductions of lone-half blobs ──paths P──▶ rev-list --full-history -- P (the commits that change P)
//   ──▶ their parents ──▶ cat-file --batch-check COMMIT:PATH (which lone-half blob sits where)
//   ──▶ pairAcrossFiles per tree ──▶ what no parent's tree already paired
//
// A pair is reported at the commit whose tree first holds it (at that path): the commit that added
// the later half, or the merge that brought both halves together, once, however many commits keep it.
import { pathNamesCrisp } from "../../detect/context.js";
import { pairAcrossFiles } from "../../detect/cross-file.js";
import type { Candidate, DetectResult, LoneHalf } from "../../detect/types.js";
import { spawnGit } from "./process.js";
import { LineSplitter } from "./lines.js";
import { parentsOf, readObjects } from "./inherited.js";
import type { Introduction } from "./introducers.js";

/**
 * At most this many (commit, path) look-ups: commits that change the paths (and their parents)
 * times those paths. One look-up costs git a tree walk of a few levels (~10 µs), so the bound keeps
 * the pass to seconds on any history; beyond it, the oldest commits are paired (where a pair is
 * first introduced) and the newer ones not.
 */
export const MAX_TREE_LOOKUPS = 500_000;

/**
 * A blob's lone halves, as the detector returns them at a path that names Crisp and at one that
 * does not (the only way the path changes what the detector finds); undefined: not computed yet.
 */
export interface LoneBlob {
  crisp?: LoneHalf[];
  plain?: LoneHalf[];
}

/** True when the blobs hold a lone identifier and a lone key: the only case anything can pair. */
export function mayPair(lone: Iterable<LoneBlob>): boolean {
  let identifier = false;
  let key = false;
  for (const blob of lone) {
    for (const h of [...(blob.crisp ?? []), ...(blob.plain ?? [])]) {
      if (h.kind === "identifier") identifier = true;
      else key = true;
    }
    if (identifier && key) return true;
  }
  return false;
}

/** What the pass cost, for tests and diagnostics. */
export interface CrossFileCost {
  paths: number;
  commits: number;
  lookups: number;
  /** Distinct tree states paired (commits with the same lone-half blobs at the same paths share one). */
  states: number;
}

export interface CrossFileOptions {
  detect: (text: string, options: { path: string }) => DetectResult;
  signal?: AbortSignal;
  onCost?: (cost: CrossFileCost) => void;
  /** Tests: the look-up budget (default MAX_TREE_LOOKUPS). */
  maxLookups?: number;
}

/** A commit's tree, restricted to the lone-half blobs it holds: path → blob id. */
export type TreeState = ReadonlyMap<string, string>;

/**
 * Pure: the candidates each commit introduces. `states` holds every commit and parent asked about;
 * a commit missing from `parents` is a root. An occurrence (secret, path) a commit pairs is
 * reported there unless some parent's tree pairs it at that path too. Occurrences carry the commit.
 */
export function introducedPairs(
  commits: readonly string[],
  parents: ReadonlyMap<string, readonly string[]>,
  states: ReadonlyMap<string, TreeState>,
  halvesAt: (blob: string, path: string) => readonly LoneHalf[],
): { candidates: Candidate[]; states: number } {
  const memo = new Map<string, Candidate[]>();
  const pairsOf = (commit: string): Candidate[] => {
    const state = states.get(commit);
    if (state === undefined || state.size === 0) return [];
    const key = [...state].map(([p, b]) => `${p}\u0000${b}`).sort().join("\u0001");
    let found = memo.get(key);
    if (found === undefined) {
      const lone: LoneHalf[] = [];
      for (const [path, blob] of state) lone.push(...halvesAt(blob, path));
      memo.set(key, (found = pairAcrossFiles(lone)));
    }
    return found;
  };
  const out: Candidate[] = [];
  for (const commit of commits) {
    const found = pairsOf(commit);
    if (found.length === 0) continue;
    const inherited = new Set<string>();
    for (const parent of parents.get(commit) ?? []) {
      for (const c of pairsOf(parent)) inherited.add(`${c.fingerprint}\u0000${c.occurrence.path}`);
    }
    for (const c of found) {
      if (inherited.has(`${c.fingerprint}\u0000${c.occurrence.path}`)) continue;
      out.push({ ...c, occurrence: { ...c.occurrence, commit } });
    }
  }
  return { candidates: out, states: memo.size };
}

/**
 * Pairs the lone halves of `lone` (blob id → its halves) across the files of every commit of the
 * range in which they coexist. `introductions`: where each of those blobs was introduced (from
 * findIntroductions), which names every path a blob ever sits at in the range.
 */
export async function pairAcrossTrees(
  repoPath: string,
  revArgs: readonly string[],
  lone: Map<string, LoneBlob>,
  introductions: ReadonlyMap<string, readonly Introduction[]>,
  options: CrossFileOptions,
): Promise<Candidate[]> {
  const { signal } = options;
  const cost: CrossFileCost = { paths: 0, commits: 0, lookups: 0, states: 0 };
  const report = () => options.onCost?.({ ...cost });
  if (!mayPair(lone.values())) {
    report();
    return [];
  }
  // cat-file reads one name per line: a path with a newline cannot be asked (left unpaired).
  const paths = new Set<string>();
  for (const [blob] of lone) for (const i of introductions.get(blob) ?? []) if (!i.path.includes("\n")) paths.add(i.path);
  cost.paths = paths.size;
  if (paths.size === 0) {
    report();
    return [];
  }
  const changing = await commitsChanging(repoPath, revArgs, [...paths], signal);
  if (changing.length === 0) {
    report();
    return [];
  }
  const parents = await parentsOf(repoPath, changing, signal);
  // Oldest first (rev-list lists children before parents); within the budget, each commit with its parents.
  const budget = options.maxLookups ?? MAX_TREE_LOOKUPS;
  const commits: string[] = [];
  const asked = new Set<string>();
  for (const commit of changing.reverse()) {
    const wanted = [commit, ...(parents.get(commit) ?? [])].filter((c) => !asked.has(c));
    if ((asked.size + wanted.length) * paths.size > budget && commits.length > 0) break;
    for (const c of wanted) asked.add(c);
    commits.push(commit);
  }
  cost.commits = commits.length;
  cost.lookups = asked.size * paths.size;
  const states = await treeStates(repoPath, [...asked], [...paths], new Set(lone.keys()), signal);

  // Halves of a blob at a path whose Crisp-ness the scan did not see it at: read it and ask again.
  const unknown = new Map<string, Set<boolean>>();
  for (const state of states.values()) {
    for (const [path, blob] of state) {
      const crisp = pathNamesCrisp(path);
      const known = lone.get(blob)!;
      if ((crisp ? known.crisp : known.plain) !== undefined) continue;
      const set = unknown.get(blob) ?? new Set<boolean>();
      set.add(crisp);
      unknown.set(blob, set);
    }
  }
  if (unknown.size > 0) {
    const contents = await readObjects(repoPath, [...unknown.keys()], signal);
    for (const [blob, variants] of unknown) {
      const content = contents.get(blob);
      const known = lone.get(blob)!;
      for (const crisp of variants) {
        // Any path of that kind gives the same halves; the path is set per tree below.
        const halves = content == null ? [] : (options.detect(content.toString("utf8"), { path: crisp ? "crisp" : "" }).lone ?? []);
        if (crisp) known.crisp = halves;
        else known.plain = halves;
      }
    }
  }
  const halvesAt = (blob: string, path: string): LoneHalf[] => {
    const known = lone.get(blob)!;
    const halves = (pathNamesCrisp(path) ? known.crisp : known.plain) ?? [];
    return halves.map((h) => ({ ...h, occurrence: { ...h.occurrence, path } }));
  };
  const result = introducedPairs(commits, parents, states, halvesAt);
  cost.states = result.states;
  report();
  return result.candidates;
}

/** Commits of the range that change any of `paths` against some parent (merges included). */
async function commitsChanging(repoPath: string, revArgs: readonly string[], paths: readonly string[], signal?: AbortSignal): Promise<string[]> {
  // Paths go through stdin (no command-line limit); --full-history keeps side branches a merge
  // dropped, whose trees held the halves all the same.
  const { child, done } = spawnGit(repoPath, ["rev-list", "--full-history", ...revArgs, "--stdin"], { signal, what: "git rev-list (paths)" });
  const out: string[] = [];
  const lines = new LineSplitter((line) => {
    if (/^[0-9a-f]{40,64}$/.test(line)) out.push(line);
  });
  child.stdout.on("data", (chunk: Buffer) => lines.push(chunk));
  child.stdin.end(`--\n${paths.map((p) => `:(literal)${p}\n`).join("")}`);
  await done;
  lines.end();
  return out;
}

/**
 * Which of the `wanted` blobs each commit holds at each of `paths`, from one
 * `git cat-file --batch-check=%(objectname)`: names resolve through trees only, so nothing is
 * read (or, in a partial clone, fetched) but trees.
 */
async function treeStates(
  repoPath: string,
  commits: readonly string[],
  paths: readonly string[],
  wanted: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<Map<string, Map<string, string>>> {
  const states = new Map<string, Map<string, string>>();
  for (const c of commits) states.set(c, new Map());
  if (commits.length === 0) return states;
  const { child, done } = spawnGit(repoPath, ["cat-file", "--batch-check=%(objectname)"], { signal, what: "git cat-file (trees)" });
  let n = 0;
  const lines = new LineSplitter((line) => {
    const at = n++;
    const oid = line.trim();
    if (!wanted.has(oid)) return;
    const commit = commits[Math.floor(at / paths.length)]!;
    states.get(commit)!.set(paths[at % paths.length]!, oid);
  });
  child.stdout.on("data", (chunk: Buffer) => lines.push(chunk));
  // Written a commit at a time, so a large ask never sits whole in memory; git reads as we write.
  const write = async () => {
    for (const commit of commits) {
      const block = paths.map((p) => `${commit}:${p}\n`).join("");
      if (!child.stdin.write(block)) {
        // git may exit early (an error, an abort): then no drain comes, and `done` says why.
        await new Promise<void>((resolve) => {
          child.stdin.once("drain", resolve);
          child.stdin.once("close", resolve);
        });
      }
      if (signal?.aborted || child.stdin.destroyed) break;
    }
    child.stdin.end();
  };
  await Promise.all([write(), done]);
  lines.end();
  return states;
}
