// Shared by the end-to-end tests that start the real server (crisp-guard serve) against the fakes.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { pino } from "pino";
import type { AppDeps } from "../../src/app/index.js";
import { runServe, type ServeHandle } from "../../src/cli/serve.js";
import { TestOctokit, privateKey } from "../helpers/probot.js";
import { tempDir } from "../helpers/temp.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The environment `crisp-guard serve` runs with: GitHub and Crisp on 127.0.0.1, the store in `dir`. */
export function serveEnv(o: {
  secret: string;
  githubHost: string;
  crispUrl: string;
  dir: string;
  port: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: "test",
    APP_ID: "1",
    PRIVATE_KEY: privateKey(),
    WEBHOOK_SECRET: o.secret,
    GHE_HOST: o.githubHost,
    GHE_PROTOCOL: "http",
    CRISP_API_URL: o.crispUrl,
    CRISP_GUARD_DB: join(o.dir, "crisp-guard.db"),
    HOST: "127.0.0.1",
    PORT: String(o.port),
    // A server run as a child process (and its command rotators) makes its temporary clones here,
    // removed with the test's other folders even when the test kills it mid-job.
    TMPDIR: tempDir("crisp-guard-serve-tmp-"),
    ...o.extra,
  };
}

/** runServe as the end-to-end tests run it: TestOctokit, and pino's lines (at `level`) into `logs`. */
export function serveCapturing(
  env: Record<string, string>,
  logs: string[],
  options: { level?: string; app?: Partial<AppDeps> } = {},
): Promise<ServeHandle> {
  return runServe(
    { env },
    {
      Octokit: TestOctokit,
      log: pino({ level: options.level ?? "info" }, { write: (l: string) => void logs.push(l) }),
      ...(options.app ? { app: options.app } : {}),
    },
  );
}

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface RawAnswer {
  /** null: the connection closed without an answer. */
  status: number | null;
  body: string;
}

/**
 * POSTs to the webhook path over a fresh connection. The body is sent in `chunkBytes` pieces,
 * `chunks()` of them (chunked transfer unless `contentLength` is given), and sending stops as soon
 * as the server answers, as a client that reads the answer would.
 */
export function postWebhook(
  port: number,
  o: {
    headers: Record<string, string>;
    body?: string;
    chunk?: Buffer;
    chunks?: number;
    contentLength?: number;
    /** Waits this long after the first chunk, before sending the rest. */
    pauseMs?: number;
  },
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let answered = false;
    const headers: Record<string, string> = { "content-type": "application/json", ...o.headers };
    if (o.body !== undefined) headers["content-length"] = String(Buffer.byteLength(o.body));
    else if (o.contentLength !== undefined) headers["content-length"] = String(o.contentLength);
    const req = httpRequest({ host: "127.0.0.1", port, path: WEBHOOK_PATH, method: "POST", headers, agent: false }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      const done = (): void => {
        resolve({ status: res.statusCode ?? null, body });
        req.destroy();
      };
      res.on("data", (d: string) => (body += d));
      res.on("end", done);
      res.on("error", done);
      res.on("close", done);
    });
    req.on("error", () => {
      if (!answered) resolve({ status: null, body: "" });
    });
    if (o.body !== undefined) {
      req.end(o.body);
      return;
    }
    const chunk = o.chunk ?? Buffer.alloc(0);
    let left = o.chunks ?? 0;
    const pump = (): void => {
      while (!answered && left > 0) {
        left -= 1;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
        if (o.pauseMs && left === (o.chunks ?? 0) - 1) {
          setTimeout(pump, o.pauseMs);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Headers of a push delivery with this signature. */
export function pushHeaders(id: string, signature: string): Record<string, string> {
  return { "x-github-event": "push", "x-github-delivery": id, "x-hub-signature-256": signature };
}

/** The pino lines of a log as objects (non-JSON lines are kept as { raw }). */
export function logRecords(lines: string[]): Array<Record<string, unknown>> {
  return lines
    .join("\n")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { raw: l };
      }
    });
}

/** Kills a server run as a child process with SIGKILL (a crash), once it is running; resolves when it exited. */
export async function killChild(c: ChildProcess | null): Promise<void> {
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once("exit", r));
  c.kill("SIGKILL");
  await exited;
}

/** Polls `check` every 25 ms; past the timeout, fails with the tail of the server's output. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, output: readonly string[], timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${output.join("").slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts `node <main> serve` with `env` in `cwd`, its output appended to `output`; resolves once it
 * answers on `port` (fails with its output if it exits first).
 */
export async function spawnServer(main: string, o: { env: Record<string, string>; cwd: string; port: number; output: string[]; timeoutMs?: number }): Promise<ChildProcess> {
  const c = spawn(process.execPath, [main, "serve"], { cwd: o.cwd, env: o.env, stdio: ["ignore", "pipe", "pipe"] });
  c.stdout.on("data", (d: Buffer) => o.output.push(d.toString()));
  c.stderr.on("data", (d: Buffer) => o.output.push(d.toString()));
  await waitUntil("the app to listen", async () => {
    if (c.exitCode !== null) throw new Error(`the app exited (${c.exitCode}):\n${o.output.join("")}`);
    try {
      await fetch(`http://127.0.0.1:${o.port}/`, { headers: { connection: "close" } }).then((r) => r.arrayBuffer());
      return true;
    } catch {
      return false;
    }
  }, o.output, o.timeoutMs);
  return c;
}
