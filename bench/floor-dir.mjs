// The floor for `crisp-guard dir`: walk the same tree, read every file, run one trivial regex.
// Usage: node bench/floor-dir.mjs DIR [CONCURRENCY]; concurrency 1 is the plain script the issue
// names, 8 matches crisp-guard's own read concurrency (a stricter floor).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const root = process.argv[2];
const concurrency = Number(process.argv[3] ?? 1);
let bytes = 0;
let hits = 0;

// The same walk as crisp-guard's (one readdir per directory), so the ratio measures the scanning.
async function* files(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== ".git") yield* files(p); }
    else if (e.isFile()) yield p;
  }
}

async function scan(p) {
  const text = (await readFile(p)).toString("utf8");
  bytes += text.length;
  if (/crisp/i.test(text)) hits++;
}

const pending = new Set();
for await (const p of files(root)) {
  const job = scan(p).finally(() => pending.delete(job));
  pending.add(job);
  if (pending.size >= concurrency) await Promise.race(pending);
}
await Promise.all(pending);
console.log(JSON.stringify({ bytes, hits }));
