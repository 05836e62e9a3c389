// A blob is read once, at the first path rev-list names it with; its other paths still count.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanHistory } from "../../../src/sources/git/history.js";
import { randomKeypair } from "../../helpers/keypairs.js";
import { gitIn, tempDir } from "./history-fixture.js";

function commitAll(repo: string, message: string): string {
  gitIn(repo, ["add", "-A"]);
  gitIn(repo, ["commit", "-q", "-m", message]);
  return gitIn(repo, ["rev-parse", "HEAD"]);
}

describe("scanHistory: a blob at several paths", () => {
  it("finds base64(identifier:key) copied unchanged from a plain path to a path naming Crisp", async () => {
    const repo = tempDir();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    const kp = randomKeypair();
    // No Crisp word and no UUID in the text: alone at app/token.txt it is not a Crisp token. rev-list
    // meets the blob first at app/token.txt (trees are walked in name order), and reads it there.
    const token = `TOKEN=${Buffer.from(`${kp.identifier}:${kp.key}`).toString("base64")}\n`;
    mkdirSync(join(repo, "app"));
    writeFileSync(join(repo, "app", "token.txt"), token);
    mkdirSync(join(repo, "crisp"));
    writeFileSync(join(repo, "crisp", "README.md"), "How the chat widget is wired.\n");
    const first = commitAll(repo, "notes");
    mkdirSync(join(repo, "settings"));
    writeFileSync(join(repo, "settings", "crisp.env"), token);
    const copy = commitAll(repo, "copy the token to the Crisp settings");

    const result = await scanHistory(repo);
    const found = result.candidates
      .map((c) => ({ path: c.occurrence.path, commit: c.occurrence.commit, halves: c.keypair.reveal() }))
      .sort((a, b) => a.path.localeCompare(b.path));
    // Once known to be a Crisp token, the same bytes are reported wherever they sit.
    expect(found).toEqual([
      { path: "app/token.txt", commit: first, halves: kp },
      { path: "settings/crisp.env", commit: copy, halves: kp },
    ]);
  });

  it("tries a blob with a keypair's shapes at a nested path naming Crisp (config/crisp.env), first met elsewhere", async () => {
    const repo = tempDir();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    const kp = randomKeypair();
    // Only a path naming Crisp makes these two lines a Crisp keypair.
    const text = `IDENTIFIER=${kp.identifier}\nKEY=${kp.key}\n`;
    mkdirSync(join(repo, "app"));
    writeFileSync(join(repo, "app", "keys.env"), text);
    mkdirSync(join(repo, "config"));
    writeFileSync(join(repo, "config", "crisp.env"), text);
    const commit = commitAll(repo, "keys");
    const result = await scanHistory(repo);
    const paths = result.candidates.filter((c) => c.occurrence.commit === commit).map((c) => c.occurrence.path);
    expect(paths).toContain("config/crisp.env");
  });

  it("does not report the same token where no path names Crisp", async () => {
    const repo = tempDir();
    gitIn(repo, ["init", "-q", "-b", "main"]);
    const kp = randomKeypair();
    writeFileSync(join(repo, "token.txt"), `TOKEN=${Buffer.from(`${kp.identifier}:${kp.key}`).toString("base64")}\n`);
    writeFileSync(join(repo, "copy.txt"), `TOKEN=${Buffer.from(`${kp.identifier}:${kp.key}`).toString("base64")}\n`);
    commitAll(repo, "tokens");
    expect((await scanHistory(repo)).candidates).toEqual([]);
  });
});
