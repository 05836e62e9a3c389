// The command rotator against real shell scripts: timeouts kill the whole process group, a
// background child left behind neither holds the outcome back nor keeps the CLI alive, and
// different leaks are handed over side by side.
import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { commandRotator, KILL_GRACE_MS } from "../../src/rotate/command.js";
import { runRotators } from "../../src/rotate/registry.js";
import type { CommandSettings } from "../../src/rotate/server-config.js";
import { cli, envFile, tree } from "../helpers/cli.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { makeLeak } from "./leak.js";

// Loopback only: the CLI runs in this process and asks a fake Crisp on 127.0.0.1.
beforeAll(() => nock.enableNetConnect("127.0.0.1"));

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

let dir: string;
/** Files where scripts write the pids of what they leave running: killed after each test, pass or fail. */
const pidFiles: string[] = [];
let crisp: FakeCrisp | undefined;

beforeAll(() => {
  dir = tempDir("cg-command-process-");
});
afterEach(async () => {
  for (const file of pidFiles.splice(0)) {
    const pid = Number(existsSync(file) ? readFileSync(file, "utf8").trim() : "");
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await crisp?.close();
  crisp = undefined;
});

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}`);
  await chmod(path, 0o755);
  return path;
}

function settings(path: string, over: Partial<CommandSettings> = {}): CommandSettings {
  return { path, args: [], timeoutMs: 10_000, includeKeypair: false, env: { PATH: process.env.PATH ?? "" }, ...over };
}

/** Alive and not a zombie waiting to be reaped (an orphan's parent may be slow to reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitForFile(path: string, ms = 5_000): Promise<string> {
  const until = Date.now() + ms;
  while (!existsSync(path) || (await readFile(path, "utf8")).trim() === "") {
    if (Date.now() > until) throw new Error(`${path} never appeared`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return (await readFile(path, "utf8")).trim();
}

const OUTCOME = JSON.stringify({ status: "requested", detail: "rolled by the script" });

describe("command rotator processes", () => {
  it("timeoutMs 1000 with a hanging script that ignores SIGTERM: failed within seconds, its whole group killed", async () => {
    const pidFile = join(dir, "hang.grandchild");
    pidFiles.push(pidFile);
    // `trap '' TERM` is inherited by the sleeps: only SIGKILL to the group stops them.
    const selfFile = join(dir, "hang.self");
    pidFiles.push(selfFile);
    const path = await script("hang.sh", `trap '' TERM\nsleep 300 &\necho $! > "${pidFile}"\necho $$ > "${selfFile}"\nexec sleep 300\n`);
    const { leak } = makeLeak();
    const started = Date.now();
    const [record] = await runRotators([commandRotator(settings(path, { timeoutMs: 1_000 }))], leak);
    const took = Date.now() - started;
    const grandchild = Number(await waitForFile(pidFile));
    expect(record).toEqual({ rotator: "command", status: "failed", detail: "command timed out after 1000 ms" });
    expect(took).toBeLessThan(1_000 + KILL_GRACE_MS + 2_000);
    const until = Date.now() + 2_000;
    while (alive(grandchild) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  }, 20_000);

  it("keeps the valid outcome of a script that leaves `( sleep 300 ) &` behind, without waiting for it", async () => {
    const pidFile = join(dir, "bg.child");
    pidFiles.push(pidFile);
    const path = await script("background.sh", `cat >/dev/null\n( exec sleep 300 ) &\necho $! > "${pidFile}"\necho '${OUTCOME}'\n`);
    const { leak } = makeLeak();
    const started = Date.now();
    const outcome = await commandRotator(settings(path)).rotate(leak, new AbortController().signal);
    await waitForFile(pidFile);
    expect(outcome).toEqual({ status: "requested", detail: "rolled by the script" });
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 20_000);

  it("the built CLI with --rotate exits promptly, outcome kept, while the script's background child lives on", async () => {
    const kp = randomKeypair();
    crisp = await startFakeCrisp([{ ...kp, tier: "plugin" }]);
    const pidFile = join(dir, "cli-bg.child");
    pidFiles.push(pidFile);
    const path = await script("cli-background.sh", `cat >/dev/null\n( exec sleep 300 ) &\necho $! > "${pidFile}"\necho '${OUTCOME}'\n`);
    const root = await tree({ ".env": `CRISP_TIER=plugin\n${envFile(kp)}` });
    const serverConfig = join(dir, "server-cli.yml");
    await writeFile(serverConfig, `rotators:\n  command: { path: "${path}", timeoutMs: 3000 }\ndefaults: { rotate: { when: live, rotators: [command] } }\n`);

    const started = Date.now();
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
      const child = spawn(process.execPath, [MAIN, "dir", root, "--rotate", "--format", "json"], {
        env: { PATH: process.env.PATH ?? "", CRISP_API_URL: crisp!.url, CRISP_GUARD_CONFIG: serverConfig },
      });
      let stdout = "";
      let stderr = "";
      const guard = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(guard);
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      });
    });
    const background = Number(await waitForFile(pidFile));
    expect(run.ms).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    const [finding] = JSON.parse(run.stdout).findings;
    expect(finding.rotation).toEqual({ rotator: "command", status: "requested", detail: "rolled by the script" });
    expect(holdsRaw(run.stdout + run.stderr, kp)).toBe(false);
    expect(alive(background)).toBe(true);
  }, 30_000);

  it("SIGINT to the built CLI while a command runs: the signal reaches the command's group, and the CLI stops", async () => {
    const kp = randomKeypair();
    crisp = await startFakeCrisp([{ ...kp, tier: "plugin" }]);
    const pidFile = join(dir, "sigint.child");
    const selfFile = join(dir, "sigint.self");
    pidFiles.push(pidFile, selfFile);
    const path = await script("sigint.sh", `cat >/dev/null\nsleep 300 &\necho $! > "${pidFile}"\necho $$ > "${selfFile}"\nexec sleep 300\n`);
    const root = await tree({ ".env": `CRISP_TIER=plugin\n${envFile(kp)}` });
    const serverConfig = join(dir, "server-sigint.yml");
    await writeFile(serverConfig, `rotators:\n  command: { path: "${path}", timeoutMs: 60000 }\ndefaults: { rotate: { when: live, rotators: [command] } }\n`);
    const child = spawn(process.execPath, [MAIN, "dir", root, "--rotate"], {
      env: { PATH: process.env.PATH ?? "", CRISP_API_URL: crisp.url, CRISP_GUARD_CONFIG: serverConfig },
      stdio: "ignore",
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    const guard = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const grandchild = Number(await waitForFile(pidFile));
    const leader = Number(await waitForFile(selfFile));
    child.kill("SIGINT");
    const result = await ended;
    clearTimeout(guard);
    // The CLI's own interrupt handling ends it with the contract's 130 (DESIGN.md: exit codes).
    expect(result).toEqual({ code: 130, signal: null });
    const until = Date.now() + 3_000;
    while ((alive(grandchild) || alive(leader)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(alive(leader)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  }, 30_000);

  it("hands two leaks to a slow rotator at the same time (overlap seen in the script's own timestamps)", async () => {
    const a = randomKeypair();
    const b = randomKeypair();
    crisp = await startFakeCrisp([
      { ...a, tier: "plugin" },
      { ...b, tier: "plugin" },
    ]);
    const stamps = join(dir, "stamps");
    await rm(stamps, { recursive: true, force: true });
    await mkdir(stamps);
    const path = await script(
      "slow.sh",
      `cat >/dev/null\nstart=$(date +%s%N)\nsleep 1\nend=$(date +%s%N)\necho "$start $end" > "${stamps}/$$"\necho '${OUTCOME}'\n`,
    );
    const root = await tree({ "a/.env": `CRISP_TIER=plugin\n${envFile(a)}`, "b/.env": `CRISP_TIER=plugin\n${envFile(b)}` });
    const serverConfig = join(dir, "server-slow.yml");
    await writeFile(serverConfig, `rotators:\n  command: { path: "${path}", timeoutMs: 5000 }\ndefaults: { rotate: { when: live, rotators: [command] } }\n`);
    const run = await cli(["dir", root, "--rotate", "--format", "json"], { env: { CRISP_API_URL: crisp.url, CRISP_GUARD_CONFIG: serverConfig } });
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings as { rotation: { status: string } }[];
    expect(findings.map((f) => f.rotation.status)).toEqual(["requested", "requested"]);
    const runs = await Promise.all((await readdir(stamps)).map(async (f) => (await readFile(join(stamps, f), "utf8")).trim().split(" ").map(BigInt)));
    expect(runs).toHaveLength(2);
    const [[s1, e1], [s2, e2]] = runs as [[bigint, bigint], [bigint, bigint]];
    // Overlap: each started before the other ended.
    expect(s1 < e2 && s2 < e1).toBe(true);
  }, 30_000);
});
