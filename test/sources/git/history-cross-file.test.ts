// The git history scan pairs lone halves across the files of each commit's tree: the identifier in
// config.yaml committed in one commit, the key in .env in a later one. Keypairs are made at run time.
import { rmSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../../src/detect/fingerprint.js";
import { detect } from "../../../src/detect/index.js";
import { pairAcrossTrees, type CrossFileCost, type LoneBlob } from "../../../src/sources/git/cross-file.js";
import { findIntroductions } from "../../../src/sources/git/introducers.js";
import { scanHistory } from "../../../src/sources/git/history.js";
import { holdsRaw, randomKeypair } from "../../helpers/keypairs.js";
import { gitIn, tempDir } from "./history-fixture.js";

const cleanups: string[] = [];
afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

/** A repository with helpers: write files and commit them at distinct dates (so order is clear). */
function repository() {
  const repo = tempDir();
  cleanups.push(repo);
  gitIn(repo, ["init", "-q", "-b", "main"]);
  let day = 0;
  return {
    repo,
    write(path: string, content: string) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), content);
    },
    commit(message: string): string {
      day++;
      const date = `2021-02-${String(day).padStart(2, "0")}T12:00:00Z`;
      gitIn(repo, ["add", "-A"]);
      gitIn(repo, ["commit", "-q", "--allow-empty", "-m", message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      return gitIn(repo, ["rev-parse", "HEAD"]);
    },
    git: (args: string[]) => gitIn(repo, args),
  };
}

const configYaml = (id: string) => `bot:\n  name: helper\ncrisp:\n  id: ${id}\n`;
const dotEnv = (key: string) => `PORT=3000\nCRISP_KEY=${key}\n`;

async function scan(repo: string) {
  const costs: CrossFileCost[] = [];
  const result = await scanHistory(repo, { onCrossFileCost: (c) => costs.push(c) });
  return { result, cost: costs[0]! };
}

const places = (cs: { occurrence: { path: string; line: number; commit?: string } }[]) =>
  cs.map((c) => `${c.occurrence.path}:${c.occurrence.line}@${c.occurrence.commit}`).sort();

describe("scanHistory: pairs across the files of a commit's tree", () => {
  it("the identifier committed in A, the key in B: one secret, both files, attributed to B, once", async () => {
    const kp = randomKeypair();
    const r = repository();
    r.write("config.yaml", configYaml(kp.identifier));
    r.commit("A: config");
    r.write(".env", dotEnv(kp.key));
    const b = r.commit("B: env");
    // Later commits keep the pair (editing both files, or neither): never introduced again.
    for (let i = 0; i < 5; i++) {
      r.write("README.md", `# v${i}\n`);
      r.commit(`docs ${i}`);
    }
    r.write("config.yaml", `${configYaml(kp.identifier)}extra: 1\n`);
    r.write(".env", `${dotEnv(kp.key)}DEBUG=1\n`);
    r.commit("edit both");
    // Deleting the key does not make it safe: history still holds the pair.
    r.git(["rm", "-q", ".env"]);
    r.commit("remove the key");

    const { result, cost } = await scan(r.repo);
    const fp = fingerprint(kp.identifier, kp.key);
    expect(result.candidates.every((c) => c.fingerprint === fp)).toBe(true);
    expect(places(result.candidates)).toEqual([`.env:2@${b}`, `config.yaml:4@${b}`]);
    for (const c of result.candidates) {
      expect(c.occurrence).toMatchObject({ author: "Fixture Bot <bot@example.com>", date: "2021-02-02T12:00:00+00:00" });
    }
    // Only the commits that change the two paths were looked at, not the docs commits.
    expect(cost).toMatchObject({ paths: 2, commits: 4 });
    expect(holdsRaw(JSON.stringify(result), kp)).toBe(false);
  });

  it("halves on two branches that never share a tree do not pair; a merge that joins them is blamed", async () => {
    const kp = randomKeypair();
    const r = repository();
    r.write("README.md", "# app\n");
    r.commit("root");
    r.git(["checkout", "-q", "-b", "keys"]);
    r.write(".env", dotEnv(kp.key));
    r.commit("key on a branch");
    r.git(["checkout", "-q", "main"]);
    r.write("config.yaml", configYaml(kp.identifier));
    r.commit("identifier on main");
    const apart = await scan(r.repo);
    expect(apart.result.candidates).toEqual([]);
    expect(apart.cost.commits).toBeGreaterThan(0);

    r.git(["merge", "-q", "--no-ff", "keys", "-m", "merge"]);
    const merge = r.git(["rev-parse", "HEAD"]);
    const joined = await scan(r.repo);
    expect(places(joined.result.candidates)).toEqual([`.env:2@${merge}`, `config.yaml:4@${merge}`]);
  });

  it("two identifiers and one key in a tree: ambiguous, no pair", async () => {
    const kp = randomKeypair();
    const r = repository();
    r.write("a/config.yaml", configYaml(kp.identifier));
    r.write("b/config.yaml", configYaml(randomUUID()));
    r.commit("two configs");
    r.write(".env", dotEnv(kp.key));
    r.commit("the key");
    const { result } = await scan(r.repo);
    expect(result.candidates).toEqual([]);
  });

  it("a later commit that removes the second identifier makes the pair: it is blamed", async () => {
    const kp = randomKeypair();
    const r = repository();
    r.write("a/config.yaml", configYaml(kp.identifier));
    r.write("b/config.yaml", configYaml(randomUUID()));
    r.write(".env", dotEnv(kp.key));
    r.commit("ambiguous");
    r.git(["rm", "-q", "b/config.yaml"]);
    const removed = r.commit("drop b");
    const { result } = await scan(r.repo);
    expect(places(result.candidates)).toEqual([`.env:2@${removed}`, `a/config.yaml:4@${removed}`]);
  });

  it("no blob with a lone identifier and one with a lone key: no per-commit work at all", async () => {
    const r = repository();
    r.write("config.yaml", configYaml(randomUUID()));
    r.write("other.yaml", configYaml(randomUUID()));
    for (let i = 0; i < 3; i++) {
      r.write("README.md", `# v${i}\n`);
      r.commit(`c${i}`);
    }
    const onlyIds = await scan(r.repo);
    expect(onlyIds.result.candidates).toEqual([]);
    expect(onlyIds.cost).toEqual({ paths: 0, commits: 0, lookups: 0, states: 0 });

    const plain = repository();
    plain.write("README.md", "# nothing here\n");
    plain.commit("root");
    expect((await scan(plain.repo)).cost).toEqual({ paths: 0, commits: 0, lookups: 0, states: 0 });
  });

  it("the same key at a path naming Crisp and at one that does not: one half, every copy an occurrence", async () => {
    const kp = randomKeypair();
    const r = repository();
    r.write("config.yaml", configYaml(kp.identifier));
    r.commit("A");
    // One blob at two paths: its halves are known at one kind of path and read again for the other.
    r.write(".env", dotEnv(kp.key));
    r.write("deploy/crisp.env", dotEnv(kp.key));
    const b = r.commit("B");
    const { result } = await scan(r.repo);
    expect(places(result.candidates)).toEqual([`.env:2@${b}`, `config.yaml:4@${b}`, `deploy/crisp.env:2@${b}`]);
  });

  it("a blob whose only Crisp context is a path it once sat at (the byte gate skips it elsewhere)", async () => {
    const kp = randomKeypair();
    const r = repository();
    // `id:` under no crisp section: a Crisp label only at a path naming Crisp.
    r.write("crisp.yml", `id: ${kp.identifier}\n`);
    r.write(".env", dotEnv(kp.key));
    const first = r.commit("crisp.yml and .env");
    // Renamed: the newest tree (where the listing first meets the blob) no longer names Crisp.
    r.git(["mv", "crisp.yml", "settings.yml"]);
    r.commit("rename");
    const { result } = await scan(r.repo);
    expect(places(result.candidates)).toEqual([`.env:2@${first}`, `crisp.yml:1@${first}`]);
  });
});

describe("pairAcrossTrees: bounded", () => {
  it("looks up at most its budget of (commit, path) pairs, oldest commits first, where pairs are introduced", async () => {
    const kp = randomKeypair();
    const r = repository();
    const lone = new Map<string, LoneBlob>();
    const blobsAt = (commit: string, paths: string[]) => {
      for (const path of paths) {
        const text = r.git(["show", `${commit}:${path}`]) + "\n";
        lone.set(r.git(["rev-parse", `${commit}:${path}`]), { plain: detect(text, { path: "" }).lone ?? [] });
      }
    };
    r.write("config.yaml", configYaml(kp.identifier));
    r.write(".env", dotEnv(kp.key));
    const first = r.commit("both");
    blobsAt(first, ["config.yaml", ".env"]);
    // Thirty later edits of config.yaml: thirty more lone-half blobs, each in a commit to look at.
    for (let i = 0; i < 30; i++) {
      r.write("config.yaml", `${configYaml(kp.identifier)}rev: ${i}\n`);
      blobsAt(r.commit(`edit ${i}`), ["config.yaml"]);
    }
    const revArgs = ["--all"];
    const introductions = await findIntroductions(r.repo, revArgs, new Set(lone.keys()));
    const costs: CrossFileCost[] = [];
    const bounded = await pairAcrossTrees(r.repo, revArgs, lone, introductions, {
      detect,
      maxLookups: 10,
      onCost: (c) => costs.push(c),
    });
    expect(costs[0]!.lookups).toBeLessThanOrEqual(10);
    expect(costs[0]!.commits).toBeLessThan(31);
    expect(places(bounded)).toEqual([`.env:2@${first}`, `config.yaml:4@${first}`]);

    const all = await pairAcrossTrees(r.repo, revArgs, lone, introductions, { detect, onCost: (c) => costs.push(c) });
    expect(costs[1]).toMatchObject({ paths: 2, commits: 31 });
    // Thirty-one trees, each with its own config.yaml blob: paired once each, reported once.
    expect(costs[1]!.states).toBe(31);
    expect(places(all)).toEqual([`.env:2@${first}`, `config.yaml:4@${first}`]);
  });
});
