// The app hands the different leaks of one push to a slow command rotator side by side, not one
// after another (two hanging rotations would otherwise cost two timeouts).
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseServerConfig } from "../../src/rotate/server-config.js";
import { openSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { createVerifier } from "../../src/verify/verifier.js";
import { randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { CRISP, NockGitHub, envPatch, fixture, startApp, type Harness } from "./harness.js";

let dir: string;
let store: Store;
let gh: NockGitHub;
let harness: Harness | null;

beforeEach(() => {
  dir = tempDir("crisp-guard-app-rotate-");
  store = openSqliteStore(join(dir, "crisp-guard.db"));
  gh = new NockGitHub();
  harness = null;
});
afterEach(async () => {
  await harness?.guard.stop();
  await store.close();
  nock.cleanAll();
});

/** Crisp on nock: the plugin tier accepts these identifiers. */
function crispAcceptsAll(identifiers: string[]): void {
  nock(CRISP)
    .persist()
    .get(() => true)
    .reply(function (uri) {
      const decoded = Buffer.from(String(this.req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
      const ok = uri === "/v1/plugin/connect/account" && this.req.headers["x-crisp-tier"] === "plugin" &&
        identifiers.some((id) => decoded.startsWith(`${id}:`));
      return ok
        ? [200, { error: false, reason: "resolved", data: { plugin_id: "5a1f0000-0000-4000-8000-00000000cafe" } }]
        : [401, { error: true, reason: "invalid_session", data: {} }];
    });
}

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
    crispAcceptsAll([a.identifier, b.identifier]);

    harness = await startApp({
      store,
      verifier: createVerifier({ baseUrl: new URL(`${CRISP}/v1/`), retries: 0, ratePerSecond: 1000 }),
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
