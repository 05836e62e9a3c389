import { execFileSync } from "node:child_process";
import { readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { scanDirectory } from "../../src/sources/dir.js";
import { cli, envFile, tree } from "../helpers/cli.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";

describe("crisp-guard dir", () => {
  it("finds a keypair in a .env file, exits 1, and prints no raw half", async () => {
    const kp = randomKeypair();
    const root = await tree({ "app/.env": envFile(kp), "app/index.ts": "export {};\n" });
    const run = await cli(["dir", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${kp.identifier.slice(0, 8)}…:…${kp.key.slice(-4)}`);
    expect(run.stdout).toContain("app/.env:3:");
    expect(run.stdout).toContain("not verified");
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
  });

  it("writes the JSON report contract", async () => {
    const kp = randomKeypair();
    const root = await tree({ ".env": envFile(kp), "b/.env.copy": envFile(kp) });
    const run = await cli(["dir", ".", "--format", "json"], { cwd: root });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ version: 1, tool: { name: "crisp-guard" }, scan: { source: "dir", target: ".", filesScanned: 2 } });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].fingerprint).toBe(fingerprint(kp.identifier, kp.key));
    expect(report.findings[0].occurrences.map((o: { path: string }) => o.path)).toEqual([".env", "b/.env.copy"]);
    expect(report.findings[0].verification.status).toBe("unverified");
  });

  it("exits 0 on a clean tree", async () => {
    const root = await tree({ "a.ts": "const crisp = 1;\n" });
    const run = await cli(["dir", root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("No Crisp token keypair found.");
  });

  it("writes --output to a file and nothing to stdout", async () => {
    const kp = randomKeypair();
    const root = await tree({ ".env": envFile(kp) });
    const out = join(tempDir("crisp-guard-out-"), "report.sarif");
    const run = await cli(["dir", root, "--format", "sarif", "--output", out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const sarif = JSON.parse(await readFile(out, "utf8"));
    expect(sarif.runs[0].results[0].partialFingerprints["crispKeypair/v1"]).toBe(fingerprint(kp.identifier, kp.key));
  });

  it("leaves --output readable by its owner only, even when the file existed", async () => {
    const root = await tree({ ".env": envFile(randomKeypair()) });
    const out = join(tempDir("crisp-guard-out-"), "report.json");
    await writeFile(out, "old", { mode: 0o644 });
    await cli(["dir", root, "--format", "json", "--output", out]);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });

  it("writes --output into a stream that is not a regular file without changing its mode (as root, /dev/null would break)", async () => {
    const root = await tree({ ".env": envFile(randomKeypair()) });
    const fifo = join(tempDir("crisp-guard-out-"), "report.fifo");
    execFileSync("mkfifo", ["-m", "644", fifo]);
    const read = readFile(fifo, "utf8");
    const run = await cli(["dir", root, "--format", "json", "--output", fifo]);
    expect(run.code).toBe(1);
    expect(JSON.parse(await read).findings).toHaveLength(1);
    expect((await stat(fifo)).mode & 0o777).toBe(0o644);
  });

  it("suppresses what a --baseline report already holds", async () => {
    const kp = randomKeypair();
    const root = await tree({ ".env": envFile(kp) });
    const first = await cli(["dir", root, "--format", "json"]);
    const baseline = join(tempDir("crisp-guard-out-"), "baseline.json");
    await writeFile(baseline, first.stdout);
    const kp2 = randomKeypair();
    await writeFile(join(root, "new.env"), envFile(kp2));
    const second = await cli(["dir", root, "--format", "json", "--baseline", baseline]);
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout);
    expect(report.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual([fingerprint(kp2.identifier, kp2.key)]);
    expect(report.suppressed).toMatchObject([{ reason: "baseline", fingerprint: fingerprint(kp.identifier, kp.key) }]);
  });

  it("honours the config file: paths-ignore and allow", async () => {
    const a = randomKeypair();
    const b = randomKeypair();
    const root = await tree({
      "test/fixtures/.env": envFile(a),
      "src/.env": envFile(b),
      ".github/crisp-guard.yml": `paths-ignore: ["test/fixtures/**"]\nallow: [ { fingerprint: "${fingerprint(b.identifier, b.key)}", reason: "revoked" } ]\n`,
    });
    const run = await cli(["dir", root, "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).suppressed).toMatchObject([{ reason: "config-allow" }]);
  });

  it("skips a line marked crisp-guard:allow", async () => {
    const kp = randomKeypair();
    const root = await tree({
      ".env": `# crisp test token, revoked\nCRISP_IDENTIFIER=${kp.identifier} # crisp-guard:allow\nCRISP_KEY=${kp.key} # crisp-guard:allow\n`,
    });
    const run = await cli(["dir", root, "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).suppressed[0].reason).toBe("inline-allow");
  });

  it("skips binary and oversized files and counts them", async () => {
    const kp = randomKeypair();
    const root = await tree({
      "blob.bin": Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(envFile(kp))]),
      "big/.env": envFile(kp) + "#".repeat(4096),
      "ok.txt": "hello\n",
    });
    const run = await cli(["dir", root, "--format", "json", "--max-file-size", "2KB"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).scan).toMatchObject({ filesScanned: 1, skippedBinary: 1, skippedLarge: 1 });
    const text = await cli(["dir", root, "--max-file-size", "2KB"]);
    expect(text.stdout).toContain("1 skipped as too large, 1 binary skipped");
  });

  it("does not follow symbolic links and never enters .git", async () => {
    const kp = randomKeypair();
    const outside = await tree({ ".env": envFile(kp) });
    const root = await tree({ ".git/config": envFile(kp), "a.ts": "x\n" });
    await symlink(outside, join(root, "linked"));
    const run = await cli(["dir", root]);
    expect(run.code).toBe(0);
  });

  it("scans a single file", async () => {
    const kp = randomKeypair();
    const root = await tree({ "deploy/.env": envFile(kp) });
    const run = await cli(["dir", join(root, "deploy/.env"), "--format", "json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0].occurrences[0].path).toBe(".env");
  });

  it.each([
    [["dir", "/no/such/path-here"], /^crisp-guard: error: no such file or directory: \/no\/such\/path-here\n$/],
    [["dir", ".", "--format", "xml"], /argument 'xml' is invalid/],
    [["dir", ".", "--max-file-size", "lots"], /invalid size "lots"/],
    [["dir", ".", "--nope"], /unknown option '--nope'/],
    [["dir", ".", "--baseline", "/no/such/baseline.json"], /^crisp-guard: error: baseline file not found/],
    [["dir", ".", "--config", "/no/such/config.yml"], /^crisp-guard: error: config file not found/],
  ])("exits 2 with a clear message for %j", async (args, message) => {
    const root = await tree({ "a.txt": "a\n" });
    const run = await cli(args, { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("never echoes a keypair typed where a command or option belongs", async () => {
    const kp = randomKeypair();
    for (const args of [[`${kp.identifier}:${kp.key}`], ["dir", ".", `--${kp.key}`], ["dir", `/no/${kp.identifier}/${kp.key}`]]) {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
    }
  });

  it("explains a bad config in one line", async () => {
    const root = await tree({ "crisp-guard.yml": "rotate: { when: always }\n" });
    const run = await cli(["dir", root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`crisp-guard: error: bad config ${join(root, "crisp-guard.yml")}: rotate.when must be one of live, live-or-unknown, never\n`);
  });

  it("prints help with the exit codes, exit 0", async () => {
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Exit codes: 0 nothing reported, 1 at least one finding reported, 2 usage or runtime error");
    for (const cmd of ["dir", "git", "verify"]) expect(run.stdout).toContain(cmd);
    const dirHelp = await cli(["dir", "--help"]);
    for (const flag of ["--format", "--output", "--verify", "--rotate", "--baseline", "--config", "--max-file-size"]) {
      expect(dirHelp.stdout).toContain(flag);
    }
  });
});

describe("scanDirectory", () => {
  it("reports an unreadable file and goes on", async () => {
    const kp = randomKeypair();
    const root = await tree({ "a/.env": envFile(kp), "b/.env": envFile(kp) });
    const warnings: string[] = [];
    const result = await scanDirectory(root, {
      onWarning: (m) => warnings.push(m),
      readFile: async (path) => {
        if (path.toString().endsWith(join("a", ".env"))) throw Object.assign(new Error("denied"), { code: "EACCES" });
        return readFile(path);
      },
    });
    expect(warnings).toEqual(["cannot read a/.env: EACCES"]);
    expect(result.stats).toMatchObject({ unreadable: 1, filesScanned: 1 });
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.candidates.every((c) => c.occurrence.path === "b/.env")).toBe(true);
  });
});
