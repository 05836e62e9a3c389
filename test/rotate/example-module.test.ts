import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModuleRotator } from "../../src/rotate/module.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { makeLeak } from "./leak.js";

// The example in docs/rotation.md must work as documented and write redacted facts only.
const EXAMPLE = fileURLToPath(new URL("../../examples/rotators/log-to-file.mjs", import.meta.url));

let dir: string;
beforeAll(() => {
  dir = tempDir("cg-example-");
});

describe("examples/rotators/log-to-file.mjs", () => {
  it("appends one redacted JSON line per leak", async () => {
    const file = join(dir, "leaks.jsonl");
    const rotator = await loadModuleRotator(EXAMPLE, { file });
    const a = makeLeak();
    const b = makeLeak({ repository: null, pusher: null });
    expect(await rotator.rotate(a.leak, new AbortController().signal)).toEqual({ status: "requested", detail: `logged to ${file}` });
    await rotator.rotate(b.leak, new AbortController().signal);

    const text = await readFile(file, "utf8");
    expect(holdsRaw(text, a.raw)).toBe(false);
    expect(holdsRaw(text, b.raw)).toBe(false);
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      fingerprint: a.leak.fingerprint,
      keypair: a.leak.keypair.redacted,
      tier: "website",
      verification: "live",
      repository: "acme/widgets",
      pusher: "octocat",
      occurrences: [
        { path: "config/crisp.env", line: 3, commit: "a".repeat(40) },
        { path: "src/app (old).js", line: 12, commit: "b".repeat(40) },
      ],
    });
    expect(lines[1]).toMatchObject({ fingerprint: b.leak.fingerprint, repository: null, pusher: null });
  });

  it("refuses to start without settings.file", async () => {
    await expect(loadModuleRotator(EXAMPLE, {})).rejects.toThrow("its factory threw: settings.file is required");
  });
});
