// `dir` on file names that are not valid UTF-8, or that carry terminal controls: found, and shown
// escaped (text report, JSON, SARIF, stderr).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, envFile } from "../helpers/cli.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";

function emptyRoot(): string {
  return tempDir("crisp-guard-names-");
}

/** root + "/" + the name's bytes: a path Node cannot spell as a string. */
function bytesPath(root: string, ...parts: Array<string | number[]>): Buffer {
  const segments = parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p)));
  return Buffer.concat([Buffer.from(root), ...segments.flatMap((s) => [Buffer.from("/"), s])]);
}

// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("dir: names that are not valid UTF-8", () => {
  it("finds the keypair in a file named with byte 0xff, exits 1, and shows the name as \\xff", async () => {
    const kp = randomKeypair();
    const root = emptyRoot();
    await writeFile(bytesPath(root, [0x61, 0xff, 0x2e, 0x65, 0x6e, 0x76]), envFile(kp)); // "a\xff.env"
    const run = await cli(["dir", root]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("a\\xff.env:3:");
    expect(run.stdout).not.toContain("\ufffd");
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
  });

  it("walks into a folder named with a Latin-1 byte, and JSON and SARIF carry a readable escaped path", async () => {
    const kp = randomKeypair();
    const root = emptyRoot();
    const folder = bytesPath(root, [0x63, 0x61, 0x66, 0xe9]); // "caf\xe9" (Latin-1 é)
    await mkdir(folder);
    await writeFile(Buffer.concat([folder, Buffer.from("/.env")]), envFile(kp));
    const json = await cli(["dir", root, "--format", "json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).findings[0].occurrences[0].path).toBe("caf\\xe9/.env");
    const sarif = await cli(["dir", root, "--format", "sarif"]);
    expect(JSON.parse(sarif.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toContain("caf");
    expect(sarif.stdout).not.toContain("\ufffd");
  });
});

describe("dir: names with terminal controls", () => {
  it("prints ESC, OSC, BEL, CR and newline in a path as escapes, one report line per place", async () => {
    const kp = randomKeypair();
    const root = emptyRoot();
    const names = [
      "osc\x1b]0;pwned\x07.env", // retitles the window
      "erase\x1b[2K\r.env", // erases the finding line
      "fake\n  at innocent.txt:1:1\nNo Crisp token keypair found.\n.env", // fake report lines
      "bidi\u202Evne.txt", // shows as "bidi" + "txt.env" reversed
    ];
    for (const name of names) await writeFile(join(root, name), envFile(kp));
    const run = await cli(["dir", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(TERMINAL_CONTROLS);
    expect(run.stdout).toContain("osc\\x1b]0;pwned\\x07.env:3:");
    expect(run.stdout).toContain("erase\\x1b[2K\\r.env:3:");
    expect(run.stdout).toContain("fake\\n  at innocent.txt:1:1\\nNo Crisp token keypair found.\\n.env:3:");
    expect(run.stdout).toContain("bidi\\u202evne.txt:3:");
    // One "at" line per file, and no line the file names made up.
    const atLines = run.stdout.split("\n").filter((l) => l.startsWith("  at "));
    expect(atLines).toHaveLength(names.length);
    expect(run.stdout).not.toMatch(/^No Crisp token keypair found\.$/m);
  });

  it("escapes a hostile path in the CLI's own messages on stderr", async () => {
    const root = emptyRoot();
    const run = await cli(["dir", join(root, "missing\x1b]0;pwned\x07\nfake")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing\\x1b]0;pwned\\x07\\nfake");
    expect(run.stderr).not.toMatch(TERMINAL_CONTROLS);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
