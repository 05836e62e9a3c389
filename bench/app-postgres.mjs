// `npm run bench` (app-postgres): the GitHub App on Postgres, as deployed with DATABASE_URL: one web
// process (answers webhooks, records them, sends pg-boss jobs) and 1, 2 then 3 worker processes (run
// the jobs, JOB_CONCURRENCY at a time each), each process `crisp-guard serve --role …` from dist/
// (bench/app-postgres-serve.mjs: the same, with GitHub throttling off and Postgres statements
// counted), against the test fakes for GitHub Enterprise and Crisp, compiled on the fly.
//
// For each worker count, on a fresh database (created on the server the URL names, dropped after),
// after a few warm-up pushes and an idle window:
//   - pushes per minute: a fixed batch of pushes, from the first delivery to the last job done
//     (the store's jobs table, polled), and the ratios 2 / 1 and 3 / 1 workers;
//   - webhook response p50/p99/max at the web process while the workers are busy (target p99 < 50 ms);
//   - Postgres round trips per push: statements counted in every process (store and pg-boss apart;
//     pg sends each statement, parameters and all, in one write and waits once: one round trip each),
//     and transactions from pg_stat_database (xact_commit + xact_rollback of the bench database, less
//     the bench's own polls), each also net of what the processes cost while idle (pg-boss polling
//     and maintenance), measured for 10 s just before the batch and prorated over its length.
// Postgres: BENCH_DATABASE_URL, else CRISP_GUARD_TEST_DATABASE_URL (`scripts/test-postgres.sh
// node bench/app-postgres.mjs` starts a throwaway server); none: skipped, saying so.
// Knobs: BENCH_PG_WORKERS (default "1,2,3"), BENCH_PG_PUSHES (600), BENCH_PG_ROUNDS (1),
// BENCH_PG_GAP_MS (0: each delivery sent when the last is answered; 50: 20 a second).
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { compileFakes, freePort, percentile, postPush } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const DATABASE_URL = process.env.BENCH_DATABASE_URL || process.env.CRISP_GUARD_TEST_DATABASE_URL || "";
const WORKER_COUNTS = (process.env.BENCH_PG_WORKERS ?? "1,2,3").split(",").map(Number);
const PUSHES = Number(process.env.BENCH_PG_PUSHES ?? 600);
const ROUNDS = Number(process.env.BENCH_PG_ROUNDS ?? 1);
const COMMITS_PER_PUSH = 3;
/** One push in this many adds a .env with a live keypair (its own): a comment and a failed check run. */
const LEAK_EVERY = 10;
const REPOS = 5;
/**
 * Pushes run before measuring (another repository, one with a keypair), so that no process's first
 * jobs and requests (module loading, the JIT, the first installation token) land in the figures.
 */
const WARMUP_PUSHES = 6;
/**
 * Deliveries start at least this far apart; 0 (default): one after the other, each sent when the last
 * is answered, so that the batch is bound by the workers, not by its arrival (checked: a warning).
 */
const DELIVERY_GAP_MS = Number(process.env.BENCH_PG_GAP_MS ?? 0);
/** How long the idle cost (pg-boss polling, maintenance) is measured before each batch. */
const IDLE_MS = 10_000;
/**
 * Before and after measuring: lets every backend flush its statistics to pg_stat_database. A backend
 * that goes idle within a second of its last flush flushes 10 s later (PGSTAT_IDLE_INTERVAL, Postgres 15).
 */
const SETTLE_MS = 11_000;
const JOBS_POLL_MS = 100;
const SECRET = "bench-webhook-secret";
const P99_TARGET_MS = 50;

if (!DATABASE_URL) {
  console.log(
    "app-postgres: skipped: no Postgres. Set BENCH_DATABASE_URL (a server where this may CREATE DATABASE), " +
      "or run it under scripts/test-postgres.sh (`scripts/test-postgres.sh npm run bench`).",
  );
  process.exit(0);
}

const { default: pg } = await import("pg");



const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The server's URL with another database; printed only as host and database, never with a password. */
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
const where = (url) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
};


/** The batch's deliveries, sent by bench/app-postgres-deliver.mjs: its response times and how long it took. */
async function deliver(port, deliveries) {
  const child = spawn(process.execPath, [join(root, "bench", "app-postgres-deliver.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const out = [];
  child.stdout.on("data", (d) => out.push(d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin.end(JSON.stringify({ port, secret: SECRET, gapMs: DELIVERY_GAP_MS, deliveries }));
  if ((await exited) !== 0) throw new Error("the webhook client failed");
  return JSON.parse(Buffer.concat(out).toString());
}

/** One `serve` process; its output is kept (to show on failure, redacted, and to check for keys). */
function startProcess(role, env, redact) {
  const child = spawn(process.execPath, [join(root, "bench", "app-postgres-serve.mjs")], {
    cwd: root,
    env: { ...env, CRISP_GUARD_ROLE: role },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output = [];
  child.stdout.on("data", (d) => output.push(d.toString()));
  child.stderr.on("data", (d) => output.push(d.toString()));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    child.on("message", (m) => m && m.listening && resolve(m.listening));
    exited.then(({ code, signal }) => reject(new Error(`${role} process exited (${code ?? signal}):\n${redact(output.join("").slice(-2000))}`)));
  });
  let waiting = null;
  child.on("message", (m) => {
    if (m && m.counts && waiting) {
      waiting(m.counts);
      waiting = null;
    }
  });
  return {
    role,
    child,
    output,
    exited,
    listening,
    counts: () => new Promise((resolve) => {
      waiting = resolve;
      child.send("counts");
    }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function ready(port) {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`the process on port ${port} never became ready`);
}

/** The batch: PUSHES pushes of COMMITS_PER_PUSH commits over REPOS repositories; one in LEAK_EVERY leaks its own keypair. */
function makeBatch(github, warmKeypair) {
  const repos = Array.from({ length: REPOS }, (_, r) => github.repo(`acme/r${r}`));
  const heads = repos.map((repo) => repo.addCommit({ files: { "README.md": `# ${repo.name}\n`, "src/app.js": "export {};\n" }, message: "init" }));
  const keypairs = [];
  const payloads = [];
  for (let i = 0; i < PUSHES; i++) {
    const r = i % REPOS;
    const repo = repos[r];
    const before = heads[r];
    for (let c = 0; c < COMMITS_PER_PUSH; c++) {
      const files = { [`src/module-${(i + c) % 17}.js`]: `export const v${i}_${c} = ${i * 10 + c};\n// push ${i}, commit ${c}\n` };
      if (i % LEAK_EVERY === 0 && c === 1) {
        const k = { identifier: randomUUID(), key: randomBytes(32).toString("hex") };
        keypairs.push(k);
        files[`services/s${i}/.env`] = `# Crisp\nCRISP_TOKEN_IDENTIFIER=${k.identifier}\nCRISP_TOKEN_KEY=${k.key}\n`;
      }
      heads[r] = repo.addCommit({ files, message: `push ${i} commit ${c}` });
    }
    payloads.push(repo.pushPayload({ before, after: heads[r] }));
  }
  const warm = github.repo("acme/warm-up");
  let head = warm.addCommit({ files: { "README.md": "# warm-up\n" }, message: "init" });
  const warmups = [];
  for (let i = 0; i < WARMUP_PUSHES; i++) {
    const before = head;
    const files = { "src/warm.js": `export const w = ${i};\n` };
    if (i === 0) files[".env"] = `CRISP_TOKEN_IDENTIFIER=${warmKeypair.identifier}\nCRISP_TOKEN_KEY=${warmKeypair.key}\n`;
    head = warm.addCommit({ files, message: `warm-up ${i}` });
    warmups.push(warm.pushPayload({ before, after: head }));
  }
  return { repos, keypairs, payloads, warmups };
}

async function scenario(fakes, workers, privateKey) {
  const { startFakeGitHub } = await import(pathToFileURL(join(fakes, "test/helpers/fake-github.js")).href);
  const { startFakeCrisp } = await import(pathToFileURL(join(fakes, "test/helpers/fake-crisp.js")).href);
  const github = await startFakeGitHub({});
  const warmKeypair = { identifier: randomUUID(), key: randomBytes(32).toString("hex") };
  const { repos, keypairs, payloads, warmups } = makeBatch(github, warmKeypair);
  const crisp = await startFakeCrisp([...keypairs, warmKeypair].map((k) => ({ ...k, tier: "plugin" })));
  const secrets = [...keypairs, warmKeypair].flatMap((k) => [k.identifier, k.key]);
  const redact = (text) => secrets.reduce((t, s) => t.split(s).join("[planted key]"), text);

  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const database = `crisp_guard_bench_${randomBytes(6).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = withDatabase(DATABASE_URL, database);
  const tmp = mkdtempSync(join(tmpdir(), "crisp-guard-bench-pg-"));
  const processes = [];
  let watch = null;
  try {
    const baseEnv = {
      PATH: process.env.PATH ?? "",
      TMPDIR: tmp,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      CRISP_API_URL: crisp.url,
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      CRISP_GUARD_SHUTDOWN_GRACE_SECONDS: "5",
    };
    // The web process first: it creates the store's and pg-boss's schemas; the workers then start together.
    const web = startProcess("web", { ...baseEnv, PORT: String(await freePort()) }, redact);
    processes.push(web);
    const webPort = await web.listening;
    await ready(webPort);
    const workerProcs = [];
    for (let w = 0; w < workers; w++) workerProcs.push(startProcess("worker", { ...baseEnv, PORT: String(await freePort()) }, redact));
    processes.push(...workerProcs);
    await Promise.all(workerProcs.map(async (p) => ready(await p.listening)));

    // The bench's own reads of the bench database (the jobs poll) are transactions there too: counted, and taken off.
    watch = new pg.Client({ connectionString: databaseUrl });
    await watch.connect();
    let watchQueries = 0;
    const watchQuery = (sql) => {
      watchQueries++;
      return watch.query(sql);
    };
    const xacts = async () =>
      Number((await admin.query("SELECT xact_commit + xact_rollback AS x FROM pg_stat_database WHERE datname = $1", [database])).rows[0].x);
    const statements = async () => {
      const all = await Promise.all(processes.map((p) => p.counts()));
      return {
        store: all.reduce((s, c) => s + c.store, 0),
        queue: all.reduce((s, c) => s + c.queue, 0),
        webStore: all[0].store,
        webQueue: all[0].queue,
      };
    };
    const mark = async () => ({ at: performance.now(), x: (await xacts()) - watchQueries, s: await statements() });
    const finished = async () => {
      const r = await watchQuery("SELECT count(*) FILTER (WHERE status IN ('done', 'failed')) AS finished, count(*) FILTER (WHERE status = 'failed') AS failed FROM jobs");
      return { done: Number(r.rows[0].finished), failed: Number(r.rows[0].failed) };
    };

    for (let i = 0; i < warmups.length; i++) await postPush(webPort, SECRET, `warm-up-${i}`, warmups[i]);
    while ((await finished()).done < WARMUP_PUSHES) await sleep(JOBS_POLL_MS);

    await sleep(SETTLE_MS);
    const m0 = await mark();
    await sleep(IDLE_MS);
    const m1 = await mark();

    let doneAt = null;
    let jobs = { done: 0, failed: 0 };
    const watcher = (async () => {
      while (doneAt === null) {
        await sleep(JOBS_POLL_MS);
        jobs = await finished();
        if (jobs.done >= WARMUP_PUSHES + PUSHES) doneAt = performance.now();
      }
    })();
    // This process serves the fakes: how late its event loop runs shows how loaded it is.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const delivered = await deliver(webPort, payloads.map((payload, i) => ({ id: `bench-${i}`, payload })));
    const responses = delivered.ms;
    // From the client's first send: its process starting is not the batch's time.
    const firstSent = delivered.startedAt - performance.timeOrigin;
    const deliveryWindowMs = delivered.windowMs;
    loopDelay.disable();
    await watcher;
    await sleep(SETTLE_MS);
    const m2 = await mark();

    // No raw key in any process's output, nor in any row of the store.
    let leaked = 0;
    for (const p of processes) if (secrets.some((s) => p.output.join("").includes(s))) leaked++;
    const tables = (await watchQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
    for (const t of tables) {
      const text = (await watchQuery(`SELECT coalesce(string_agg(t::text, E'\\n'), '') AS x FROM "${t}" t`)).rows[0].x.toLowerCase();
      if (secrets.some((s) => text.includes(s.toLowerCase()))) leaked++;
    }

    const idleMs = m1.at - m0.at;
    const batchMs = m2.at - m1.at;
    const perPush = (n) => n / PUSHES;
    const idleQueuePerS = ((m1.s.queue - m0.s.queue) / idleMs) * 1000;
    const idleStorePerS = ((m1.s.store - m0.s.store) / idleMs) * 1000;
    const idleXactPerS = ((m1.x - m0.x) / idleMs) * 1000;
    const store = m2.s.store - m1.s.store;
    const queue = m2.s.queue - m1.s.queue;
    const xact = m2.x - m1.x;
    const sorted = [...responses].sort((a, b) => a - b);
    const durationMs = doneAt - firstSent;
    return {
      workers,
      durationMs,
      pushesPerMin: PUSHES / (durationMs / 60_000),
      deliveryWindowMs,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1),
      deliveries: sorted.length,
      benchLoopP99: loopDelay.percentile(99) / 1e6,
      failed: jobs.failed,
      comments: repos.reduce((n, r) => n + r.commitComments.length, 0),
      failedChecks: repos.reduce((n, r) => n + r.checkRuns.filter((c) => c.conclusion === "failure").length, 0),
      leaks: keypairs.length,
      leaked,
      idle: { queuePerS: idleQueuePerS, storePerS: idleStorePerS, xactPerS: idleXactPerS },
      perPush: {
        store: perPush(store),
        webStore: perPush(m2.s.webStore - m1.s.webStore),
        webQueue: perPush(m2.s.webQueue - m1.s.webQueue),
        queue: perPush(queue),
        queueNet: perPush(queue - (idleQueuePerS * batchMs) / 1000),
        statementsNet: perPush(store + queue - ((idleQueuePerS + idleStorePerS) * batchMs) / 1000),
        xact: perPush(xact),
        xactNet: perPush(xact - (idleXactPerS * batchMs) / 1000),
      },
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await watch?.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await github.close();
    await crisp.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const f1 = (v) => v.toFixed(1);

console.log(
  `app-postgres: Postgres at ${where(DATABASE_URL)} (a fresh database per scenario); ${PUSHES} pushes of ${COMMITS_PER_PUSH} commits ` +
    `over ${REPOS} repositories, 1 in ${LEAK_EVERY} with a keypair, after ${WARMUP_PUSHES} warm-up pushes; deliveries ${DELIVERY_GAP_MS ? `${DELIVERY_GAP_MS} ms apart` : "back to back"}; workers ${WORKER_COUNTS.join(", ")}; ${cpus().length} cores, ` +
    `load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
);
const fakes = compileFakes(root);
const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;
let ok = true;
try {
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const results = [];
    for (const workers of WORKER_COUNTS) {
      const r = await scenario(fakes, workers, privateKey);
      results.push(r);
      const correct = r.failed === 0 && r.comments === r.leaks && r.failedChecks === r.leaks && r.leaked === 0;
      if (!correct) ok = false;
      console.log(
        `${workers} worker${workers > 1 ? "s" : ""}: ${f1(r.pushesPerMin)} pushes/min (${PUSHES} in ${ms(r.durationMs)}, delivered in ${ms(r.deliveryWindowMs)}); ` +
          `webhook p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)} over ${r.deliveries} (the fakes' event-loop delay p99 ${ms(r.benchLoopP99)}); ` +
          `per push: ${f1(r.perPush.store)} store statements (web ${f1(r.perPush.webStore)}), ${f1(r.perPush.queue)} queue (web ${f1(r.perPush.webQueue)}; ${f1(r.perPush.queueNet)} net of idle), ` +
          `${f1(r.perPush.statementsNet)} statements net, ${f1(r.perPush.xact)} transactions (${f1(r.perPush.xactNet)} net); ` +
          `idle: ${f1(r.idle.queuePerS)} queue and ${f1(r.idle.storePerS)} store statements/s, ${f1(r.idle.xactPerS)} transactions/s; ` +
          `${r.comments}/${r.leaks} comments, ${r.failedChecks} failed checks, ${r.failed} failed jobs, raw keys found: ${r.leaked}` +
          (correct ? "" : "  << WRONG"),
      );
      if (r.deliveryWindowMs > r.durationMs * 0.8) console.log("  (warning: the batch took about as long as its deliveries: arrival-bound, not queue-bound)");
    }
    rounds.push(results);
    const base = results.find((r) => r.workers === 1);
    if (base) {
      for (const r of results.filter((x) => x.workers !== 1)) {
        console.log(`  round ${round}: ${r.workers} workers / 1 worker: ${(r.pushesPerMin / base.pushesPerMin).toFixed(2)}x pushes per minute`);
      }
    }
  }
  if (ROUNDS > 1) {
    for (const workers of WORKER_COUNTS) {
      const rs = rounds.map((rr) => rr.find((r) => r.workers === workers));
      console.log(`median of ${ROUNDS}, ${workers} worker(s): ${f1(median(rs.map((r) => r.pushesPerMin)))} pushes/min, p99 ${ms(median(rs.map((r) => r.p99)))}`);
    }
  }
  const worst = Math.max(...rounds.flat().map((r) => r.p99));
  console.log(`webhook p99 target < ${P99_TARGET_MS} ms: ${worst < P99_TARGET_MS ? "met" : "NOT met"} (worst ${ms(worst)})`);
} finally {
  rmSync(fakes, { recursive: true, force: true });
}
if (!ok) process.exitCode = 1;
