// Real bare repositories for tests and benchmarks, built by one `git fast-import` process (5,000
// commits in a second or two), deterministic: fixed authors and dates, no user git config.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface HistoryCommit {
  /** Changes against the branch's last commit: new text, or null to delete the file. */
  files: Record<string, string | null>;
  /** The branch this commit goes on (default main); a new branch starts from `from` (default main). */
  branch?: string;
  from?: string;
  /** Branches merged into this commit (their heads become its second, third… parents). */
  merge?: string[];
  message?: string;
}

export interface BuiltHistory {
  /** Each commit's id, in the order given. */
  shas: string[];
  /** Each branch's head. */
  heads: Record<string, string>;
}

const EPOCH = 1_700_000_000;

/** An environment git runs the same in everywhere: no system or user config, fixed identity. */
export function plainGitEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: home, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
}

/** Builds `commits` into a new bare repository at `dir` (HEAD: main); `tags` point at commits by index. */
export function buildBareRepository(dir: string, commits: readonly HistoryCommit[], tags: Record<string, number> = {}): BuiltHistory {
  const env = plainGitEnv(dir);
  execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", dir], { env });
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const parts: string[] = [];
  const heads = new Map<string, number>(); // branch → mark of its head
  commits.forEach((c, index) => {
    const mark = index + 1;
    const branch = c.branch ?? "main";
    const when = `${EPOCH + mark * 60} +0000`;
    parts.push(`commit refs/heads/${branch}\nmark :${mark}\n`);
    parts.push(`author Dev ${mark % 7} <dev${mark % 7}@example.com> ${when}\ncommitter Dev <dev@example.com> ${when}\n`);
    parts.push(data(c.message ?? `commit ${mark}`));
    const parent = heads.get(branch) ?? heads.get(c.from ?? "main");
    if (parent !== undefined) parts.push(`from :${parent}\n`);
    for (const other of c.merge ?? []) {
      const head = heads.get(other);
      if (head === undefined) throw new Error(`git-history: no branch ${other} to merge`);
      parts.push(`merge :${head}\n`);
    }
    for (const [path, text] of Object.entries(c.files)) parts.push(text === null ? `D ${path}\n` : `M 100644 inline ${path}\n${data(text)}`);
    parts.push("\n");
    heads.set(branch, mark);
  });
  for (const [name, index] of Object.entries(tags)) parts.push(`reset refs/tags/${name}\nfrom :${index + 1}\n\n`);
  const marks = join(dir, "marks");
  execFileSync("git", ["-C", dir, "fast-import", "--quiet", `--export-marks=${marks}`], { env, input: parts.join(""), maxBuffer: 1 << 30 });
  const byMark = new Map<number, string>();
  for (const line of readFileSync(marks, "utf8").split("\n")) {
    const [m, sha] = line.split(" ");
    if (m && sha) byMark.set(Number(m.slice(1)), sha);
  }
  const shas = commits.map((_, i) => byMark.get(i + 1)!);
  return { shas, heads: Object.fromEntries([...heads].map(([b, m]) => [b, byMark.get(m)!])) };
}

export interface GeneratedHistoryOptions {
  commits: number;
  /** Files each commit rewrites (default 2), of `files` source files (default 200). */
  filesPerCommit?: number;
  files?: number;
  /** Every this many commits a feature branch of 5 commits is merged back (default 100; 0: none). */
  mergeEvery?: number;
  /** Extra changes for commit i (0-based), e.g. a keypair planted or deleted. */
  extra?: (i: number) => Record<string, string | null>;
  /** A seed for the file contents (default 1). */
  seed?: number;
}

/** A plausible history without keys: source files edited a few at a time, feature branches merged. */
export function generatedHistory(options: GeneratedHistoryOptions): HistoryCommit[] {
  const files = options.files ?? 200;
  const perCommit = options.filesPerCommit ?? 2;
  const mergeEvery = options.mergeEvery ?? 100;
  const seed = options.seed ?? 1;
  const out: HistoryCommit[] = [];
  const source = (n: number, i: number) =>
    `// module ${n}\nexport function f${n}(x) {\n  return x * ${(i * 31 + seed) % 997} + ${n};\n}\n` + `// revision ${i}: ${"lorem ipsum ".repeat(1 + ((i + n) % 8))}\n`;
  for (let i = 0; i < options.commits; i++) {
    const changed: Record<string, string | null> = {};
    for (let k = 0; k < perCommit; k++) {
      const n = (i * 7 + k * 13 + seed) % files;
      changed[`src/mod-${n}.js`] = source(n, i);
    }
    Object.assign(changed, options.extra?.(i) ?? {});
    const feature = mergeEvery > 0 && i % mergeEvery >= mergeEvery - 6 && i % mergeEvery < mergeEvery - 1;
    const closing = mergeEvery > 0 && i % mergeEvery === mergeEvery - 1;
    const branch = `feature-${Math.floor(i / Math.max(1, mergeEvery))}`;
    if (feature) out.push({ files: changed, branch });
    else if (closing) out.push({ files: changed, merge: [branch], message: `merge ${branch}` });
    else out.push({ files: changed });
  }
  return out;
}
