// `npm run bench` (backfill): the GitHub App backfilling the histories of a new installation's
// repositories. BENCH_BACKFILL_REPOS (20) repositories are generated as real bare repositories
// (test/helpers/git-history.ts, one git fast-import each), BENCH_BACKFILL_COMMITS (3000) commits on
// average (2/3 to 4/3 of it), with a handful of keypairs planted across them; the fake GitHub
// Enterprise serves them over git's smart HTTP and the REST API, the fake Crisp verifies. The app is
// `crisp-guard serve` from dist/ (bench/backfill-serve.mjs: throttling off) in a child process under
// bench/rss-wrap.mjs, on SQLite, its TMPDIR a folder of the bench's. One signed installation.created
// delivery names the repositories; the bench polls the store's backfills table until all are done.
// It prints:
//   - repositories per minute (delivery → last backfill finished), per-repository time (median, max);
//   - peak disk under the app's TMPDIR (the clones; sampled every 100 ms), the repositories' sizes;
//   - peak memory: the app's Node process (getrusage maxRSS) and its process tree (app + its git
//     children, /proc sampled every 100 ms);
//   - GitHub REST requests and git HTTP requests per repository, by kind;
//   - the baseline, measured in the same run before and after the backfill: `crisp-guard git <repo>`
//     (dist/cli/main.js) over the same bare repositories one after the other (the history scan alone:
//     no clone, no GitHub), and the ratio backfill / local scan.
// It checks the run and fails loudly (exit 1) when a check run, a secret, an occurrence or an issue
// is not what the planted keypairs call for.
import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, lstatSync } from "node:fs";
import { readdir, lstat } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileFakes, freePort, median, postWebhook, prng } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const REPOS = Number(process.env.BENCH_BACKFILL_REPOS ?? 20);
const COMMITS = Number(process.env.BENCH_BACKFILL_COMMITS ?? 3000);
const SECRET = "bench-webhook-secret";
const OWNER = "acme";
/** How often the store, the clone folder and the process tree are sampled. */
const SAMPLE_MS = 100;
/** The whole backfill must finish within this (a few minutes are expected on 2 cores). */
const BACKFILL_TIMEOUT_MS = 20 * 60 * 1000;
const HISTORY_CHECK_RUN = "Crisp Guard: history";
const RSS_WRAP = join(root, "bench", "rss-wrap.mjs");
const MAIN = join(root, "dist", "cli", "main.js");

if (!existsSync(join(root, "dist", "cli", "serve.js"))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fingerprintOf = (kp) => createHash("sha256").update(`${kp.identifier}:${kp.key}`).digest("hex");
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// ───────────────────────────── measuring ─────────────────────────────

/** Bytes under `dir`, files as stored (directories count nothing); 0 when it is gone. */
async function dirBytes(dir) {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += await dirBytes(path);
    else {
      try {
        total += (await lstat(path)).size;
      } catch {
        // git renamed or removed it meanwhile
      }
    }
  }
  return total;
}

function dirBytesSync(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    total += e.isDirectory() ? dirBytesSync(path) : lstatSync(path).size;
  }
  return total;
}

const PAGE_BYTES = 4096;

/** The pid and its descendants (Linux: /proc/<pid>/task/<tid>/children). */
function processTree(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${out[i]}/task/${t}/children`, "utf8").split(" ")) if (c.trim()) out.push(Number(c));
      } catch {
        // exited meanwhile
      }
    }
  }
  return out;
}

/** Resident bytes of the pid and its descendants now (statm's resident pages). */
function treeRss(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += Number(readFileSync(`/proc/${p}/statm`, "utf8").split(" ")[1]) * PAGE_BYTES;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** What a recorded request to the fake GitHub was for. */
function requestKind(r) {
  const p = r.path;
  if (/^\/app\/installations\/\d+\/access_tokens$/.test(p)) return "token";
  if (p === "/installation/repositories") return "installation repositories";
  if (/^\/repos\/[^/]+\/[^/]+$/.test(p)) return "repos.get";
  if (/^\/repos\/[^/]+\/[^/]+\/contents\//.test(p)) return "config read";
  if (/\/check-runs(\/|$)/.test(p)) return "check runs";
  if (/^\/repos\/[^/]+\/[^/]+\/issues/.test(p)) return "issues";
  if (/^\/repos\/[^/]+\/[^/]+\/(commits\/[^/]+\/)?comments/.test(p)) return "commit comments";
  return `other (${r.method} ${p.replace(/[0-9a-f]{40}/g, ":sha").replace(/\/\d+/g, "/:n")})`;
}

// ───────────────────────────── the baseline ─────────────────────────────

/** `crisp-guard git <repo>` once per repository, one after the other: { ms, perRepoMs, maxRssMb, fingerprints }. */
async function localScans(repos, dir) {
  const perRepoMs = [];
  let maxRssMb = 0;
  const fingerprints = new Map();
  const started = performance.now();
  for (const repo of repos) {
    const report = join(dir, `${repo.name}.json`);
    const r = await runNode([MAIN, "git", repo.gitDir, "--format", "json", "--output", report]);
    // 0: nothing found; 1: findings (the report is written either way).
    if (r.code !== 0 && r.code !== 1) throw new Error(`crisp-guard git ${repo.name} exited ${r.code}: ${r.stderr.slice(-500)}`);
    perRepoMs.push(r.ms);
    maxRssMb = Math.max(maxRssMb, r.maxRssMb);
    fingerprints.set(repo.name, reportFingerprints(JSON.parse(readFileSync(report, "utf8"))));
    rmSync(report, { force: true });
  }
  return { ms: performance.now() - started, perRepoMs, maxRssMb, fingerprints };
}

/** The fingerprints a JSON report names, wherever it keeps them. */
function reportFingerprints(report) {
  const out = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "fingerprint" && typeof x === "string") out.add(x);
        else walk(x);
      }
    }
  };
  walk(report);
  return out;
}

/** `node rss-wrap.mjs args...`: { ms, code, maxRssMb, stderr }. */
function runNode(args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [RSS_WRAP, ...args], { stdio: ["ignore", "ignore", "pipe"], env: options.env ?? process.env });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /RSS_WRAP_MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ ms: performance.now() - started, code, maxRssMb: m ? Number(m[1]) / 1024 : NaN, stderr });
    });
  });
}

// ───────────────────────────── the corpus ─────────────────────────────

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };

function git(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { env: GIT_ENV, stdio: ["pipe", "pipe", "pipe"], ...options });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`git ${args[0]}: ${err.slice(-400)}`))));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** Source-like files a repository holds: this many, edited 1-3 a commit. */
const FILES_PER_REPO = 400;
/** A three-commit side branch is merged into main every this many commits. */
const MERGE_EVERY = 200;
const envText = (kp) => `# service settings\nCRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n`;

/**
 * One repository's history through one `git fast-import` (seeded: the same text each run; the
 * keypairs are made now): FILES_PER_REPO source-like files edited 1-3 a commit, a side branch merged
 * every MERGE_EVERY commits, a `release` branch never merged, a tag, and the planted keypairs:
 * each `{ kp, mode }` with mode "stays" (in a file at the head), "deleted" (added, removed 5% later)
 * or "branch" (only on the unmerged branch). Written here rather than with test/helpers/git-history.ts
 * for source-like files of a few KB (its files are a few lines) and a repack after, as a served repository has had.
 */
async function buildRepository(gitDir, seed, commits, plants) {
  const started = performance.now();
  const rand = prng(seed);
  const pick = (n) => Math.floor(rand() * n);
  const words = Array.from({ length: 1500 }, () => Array.from({ length: 3 + pick(8) }, () => String.fromCharCode(97 + pick(26))).join(""));
  const templates = [
    (a, b, c, n) => `  const ${a}_${b} = ${c}(${a}, ${n});`,
    (a, b, c) => `  if (${a}.${b}) return ${c}.${a}();`,
    (a, b, c, n) => `  // ${a} ${b} ${c} ${words[n % 1500]}`,
    (a, b, c, n) => `export function ${a}${b}(${c}) { return ${n} * ${c}; }`,
    (a, b, c) => `${a}: ${b}-${c}`,
    (a, b, c, n) => `  "${a}": { "${b}": "${c}", "n": ${n} },`,
  ];
  const pool = Array.from({ length: 8000 }, () => templates[pick(templates.length)](words[pick(1500)], words[pick(1500)], words[pick(1500)], pick(100_000)));
  const exts = [".js", ".ts", ".json", ".yml", ".md", ".py"];
  const files = new Map();
  for (let i = 0; i < FILES_PER_REPO; i++) {
    files.set(`src/m${i % 20}/${words[i]}${i}${exts[i % exts.length]}`, Array.from({ length: 10 + pick(110) }, () => pick(pool.length)));
  }
  const paths = [...files.keys()];
  const render = (lines) => lines.map((i) => pool[i]).join("\n") + "\n";
  const edit = (lines) => {
    const out = lines.slice();
    for (let c = 1 + pick(5); c > 0; c--) {
      const at = pick(out.length);
      const r = rand();
      if (r < 0.5) out[at] = pick(pool.length);
      else if (r < 0.8) out.splice(at, 0, pick(pool.length), pick(pool.length));
      else if (out.length > 10) out.splice(at, 1);
    }
    return out;
  };
  const chunks = [];
  let blobBytes = 0;
  const modify = (path, content) => {
    blobBytes += Buffer.byteLength(content);
    chunks.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  };
  let mark = 0;
  let clock = 1_500_000_000 + seed * 1000;
  const header = (ref, message, parents) => {
    mark++;
    clock += 600 + pick(3600);
    const who = `Dev ${pick(12)} <dev${pick(12)}@example.com> ${clock} +0000`;
    chunks.push(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\ndata ${message.length}\n${message}\n`);
    if (parents[0]) chunks.push(`from :${parents[0]}\n`);
    for (const p of parents.slice(1)) chunks.push(`merge :${p}\n`);
    return mark;
  };
  // Events on main, at a fraction of the history.
  const events = [];
  plants.forEach(({ kp, mode }, i) => {
    const path = `deploy/service-${i}.env`;
    if (mode === "stays") events.push({ at: Math.floor(commits * (0.3 + 0.1 * i)), run: () => modify(path, envText(kp)) });
    if (mode === "deleted") {
      events.push({ at: Math.floor(commits * 0.2), run: () => modify(path, envText(kp)) });
      events.push({ at: Math.floor(commits * 0.25), run: () => chunks.push(`D ${path}\n`) });
    }
  });
  events.sort((a, b) => a.at - b.at);
  let made = 0;
  let head = header("refs/heads/main", "initial import", []);
  for (const p of paths) modify(p, render(files.get(p)));
  made++;
  while (made < commits - 2) {
    if (made % MERGE_EVERY === 0) {
      const base = head;
      let tip = base;
      const overlay = new Map();
      for (let b = 0; b < 3; b++) {
        tip = header("refs/heads/feature", `feature work ${made}`, [tip]);
        const p = paths[pick(paths.length)];
        overlay.set(p, edit(overlay.get(p) ?? files.get(p)));
        modify(p, render(overlay.get(p)));
        made++;
      }
      head = header("refs/heads/main", "Merge branch 'feature'", [head, tip]);
      for (const [q, lines] of overlay) {
        files.set(q, lines);
        modify(q, render(lines));
      }
      made++;
      continue;
    }
    head = header("refs/heads/main", `change ${made}`, [head]);
    for (let c = 1 + pick(3); c > 0; c--) {
      const p = paths[pick(paths.length)];
      files.set(p, edit(files.get(p)));
      modify(p, render(files.get(p)));
    }
    while (events.length > 0 && events[0].at <= made) events.shift().run();
    made++;
    if (made === Math.floor(commits / 2)) chunks.push(`reset refs/tags/v1.0\nfrom :${head}\n`);
  }
  // The unmerged branch: two commits off main, the branch-only keypairs in the second.
  const prep = header("refs/heads/release", "release prep", [head]);
  modify("RELEASE.md", "# release\n");
  header("refs/heads/release", "release settings", [prep]);
  plants.forEach(({ kp, mode }, i) => mode === "branch" && modify(`release/service-${i}.env`, envText(kp)));
  made += 2;
  chunks.push("done\n");
  const t0 = performance.now();
  await git(["init", "-q", "--bare", "--initial-branch=main", gitDir]);
  // Delta chains of one: fast-import's deltas (against the blob before in the stream) are redone by the repack.
  await git(["-C", gitDir, "fast-import", "--quiet", "--done", "--depth=1"], { input: chunks.join("") });
  const t1 = performance.now();
  // A served repository has been through gc: deltas between versions of the same file (-f: not fast-import's).
  await git(["-C", gitDir, "repack", "-adfq"]);
  const timing = { streamMs: t0 - started, fastImportMs: t1 - t0, repackMs: performance.now() - t1 };
  return { commits: made, blobBytes, timing, head: await git(["-C", gitDir, "rev-parse", "refs/heads/main"]) };
}

/** The corpus: REPOS repositories, the keypairs spread across them. */
function plan() {
  const kp = () => ({ identifier: randomUUID(), key: randomBytes(32).toString("hex") });
  const r = (i) => i % REPOS;
  const keypairs = {
    // One keypair in four repositories (copied between services): one secret, one issue.
    shared: { kp: kp(), live: true, repos: [r(0), r(5), r(10), r(15)], mode: "stays" },
    // Committed, then deleted: still in the history.
    deleted: { kp: kp(), live: true, repos: [r(3)], mode: "deleted" },
    // Only on a branch never merged.
    branch: { kp: kp(), live: true, repos: [r(7)], mode: "branch" },
    // Still at the head.
    stays: { kp: kp(), live: true, repos: [r(12)], mode: "stays" },
    // Unknown to Crisp (its plugin tier answers 401): with no website id beside it the website tier
    // cannot be asked, so it is not known dead: the repository's run is neutral.
    rejected: { kp: kp(), live: false, repos: [r(18)], mode: "stays" },
  };
  const repos = Array.from({ length: REPOS }, (_, i) => ({
    name: `service-${String(i).padStart(2, "0")}`,
    // 2/3 to 4/3 of COMMITS: 2,000 to 4,000 for the default 3,000.
    commits: Math.round(COMMITS * (2 / 3 + (i % 5) / 6)),
    plants: Object.entries(keypairs).filter(([, k]) => k.repos.includes(i)).map(([name, k]) => ({ name, kp: k.kp, mode: k.mode, live: k.live })),
  }));
  return { keypairs, repos };
}

// ───────────────────────────── the app ─────────────────────────────

/** `crisp-guard serve` (bench/backfill-serve.mjs) under rss-wrap, in a child process; resolves once it listens. */
async function startApp(env, redact) {
  const child = spawn(process.execPath, [RSS_WRAP, join(root, "bench", "backfill-serve.mjs")], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output = [];
  child.stdout.on("data", (d) => output.push(d.toString()));
  child.stderr.on("data", (d) => output.push(d.toString()));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    child.on("message", (m) => m && m.listening && resolve(m.listening));
    exited.then(({ code, signal }) => reject(new Error(`the app exited (${code ?? signal}):\n${redact(output.join("").slice(-3000))}`)));
  });
  return {
    child,
    port,
    output,
    /** Stops it (SIGTERM: the graceful stop) and resolves its Node process's peak RSS in MB. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
      const m = /RSS_WRAP_MAXRSS_KB=(\d+)/.exec(output.join(""));
      return m ? Number(m[1]) / 1024 : NaN;
    },
  };
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const work = mkdtempSync(join(tmpdir(), "crisp-guard-bench-backfill-"));
  const gitRoot = join(work, "git");
  const appTmp = join(work, "app-tmp");
  mkdirSync(join(gitRoot, OWNER), { recursive: true });
  mkdirSync(appTmp);
  const fakes = compileFakes(root);
  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
  };
  let app = null;
  let github = null;
  let crisp = null;
  try {
    // The corpus.
    const { keypairs, repos } = plan();
    const genStarted = performance.now();
    // Two at a time: fast-import and repack are one process each, and the machine has 2 cores.
    let next = 0;
    const builder = async () => {
      for (let i = next++; i < repos.length; i = next++) {
        const repo = repos[i];
        repo.gitDir = join(gitRoot, OWNER, `${repo.name}.git`);
        Object.assign(repo, await buildRepository(repo.gitDir, 0xbacf + i, repo.commits, repo.plants));
        repo.bytes = dirBytesSync(repo.gitDir);
      }
    };
    await Promise.all([builder(), builder()]);
    const genMs = performance.now() - genStarted;
    const totalCommits = repos.reduce((a, r) => a + r.commits, 0);
    const totalBytes = repos.reduce((a, r) => a + r.bytes, 0);
    const blobText = repos.reduce((a, r) => a + r.blobBytes, 0);
    console.log(
      `corpus: ${repos.length} repositories, ${totalCommits} commits (${Math.min(...repos.map((r) => r.commits))}-${Math.max(...repos.map((r) => r.commits))} each), ` +
        `${fmtMb(blobText)} of blob text written, ${fmtMb(totalBytes)} on disk (bare, repacked; largest ${fmtMb(Math.max(...repos.map((r) => r.bytes)))}); generated in ${fmtS(genMs)}`,
    );
    const phase = (k) => fmtS(repos.reduce((a, r) => a + r.timing[k], 0));
    console.log(`  two at a time; summed over the repositories: stream ${phase("streamMs")}, fast-import ${phase("fastImportMs")}, repack ${phase("repackMs")}`);

    // Baseline before.
    const baseBefore = await localScans(repos, work);
    console.log(`baseline (crisp-guard git, ${repos.length} repositories one after the other): ${fmtS(baseBefore.ms)}`);

    // The fakes and the app.
    const { startFakeGitHub } = await import(pathToFileURL(join(fakes, "test/helpers/fake-github.js")).href);
    const { startFakeCrisp } = await import(pathToFileURL(join(fakes, "test/helpers/fake-crisp.js")).href);
    // Git-backed: the fake serves each bare repository over git's smart HTTP at /acme/<name>.git.
    github = await startFakeGitHub({ repos: repos.map((r) => ({ owner: OWNER, repo: r.name, gitDir: r.gitDir, private: true })) });
    const all = Object.values(keypairs);
    crisp = await startFakeCrisp(all.filter((k) => k.live).map((k) => ({ ...k.kp, tier: "plugin" })));
    const secrets = [...all.flatMap((k) => [k.kp.identifier, k.kp.key]), github.token];
    const redact = (text) => secrets.reduce((t, x) => t.split(x).join("[secret]"), text);
    const config = join(work, "server.yml");
    writeFileSync(config, "rotators:\n  github-issue: {}\ndefaults: { rotate: { when: live, rotators: [github-issue] } }\n");
    const db = join(work, "crisp-guard.db");
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    const port = await freePort();
    app = await startApp(
      {
        PATH: process.env.PATH ?? "", HOME: work, TMPDIR: appTmp, NODE_ENV: "production", LOG_LEVEL: "warn",
        APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: github.host, GHE_PROTOCOL: "http",
        CRISP_API_URL: crisp.url, CRISP_GUARD_DB: db, CRISP_GUARD_CONFIG: config, HOST: "127.0.0.1", PORT: String(port),
      },
      redact,
    );
    const { default: Database } = await import("better-sqlite3");
    const store = new Database(db, { readonly: true, fileMustExist: true });

    // Samplers: the clones' folder, the app's process tree.
    let peakDisk = 0;
    let peakTree = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakDisk = Math.max(peakDisk, await dirBytes(appTmp));
        peakTree = Math.max(peakTree, treeRss(app.child.pid));
        await sleep(SAMPLE_MS);
      }
    })();

    // One installation.created delivery for every repository.
    const payload = {
      action: "created",
      installation: { id: github.installationId, account: { login: OWNER, id: 1000, type: "Organization" }, repository_selection: "selected" },
      repositories: repos.map((r, i) => ({ id: 500 + i, name: r.name, full_name: `${OWNER}/${r.name}`, private: true })),
      sender: { login: "dana", id: 4242, type: "User" },
    };
    const deliveredAt = Date.now();
    const started = performance.now();
    await postWebhook(app.port, SECRET, "bench-installation-created", payload, "installation");
    let rows = [];
    for (;;) {
      rows = store.prepare("SELECT repository, status, reason, commits, blobs, findings, started_at, finished_at FROM backfills").all();
      const finished = rows.filter((r) => ["done", "skipped", "failed"].includes(r.status));
      if (rows.length === repos.length && finished.length === repos.length) break;
      if (performance.now() - started > BACKFILL_TIMEOUT_MS) throw new Error(`backfills not finished after ${BACKFILL_TIMEOUT_MS / 1000} s: ${finished.length}/${rows.length}`);
      if (app.child.exitCode !== null) throw new Error(`the app exited:\n${redact(app.output.join("").slice(-3000))}`);
      await sleep(SAMPLE_MS);
    }
    const observedMs = performance.now() - started;
    const lastFinished = Math.max(...rows.map((r) => Date.parse(r.finished_at)));
    const wallMs = lastFinished - deliveredAt;
    // Let the last check run and issue writes land (the job ends after its backfill row is finished).
    await sleep(1000);
    sampling = false;
    await sampler;
    const perRepo = rows.map((r) => Date.parse(r.finished_at) - Date.parse(r.started_at)).sort((a, b) => a - b);
    const queued = rows.map((r) => Date.parse(r.started_at) - deliveredAt).sort((a, b) => a - b);

    // Correctness.
    for (const r of rows) check(r.status === "done", `${r.repository}: backfill ${r.status} (${r.reason ?? ""})`);
    for (const repo of repos) {
      const fake = github.repo(`${OWNER}/${repo.name}`);
      const runs = fake.checkRuns.filter((c) => c.name === HISTORY_CHECK_RUN);
      const expected = repo.plants.some((p) => p.live) ? "failure" : repo.plants.length > 0 ? "neutral" : "success";
      check(runs.length === 1, `${repo.name}: ${runs.length} history check runs (expected 1)`);
      check(runs[0]?.head_sha === repo.head, `${repo.name}: check run not on main's head`);
      check(runs[0]?.conclusion === expected, `${repo.name}: check run ${runs[0]?.conclusion} (expected ${expected})`);
      const row = rows.find((r) => r.repository === `${OWNER}/${repo.name}`);
      check(row?.commits === repo.commits, `${repo.name}: ${row?.commits} commits scanned (expected ${repo.commits})`);
      const local = baseBefore.fingerprints.get(repo.name);
      check(repo.plants.every((p) => local.has(fingerprintOf(p.kp))) && local.size === repo.plants.length, `${repo.name}: the local scan found ${local.size} keypairs (expected ${repo.plants.length})`);
    }
    const secretRows = store.prepare("SELECT fingerprint, state FROM secrets").all();
    const occurrences = store.prepare("SELECT fingerprint, COUNT(*) AS n, COUNT(DISTINCT lower(repository)) AS repos FROM occurrences GROUP BY fingerprint").all();
    check(secretRows.length === all.length, `${secretRows.length} secrets recorded (expected ${all.length})`);
    for (const [name, k] of Object.entries(keypairs)) {
      const fp = fingerprintOf(k.kp);
      check(secretRows.filter((s) => s.fingerprint === fp).length === 1, `${name}: not recorded once`);
      const occ = occurrences.find((o) => o.fingerprint === fp);
      check(occ?.repos === k.repos.length, `${name}: occurrences in ${occ?.repos ?? 0} repositories (expected ${k.repos.length})`);
    }
    const issues = repos.flatMap((r) => github.repo(`${OWNER}/${r.name}`).issues.map((i) => ({ repo: r.name, ...i })));
    const liveCount = all.filter((k) => k.live).length;
    check(issues.length === liveCount, `${issues.length} issues opened (expected ${liveCount}: one per live secret)`);
    const sharedIssues = issues.filter((i) => `${i.title}\n${i.body}`.includes(keypairs.shared.kp.identifier.slice(0, 8)));
    check(sharedIssues.length === 1, `the shared secret has ${sharedIssues.length} issues (expected 1)`);
    const crispBySecret = new Map();
    for (const r of crisp.requests) if (r.fingerprint) crispBySecret.set(r.fingerprint, (crispBySecret.get(r.fingerprint) ?? 0) + 1);
    const sharedVerifications = crispBySecret.get(fingerprintOf(keypairs.shared.kp)) ?? 0;

    // Requests.
    const byKind = new Map();
    for (const r of github.requests) byKind.set(requestKind(r), (byKind.get(requestKind(r)) ?? 0) + 1);
    const gitByKind = new Map();
    for (const r of github.gitRequests) {
      check(r.authorized, `a git request without the installation token: ${r.method} ${r.url}`);
      const kind = `${r.method} ${r.url.replace(/^\/[^/]+\/[^/]+\.git/, "")}`;
      gitByKind.set(kind, (gitByKind.get(kind) ?? 0) + 1);
    }

    const appOutput = app.output;
    const nodePeakMb = await app.stop();
    app = null;
    const leaked = secrets.some((x) => appOutput.join("").includes(x));
    check(!leaked, "a key or the token appeared in the app's output");
    store.close();

    // Baseline after, so that the ratio uses the mean of two local runs bracketing the backfill.
    const baseAfter = await localScans(repos, work);
    const baseMs = (baseBefore.ms + baseAfter.ms) / 2;

    // Report.
    const n = repos.length;
    const perMin = n / (wallMs / 60_000);
    const per = (count) => (count / n).toFixed(2);
    console.log("");
    console.log(`backfill of ${n} repositories (${totalCommits} commits): ${fmtS(wallMs)} from the delivery to the last backfill finished (bench saw it at ${fmtS(observedMs)})`);
    console.log(`  repositories per minute: ${perMin.toFixed(1)}`);
    console.log(`  per repository (started → finished, one at a time): median ${fmtS(median(perRepo))}, max ${fmtS(perRepo.at(-1))}, min ${fmtS(perRepo[0])}; last started ${fmtS(queued.at(-1))} after the delivery`);
    console.log(`  baseline, crisp-guard git over the same ${n} bare repositories: ${fmtS(baseBefore.ms)} before, ${fmtS(baseAfter.ms)} after (per repository median ${fmtS(median(baseBefore.perRepoMs))}); peak RSS ${baseBefore.maxRssMb.toFixed(0)} MB`);
    console.log(`  ratio backfill / local scan: ${(wallMs / baseMs).toFixed(2)}× (against the mean of the two)`);
    console.log(`  peak disk under the app's TMPDIR (clones): ${fmtMb(peakDisk)}; repositories ${fmtMb(totalBytes)} in all, largest ${fmtMb(Math.max(...repos.map((r) => r.bytes)))}`);
    console.log(`  peak memory: app Node process ${nodePeakMb.toFixed(0)} MB (getrusage maxRSS, rss-wrap); app process tree ${fmtMb(peakTree)} (sampled, with its git children)`);
    console.log(`  GitHub REST requests: ${github.requests.length} (${per(github.requests.length)} per repository)`);
    for (const [k, c] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`    ${k}: ${c} (${per(c)} per repository)`);
    console.log(`  git HTTP requests: ${github.gitRequests.length} (${per(github.gitRequests.length)} per repository)`);
    for (const [k, c] of [...gitByKind].sort((a, b) => b[1] - a[1])) console.log(`    ${k}: ${c} (${per(c)} per repository)`);
    console.log(`  Crisp requests: ${crisp.requests.length}; the shared secret's: ${sharedVerifications}`);
    console.log(`  store: ${secretRows.length} secrets (${secretRows.map((s) => s.state).sort().join(", ")}), ${occurrences.reduce((a, o) => a + o.n, 0)} occurrences; ${issues.length} issues`);
    console.log(`  load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${fmtMb(totalmem())}, Node ${process.version}`);
    if (failures.length) {
      console.error(`\nFAILED (${failures.length}):\n  ${failures.map(redact).join("\n  ")}`);
      process.exitCode = 1;
    } else console.log("checks: every backfill done, every check run as expected, each secret recorded once, one issue per live secret");
  } finally {
    if (app) await app.stop().catch(() => {});
    await github?.close();
    await crisp?.close();
    rmSync(fakes, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
