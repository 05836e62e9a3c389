// The app hands the different leaks of one push to a slow command rotator side by side, not one
// after another (two hanging rotations would otherwise cost two timeouts).
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseServerConfig } from "../../src/rotate/server-config.js";
import type { Store } from "../../src/store/types.js";
import { randomKeypair } from "../helpers/keypairs.js";
import { NockGitHub, crispAccepts, envPatch, fixture, freshApp, nockVerifier, startApp, stopApp, type Harness } from "./harness.js";

let dir: string;
let store: Store;
let gh: NockGitHub;
let harness: Harness | null;

beforeEach(() => {
  ({ dir, store, gh } = freshApp("crisp-guard-app-rotate-"));
  harness = null;
});
afterEach(() => stopApp(harness, store));

describe("app rotation of several leaks", () => {
  it("runs a slow command rotator for two leaks of one push at the same time", async () => {
    const stamps = join(dir, "stamps");
    mkdirSync(stamps);
    const script = join(dir, "slow.sh");
    writeFileSync(
      script,
      `#!/bin/sh\ncat >/dev/null\nstart=$(date +%s%N)\nsleep 1\nend=$(date +%s%N)\necho "$start $end" > "${stamps}/$$"\necho '{"status":"requested","detail":"queued"}'\n`,
    );
    chmodSync(script, 0o755);
    const serverConfig = parseServerConfig(
      `rotators:\n  command: { path: ${JSON.stringify(script)}, timeoutMs: 5000 }\ndefaults: { rotate: { when: live, rotators: [command] } }\n`,
      { PATH: process.env.PATH },
    );
    const a = randomKeypair();
    const b = randomKeypair();
    const payload = fixture("push.fast-forward.json");
    const [c1] = (payload.commits as Array<{ id: string }>).map((c) => c.id) as [string];
    gh.noConfig().compare(payload.before as string, payload.after as string, [c1]).acceptWrites();
    gh.commit(c1, [
      { filename: "a/.env", patch: envPatch(a) },
      { filename: "b/.env", patch: envPatch(b) },
    ]);
    crispAccepts(a.identifier, b.identifier);

    harness = await startApp({
      store,
      verifier: nockVerifier(),
      serverConfig,
    });
    await harness.receive("two-leaks", payload);
    await harness.guard.idle();

    expect(await store.secretsInState("rotation_requested")).toHaveLength(2);
    const runs = readdirSync(stamps).map((f) => readFileSync(join(stamps, f), "utf8").trim().split(" ").map(BigInt));
    expect(runs).toHaveLength(2);
    const [[s1, e1], [s2, e2]] = runs as [[bigint, bigint], [bigint, bigint]];
    expect(s1 < e2 && s2 < e1).toBe(true);
  }, 30_000);
});
