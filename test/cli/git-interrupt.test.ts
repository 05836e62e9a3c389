// Ctrl-C and SIGTERM during `crisp-guard git URL`: a child CLI process (from dist/, so run
// `npm run build` first) is signalled while it clones or scans.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureEnv, tempDir } from "../sources/git/history-fixture.js";

const CLI = resolve("dist/cli/main.js");
/** Enough history that cloning and reading it takes a while on any machine. */
const COMMITS = 2500;
const FILE_BYTES = 24 * 1024;

let root: string;
let origin: string;

beforeAll(() => {
  root = tempDir("crisp-guard-interrupt-");
  origin = join(root, "origin.git");
  execFileSync("git", ["init", "-q", "--bare", origin], { env: fixtureEnv() });
  const parts: Buffer[] = [];
  for (let i = 1; i <= COMMITS; i++) {
    const data = randomBytes(FILE_BYTES / 2).toString("hex");
    const message = `c${i}`;
    parts.push(
      Buffer.from(
        `commit refs/heads/main\ncommitter Fixture <f@example.com> ${1_600_000_000 + i} +0000\ndata ${message.length}\n${message}\n` +
          `M 100644 inline f${i % 200}.txt\ndata ${data.length}\n${data}\n`,
      ),
    );
  }
  execFileSync("git", ["-C", origin, "fast-import", "--quiet"], { env: fixtureEnv(), input: Buffer.concat(parts), maxBuffer: 1 << 30 });
}, 120_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Processes whose command line mentions `text` (git children left behind would). */
function processesMentioning(text: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(text) && !l.includes("ps -eo"));
}

async function interruptScan(signal: "SIGINT" | "SIGTERM"): Promise<{ code: number | null; stderr: string; tmp: string }> {
  const tmp = join(root, `tmp-${signal}`);
  mkdirSync(tmp);
  const child = spawn(process.execPath, [CLI, "git", `file://${origin}`], {
    env: { ...fixtureEnv(), TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  // Wait until the temporary clone exists, then a little more: signalled mid-clone or mid-scan.
  const deadline = Date.now() + 30_000;
  while (readdirSync(tmp).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  expect(child.exitCode, "the scan ended before it could be interrupted").toBeNull();
  child.kill(signal);
  return { code: await exited, stderr, tmp };
}

describe("crisp-guard git progress on a terminal", () => {
  it("shows something within 2 s of the start, while cloning and listing, and clears it at the end", async () => {
    const tmp = join(root, "tmp-tty");
    mkdirSync(tmp);
    // script(1) gives the CLI a pseudo-terminal for stderr.
    const started = Date.now();
    const child = spawn("script", ["-qfec", `${process.execPath} ${CLI} git file://${origin}`, "/dev/null"], {
      env: { ...fixtureEnv(), TMPDIR: tmp, COLUMNS: "200" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let firstDraw = -1;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (firstDraw < 0 && out.includes("\r")) firstDraw = Date.now() - started;
    });
    const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    expect(code).toBe(0);
    expect(firstDraw).toBeGreaterThanOrEqual(0);
    expect(firstDraw).toBeLessThan(2000);
    expect(out).toMatch(/cloning/);
    expect(out).toMatch(/listing \(\d+ blobs so far\)|reading/);
    expect(out).toContain("\r\x1b[K");
    expect(out).toContain("No Crisp token keypair found.");
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);
});

describe("crisp-guard git interrupted", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal}: exits ${code}, removes the temporary clone and leaves no git behind`, async () => {
      const run = await interruptScan(signal);
      expect(run.code).toBe(code);
      expect(run.stderr).toContain(`interrupted (${signal})`);
      expect(readdirSync(run.tmp)).toEqual([]);
      // git children stop with their parent's signal; give the kernel a moment.
      let left = processesMentioning(run.tmp);
      for (let i = 0; i < 50 && left.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = processesMentioning(run.tmp);
      }
      expect(left).toEqual([]);
      expect(processesMentioning(origin)).toEqual([]);
    }, 60_000);
  }
});
