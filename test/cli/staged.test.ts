// `crisp-guard staged` (pre-commit) and `crisp-guard install-hook`, on real temporary repositories.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRawDiff } from "../../src/sources/git/staged.js";
import { cli, envFile } from "../helpers/cli.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { fixtureEnv, gitIn } from "../sources/git/history-fixture.js";

const MAIN = resolve("dist/cli/main.js");

function repo(): string {
  const dir = tempDir("crisp-guard-staged-");
  gitIn(dir, ["init", "-q", "-b", "main"]);
  writeFileSync(join(dir, "README.md"), "hello\n");
  gitIn(dir, ["add", "."]);
  gitIn(dir, ["commit", "-q", "-m", "init"]);
  return dir;
}

describe("crisp-guard staged", () => {
  it("exit 1 for a staged keypair, named by path and line, never printed", async () => {
    const dir = repo();
    const kp = randomKeypair();
    mkdirSync(join(dir, "config"));
    writeFileSync(join(dir, "config", ".env"), envFile(kp));
    gitIn(dir, ["add", "config/.env"]);
    const run = await cli(["staged", "--format", "json"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.scan).toMatchObject({ source: "git", target: "staged", filesScanned: 1 });
    expect(report.findings[0].occurrences).toEqual([expect.objectContaining({ path: "config/.env", line: 3 })]);
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
  });

  it("exit 0 for a clean staged file, from a subdirectory too", async () => {
    const dir = repo();
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "app.ts"), "export const answer = 42;\n");
    gitIn(dir, ["add", "."]);
    const run = await cli(["staged"], { cwd: join(dir, "src") });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Scanned 1 file ");
  });

  it("reads the index, not the work tree: a key staged then deleted on disk is still found; unstaged is not", async () => {
    const dir = repo();
    const staged = randomKeypair();
    writeFileSync(join(dir, "a.env"), envFile(staged));
    gitIn(dir, ["add", "a.env"]);
    // The work tree now differs from the index: the commit would record the staged blob.
    writeFileSync(join(dir, "a.env"), "nothing here\n");
    const unstaged = randomKeypair();
    writeFileSync(join(dir, "b.env"), envFile(unstaged));
    const run = await cli(["staged", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(1);
    const paths = JSON.parse(run.stdout).findings.flatMap((f: { occurrences: Array<{ path: string }> }) => f.occurrences.map((o) => o.path));
    expect(paths).toEqual(["a.env"]);
  });

  it("does not rescan files already committed (only the staged change), and honours --exclude", async () => {
    const dir = repo();
    const old = randomKeypair();
    writeFileSync(join(dir, "old.env"), envFile(old));
    gitIn(dir, ["add", "."]);
    gitIn(dir, ["commit", "-q", "-m", "an old leak"]);
    writeFileSync(join(dir, "notes.txt"), "fine\n");
    gitIn(dir, ["add", "notes.txt"]);
    expect((await cli(["staged"], { cwd: dir })).code).toBe(0);
    const kp = randomKeypair();
    mkdirSync(join(dir, "fixtures"));
    writeFileSync(join(dir, "fixtures", "x.env"), envFile(kp));
    gitIn(dir, ["add", "."]);
    expect((await cli(["staged"], { cwd: dir })).code).toBe(1);
    expect((await cli(["staged", "--exclude", "fixtures/**"], { cwd: dir })).code).toBe(0);
  });

  it("works before the first commit", async () => {
    const dir = tempDir("crisp-guard-staged-");
    gitIn(dir, ["init", "-q"]);
    writeFileSync(join(dir, ".env"), envFile(randomKeypair()));
    gitIn(dir, ["add", "."]);
    expect((await cli(["staged"], { cwd: dir })).code).toBe(1);
  });

  it("exit 2 outside a work tree", async () => {
    const dir = tempDir("crisp-guard-staged-");
    const run = await cli(["staged"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crisp-guard: error: .* is not inside a git work tree/);
  });

  it("parses raw diff output, renames and non-file modes included", () => {
    const z = "\u0000";
    const a = "a".repeat(40);
    const b = "b".repeat(40);
    const out = [
      `:000000 100644 ${"0".repeat(40)} ${a} A`, "new file.env",
      `:100644 100644 ${a} ${b} R087`, "old.env", "moved.env",
      `:000000 120000 ${"0".repeat(40)} ${b} A`, "link",
      `:000000 160000 ${"0".repeat(40)} ${b} A`, "submodule",
      `:100644 100755 ${a} ${b} M`, "tab\tname.sh", "",
    ].join(z);
    expect(parseRawDiff(out)).toEqual([
      { path: "new file.env", blob: a },
      { path: "moved.env", blob: b },
      { path: "tab\tname.sh", blob: b },
    ]);
  });
});

/** A PATH with `crisp-guard` on it (the built CLI), as after npm install -g. */
function binDir(): string {
  const bin = tempDir("crisp-guard-bin-");
  symlinkSync(MAIN, join(bin, "crisp-guard"));
  return bin;
}

function gitCommit(dir: string, bin: string) {
  return spawnSync("git", ["commit", "-q", "-m", "add config"], {
    cwd: dir,
    env: { ...fixtureEnv(), PATH: `${bin}:${process.env.PATH}` },
    encoding: "utf8",
  });
}

describe("crisp-guard install-hook", () => {
  it("installs an executable pre-commit hook, and git commit is then refused for a staged keypair", async () => {
    expect(existsSync(MAIN)).toBe(true); // npm run build first
    const dir = repo();
    const run = await cli(["install-hook"], { cwd: dir });
    expect(run.code).toBe(0);
    const hook = join(dir, ".git", "hooks", "pre-commit");
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(readFileSync(hook, "utf8")).toContain("crisp-guard staged");

    const bin = binDir();
    const kp = randomKeypair();
    writeFileSync(join(dir, ".env"), envFile(kp));
    gitIn(dir, ["add", ".env"]);
    const refused = gitCommit(dir, bin);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(".env:3:");
    expect(holdsRaw(refused.stdout + refused.stderr, kp)).toBe(false);
    expect(gitIn(dir, ["rev-list", "--count", "HEAD"])).toBe("1");

    // A clean change goes through.
    gitIn(dir, ["rm", "-q", "--cached", ".env"]);
    writeFileSync(join(dir, "ok.txt"), "fine\n");
    gitIn(dir, ["add", "ok.txt"]);
    const passed = gitCommit(dir, bin);
    // git shows a hook's stdout on stderr.
    expect(passed.stderr).toContain("No Crisp token keypair found.");
    expect(passed.status).toBe(0);
    expect(gitIn(dir, ["rev-list", "--count", "HEAD"])).toBe("2");
  });

  it("scans the temporary index git hands the hook for `git commit -a`", async () => {
    const dir = repo();
    await cli(["install-hook"], { cwd: dir });
    const kp = randomKeypair();
    // Tracked but unstaged: only `commit -a` stages it, in a temporary index (GIT_INDEX_FILE).
    writeFileSync(join(dir, "README.md"), envFile(kp));
    const result = spawnSync("git", ["commit", "-q", "-a", "-m", "all"], {
      cwd: dir,
      env: { ...fixtureEnv(), PATH: `${binDir()}:${process.env.PATH}` },
      encoding: "utf8",
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("README.md:3:");
    expect(holdsRaw(result.stdout + result.stderr, kp)).toBe(false);
  });

  it("honours core.hooksPath", async () => {
    const dir = repo();
    gitIn(dir, ["config", "core.hooksPath", ".githooks"]);
    const run = await cli(["install-hook"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, ".githooks", "pre-commit"))).toBe(true);
    expect(existsSync(join(dir, ".git", "hooks", "pre-commit"))).toBe(false);
  });

  it("keeps an existing hook without --force (exit 2), replaces it with --force", async () => {
    const dir = repo();
    const hook = join(dir, ".git", "hooks", "pre-commit");
    writeFileSync(hook, "#!/bin/sh\necho mine\n");
    chmodSync(hook, 0o755);
    const kept = await cli(["install-hook"], { cwd: dir });
    expect(kept.code).toBe(2);
    expect(kept.stderr).toMatch(/^crisp-guard: error: .*pre-commit already exists; not overwritten .*--force/);
    expect(readFileSync(hook, "utf8")).toBe("#!/bin/sh\necho mine\n");
    const forced = await cli(["install-hook", "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(hook, "utf8")).toContain("crisp-guard staged");
  });
});
