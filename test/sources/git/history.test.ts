import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync, openSync, writeSync, closeSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keypair } from "../../../src/detect/fingerprint.js";
import { cloneRepository, isRepository, scanHistory, type HistoryProgress } from "../../../src/sources/git/history.js";
import type { SourceResult } from "../../../src/sources/types.js";
import { holdsRaw, randomKeypair } from "../../helpers/keypairs.js";
import {
  buildHistoryFixture,
  envFile,
  expectedRows,
  fakeDetector,
  fixtureEnv,
  gitIn,
  rows,
  tempDir,
  type HistoryFixture,
} from "./history-fixture.js";

let fx: HistoryFixture;
let full: SourceResult;
const cleanups: string[] = [];

beforeAll(async () => {
  fx = buildHistoryFixture();
  cleanups.push(fx.repo);
  full = await scanHistory(fx.repo, { ...fakeDetector, maxFileSize: fx.maxFileSize });
});

afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

function gitCount(repo: string, args: string[]): number {
  return Number(gitIn(repo, ["rev-list", "--count", ...args]));
}

describe("scanHistory: a whole history", () => {
  it("finds exactly the planted keypairs, each at the commits that introduced it", () => {
    expect(rows(full.candidates, fx.secrets)).toEqual(expectedRows(fx.expected));
  });

  it("blames the merge commit for a secret that exists only in its conflict resolution", () => {
    const resolution = full.candidates.filter((c) => c.occurrence.path === "app.conf");
    expect(resolution).toHaveLength(1);
    expect(resolution[0]!.occurrence.commit).toBe(fx.commits.merge);
    // The merge brought the feature branch's files in, but did not introduce them.
    const byMerge = full.candidates.filter((c) => c.occurrence.commit === fx.commits.merge);
    expect(byMerge.map((c) => c.occurrence.path)).toEqual(["app.conf"]);
  });

  it("gives each occurrence its author, date, line and column", () => {
    for (const planted of fx.expected) {
      const fp = new Keypair(planted.kp.identifier, planted.kp.key).fingerprint;
      const found = full.candidates.find(
        (c) => c.fingerprint === fp && c.occurrence.commit === planted.commit && c.occurrence.path === planted.path,
      );
      expect(found, planted.name).toBeDefined();
      expect(found!.occurrence.line).toBe(planted.line);
      expect(found!.occurrence.column).toBe("CRISP_IDENTIFIER=".length + 1);
      expect(found!.occurrence.encoding).toBe("plain");
      if (planted.author) expect(found!.occurrence.author).toBe(planted.author);
      if (planted.date) expect(Date.parse(found!.occurrence.date!)).toBe(Date.parse(planted.date));
      expect(found!.occurrence.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$/);
    }
  });

  it("skips and counts what is over the size limit or binary, and never reports it", () => {
    expect(full.stats.skippedLarge).toBe(1);
    expect(full.stats.skippedBinary).toBe(1);
    const text = rows(full.candidates, fx.secrets).join("\n");
    for (const kp of fx.hidden) {
      const fp = new Keypair(kp.identifier, kp.key).fingerprint;
      expect(full.candidates.some((c) => c.fingerprint === fp)).toBe(false);
      expect(text).not.toContain(fp);
    }
  });

  it("reads each unique blob once and counts every commit, stash entries included", () => {
    const stashEntries = gitIn(fx.repo, ["log", "-g", "--format=%H", "refs/stash"]).split("\n");
    expect(full.stats.commits).toBe(gitCount(fx.repo, ["--all", ...stashEntries]));
    const blobs = gitIn(fx.repo, ["rev-list", "--objects", "--filter=object:type=blob", "--all", ...stashEntries])
      .split("\n")
      .filter((l) => l.includes(" ")).length;
    // Every blob, less the two skipped ones and the annotated tag object rev-list also prints.
    expect(full.stats.blobsScanned).toBe(blobs - 2 - 1);
    expect(full.stats.bytesScanned).toBeGreaterThan(0);
  });

  it("collects website ids seen anywhere", () => {
    expect(full.websiteIds).toEqual([fx.websiteId]);
  });

  it("holds no raw key in anything it returns", () => {
    const json = JSON.stringify(full);
    for (const kp of Object.values(fx.secrets)) expect(holdsRaw(json, kp)).toBe(false);
  });

  it("gives the same answer whichever way blobs are shared between readers", async () => {
    const expected = rows(full.candidates, fx.secrets);
    const one = await scanHistory(fx.repo, { ...fakeDetector, maxFileSize: fx.maxFileSize, readers: 1 });
    expect(rows(one.candidates, fx.secrets)).toEqual(expected);
    expect(one.stats).toEqual(full.stats);
    for (const readBlock of [1, 2, 5]) {
      const split = await scanHistory(fx.repo, { ...fakeDetector, maxFileSize: fx.maxFileSize, readers: 3, readBlock });
      expect(rows(split.candidates, fx.secrets)).toEqual(expected);
      expect(split.stats).toEqual(full.stats);
    }
  });

  it("reports progress up to the totals", async () => {
    const seen: HistoryProgress[] = [];
    await scanHistory(fx.repo, { ...fakeDetector, maxFileSize: fx.maxFileSize, onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(last.blobsTotal).toBe(full.stats.blobsScanned! + 2);
    expect(last.blobsDone).toBe(last.blobsTotal);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBeGreaterThan(fx.maxFileSize);
  });

  it("runs only the detector on what the prefilter lets through", async () => {
    let detected = 0;
    await scanHistory(fx.repo, {
      maxFileSize: fx.maxFileSize,
      mayContainKeypair: (text) => text.includes("CRISP_KEY"),
      detect: (text, opts) => {
        detected++;
        return fakeDetector.detect(text, opts);
      },
    });
    // Blobs holding a CRISP_KEY line: two .env versions... one per distinct content.
    expect(detected).toBeGreaterThan(0);
    expect(detected).toBeLessThan(full.stats.blobsScanned!);
  });
});

describe("scanHistory: --branch and --since", () => {
  it("--branch scans only what that ref reaches", async () => {
    const result = await scanHistory(fx.repo, { ...fakeDetector, branch: "feature" });
    const want = fx.expected.filter((p) => ["deleted", "feature"].includes(p.name) && p.commit !== fx.commits.readdEnv);
    expect(rows(result.candidates, fx.secrets)).toEqual(expectedRows(want));
    expect(result.stats.commits).toBe(gitCount(fx.repo, ["feature"]));
  });

  it("--since leaves out everything reachable from that commit", async () => {
    const result = await scanHistory(fx.repo, { ...fakeDetector, since: fx.commits.deleteEnv, maxFileSize: fx.maxFileSize });
    // The .env file was deleted before --since and re-added after it: the re-add is new.
    const want = fx.expected.filter((p) => p.commit !== fx.commits.addEnv);
    expect(rows(result.candidates, fx.secrets)).toEqual(expectedRows(want));
    expect(result.stats.commits).toBeLessThan(full.stats.commits!);
  });

  it("--since with --branch is SINCE..REF", async () => {
    const result = await scanHistory(fx.repo, { ...fakeDetector, since: fx.commits.deleteEnv, branch: "feature" });
    expect(rows(result.candidates, fx.secrets)).toEqual(expectedRows(fx.expected.filter((p) => p.name === "feature")));
    expect(result.stats.commits).toBe(2);
  });

  it("a --since or --branch that names no commit is a one-line error", async () => {
    await expect(scanHistory(fx.repo, { ...fakeDetector, since: "no-such-rev" })).rejects.toThrow(
      /^--since "no-such-rev" is not a commit in /,
    );
    await expect(scanHistory(fx.repo, { ...fakeDetector, branch: "--all" })).rejects.toThrow(/^--branch "--all" is not a commit/);
  });
});

describe("scanHistory: repository shapes", () => {
  it("an empty repository scans to nothing", async () => {
    const repo = tempDir();
    cleanups.push(repo);
    gitIn(repo, ["init", "-q", "-b", "main"]);
    const result = await scanHistory(repo, fakeDetector);
    expect(result).toEqual({
      candidates: [],
      websiteIds: [],
      stats: { blobsScanned: 0, bytesScanned: 0, commits: 0, skippedLarge: 0, skippedBinary: 0 },
    });
  });

  it("blobs and trees a tag points at directly, with no commit", async () => {
    const repo = tempDir();
    cleanups.push(repo);
    gitIn(repo, ["init", "-q", "-b", "main"]);
    writeFileSync(join(repo, "README"), "hi\n");
    gitIn(repo, ["add", "-A"]);
    gitIn(repo, ["commit", "-q", "-m", "one"]);
    const [inBlob, inTree] = [randomKeypair(), randomKeypair()];
    const hash = (text: string) =>
      execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: repo, env: fixtureEnv(), input: text, encoding: "utf8" }).trim();
    gitIn(repo, ["tag", "blobtag", hash(envFile(inBlob))]);
    const sub = execFileSync("git", ["mktree"], {
      cwd: repo, env: fixtureEnv(), input: `100644 blob ${hash(envFile(inTree))}\tkeys.env\n`, encoding: "utf8",
    }).trim();
    const tree = execFileSync("git", ["mktree"], { cwd: repo, env: fixtureEnv(), input: `040000 tree ${sub}\tconf\n`, encoding: "utf8" }).trim();
    gitIn(repo, ["tag", "-a", "-m", "a tree", "treetag", tree]);
    const result = await scanHistory(repo, fakeDetector);
    expect(rows(result.candidates, { inBlob, inTree })).toEqual(["inBlob - :1", "inTree - conf/keys.env:1"]);
  });

  it("a copy to a path that gives the detector its context is found, with both introductions", async () => {
    const repo = tempDir();
    cleanups.push(repo);
    const kp = randomKeypair();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    mkdirSync(join(repo, "config"));
    writeFileSync(join(repo, "config", "keys.env"), `ID=${kp.identifier}\nKEY=${kp.key}\n`);
    gitIn(repo, ["add", "-A"]);
    gitIn(repo, ["commit", "-q", "-m", "one"]);
    const first = gitIn(repo, ["rev-parse", "HEAD"]);
    mkdirSync(join(repo, "crisp"));
    writeFileSync(join(repo, "crisp", "keys.env"), `ID=${kp.identifier}\nKEY=${kp.key}\n`);
    gitIn(repo, ["add", "-A"]);
    gitIn(repo, ["commit", "-q", "-m", "two"]);
    const second = gitIn(repo, ["rev-parse", "HEAD"]);
    // A detector for which only the path says "Crisp".
    const pathDetector = {
      mayContainKeypair: (_text: string, path: string) => path.includes("crisp"),
      detect: (text: string, opts: { path: string }) =>
        fakeDetector.detect(text.replace("ID=", "CRISP_IDENTIFIER=").replace("KEY=", "CRISP_KEY="), opts),
    };
    const result = await scanHistory(repo, pathDetector);
    expect(result.candidates.map((c) => [c.occurrence.commit, c.occurrence.path]).sort()).toEqual(
      [[first, "config/keys.env"], [second, "crisp/keys.env"]].sort(),
    );
  });

  it("a SHA-256 repository", async () => {
    const repo = tempDir();
    cleanups.push(repo);
    gitIn(repo, ["init", "-q", "-b", "main", "--object-format=sha256"]);
    const kp = randomKeypair();
    writeFileSync(join(repo, "app.env"), envFile(kp));
    gitIn(repo, ["add", "-A"]);
    gitIn(repo, ["commit", "-q", "-m", "one"]);
    const head = gitIn(repo, ["rev-parse", "HEAD"]);
    expect(head).toHaveLength(64);
    for (const readers of [1, 2]) {
      const result = await scanHistory(repo, { ...fakeDetector, readers });
      expect(result.candidates.map((c) => [c.occurrence.commit, c.occurrence.path])).toEqual([[head, "app.env"]]);
    }
  });
});

describe("scanHistory: bad input", () => {
  it("a directory that is not a repository", async () => {
    const dir = tempDir();
    cleanups.push(dir);
    await expect(scanHistory(dir)).rejects.toThrow(/is not a git repository/);
    expect(await isRepository(dir)).toBe(false);
    expect(await isRepository(fx.repo)).toBe(true);
  });

  it("a subdirectory of a repository is not taken for the repository", async () => {
    await expect(scanHistory(join(fx.repo, "config"))).rejects.toThrow(/no such file or directory|not a git repository/);
    expect(await isRepository(join(fx.repo, "moved"))).toBe(false);
  });

  it("a path that does not exist", async () => {
    await expect(scanHistory(join(tempDir(), "nope"))).rejects.toThrow(/no such file or directory/);
  });

  it("a corrupt pack is a clear one-line error", async () => {
    const copy = join(tempDir(), "corrupt.git");
    cleanups.push(copy);
    execFileSync("git", ["clone", "-q", "--mirror", "--no-local", fx.repo, copy], { env: fixtureEnv() });
    const packDir = join(copy, "objects", "pack");
    const pack = readdirSync(packDir).find((f) => f.endsWith(".pack"))!;
    const file = join(packDir, pack);
    chmodSync(file, 0o644);
    const size = statSync(file).size;
    const fd = openSync(file, "r+");
    // Overwrite object data past the header: zlib streams inside break.
    for (let at = 64; at < size - 64; at += 97) writeSync(fd, Buffer.from([0xff, 0x00, 0xaa]), 0, 3, at);
    closeSync(fd);
    const error = await scanHistory(copy, fakeDetector).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain("\n");
    expect(error!.message).toMatch(/cannot read|corrupt|cannot be read/);
  });

  it("a missing or corrupt object: everything else is scanned, and the object is named in full", async () => {
    const copy = join(tempDir(), "missing");
    cleanups.push(copy);
    execFileSync("git", ["clone", "-q", "--no-local", fx.repo, copy], { env: fixtureEnv() });
    // Loose objects, so one can be taken away and one broken.
    const packDir = join(copy, ".git", "objects", "pack");
    const pack = readFileSync(join(packDir, readdirSync(packDir).find((f) => f.endsWith(".pack"))!));
    for (const f of readdirSync(packDir)) unlinkSync(join(packDir, f));
    execFileSync("git", ["-C", copy, "unpack-objects", "-q"], { env: fixtureEnv(), input: pack });
    const loose = (id: string) => join(copy, ".git", "objects", id.slice(0, 2), id.slice(2));
    const gone = gitIn(copy, ["rev-parse", "HEAD:README.md"]);
    unlinkSync(loose(gone));
    const whole = await scanHistory(copy, { ...fakeDetector, maxFileSize: fx.maxFileSize });
    const root = gitIn(copy, ["rev-list", "--max-parents=0", "HEAD"]);
    const broken = gitIn(copy, ["rev-parse", `${root}:app.conf`]);
    chmodSync(loose(broken), 0o644);
    writeFileSync(loose(broken), Buffer.from("not zlib at all"));
    for (const readers of [1, 3]) {
      const result = await scanHistory(copy, { ...fakeDetector, maxFileSize: fx.maxFileSize, readers, readBlock: 2 });
      expect(result.missingObjects!.map((m) => m.id).sort()).toEqual([gone, broken].sort());
      expect(result.missingObjects!.find((m) => m.id === broken)!.path).toBe("app.conf");
      // Every planted keypair is still found where it was introduced.
      expect(rows(result.candidates, fx.secrets)).toEqual(rows(whole.candidates, fx.secrets));
      expect(result.stats.blobsScanned).toBe(whole.stats.blobsScanned! - 1);
    }
    expect(whole.missingObjects).toEqual([{ id: gone }]);
  });

  it("an aborted scan stops with an AbortError", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scanHistory(fx.repo, { ...fakeDetector, signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("an abort while blobs are read stops every reader", async () => {
    const controller = new AbortController();
    let seen = 0;
    const scan = scanHistory(fx.repo, {
      readers: 3,
      readBlock: 1,
      mayContainKeypair: () => {
        if (++seen === 3) controller.abort();
        return false;
      },
      detect: fakeDetector.detect,
      signal: controller.signal,
    });
    await expect(scan).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("scanHistory: safety", () => {
  it("runs nothing the scanned repository configures, and its config cannot change what is found", async () => {
    const repo = tempDir();
    const outside = tempDir();
    cleanups.push(repo, outside);
    const marker = join(outside, "pwned");
    const script = join(outside, "evil.sh");
    writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\ncat >/dev/null\nexit 0\n`);
    chmodSync(script, 0o755);
    const kp = randomKeypair();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    writeFileSync(join(repo, "a.txt"), "base\n");
    writeFileSync(join(repo, ".gitattributes"), "* diff=evil filter=evil\n");
    gitIn(repo, ["add", "-A"]);
    gitIn(repo, ["commit", "-q", "-m", "base"]);
    gitIn(repo, ["checkout", "-q", "-b", "side"]);
    writeFileSync(join(repo, "a.txt"), "side\n");
    gitIn(repo, ["commit", "-q", "-am", "side"]);
    gitIn(repo, ["checkout", "-q", "main"]);
    writeFileSync(join(repo, "a.txt"), "main\n");
    gitIn(repo, ["commit", "-q", "-am", "main"]);
    try { gitIn(repo, ["merge", "-q", "side", "-m", "merge"]); } catch { /* conflict, as meant */ }
    writeFileSync(join(repo, "a.txt"), envFile(kp));
    gitIn(repo, ["add", "a.txt"]);
    gitIn(repo, ["commit", "-q", "--no-edit"]);
    const merge = gitIn(repo, ["rev-parse", "HEAD"]);
    for (const [key, value] of [
      ["core.fsmonitor", script],
      ["core.hooksPath", outside],
      ["diff.external", script],
      ["diff.evil.textconv", script],
      ["diff.evil.command", script],
      ["filter.evil.smudge", script],
      ["filter.evil.clean", script],
      ["core.pager", script],
      ["pager.log", script],
      ["log.showSignature", "true"],
      ["gpg.program", script],
      ["log.diffMerges", "first-parent"],
      ["diff.renames", "copies"],
      ["diff.relative", "true"],
      ["core.abbrev", "7"],
    ] as const) {
      gitIn(repo, ["config", key, value]);
    }
    // A hook of every kind git might run on reading.
    for (const hook of ["post-checkout", "reference-transaction", "post-index-change", "fsmonitor-watchman"]) {
      for (const dir of [outside, join(repo, ".git", "hooks")]) {
        writeFileSync(join(dir, hook), `#!/bin/sh\ntouch '${marker}'\n`);
        chmodSync(join(dir, hook), 0o755);
      }
    }
    const result = await scanHistory(repo, fakeDetector);
    expect(existsSync(marker)).toBe(false);
    expect(result.candidates.map((c) => [c.occurrence.commit, c.occurrence.path])).toEqual([[merge, "a.txt"]]);
  });
});

describe("cloneRepository", () => {
  it("clones a local bare repository from a file:// URL, with every ref, and removes it on cleanup", async () => {
    const bare = join(tempDir(), "origin.git");
    cleanups.push(bare);
    execFileSync("git", ["clone", "-q", "--mirror", fx.repo, bare], { env: fixtureEnv() });
    const clone = await cloneRepository(`file://${bare}`);
    try {
      expect(await isRepository(clone.path)).toBe(true);
      const result = await scanHistory(clone.path, { ...fakeDetector, maxFileSize: fx.maxFileSize });
      // A clone carries refs, not reflogs: the older stash entry stays behind.
      const want = fx.expected.filter((p) => p.name !== "oldStash");
      expect(rows(result.candidates, fx.secrets)).toEqual(expectedRows(want));
    } finally {
      await clone.cleanup();
    }
    expect(existsSync(clone.path)).toBe(false);
  });

  it("clones a plain path too, and keeps the clone in --keep-clone's directory", async () => {
    const keep = join(tempDir(), "kept");
    cleanups.push(keep);
    const clone = await cloneRepository(fx.repo, { keepDir: keep });
    await clone.cleanup();
    expect(clone.path).toBe(keep);
    expect(await isRepository(keep)).toBe(true);
    const result = await scanHistory(keep, { ...fakeDetector, branch: "feature" });
    expect(result.candidates.length).toBeGreaterThan(0);
  });

  it("refuses a non-empty --keep-clone directory, an option-like URL and ext:: URLs", async () => {
    await expect(cloneRepository(fx.repo, { keepDir: fx.repo })).rejects.toThrow(/not empty/);
    await expect(cloneRepository("--upload-pack=touch /tmp/x")).rejects.toThrow(/not a repository URL/);
    await expect(cloneRepository("ext::sh -c touch% /tmp/pwned")).rejects.toThrow(/ext::/);
  });

  it("a URL that cannot be cloned is a one-line error without credentials", async () => {
    const error = await cloneRepository("file:///nonexistent/crisp-guard/repo.git").then(() => null, (e: unknown) => e as Error);
    expect(error!.message).toMatch(/^cannot clone file:\/\/\/nonexistent/);
    expect(error!.message).not.toContain("\n");
    const withToken = await cloneRepository("https://user:s3cr3t-token@127.0.0.1:1/x.git").then(() => null, (e: unknown) => e as Error);
    expect(withToken!.message).not.toContain("s3cr3t-token");
    expect(withToken!.message).not.toContain("\n");
  });
});

describe("scanHistory with the real detector", () => {
  const envText = (kp: { identifier: string; key: string }) => `CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;

  it("finds a .env keypair added then deleted, at the commit that added it, where its key sits", async () => {
    const repo = tempDir();
    cleanups.push(repo);
    const kp = randomKeypair();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    writeFileSync(join(repo, ".env"), envText(kp));
    gitIn(repo, ["add", ".env"]);
    gitIn(repo, ["commit", "-q", "-m", "oops"]);
    const added = gitIn(repo, ["rev-parse", "HEAD"]);
    gitIn(repo, ["rm", "-q", ".env"]);
    gitIn(repo, ["commit", "-q", "-m", "remove"]);
    const result = await scanHistory(repo);
    const fp = new Keypair(kp.identifier, kp.key).fingerprint;
    const found = result.candidates.filter((c) => c.fingerprint === fp);
    expect(found.map((c) => [c.occurrence.commit, c.occurrence.path])).toEqual([[added, ".env"]]);
    // A keypair's occurrence is where its key is: line 2, just after `CRISP_KEY=`.
    expect(found[0]!.occurrence).toMatchObject({ line: 2, column: "CRISP_KEY=".length + 1 });
    expect(holdsRaw(JSON.stringify(result), kp)).toBe(false);
  });
});
