import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { cli, envFile } from "../helpers/cli.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { gitIn, tempDir } from "../sources/git/history-fixture.js";

async function repoWithLeak() {
  const kp = randomKeypair();
  const repo = tempDir();
  gitIn(repo, ["init", "-q", "-b", "main"]);
  await mkdir(join(repo, "config"));
  await writeFile(join(repo, "config", ".env"), envFile(kp));
  gitIn(repo, ["add", "."]);
  gitIn(repo, ["commit", "-q", "-m", "add crisp config"]);
  const leakCommit = gitIn(repo, ["rev-parse", "HEAD"]);
  // Removing it later does not make it safe: history still holds it.
  gitIn(repo, ["rm", "-q", "config/.env"]);
  gitIn(repo, ["commit", "-q", "-m", "remove it"]);
  return { kp, repo, leakCommit };
}

describe("crisp-guard git", () => {
  it("finds a keypair deleted since, with the commit that introduced it", async () => {
    const { kp, repo, leakCommit } = await repoWithLeak();
    const run = await cli(["git", repo, "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.scan).toMatchObject({ source: "git", commits: 2 });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].fingerprint).toBe(fingerprint(kp.identifier, kp.key));
    expect(report.findings[0].occurrences).toEqual([
      expect.objectContaining({ path: "config/.env", line: 3, commit: leakCommit, author: expect.stringContaining("Fixture Bot") }),
    ]);
    expect(holdsRaw(run.stdout, kp)).toBe(false);
  });

  it("later edits of a file that already holds the secret do not introduce it again", async () => {
    const kp = randomKeypair();
    const repo = tempDir();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    await writeFile(join(repo, ".env"), envFile(kp));
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "add secret"]);
    const introduced = gitIn(repo, ["rev-parse", "HEAD"]);
    for (const extra of ["OTHER=1", "OTHER2=2"]) {
      await writeFile(join(repo, ".env"), `${envFile(kp)}${extra}\n`);
      gitIn(repo, ["commit", "-q", "-am", `add ${extra}`]);
    }
    // Moved to another file in a later commit: that copy is introduced there.
    await writeFile(join(repo, "crisp.env"), envFile(kp));
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "copy it"]);
    const copied = gitIn(repo, ["rev-parse", "HEAD"]);
    const run = await cli(["git", repo, "--format", "json"]);
    const occurrences = JSON.parse(run.stdout).findings[0].occurrences.map((o: { path: string; commit: string }) => `${o.path}@${o.commit}`);
    expect(occurrences.sort()).toEqual([`.env@${introduced}`, `crisp.env@${copied}`].sort());
  });

  it("clones a URL, scans it and removes the clone; --keep-clone keeps it", async () => {
    const { repo } = await repoWithLeak();
    const bare = join(tempDir(), "origin.git");
    gitIn(repo, ["clone", "-q", "--bare", repo, bare]);
    const run = await cli(["git", `file://${bare}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("config/.env:3:");
    const keep = join(tempDir(), "kept");
    const kept = await cli(["git", `file://${bare}`, "--keep-clone", keep, "--format", "json"]);
    expect(kept.code).toBe(1);
    expect(existsSync(join(keep, "HEAD"))).toBe(true);
  });

  it("reads a cloned repository's own committed config, not the one where it runs", async () => {
    const { kp, repo } = await repoWithLeak();
    const fp = fingerprint(kp.identifier, kp.key);
    await mkdir(join(repo, ".github"));
    await writeFile(join(repo, ".github", "crisp-guard.yml"), `allow: [ { fingerprint: "${fp}", reason: "revoked" } ]\n`);
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "allow the revoked token"]);
    const bare = join(tempDir(), "origin.git");
    gitIn(repo, ["clone", "-q", "--bare", repo, bare]);
    // A config in the working directory that would hide everything must not apply to the clone.
    const cwd = tempDir();
    await writeFile(join(cwd, "crisp-guard.yml"), `paths-ignore: ["**"]\n`);
    const run = await cli(["git", `file://${bare}`, "--format", "json"], { cwd });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).suppressed).toMatchObject([{ fingerprint: fp, reason: "config-allow" }]);
  });

  it("is a clear error, exit 2, for a directory that is not a repository", async () => {
    const dir = tempDir();
    const run = await cli(["git", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crisp-guard: error: .* is not a git repository/);
    const missing = await cli(["git", join(dir, "nope")]);
    expect(missing.code).toBe(2);
    // The same wording as dir's.
    expect(missing.stderr).toBe(`crisp-guard: error: no such file or directory: ${join(dir, "nope")}\n`);
  });

  it("is a clear error for a URL that cannot be cloned", async () => {
    const run = await cli(["git", `file://${join(tempDir(), "missing.git")}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crisp-guard: error: cannot clone file:\/\//);
    expect(run.stderr.match(/cannot clone/g)).toHaveLength(1);
    expect(run.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("limits the scan with --since", async () => {
    const { repo } = await repoWithLeak();
    const run = await cli(["git", repo, "--since", "HEAD", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });
});
