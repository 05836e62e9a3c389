// The built command, end to end, against a fake Crisp on 127.0.0.1 (CRISP_API_URL).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { envFile, tree } from "../helpers/cli.js";
import { holdsRaw, randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function runBuilt(args: string[], env: Record<string, string>, stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let crisp: FakeCrisp | undefined;
afterEach(async () => {
  await crisp?.close();
  crisp = undefined;
});

describe("built CLI against a fake Crisp", () => {
  it("dir --verify gives each secret its status with one request per live secret", async () => {
    const plugin = randomKeypair();
    const website = randomKeypair();
    const dead = randomKeypair();
    const websiteId = randomWebsiteId();
    crisp = await startFakeCrisp([
      { ...plugin, tier: "plugin", pluginId: "plug-1" },
      { ...website, tier: "website", websiteIds: [websiteId] },
    ]);
    const root = await tree({
      "a/.env": envFile(plugin),
      "b/.env": envFile(plugin), // the same secret twice: still one check
      "docs/website.md": `Crisp REST:\n\n    curl https://api.crisp.chat/v1/website/${websiteId} --user "${website.identifier}:${website.key}" -H "X-Crisp-Tier: website"\n`,
      "c/.env": `CRISP_WEBSITE_ID=${websiteId}\n` + envFile(dead),
    });
    const run = await runBuilt(["dir", root, "--verify", "--format", "json"], { CRISP_API_URL: crisp.url });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const status = Object.fromEntries(
      report.findings.map((f: { fingerprint: string; verification: { status: string; tier: string | null } }) => [f.fingerprint, f.verification]),
    );
    const fp = (k: { identifier: string; key: string }) => fingerprint(k.identifier, k.key);
    expect(status[fp(plugin)]).toMatchObject({ status: "live", tier: "plugin" });
    expect(status[fp(website)]).toMatchObject({ status: "live", tier: "website" });
    expect(status[fp(dead)]).toMatchObject({ status: "dead" });

    const perSecret = (k: { identifier: string; key: string }) => crisp!.requests.filter((r) => r.fingerprint === fp(k)).length;
    expect(perSecret(plugin)).toBe(1);
    expect(perSecret(website)).toBe(1);
    // Dead means every tier that could apply said 401: one request per tier.
    expect(perSecret(dead)).toBe(2);
    for (const kp of [plugin, website, dead]) expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
  });

  it("verify reads keypairs on stdin and exits 1 when one is live", async () => {
    const live = randomKeypair();
    const other = randomKeypair();
    crisp = await startFakeCrisp([{ ...live, tier: "plugin" }]);
    const input = `${live.identifier}:${live.key}\n# a comment\n${JSON.stringify({ ...other, tier: "plugin" })}\n`;
    const run = await runBuilt(["verify"], { CRISP_API_URL: crisp.url }, input);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${live.identifier.slice(0, 8)}…:…${live.key.slice(-4)}\\s+live\\s+plugin`));
    expect(lines[1]).toMatch(/\sdead\s+plugin/);
    expect(holdsRaw(run.stdout + run.stderr, live) || holdsRaw(run.stdout + run.stderr, other)).toBe(false);
  });

  it("a reader that closes the pipe early is not a crash", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`d${i}/.env`] = envFile(randomKeypair());
    const root = await tree(files);
    // A real pipe into `head`, which exits after one byte, as a person would type it.
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn("sh", ["-c", `"$NODE" "$MAIN" dir "$ROOT" --format json | head -c 1 >/dev/null`], {
        env: { PATH: process.env.PATH ?? "", NODE: process.execPath, MAIN, ROOT: root },
      });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stderr: err }));
    });
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0); // head's status: the pipeline itself succeeded
  });

  it("refuses a Crisp API URL that is neither https nor loopback http, exit 2", async () => {
    const root = await tree({ ".env": envFile(randomKeypair()) });
    const run = await runBuilt(["dir", root, "--verify"], { CRISP_API_URL: "http://crisp.example.com/v1/" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crisp-guard: error: .*CRISP_API_URL|^crisp-guard: error: .*http/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
