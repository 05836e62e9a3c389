// Shared benchmark helpers: run a Node script in a child process and measure wall time and peak RSS.
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RSS_WRAP = fileURLToPath(new URL("./rss-wrap.mjs", import.meta.url));

/** Runs `node <script> ...args` under rss-wrap; resolves { ms, maxRssMb, code, stdout, stderr }. */
export function measureNode(script, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [RSS_WRAP, script, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...(options.env ?? {}) },
      cwd: options.cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { if (stdout.length < 1e6) stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    if (options.stdin) child.stdin.end(options.stdin); else child.stdin.end();
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const m = /RSS_WRAP_MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ ms, maxRssMb: m ? Number(m[1]) / 1024 : NaN, code, stdout, stderr: stderr.replace(/RSS_WRAP_MAXRSS_KB=\d+\n?/, "") });
    });
  });
}

/** Times a shell-free command; resolves milliseconds. */
export function timeCommand(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ["ignore", options.stdout ?? "ignore", "inherit"], cwd: options.cwd });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${cmd} exited ${code}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A small seeded PRNG (mulberry32), so a corpus is the same on every run. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The test helpers the app benchmarks import. */
const FAKES = ["test/helpers/fake-github.ts", "test/helpers/fake-crisp.ts"];

/**
 * The test fakes (fake GitHub Enterprise, fake Crisp) compiled to ESM in a temporary folder: the
 * app benchmarks import them from there (tsc, NodeNext: the nearest package.json picks the format).
 */
export function compileFakes(root) {
  const out = mkdtempSync(join(tmpdir(), "crisp-guard-bench-fakes-"));
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [
    tsc, "--outDir", out, "--rootDir", root, "--module", "NodeNext", "--moduleResolution", "NodeNext",
    "--target", "ES2022", "--skipLibCheck", "--strict",
    ...FAKES.map((f) => join(root, f)),
  ], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("could not compile the fakes");
  return out;
}

/** A port free on 127.0.0.1 now, as the kernel hands one out. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The p-th percentile of ascending `sorted` (nearest rank). */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** POSTs a signed push delivery to the app on 127.0.0.1:`port`; resolves to its response time in ms (throws unless 200). */
export function postPush(port, secret, id, payload) {
  return postWebhook(port, secret, id, payload, "push");
}

/** POSTs a signed delivery of `event` to the app on 127.0.0.1:`port`; resolves to its response time in ms (throws unless 200). */
export async function postWebhook(port, secret, id, payload, event) {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return performance.now() - started;
}
