// Builds, inside a test, a repository whose history hides keypairs in every place a history scan
// must look. Keypairs are made at run time (randomKeypair): nothing here is a real secret.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Keypair } from "../../../src/detect/fingerprint.js";
import type { Candidate, DetectResult } from "../../../src/detect/types.js";
import { randomKeypair, randomWebsiteId } from "../../helpers/keypairs.js";
import { tempDir as makeTempDir } from "../../helpers/temp.js";

export type Kp = { identifier: string; key: string };

export function tempDir(prefix = "crisp-guard-history-"): string {
  return makeTempDir(prefix);
}

/** git for building fixtures: no user or system config, a fixed identity and clock. */
export function gitIn(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", args, { cwd, env: fixtureEnv(env), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] }).trim();
}

export function fixtureEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("GIT_")) clean[k] = v;
  return {
    ...clean,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Fixture Bot",
    GIT_AUTHOR_EMAIL: "bot@example.com",
    GIT_COMMITTER_NAME: "Fixture Bot",
    GIT_COMMITTER_EMAIL: "bot@example.com",
    GIT_AUTHOR_DATE: "2021-01-01T00:00:00Z",
    GIT_COMMITTER_DATE: "2021-01-01T00:00:00Z",
    ...env,
  };
}

export function envFile(kp: Kp, before = ""): string {
  return `${before}CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;
}

/**
 * A small stand-in for the real detector (being written in parallel): a CRISP_IDENTIFIER=<uuid>
 * line and a CRISP_KEY=<64 hex> line make a keypair at the identifier's line and column;
 * CRISP_WEBSITE_ID=<uuid> is a website id.
 */
export function fakeDetect(text: string, options: { path: string }): DetectResult {
  const id = /CRISP_IDENTIFIER=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(text);
  const key = /CRISP_KEY=([0-9a-f]{64})(?![0-9a-f])/.exec(text);
  const websiteIds = [...text.matchAll(/CRISP_WEBSITE_ID=([0-9a-f-]{36})/g)].map((m) => m[1]!);
  if (!id || !key) return { candidates: [], websiteIds };
  const offset = id.index + "CRISP_IDENTIFIER=".length;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  const keypair = new Keypair(id[1]!, key[1]!);
  const candidate: Candidate = {
    keypair,
    fingerprint: keypair.fingerprint,
    tier: null,
    websiteId: null,
    suppressed: null,
    occurrence: { path: options.path, line, column, encoding: "plain" },
  };
  return { candidates: [candidate], websiteIds };
}

export function fakePrefilter(text: string): boolean {
  return text.includes("CRISP_");
}

export const fakeDetector = { detect: fakeDetect, mayContainKeypair: fakePrefilter };

/** One planted occurrence: which secret, introduced by which commit at which path and line. */
export interface Planted {
  name: string;
  kp: Kp;
  commit: string;
  path: string;
  line: number;
  author?: string;
  date?: string;
}

export interface HistoryFixture {
  repo: string;
  secrets: Record<string, Kp>;
  commits: Record<string, string>;
  /** Every occurrence a whole-history scan must report. */
  expected: Planted[];
  websiteId: string;
  /** Secrets that must never be reported: over the size limit, binary. */
  hidden: Kp[];
  /** The size limit the fixture's large file exceeds. */
  maxFileSize: number;
}

function write(repo: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), content);
}

function at(day: number, name = "Fixture Bot", email = "bot@example.com"): Record<string, string> {
  const date = `2021-01-${String(day).padStart(2, "0")}T12:00:00Z`;
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}

export function buildHistoryFixture(): HistoryFixture {
  const repo = tempDir();
  const s = {
    deleted: randomKeypair(), // added, then deleted, then the same file re-added
    feature: randomKeypair(), // on a branch, deep path, then renamed
    resolution: randomKeypair(), // only in a merge's conflict resolution
    tagged: randomKeypair(), // only in a commit reachable from an annotated tag
    note: randomKeypair(), // only in a notes ref
    stash: randomKeypair(), // the latest stash
    oldStash: randomKeypair(), // an older stash entry: only the stash reflog reaches it
  };
  const hidden = { large: randomKeypair(), binary: randomKeypair() };
  const websiteId = randomWebsiteId();
  const c: Record<string, string> = {};
  const g = (args: string[], env: Record<string, string> = {}) => gitIn(repo, args, env);
  const commit = (name: string, message: string, env: Record<string, string>) => {
    g(["add", "-A"]);
    g(["commit", "-q", "-m", message], env);
    c[name] = g(["rev-parse", "HEAD"]);
  };

  g(["init", "-q", "-b", "main"]);
  write(repo, "README.md", "# fixture\n");
  write(repo, "app.conf", "mode=base\n");
  commit("root", "root", at(1));

  write(repo, "config/.env", envFile(s.deleted, `CRISP_WEBSITE_ID=${websiteId}\n`));
  commit("addEnv", "add env", at(2, "Alice", "alice@example.com"));
  g(["rm", "-q", "config/.env"]);
  commit("deleteEnv", "remove env", at(3, "Bob", "bob@example.com"));

  g(["checkout", "-q", "-b", "feature"]);
  write(repo, "deep/a/b/c/d/e/secret.env", envFile(s.feature, "# deep\n"));
  write(repo, "app.conf", "mode=feature\n");
  commit("feature1", "feature work", at(4, "Carol", "carol@example.com"));
  mkdirSync(join(repo, "moved"));
  g(["mv", "deep/a/b/c/d/e/secret.env", "moved/secret.env"]);
  commit("featureRename", "move secret", at(5, "Carol", "carol@example.com"));

  g(["checkout", "-q", "main"]);
  write(repo, "app.conf", "mode=main\n");
  commit("mainChange", "main work", at(6));
  write(repo, "config/.env", envFile(s.deleted, `CRISP_WEBSITE_ID=${websiteId}\n`));
  commit("readdEnv", "re-add env", at(7, "Alice", "alice@example.com"));

  const merge = spawnSync("git", ["merge", "-q", "--no-ff", "feature", "-m", "merge"], { cwd: repo, env: fixtureEnv(at(8)) });
  if (merge.status === 0) throw new Error("fixture: the merge was meant to conflict");
  write(repo, "app.conf", envFile(s.resolution, "mode=merged\n# resolved by hand\n"));
  g(["add", "app.conf"]);
  g(["commit", "-q", "--no-edit"], at(8, "Dana", "dana@example.com"));
  c.merge = g(["rev-parse", "HEAD"]);

  // A commit only an annotated tag reaches (its branch is gone).
  const legacyBlob = execFileSync("git", ["hash-object", "-w", "--stdin"], {
    cwd: repo, env: fixtureEnv(), input: envFile(s.tagged), encoding: "utf8",
  }).trim();
  const tree = execFileSync("git", ["mktree"], {
    cwd: repo, env: fixtureEnv(), input: `100644 blob ${legacyBlob}\tlegacy-keys.txt\n`, encoding: "utf8",
  }).trim();
  c.tagged = g(["commit-tree", tree, "-m", "legacy"], at(9, "Eve", "eve@example.com"));
  g(["tag", "-a", "v0-legacy", "-m", "legacy", c.tagged], at(9));
  g(["tag", "v1", "main"]);

  // A notes ref.
  const noteFile = join(tempDir("crisp-guard-note-"), "note.txt");
  writeFileSync(noteFile, envFile(s.note));
  g(["notes", "add", "-F", noteFile, c.root!], at(10));
  c.notes = g(["rev-parse", "refs/notes/commits"]);

  // Over the size limit, and binary: never scanned, only counted.
  const maxFileSize = 64 * 1024;
  write(repo, "big.txt", envFile(hidden.large) + "x".repeat(maxFileSize + 10));
  write(repo, "bin.dat", Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(envFile(hidden.binary))]));
  commit("large", "large and binary", at(11));

  // Two stashes: the older one survives only in refs/stash's reflog.
  write(repo, "README.md", envFile(s.oldStash, "# fixture\n"));
  g(["stash", "-q"], at(12));
  c.oldStash = g(["rev-parse", "refs/stash"]);
  write(repo, "README.md", envFile(s.stash, "# fixture\nwip\n"));
  g(["stash", "-q"], at(13));
  c.stash = g(["rev-parse", "refs/stash"]);

  const alice = "Alice <alice@example.com>";
  const expected: Planted[] = [
    { name: "deleted", kp: s.deleted, commit: c.addEnv!, path: "config/.env", line: 2, author: alice, date: "2021-01-02T12:00:00Z" },
    { name: "deleted", kp: s.deleted, commit: c.readdEnv!, path: "config/.env", line: 2, author: alice, date: "2021-01-07T12:00:00Z" },
    { name: "feature", kp: s.feature, commit: c.feature1!, path: "deep/a/b/c/d/e/secret.env", line: 2, author: "Carol <carol@example.com>" },
    { name: "feature", kp: s.feature, commit: c.featureRename!, path: "moved/secret.env", line: 2 },
    { name: "resolution", kp: s.resolution, commit: c.merge, path: "app.conf", line: 3, author: "Dana <dana@example.com>", date: "2021-01-08T12:00:00Z" },
    { name: "tagged", kp: s.tagged, commit: c.tagged, path: "legacy-keys.txt", line: 1, author: "Eve <eve@example.com>" },
    { name: "note", kp: s.note, commit: c.notes, path: c.root!, line: 1 },
    // Stash of a work-tree change: the stash commit itself (its index commit holds the old file).
    { name: "stash", kp: s.stash, commit: c.stash, path: "README.md", line: 3 },
    { name: "oldStash", kp: s.oldStash, commit: c.oldStash, path: "README.md", line: 2 },
  ];
  return { repo, secrets: s, commits: c, expected, websiteId, hidden: [hidden.large, hidden.binary], maxFileSize };
}

/** Candidates as comparable rows: secret name, commit, path, line. */
export function rows(candidates: Candidate[], secrets: Record<string, Kp>): string[] {
  const names = new Map(Object.entries(secrets).map(([name, kp]) => [new Keypair(kp.identifier, kp.key).fingerprint, name]));
  return candidates
    .map((cand) => `${names.get(cand.fingerprint) ?? "?"} ${cand.occurrence.commit ?? "-"} ${cand.occurrence.path}:${cand.occurrence.line}`)
    .sort();
}

export function expectedRows(planted: Planted[]): string[] {
  return planted.map((p) => `${p.name} ${p.commit} ${p.path}:${p.line}`).sort();
}
