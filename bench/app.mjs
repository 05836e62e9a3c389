// `npm run bench` (app): the GitHub App on dist/, against local fakes (the test fakes for GitHub
// Enterprise and Crisp, compiled on the fly). A 500-commit push with keypairs in 20 commits:
//   - time from the delivery to the last commit comment (and to the check run),
//   - GitHub requests per scanned commit,
//   - webhook response times (p50/p99) for pushes delivered while the big job runs (target p99 < 100 ms).
// Run twice: with Probot's production Octokit (throttling on: GitHub's one write a second), and with
// throttling off, which shows the app's own cost. Figures go to stdout and docs/bench-app.md.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileFakes, freePort, percentile, postPush } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const COMMITS = 500;
const LEAKY_COMMITS = 20;
const DELIVERIES_DURING_JOB = 100;
const SECRET = "bench-webhook-secret";





async function scenario(fakes, { throttled }) {
  const { startFakeGitHub } = await import(pathToFileURL(join(fakes, "test/helpers/fake-github.js")).href);
  const { startFakeCrisp } = await import(pathToFileURL(join(fakes, "test/helpers/fake-crisp.js")).href);
  const { runServe } = await import(pathToFileURL(join(root, "dist/cli/serve.js")).href);
  const { ProbotOctokit } = await import("probot");
  const { pino } = await import("pino");

  const keypairs = Array.from({ length: LEAKY_COMMITS }, () => ({ identifier: randomUUID(), key: randomBytes(32).toString("hex") }));
  // The small pushes' repository turns reporting off: they make no writes, so the time to the last
  // comment is the big push's own, while the small jobs still share the queue with it.
  const github = await startFakeGitHub({
    repos: [{ owner: "acme", repo: "big" }, { owner: "acme", repo: "small", config: "report: { commitComment: false, checkRun: false }\n" }],
  });
  const crisp = await startFakeCrisp(keypairs.map((k) => ({ ...k, tier: "plugin" })));

  // The big push: 500 commits, one in 25 adds a .env with its own live keypair.
  const big = github.repo("acme/big");
  const base = big.addCommit({ files: { "README.md": "# big\n", "src/app.js": "export {};\n" }, message: "init" });
  let leakIndex = 0;
  let head = base;
  for (let i = 1; i <= COMMITS; i++) {
    const files = { [`src/module-${i % 40}.js`]: `export const v${i} = ${i};\n// revision ${i}\n` };
    if (i % (COMMITS / LEAKY_COMMITS) === 0) {
      const k = keypairs[leakIndex++];
      files[`services/s${i}/.env`] = `# Crisp\nCRISP_TOKEN_IDENTIFIER=${k.identifier}\nCRISP_TOKEN_KEY=${k.key}\n`;
    }
    head = big.addCommit({ files, message: `commit ${i}` });
  }
  const bigPayload = big.pushPayload({ before: base, after: head });

  // The small pushes delivered while the big job runs: one commit each, no keypair.
  const small = github.repo("acme/small");
  let prev = small.addCommit({ files: { "a.txt": "0\n" }, message: "init" });
  const smallPayloads = [];
  for (let i = 1; i <= DELIVERIES_DURING_JOB; i++) {
    const next = small.addCommit({ files: { "a.txt": `${i}\n` }, message: `small ${i}` });
    smallPayloads.push(small.pushPayload({ before: prev, after: next }));
    prev = next;
  }

  const dir = mkdtempSync(join(tmpdir(), "crisp-guard-bench-app-"));
  const port = await freePort();
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
  const Octokit = throttled ? ProbotOctokit : ProbotOctokit.defaults((o) => ({ ...o, throttle: { enabled: false } }));
  const handle = await runServe(
    {
      env: {
        NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET,
        GHE_HOST: github.host, GHE_PROTOCOL: "http", CRISP_API_URL: crisp.url,
        CRISP_GUARD_DB: join(dir, "crisp-guard.db"), HOST: "127.0.0.1", PORT: String(port),
      },
    },
    { Octokit, log: pino({ level: "warn" }) },
  );

  const started = performance.now();
  let lastCommentAt = null;
  let checkRunAt = null;
  const watcher = setInterval(() => {
    const now = performance.now();
    if (lastCommentAt === null && big.commitComments.length >= LEAKY_COMMITS) lastCommentAt = now - started;
    if (checkRunAt === null && big.checkRuns.length > 0) checkRunAt = now - started;
  }, 2);
  const bigResponse = await postPush(port, SECRET, "bench-big", bigPayload);

  const responses = [];
  let delivered = 0;
  // Deliver the small pushes while the big job runs (paced so they spread over its duration).
  while (delivered < smallPayloads.length) {
    responses.push(await postPush(port, SECRET, `bench-small-${delivered}`, smallPayloads[delivered]));
    delivered++;
    await new Promise((r) => setTimeout(r, throttled ? 50 : 5));
  }
  await handle.guard.idle();
  clearInterval(watcher);
  if (lastCommentAt === null && big.commitComments.length >= LEAKY_COMMITS) lastCommentAt = performance.now() - started;
  if (checkRunAt === null && big.checkRuns.length > 0) checkRunAt = performance.now() - started;

  const bigRequests = github.requests.filter((r) => r.path.startsWith("/repos/acme/big")).length;
  const sorted = [...responses, bigResponse].sort((a, b) => a - b);
  const result = {
    throttled,
    comments: big.commitComments.length,
    conclusion: big.checkRuns[0]?.conclusion ?? null,
    lastCommentMs: lastCommentAt,
    checkRunMs: checkRunAt,
    requestsPerCommit: bigRequests / COMMITS,
    bigRequests,
    deliveries: sorted.length,
    deliveredWhileRunning: responses.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
  };
  await handle.stop();
  await github.close();
  await crisp.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const fmt = (ms) => (ms === null || ms === undefined ? "n/a" : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

const fakes = compileFakes(root);
try {
  const runs = [];
  for (const throttled of [false, true]) {
    const r = await scenario(fakes, { throttled });
    runs.push(r);
    console.log(
      `${throttled ? "throttling on (production Octokit)" : "throttling off"}: ${r.comments} comments, check run ${r.conclusion}; ` +
        `last comment ${fmt(r.lastCommentMs)}, check run ${fmt(r.checkRunMs)}; ${r.requestsPerCommit.toFixed(2)} GitHub requests per commit; ` +
        `webhook p50 ${fmt(r.p50)}, p99 ${fmt(r.p99)}, max ${fmt(r.max)} over ${r.deliveries} deliveries`,
    );
  }
  const rows = runs.map(
    (r) =>
      `| ${r.throttled ? "on (production default)" : "off"} | ${fmt(r.lastCommentMs)} | ${fmt(r.checkRunMs)} | ${r.requestsPerCommit.toFixed(2)} (${r.bigRequests}) | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.comments} / ${r.conclusion} |`,
  );
  const md = [
    "# Benchmark: the GitHub App",
    "",
    "Command: `npm run bench` (or, after `npm run build`, `node bench/app.mjs`).",
    "",
    `A push of ${COMMITS} commits, ${LEAKY_COMMITS} of which add a \`.env\` holding a live Crisp plugin keypair, delivered`,
    "over HTTP (signed) to `crisp-guard serve` built in `dist/`, with GitHub served by the fake GitHub Enterprise",
    "(test/helpers/fake-github.ts) and Crisp by the fake Crisp, both on 127.0.0.1. While that push is scanned,",
    `${DELIVERIES_DURING_JOB} more pushes (one commit each, another repository whose config turns reporting off, so`,
    "they make no writes) are delivered one after the other; their jobs share the queue with the big one.",
    "",
    "- *Last comment*: from sending the big push's delivery to the 20th commit comment arriving at the fake GitHub.",
    "- *Requests per commit*: every request the app made to the big repository, divided by the commits scanned.",
    "- *Webhook response*: the time to answer each delivery (the big one and the small ones) while jobs run; target p99 < 100 ms.",
    "",
    "| Octokit throttling | last comment | check run | GitHub requests per commit (total) | webhook p50 | webhook p99 | webhook max | comments / conclusion |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "With throttling on (what production runs), Probot's Octokit (@octokit/plugin-throttling) spaces requests",
    "that notify people, such as commit comments, 3 s apart, and other writes 1 s apart, as GitHub asks of",
    "integrations: 20 comments take about a minute however fast the scan is. Throttling off shows the app's",
    "own cost: listing, reading, verifying and reporting.",
    "",
    `Measured on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}/${process.arch}.`,
    "",
  ].join("\n");
  writeFileSync(join(root, "docs", "bench-app.md"), md);
  console.log("written to docs/bench-app.md");
  if (runs.some((r) => r.comments !== LEAKY_COMMITS || r.conclusion !== "failure")) process.exitCode = 1;
} finally {
  rmSync(fakes, { recursive: true, force: true });
}
