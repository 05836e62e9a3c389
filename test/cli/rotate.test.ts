// --rotate from the CLI: the server config (CRISP_GUARD_CONFIG) decides what exists and, where the
// repository config is silent, when to rotate.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cli, envFile, tree } from "../helpers/cli.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";

// Loopback only: the CLI runs in this process and asks a fake Crisp on 127.0.0.1.
beforeAll(() => nock.enableNetConnect("127.0.0.1"));

let crisp: FakeCrisp | undefined;
afterEach(async () => {
  await crisp?.close();
  crisp = undefined;
});

async function setup(serverYaml: string, repoYaml?: string) {
  const kp = randomKeypair();
  crisp = await startFakeCrisp([{ ...kp, tier: "plugin" }]);
  const root = await tree({ ".env": `CRISP_TIER=plugin\n${envFile(kp)}`, ...(repoYaml ? { "crisp-guard.yml": repoYaml } : {}) });
  const serverConfig = join(tempDir("crisp-guard-out-"), "server.yml");
  await writeFile(serverConfig, serverYaml);
  const env = { CRISP_API_URL: crisp.url, CRISP_GUARD_CONFIG: serverConfig };
  return { kp, root, env };
}

describe("crisp-guard dir --rotate", () => {
  it("hands a live keypair to the server's default rotators", async () => {
    const { kp, root, env } = await setup("defaults: { rotate: { when: live, rotators: [noop] } }\n");
    const run = await cli(["dir", root, "--rotate", "--format", "json"], { env });
    expect(run.code).toBe(1);
    const [finding] = JSON.parse(run.stdout).findings;
    expect(finding.verification.status).toBe("live");
    expect(finding.rotation).toMatchObject({ rotator: "noop", status: "skipped" });
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
  });

  it("follows the operator's `when` when the repository config does not say", async () => {
    const { root, env } = await setup("defaults: { rotate: { when: never, rotators: [noop] } }\n", "verify: true\n");
    const run = await cli(["dir", root, "--rotate", "--format", "json"], { env });
    expect(JSON.parse(run.stdout).findings[0].rotation).toBeNull();
  });

  it("lets the repository's own `when` override the operator's default", async () => {
    const { root, env } = await setup("defaults: { rotate: { when: never, rotators: [noop] } }\n", "rotate: { when: live }\n");
    const run = await cli(["dir", root, "--rotate", "--format", "json"], { env });
    expect(JSON.parse(run.stdout).findings[0].rotation).toMatchObject({ rotator: "noop" });
  });

  it("is a clear error without a server config, or with a rotator it does not enable", async () => {
    const { root, env } = await setup("defaults: { rotate: { when: live, rotators: [noop] } }\n", "rotate: { rotators: [webhook] }\n");
    const none = await cli(["dir", root, "--rotate"], { env: { CRISP_API_URL: env.CRISP_API_URL } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^crisp-guard: error: --rotate needs the server config/);
    const refused = await cli(["dir", root, "--rotate"], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^crisp-guard: error: rotator "webhook" is not enabled in the server config/);
  });
});
