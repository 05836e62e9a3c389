// `crisp-guard serve` as operators run it (dist/cli/main.js in a child process): roles refused
// without Postgres, the health endpoints, the worker role's refusal of webhooks, and a graceful
// exit on SIGTERM.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import nock from "nock";
import pg from "pg";
import { afterEach, beforeAll, expect, it } from "vitest";
import { tempDir } from "../helpers/temp.js";
import { onPostgres } from "../helpers/stores.js";
import { freePort, serveEnv, sign } from "./serve-helpers.js";

const MAIN = resolve("dist/cli/main.js");
const SECRET = "roles-webhook-secret";
let child: ChildProcess | null = null;
let output = "";

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
  nock.enableNetConnect("127.0.0.1");
});
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = null;
});

function env(port: number, extra: Record<string, string> = {}): Record<string, string> {
  // Nothing is fetched from GitHub or Crisp in these tests: unreachable addresses are enough.
  return serveEnv({ secret: SECRET, githubHost: "127.0.0.1:9", crispUrl: "http://127.0.0.1:9/v1/", dir: tempDir("crisp-guard-roles-"), port, extra: { PATH: process.env.PATH ?? "", ...extra } });
}

async function start(args: string[], vars: Record<string, string>, port: number): Promise<ChildProcess> {
  output = "";
  const c = spawn(process.execPath, [MAIN, "serve", ...args], { env: vars, stdio: ["ignore", "pipe", "pipe"] });
  child = c;
  c.stdout.on("data", (d: Buffer) => (output += d.toString()));
  c.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const end = Date.now() + 20_000;
  for (;;) {
    if (c.exitCode !== null) throw new Error(`serve exited (${c.exitCode}):\n${output}`);
    if (Date.now() > end) throw new Error(`serve did not listen:\n${output}`);
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      return c;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function stopWith(c: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((r) => c.once("exit", (code) => r(code)));
  c.kill(signal);
  return exited;
}

it("web and worker roles need DATABASE_URL: one clear line, exit 2, before anything starts", () => {
  for (const args of [["--role", "worker"], ["--role", "web"]]) {
    const r = spawnSync(process.execPath, [MAIN, "serve", ...args], { env: env(9), encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`role ${args[1]} needs DATABASE_URL .*only role all is possible`));
  }
  const bad = spawnSync(process.execPath, [MAIN, "serve"], { env: env(9, { CRISP_GUARD_ROLE: "boss" }), encoding: "utf8" });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/CRISP_GUARD_ROLE must be one of all, web, worker/);
});

it("SQLite, role all: /healthz and /readyz answer; SIGTERM stops it cleanly with exit 143", async () => {
  const port = await freePort();
  const c = await start([], env(port), port);
  expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: "ok", role: "all" });
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", role: "all", checks: { store: "ok" } });
  expect(await stopWith(c, "SIGTERM")).toBe(143);
  expect(output).toContain("SIGTERM: stopping");
}, 30_000);

onPostgres((backend) => {
  it("a worker refuses webhooks (503, nothing recorded) and is ready with its store and queue; SIGTERM exits 143", async () => {
    const place = await backend.fresh();
    const { url, schema } = place.postgres!;
    const port = await freePort();
    const worker = await start(["--role", "worker"], env(port, { DATABASE_URL: url }), port);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toEqual({ status: "ready", role: "worker", checks: { store: "ok", queue: "ok" } });
    const body = JSON.stringify({ zen: "hi" });
    const hook = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "d-1", "x-hub-signature-256": sign(body, SECRET) },
    });
    expect(hook.status).toBe(503);
    expect(await stopWith(worker, "SIGTERM")).toBe(143);

    // Nothing was recorded by the worker; pg-boss made its schema (the default one) in the database.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(`SELECT COUNT(*)::int AS n FROM ${schema}.deliveries`)).rows[0].n).toBe(0);
      expect((await client.query("SELECT COUNT(*)::int AS n FROM pgboss.queue WHERE name = 'crisp-guard-jobs'")).rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  }, 40_000);
});
