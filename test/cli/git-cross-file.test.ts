// `crisp-guard git` pairs an identifier and a key committed in different files (and commits).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { cli } from "../helpers/cli.js";
import { randomKeypair } from "../helpers/keypairs.js";
import { gitIn, tempDir } from "../sources/git/history-fixture.js";

describe("crisp-guard git across files", () => {
  it("config.yaml in one commit, .env in the next: one finding, both files at the second commit, no raw half", async () => {
    const kp = randomKeypair();
    const repo = tempDir();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    await mkdir(join(repo, "bot"));
    await writeFile(join(repo, "bot", "config.yaml"), `bot:\n  name: helper\ncrisp:\n  id: ${kp.identifier}\n`);
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "config"]);
    await writeFile(join(repo, "bot", ".env"), `PORT=3000\nCRISP_KEY=${kp.key}\n`);
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "env"]);
    const second = gitIn(repo, ["rev-parse", "HEAD"]);
    gitIn(repo, ["rm", "-q", "bot/.env"]);
    gitIn(repo, ["commit", "-q", "-m", "remove the key"]);

    const run = await cli(["git", repo, "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ fingerprint: fingerprint(kp.identifier, kp.key), keyHint: `…${kp.key.slice(-4)}` });
    expect(report.findings[0].occurrences.map((o: { path: string; line: number; commit: string }) => `${o.path}:${o.line}@${o.commit}`).sort())
      .toEqual([`bot/.env:2@${second}`, `bot/config.yaml:4@${second}`]);
    // Neither half appears raw, in any case: the key never, the identifier only as its 8-character prefix.
    const out = (run.stdout + run.stderr).toLowerCase();
    expect(out).not.toContain(kp.key.toLowerCase());
    expect(out).not.toContain(kp.identifier.toLowerCase());

    const text = await cli(["git", repo]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${kp.identifier.slice(0, 8)}…:…${kp.key.slice(-4)}`);
    expect(text.stdout.toLowerCase()).not.toContain(kp.key.toLowerCase());
  });
});
