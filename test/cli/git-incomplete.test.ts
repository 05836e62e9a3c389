// `crisp-guard git` on the repositories users really have: partial clones, damaged stores,
// shallow clones, and a run from a subdirectory of a work tree.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { cli, envFile } from "../helpers/cli.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { gitIn, tempDir } from "../sources/git/history-fixture.js";

const cleanups: string[] = [];
afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = tempDir("crisp-guard-incomplete-");
  cleanups.push(dir);
  return dir;
}

/**
 * A repository with a large file and, unless `secret` is false, a small file holding a keypair
 * whose previous version was large (so checking what its parent held touches a missing blob).
 */
function origin(secret: boolean) {
  const kp = randomKeypair();
  const repo = join(scratch(), "origin");
  mkdirSync(repo);
  gitIn(repo, ["init", "-q", "-b", "main"]);
  gitIn(repo, ["config", "uploadpack.allowFilter", "true"]);
  writeFileSync(join(repo, "large.txt"), "x".repeat(64 * 1024));
  writeFileSync(join(repo, "README"), "hi\n");
  const missing: string[] = [];
  if (secret) {
    writeFileSync(join(repo, "app.env"), "# crisp\n" + "y".repeat(8 * 1024));
    gitIn(repo, ["add", "-A"]);
    gitIn(repo, ["commit", "-q", "-m", "one"]);
    missing.push(gitIn(repo, ["rev-parse", "HEAD:app.env"]));
    writeFileSync(join(repo, "app.env"), envFile(kp));
  }
  gitIn(repo, ["add", "-A"]);
  gitIn(repo, ["commit", "-q", "-m", "two"]);
  const large = gitIn(repo, ["rev-parse", "HEAD:large.txt"]);
  return { kp, repo, large, missing: [...missing, large].sort() };
}

/**
 * A partial clone without blobs over 1 KiB, whose promisor remote, if git ever contacted it, runs
 * an upload-pack that leaves a mark: the scan must never fetch.
 */
function partialClone(repo: string) {
  const dir = scratch();
  const clone = join(dir, "partial.git");
  gitIn(dir, ["clone", "-q", "--bare", "--filter=blob:limit=1k", `file://${repo}`, clone]);
  const mark = join(dir, "fetched");
  const uploadPack = join(dir, "upload-pack.sh");
  writeFileSync(uploadPack, `#!/bin/sh\ntouch '${mark}'\nexec git-upload-pack "$@"\n`);
  chmodSync(uploadPack, 0o755);
  gitIn(clone, ["config", "remote.origin.uploadpack", uploadPack]);
  return { clone, mark };
}

describe("crisp-guard git on an incomplete repository", () => {
  it("a partial clone: scans what is there, names what is not, never fetches; exit 1 with a finding", async () => {
    const { kp, repo, large, missing } = origin(true);
    const { clone, mark } = partialClone(repo);
    // The blob is really absent (git would fetch it if asked without our settings).
    expect(gitIn(clone, ["rev-list", "--objects", "--missing=print", "--all"])).toContain(`?${large}`);

    const run = await cli(["git", clone, "--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.scan.incomplete).toBe(true);
    expect(report.scan.missingObjects.map((m: { id: string }) => m.id).sort()).toEqual(missing);
    expect(report.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual([fingerprint(kp.identifier, kp.key)]);
    expect(run.stderr).toMatch(/incomplete scan: 2 objects .* not scanned/);
    expect(run.stderr).toContain(large);
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
    expect(existsSync(mark)).toBe(false);

    const text = await cli(["git", clone]);
    expect(text.stdout).toMatch(/INCOMPLETE: 2 objects could not be read and were not scanned: [0-9a-f]{40}, [0-9a-f]{40}\./);
    const sarif = JSON.parse((await cli(["git", clone, "--format", "sarif"])).stdout);
    expect(sarif.runs[0].invocations[0]).toMatchObject({ executionSuccessful: false });
    expect(JSON.stringify(sarif.runs[0].invocations[0].toolExecutionNotifications)).toContain(large);
    expect(existsSync(mark)).toBe(false);
  });

  it("nothing found but not everything read is exit 2, with the report written", async () => {
    const { repo, large } = origin(false);
    const { clone, mark } = partialClone(repo);
    const run = await cli(["git", clone, "--format", "json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).scan).toMatchObject({ incomplete: true, missingObjects: [{ id: large }] });
    expect(existsSync(mark)).toBe(false);
    const complete = await cli(["git", repo, "--format", "json"]);
    expect(complete.code).toBe(0);
    expect(JSON.parse(complete.stdout).scan.incomplete).toBeUndefined();
  });

  it("a loose object deleted from a repository: the rest is scanned and the object is named in full", async () => {
    const { kp, repo } = origin(true);
    const readme = gitIn(repo, ["rev-parse", "HEAD:README"]);
    rmSync(join(repo, ".git", "objects", readme.slice(0, 2), readme.slice(2)));
    const run = await cli(["git", repo, "--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.scan.missingObjects).toEqual([{ id: readme }]);
    expect(report.findings[0].fingerprint).toBe(fingerprint(kp.identifier, kp.key));
  });
});

describe("crisp-guard git on a shallow clone", () => {
  it("says the history is shallow and marks what the boundary commit stands for", async () => {
    const kp = randomKeypair();
    const repo = join(scratch(), "deep");
    mkdirSync(repo);
    gitIn(repo, ["init", "-q", "-b", "main"]);
    writeFileSync(join(repo, "app.env"), envFile(kp));
    gitIn(repo, ["add", "-A"]);
    gitIn(repo, ["commit", "-q", "-m", "the leak"]);
    const leak = gitIn(repo, ["rev-parse", "HEAD"]);
    for (const n of [1, 2]) {
      writeFileSync(join(repo, `n${n}.txt`), `${n}\n`);
      gitIn(repo, ["add", "-A"]);
      gitIn(repo, ["commit", "-q", "-m", `more ${n}`]);
    }
    const head = gitIn(repo, ["rev-parse", "HEAD"]);
    const shallow = join(scratch(), "shallow");
    gitIn(repo, ["clone", "-q", "--depth", "1", `file://${repo}`, shallow]);

    const run = await cli(["git", shallow, "--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.scan.shallow).toBe(true);
    expect(report.findings[0].occurrences).toEqual([
      expect.objectContaining({ path: "app.env", commit: head, shallowBoundary: true }),
    ]);
    expect(run.stderr).toMatch(/shallow clone: each boundary commit stands for all the history before it/);
    const text = await cli(["git", shallow]);
    expect(text.stdout).toContain("shallow clone boundary");

    // The full history attributes it to the commit that did it, with no boundary mark.
    const full = JSON.parse((await cli(["git", repo, "--format", "json"])).stdout);
    expect(full.scan.shallow).toBeUndefined();
    expect(full.findings[0].occurrences).toEqual([expect.objectContaining({ commit: leak })]);
    expect(full.findings[0].occurrences[0].shallowBoundary).toBeUndefined();
  });
});

describe("crisp-guard git from a subdirectory", () => {
  it("scans the repository around the directory it runs in", async () => {
    const { kp, repo } = origin(true);
    mkdirSync(join(repo, "src", "deep"), { recursive: true });
    const run = await cli(["git", "--format", "json"], { cwd: join(repo, "src", "deep") });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0].fingerprint).toBe(fingerprint(kp.identifier, kp.key));
    const relative = await cli(["git", "src", "--format", "json"], { cwd: repo });
    expect(relative.code).toBe(1);
  });
});
