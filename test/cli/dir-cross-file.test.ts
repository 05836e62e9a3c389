// `crisp-guard dir` pairs an identifier and a key written in different files of the tree.
import { rm } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { cli, tree } from "../helpers/cli.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

const roots: string[] = [];
async function scratch(files: Record<string, string>): Promise<string> {
  const root = await tree(files);
  roots.push(root);
  return root;
}
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describe("crisp-guard dir across files", () => {
  it("config.yaml holding the identifier and .env the key: one finding, two occurrences, exit 1", async () => {
    const kp = randomKeypair();
    const root = await scratch({
      "bot/config.yaml": `bot:\n  name: helper\ncrisp:\n  id: ${kp.identifier}\n`,
      "bot/.env": `PORT=3000\nCRISP_KEY=${kp.key}\n`,
      "bot/index.js": "export {};\n",
    });
    const run = await cli(["dir", ".", "--format", "json"], { cwd: root });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].fingerprint).toBe(fingerprint(kp.identifier, kp.key));
    expect(report.findings[0].occurrences.map((o: { path: string; line: number }) => [o.path, o.line])).toEqual([
      ["bot/.env", 2],
      ["bot/config.yaml", 4],
    ]);
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);

    const text = await cli(["dir", root]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${kp.identifier.slice(0, 8)}…:…${kp.key.slice(-4)}`);
    expect(holdsRaw(text.stdout + text.stderr, kp)).toBe(false);
  });

  it("two lone identifiers and one key: ambiguous, no finding, exit 0", async () => {
    const kp = randomKeypair();
    const root = await scratch({
      "a/config.yaml": `crisp:\n  id: ${kp.identifier}\n`,
      "b/config.yaml": `crisp:\n  id: ${randomUUID()}\n`,
      ".env": `CRISP_KEY=${kp.key}\n`,
    });
    const run = await cli(["dir", ".", "--format", "json"], { cwd: root });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });
});
