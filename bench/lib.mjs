// Shared benchmark helpers: run a Node script in a child process and measure wall time and peak RSS.
import { spawn } from "node:child_process";
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
