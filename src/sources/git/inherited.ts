// A commit that edits a file already holding a secret writes a new blob that still holds it: by
// blobs alone, every later edit of that file would "introduce" the secret again. The rule is per
// secret: a commit introduces it at a path when that path holds it in the commit and in none of its
// parents. So, for the few (commit, path) pairs with findings, the parents' versions of the path are
// read (one `git cat-file --batch`) and a finding every parent already held is dropped.
import type { Candidate } from "../../detect/types.js";
import { runGit, spawnGit } from "./process.js";
import { hasPromisorRemote } from "./introducers.js";
import { parseLsTreeEntries } from "./ls-tree.js";

export interface InheritedOptions {
  detect: (text: string, options: { path: string }) => { candidates: Candidate[] };
  mayContainKeypair: (text: string, path: string) => boolean;
  maxFileSize: number;
  signal?: AbortSignal;
}

/** Parents of each commit, in one `git log --no-walk --stdin` call. */
export async function parentsOf(repoPath: string, commits: readonly string[], signal?: AbortSignal): Promise<Map<string, string[]>> {
  const out = await runGit(repoPath, ["log", "--no-walk=unsorted", "--stdin", "--format=%H %P"], {
    signal,
    input: `${commits.join("\n")}\n`,
    what: "git log (parents)",
  });
  const parents = new Map<string, string[]>();
  for (const line of out.split("\n")) {
    const [commit, ...rest] = line.trim().split(" ").filter(Boolean);
    if (commit) parents.set(commit, rest);
  }
  return parents;
}

/** The contents of `rev:path` object names, or null for missing ones, from one cat-file process. */
export async function readObjects(repoPath: string, names: readonly string[], signal?: AbortSignal): Promise<Map<string, Buffer | null>> {
  const { child, done } = spawnGit(repoPath, ["cat-file", "--batch"], { signal, what: "git cat-file (parents)" });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => chunks.push(c));
  child.stdin.end(names.map((n) => `${n}\n`).join(""));
  await done;
  const buf = Buffer.concat(chunks);
  const result = new Map<string, Buffer | null>();
  let at = 0;
  for (const name of names) {
    const eol = buf.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = buf.subarray(at, eol).toString("utf8");
    at = eol + 1;
    const m = / (\w+) (\d+)$/.exec(header);
    if (!m || header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      result.set(name, null);
      continue;
    }
    const size = Number(m[2]);
    result.set(name, m[1] === "blob" ? buf.subarray(at, at + size) : null);
    at += size + 1; // content, then a newline
  }
  return result;
}

/**
 * `rev:path` contents like readObjects, without ever asking for an object the store lacks: in a
 * partial clone, cat-file would try to fetch it and die when fetching is refused. Names are
 * resolved through the trees (always present with blob filters), and absent blobs count as not
 * held (a missing object never hides a finding).
 */
async function readPresent(repoPath: string, names: readonly string[], signal?: AbortSignal): Promise<Map<string, Buffer | null>> {
  if (!(await hasPromisorRemote(repoPath, signal))) return readObjects(repoPath, names, signal);
  const byRev = new Map<string, string[]>();
  for (const name of names) {
    const colon = name.indexOf(":");
    const list = byRev.get(name.slice(0, colon)) ?? [];
    list.push(name.slice(colon + 1));
    byRev.set(name.slice(0, colon), list);
  }
  const oidOf = new Map<string, string>();
  for (const [rev, paths] of byRev) {
    const out = await runGit(repoPath, ["ls-tree", "-z", "--full-tree", rev, "--", ...paths.map((p) => `:(literal)${p}`)], { signal });
    for (const entry of parseLsTreeEntries(out)) if (entry.type === "blob") oidOf.set(`${rev}:${entry.path}`, entry.oid);
  }
  const oids = [...new Set(oidOf.values())];
  const absent = new Set<string>();
  if (oids.length > 0) {
    // rev-list --missing=print never fetches; with the blobs as tips it would die on a missing one,
    // so the parents are walked (no history: --no-walk), limited to the paths.
    const paths = [...new Set([...byRev.values()].flat())].map((p) => `:(literal)${p}`);
    const out = await runGit(
      repoPath,
      ["rev-list", "--objects", "--no-walk", "--missing=print", "--filter=object:type=blob", "--filter-provided-objects", ...byRev.keys(), "--", ...paths],
      { signal },
    );
    for (const line of out.split("\n")) if (line.startsWith("?")) absent.add(line.slice(1).trim());
  }
  const present = oids.filter((o) => !absent.has(o));
  const read = present.length > 0 ? await readObjects(repoPath, present, signal) : new Map<string, Buffer | null>();
  const result = new Map<string, Buffer | null>();
  for (const name of names) {
    const oid = oidOf.get(name);
    result.set(name, oid === undefined ? null : (read.get(oid) ?? null));
  }
  return result;
}

/** Drops the candidates whose secret every parent of their commit already held at their path. */
export async function dropInherited(repoPath: string, candidates: readonly Candidate[], options: InheritedOptions): Promise<Candidate[]> {
  const withCommit = candidates.filter((c) => c.occurrence.commit);
  if (withCommit.length === 0) return [...candidates];
  const parents = await parentsOf(repoPath, [...new Set(withCommit.map((c) => c.occurrence.commit!))], options.signal);

  // cat-file --batch reads one name per line: a path with a newline cannot be asked (kept as is).
  const names = new Set<string>();
  for (const c of withCommit) {
    if (c.occurrence.path.includes("\n")) continue;
    for (const p of parents.get(c.occurrence.commit!) ?? []) names.add(`${p}:${c.occurrence.path}`);
  }
  const contents = names.size > 0 ? await readPresent(repoPath, [...names], options.signal) : new Map<string, Buffer | null>();

  const held = new Map<string, Set<string> | null>();
  const fingerprintsAt = (name: string, path: string): Set<string> | null => {
    if (held.has(name)) return held.get(name)!;
    const content = contents.get(name);
    let fps: Set<string> | null = new Set();
    if (content === undefined) fps = null; // not asked: unknown
    else if (content !== null) {
      if (content.length > options.maxFileSize) fps = null;
      else {
        const text = content.toString("utf8");
        if (options.mayContainKeypair(text, path)) fps = new Set(options.detect(text, { path }).candidates.map((c) => c.fingerprint));
      }
    }
    held.set(name, fps);
    return fps;
  };

  return candidates.filter((c) => {
    const { commit, path } = c.occurrence;
    if (!commit) return true;
    const ps = parents.get(commit) ?? [];
    if (ps.length === 0) return true; // a root commit introduces all it holds
    return !ps.every((p) => fingerprintsAt(`${p}:${path}`, path)?.has(c.fingerprint) === true);
  });
}
