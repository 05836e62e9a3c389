// Scanning never delays a webhook answer: the real server (crisp-guard serve) scans pushed files in
// worker threads, so a delivery that arrives while a large file is being scanned is answered at
// once (GitHub waits 10 s and never redelivers), and a file over the per-file time budget is
// reported as not scanned (check run "Scan incomplete", neutral) instead of holding the job.
import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServeHandle } from "../../src/cli/serve.js";
import type { AppDeps } from "../../src/app/index.js";
import { createScanPool, type ScanPool } from "../../src/sources/scan-pool.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { ZERO_SHA, startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { freePort, serveCapturing, serveEnv, sign } from "./serve-helpers.js";

const SECRET = "scan-off-loop-secret";
const MB = 1024 * 1024;
/** GitHub waits 10 s for an answer; this bound is generous against a scan of seconds on the loop. */
const ANSWER_WITHIN_MS = 1000;

let dir: string;
let github: FakeGitHub;
let crisp: FakeCrisp;
let handle: ServeHandle | null;
let pool: ScanPool | null;
let logs: string[];

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  dir = tempDir("crisp-guard-scan-loop-");
  github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  crisp = await startFakeCrisp([]);
  logs = [];
  handle = null;
  pool = null;
});
afterEach(async () => {
  await handle?.stop();
  await pool?.close();
  await github.close();
  await crisp.close();
});

/**
 * The file that blocked the app: a line naming Crisp, a line as long as the rest, then labelled
 * UUIDs on one line. No keypair. Seconds of detector time at this size.
 */
function heavyFile(size: number): string {
  const parts = ["crisp\n", "x".repeat(size / 2), "\n"];
  for (let n = 0; n < size / 2; ) {
    const unit = `value: ${randomUUID()} `;
    parts.push(unit);
    n += unit.length;
  }
  return parts.join("");
}

async function serve(port: number, app: Partial<AppDeps> = {}): Promise<ServeHandle> {
  return serveCapturing(serveEnv({ secret: SECRET, githubHost: github.host, crispUrl: crisp.url, dir, port }), logs, { app });
}

async function post(port: number, id: string, payload: unknown): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": id,
      "x-hub-signature-256": sign(body, SECRET),
      connection: "close",
    },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long deliveries are sent while the large file is scanned (its scan takes seconds). */
const PROBE_MS = 2500;

/**
 * Sends signed `ping` deliveries every 50 ms for `forMs` from a worker thread and returns each
 * one's answer time. The thread's own event loop keeps time even while the main one is blocked.
 */
async function probeAnswers(port: number, forMs: number): Promise<Array<{ status: number; ms: number }>> {
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    const { createHmac } = require("node:crypto");
    (async () => {
      const out = [];
      const end = performance.now() + workerData.forMs;
      for (let i = 0; performance.now() < end; i++) {
        const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: i });
        const started = performance.now();
        const res = await fetch("http://127.0.0.1:" + workerData.port + "/api/github/webhooks", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "ping",
            "x-github-delivery": "probe-" + i,
            "x-hub-signature-256": "sha256=" + createHmac("sha256", workerData.secret).update(body).digest("hex"),
            connection: "close",
          },
          body,
        });
        await res.arrayBuffer();
        out.push({ status: res.status, ms: performance.now() - started });
        await new Promise((r) => setTimeout(r, 50));
      }
      parentPort.postMessage(out);
    })();
  `;
  const worker = new Worker(code, { eval: true, workerData: { port, secret: SECRET, forMs } });
  try {
    return await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  } finally {
    await worker.terminate();
  }
}

// The large pushes create the default branch: the commits come from the payload, as GitHub's
// compare would carry the large diff (the fake does not leave its patch out as GitHub does).

describe("scanning runs off the event loop that answers webhooks", () => {
  it("a delivery sent while a large file is scanned is answered within a second", async () => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" });
    // GitHub gives no patch for a diff this large: the worker reads the blob and scans it whole.
    const heavy = repo.addCommit({ files: { "data/crisp-dump.yml": heavyFile(16 * MB) }, noPatch: ["data/crisp-dump.yml"], message: "dump" });
    const kp = randomKeypair();
    const leak = repo.addCommit({
      parent: root,
      branch: "feature",
      files: { "config/.env": `# Crisp\nCRISP_TOKEN_IDENTIFIER=${kp.identifier}\nCRISP_TOKEN_KEY=${kp.key}\n` },
      message: "add crisp",
    });

    const port = await freePort();
    handle = await serve(port);
    expect((await post(port, "delivery-heavy", repo.pushPayload({ before: ZERO_SHA, after: heavy }))).status).toBe(200);
    // Wait until the worker has asked for the large blob: its scan comes next.
    while (!github.requests.some((r) => r.method === "GET" && /\/git\/blobs\//.test(r.path))) await sleep(5);

    // Deliveries sent from another thread, whose clock and event loop a blocked main loop cannot
    // hold back: each one's answer time is what GitHub would see. Meanwhile a push is delivered.
    const [answers, second] = await Promise.all([
      probeAnswers(port, PROBE_MS),
      post(port, "delivery-second", repo.pushPayload({ ref: "refs/heads/feature", before: root, after: leak })),
    ]);
    expect(Math.max(...answers.map((a) => a.ms)), JSON.stringify(answers)).toBeLessThan(ANSWER_WITHIN_MS);
    expect(answers.every((a) => a.status === 200), JSON.stringify(answers)).toBe(true);
    expect(answers.length).toBeGreaterThan(5);
    expect(second.status).toBe(200);
    expect(second.ms).toBeLessThan(ANSWER_WITHIN_MS);

    await handle.guard!.idle();
    // Both pushes were scanned to the end: the large file completely (no keypair), the other found.
    expect(repo.checkRunsFor(heavy)).toEqual([expect.objectContaining({ conclusion: "success" })]);
    expect(repo.checkRunsFor(leak)[0]!.annotations).toEqual([expect.objectContaining({ path: "config/.env", start_line: 3 })]);
    await handle.stop();
    handle = null;
    // The keypair crossed a thread boundary and back: never into a log line.
    expect(holdsRaw(logs.join("\n"), kp)).toBe(false);
  }, 60_000);

  it("a file over the per-file budget is reported not scanned: the check run says the scan was incomplete", async () => {
    const repo = github.repo("acme/web");
    repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" }); // the parent
    const kp = randomKeypair();
    const heavy = repo.addCommit({
      files: {
        "data/crisp-dump.yml": heavyFile(16 * MB),
        // A small file in the same push is still scanned, and its keypair found.
        "config/crisp.env": `CRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`,
      },
      noPatch: ["data/crisp-dump.yml"],
      message: "dump",
    });

    pool = createScanPool({ budgetMs: 200 });
    const port = await freePort();
    handle = await serve(port, { scan: { scanFile: pool.scanFile } });
    const started = performance.now();
    expect((await post(port, "delivery-budget", repo.pushPayload({ before: ZERO_SHA, after: heavy }))).status).toBe(200);
    await handle.guard!.idle();
    const jobMs = performance.now() - started;

    const [run] = repo.checkRunsFor(heavy);
    // The keypair is not confirmed live (the fake Crisp knows none): neutral, with the note.
    expect(run).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(run!.output.summary).toContain("Scan incomplete");
    expect(run!.output.summary).toMatch(/`data\/crisp-dump\.yml`: scanning took longer than the 200 ms budget per file: not scanned/);
    expect(run!.annotations).toEqual([expect.objectContaining({ path: "config/crisp.env", start_line: 2 })]);
    // The thread was stopped at the budget, not left to finish a scan of seconds.
    expect(jobMs).toBeLessThan(5000);
    await handle.stop();
    handle = null;
    expect(holdsRaw(logs.join("\n"), kp)).toBe(false);
  }, 60_000);

  it("with no keypair found, a file over the budget makes the check run neutral, never success", async () => {
    const repo = github.repo("acme/web");
    repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" }); // the parent
    const heavy = repo.addCommit({ files: { "crisp-dump.yml": heavyFile(8 * MB) }, noPatch: ["crisp-dump.yml"], message: "dump" });

    pool = createScanPool({ budgetMs: 100 });
    const port = await freePort();
    handle = await serve(port, { scan: { scanFile: pool.scanFile } });
    expect((await post(port, "delivery-neutral", repo.pushPayload({ before: ZERO_SHA, after: heavy }))).status).toBe(200);
    await handle.guard!.idle();

    const [run] = repo.checkRunsFor(heavy);
    expect(run).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(run!.output.summary).toContain("Scan incomplete");
  }, 60_000);
});
