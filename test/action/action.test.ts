// The GitHub Action as the runner runs it: `node action/dist/index.mjs` with INPUT_* variables,
// GITHUB_WORKSPACE, GITHUB_OUTPUT and the event; and its committed bundle kept up to date.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { envFile } from "../helpers/cli.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { gitIn } from "../sources/git/history-fixture.js";

const ROOT = resolve(".");
const BUNDLE = join(ROOT, "action", "dist", "index.mjs");

let crisp: FakeCrisp | undefined;
afterEach(async () => {
  await crisp?.close();
  crisp = undefined;
});

/** A checkout as actions/checkout with fetch-depth 0 leaves it: a keypair committed, then a clean commit. */
function checkout() {
  const kp = randomKeypair();
  const repo = tempDir("crisp-guard-action-ws-");
  gitIn(repo, ["init", "-q", "-b", "main"]);
  writeFileSync(join(repo, "README.md"), "app\n");
  gitIn(repo, ["add", "."]);
  gitIn(repo, ["commit", "-q", "-m", "init"]);
  // The tier named beside it: one decisive request to Crisp when verified.
  writeFileSync(join(repo, ".env"), `CRISP_TIER=plugin\n${envFile(kp)}`);
  gitIn(repo, ["add", "."]);
  gitIn(repo, ["commit", "-q", "-m", "config"]);
  const leak = gitIn(repo, ["rev-parse", "HEAD"]);
  return { kp, repo, leak };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Runs the bundle as the runner does: inputs as INPUT_<NAME uppercased>, hyphens kept. */
async function runAction(workspace: string, inputs: Record<string, string>, extra: Record<string, string> = {}): Promise<RunResult> {
  const runner = tempDir("crisp-guard-action-runner-");
  const outputFile = join(runner, "output");
  writeFileSync(outputFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: runner,
    // What the Action leaves in its temp folder goes with the runner folder.
    TMPDIR: runner,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_EVENT_NAME: "push",
    GITHUB_EVENT_PATH: join(runner, "event.json"),
    ...extra,
  };
  if (!existsSync(env.GITHUB_EVENT_PATH!)) writeFileSync(env.GITHUB_EVENT_PATH!, "{}");
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [BUNDLE], { cwd: runner, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  const outputs = Object.fromEntries(
    readFileSync(outputFile, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { code, stdout, stderr, outputs };
}

const DEFAULTS = { verify: "false", since: "", format: "text", "fail-on": "any", "sarif-file": "crisp-guard.sarif", "max-file-size": "25MB" };

describe("the GitHub Action", () => {
  it("action.yml runs the committed bundle on node24, with the inputs and outputs the code reads", () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
    expect(action.runs).toEqual({ using: "node24", main: "action/dist/index.mjs" });
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(DEFAULTS).sort());
    for (const [name, value] of Object.entries(DEFAULTS)) expect(String(action.inputs[name].default)).toBe(value);
    expect(Object.keys(action.outputs).sort()).toEqual(["findings", "live", "sarif-file"]);
  });

  it("fails the job on a keypair in history, writes SARIF and outputs, never prints the key", async () => {
    const { kp, repo, leak } = checkout();
    const run = await runAction(repo, DEFAULTS);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(".env:4:");
    expect(run.stderr).toContain("::error title=Crisp Guard::1 Crisp token keypair found (fail-on: any)");
    const sarifPath = join(repo, "crisp-guard.sarif");
    expect(run.outputs).toEqual({ findings: "1", live: "0", "sarif-file": sarifPath });
    const sarif = readFileSync(sarifPath, "utf8");
    const results = JSON.parse(sarif).runs[0].results;
    expect(results).toHaveLength(1);
    expect(results[0].partialFingerprints["crispKeypair/v1"]).toBe(fingerprint(kp.identifier, kp.key));
    expect(results[0].properties.commit).toBe(leak);
    for (const text of [run.stdout, run.stderr, sarif]) expect(holdsRaw(text, kp)).toBe(false);
  });

  it("on a pull request scans only what the head adds over the base (read from GITHUB_EVENT_PATH)", async () => {
    const { repo, leak } = checkout();
    gitIn(repo, ["checkout", "-q", "-b", "feature"]);
    writeFileSync(join(repo, "src.txt"), "clean change\n");
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "feature"]);
    const runner = tempDir("crisp-guard-action-event-");
    const event = join(runner, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { sha: leak }, head: { sha: gitIn(repo, ["rev-parse", "HEAD"]) } } }));
    const clean = await runAction(repo, DEFAULTS, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event });
    expect(clean.stderr).toBe("");
    expect(clean.code).toBe(0);
    expect(clean.outputs.findings).toBe("0");
    expect(JSON.parse(readFileSync(clean.outputs["sarif-file"]!, "utf8")).runs[0].results).toEqual([]);

    // The same branch adding a keypair fails.
    const kp = randomKeypair();
    writeFileSync(join(repo, "feature.env"), envFile(kp));
    gitIn(repo, ["add", "."]);
    gitIn(repo, ["commit", "-q", "-m", "oops"]);
    const leaked = await runAction(repo, DEFAULTS, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event });
    expect(leaked.code).toBe(1);
    expect(leaked.outputs.findings).toBe("1");
    expect(holdsRaw(leaked.stdout + leaked.stderr, kp)).toBe(false);
  });

  it("fail-on: live verifies, and passes when the keypair is dead, fails when it is live", async () => {
    const { kp, repo } = checkout();
    crisp = await startFakeCrisp([]); // knows no token: 401, dead
    const dead = await runAction(repo, { ...DEFAULTS, "fail-on": "live", format: "json" }, { CRISP_API_URL: crisp.url });
    expect(dead.code).toBe(0);
    expect(dead.outputs).toMatchObject({ findings: "1", live: "0" });
    expect(JSON.parse(dead.stdout).findings[0].verification.status).toBe("dead");
    await crisp.close();
    crisp = await startFakeCrisp([{ ...kp, tier: "plugin" }]);
    const live = await runAction(repo, { ...DEFAULTS, "fail-on": "live" }, { CRISP_API_URL: crisp.url });
    expect(live.code).toBe(1);
    expect(live.outputs).toMatchObject({ findings: "1", live: "1" });
    expect(live.stderr).toContain("1 live Crisp token keypair found (fail-on: live)");
    expect(holdsRaw(dead.stdout + dead.stderr + live.stdout + live.stderr, kp)).toBe(false);
  });

  it("a bad input or a missing base commit is exit 2 with an ::error line", async () => {
    const { repo } = checkout();
    const bad = await runAction(repo, { ...DEFAULTS, "fail-on": "sometimes" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("::error title=Crisp Guard::input fail-on must be any or live\n");
    const runner = tempDir("crisp-guard-action-event-");
    writeFileSync(join(runner, "e.json"), JSON.stringify({ pull_request: { base: { sha: "f".repeat(40) } } }));
    const shallow = await runAction(repo, DEFAULTS, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: join(runner, "e.json") });
    expect(shallow.code).toBe(2);
    expect(shallow.stderr).toMatch(/^::error title=Crisp Guard::.*--since/);
  });
});

describe("the Action's bundle", () => {
  it("is up to date with the sources (rebuilt to a temporary file, byte for byte)", () => {
    const out = join(tempDir("crisp-guard-bundle-"), "index.mjs");
    const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build-action.mjs"), out], { cwd: ROOT, encoding: "utf8" });
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    // On a mismatch: npm run build:action, and commit action/dist/.
    for (const name of ["index.mjs", "history-worker.mjs"]) {
      const fresh = readFileSync(join(dirname(out), name), "utf8");
      const committed = readFileSync(join(dirname(BUNDLE), name), "utf8");
      expect(fresh === committed, `action/dist/${name} is stale: run npm run build:action and commit it`).toBe(true);
    }
  });

  it("holds no native module, no store and no app", () => {
    for (const name of ["index.mjs", "history-worker.mjs"]) {
      const bundle = readFileSync(join(dirname(BUNDLE), name), "utf8");
      expect(bundle).not.toMatch(/better-sqlite3|\.node["']|src\/store\/|src\/app\/|node_modules\/probot\//);
    }
  });
});
