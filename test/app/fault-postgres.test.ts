// Exactly once, across processes and a dead worker: one web and three worker processes of the real
// server (dist/cli/main.js serve --role ...) share one Postgres database and pg-boss queue. 200 signed
// pushes go to the web process, some with leaked (synthetic) keypairs, some delivered again under the
// same X-GitHub-Delivery or under a new one. While a worker posts a leak's commit comment (the fake
// GitHub performs the write and holds the answer), it is killed with SIGKILL and replaced by a new
// one: the queue hands the dead worker's jobs to another once they expire. Every push must then be
// scanned and reported once.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, expect, it } from "vitest";
import { JOB_QUEUE } from "../../src/app/pg-boss-queue.js";
import { JOB_CONCURRENCY } from "../../src/app/jobs.js";
import { fingerprint } from "../../src/detect/fingerprint.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { describePostgres } from "../helpers/stores.js";
import { tempDir } from "../helpers/temp.js";
import { WEBHOOK_PATH, freePort, serveEnv, sign } from "./serve-helpers.js";

const SECRET = "fault-webhook-secret";
const MAIN = resolve("dist/cli/main.js");
const REPOS = 5;
const PUSHES = 200;
const WORKERS = 3;
/**
 * Workers write to GitHub one at a time per installation (the store's lock), each process at most
 * once a second (Octokit's throttle): 200 check runs take over a minute on three. The killed worker
 * is replaced, as an orchestrator would, so the rest does not run on two.
 */
const REPLACEMENT = `worker-${WORKERS + 1}`;
/**
 * Every 10th push leaks; every 60th leaks two keypairs (in two files of one commit). Few of those:
 * Octokit's throttle spaces a process's commit comments 3 s apart, and the second waits holding the
 * installation's write lock, every worker with it.
 */
const leaks = (i: number): number => (i % 10 !== 3 ? 0 : i % 60 === 3 ? 2 : 1);
/** The leaking push whose first commit comment is held, its worker then killed: after about 60 others. */
const HELD_PUSH = 63;
/** A dead worker's job goes to another this soon (pg-boss expiry; its maintenance runs every second). */
const EXPIRE_SECONDS = 5;
/** What the pushes may take once sent, the take-over included (expiry 5 s, then a retry delay of 5 to 10 s). */
const FINISH_TIMEOUT_MS = 90_000;
/** The header each worker's requests to the fake GitHub carry (added by its own proxy): who made the request. */
const WORKER_HEADER = "x-fault-worker";

interface Proc {
  name: string;
  port: number;
  child: ChildProcess;
  output: string[];
}

interface Secret {
  kp: { identifier: string; key: string };
  fingerprint: string;
  live: boolean;
}

interface PlannedPush {
  index: number;
  repo: FakeRepo;
  before: string;
  after: string;
  /** The commits the push added, oldest first. */
  commits: string[];
  /** The commit holding the secrets, if any. */
  leak: string | null;
  secrets: Secret[];
  deliveryId: string;
  body: string;
}

/** A proxy in front of the fake GitHub that tags each request with the worker it came from. */
async function startTaggingProxy(targetPort: number, tag: string): Promise<{ host: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, [WORKER_HEADER]: tag }, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    // The worker went away (killed): so does its request upstream.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describePostgres("web and worker processes on one Postgres, a worker killed mid-write", (database) => {
  let github: FakeGitHub;
  let crisp: FakeCrisp;
  const proxies: Array<{ host: string; close(): Promise<void> }> = [];
  const procs: Proc[] = [];
  const secrets: Secret[] = [];
  const pushes: PlannedPush[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
    nock.enableNetConnect("127.0.0.1");
    github = await startFakeGitHub({ repos: Array.from({ length: REPOS }, (_, r) => ({ owner: "acme", repo: `r${r}` })) });
    for (let i = 0; i < PUSHES; i++) {
      for (let j = 0; j < leaks(i); j++) {
        const kp = randomKeypair();
        secrets.push({ kp, fingerprint: fingerprint(kp.identifier, kp.key), live: secrets.length % 2 === 0 });
      }
    }
    crisp = await startFakeCrisp(
      secrets.filter((s) => s.live).map((s) => ({ identifier: s.kp.identifier, key: s.kp.key, tier: "plugin" as const, pluginId: "plug-1" })),
    );
    for (let w = 1; w <= WORKERS + 1; w++) proxies.push(await startTaggingProxy(github.port, `worker-${w}`));
    planPushes();
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => stop(p, "SIGKILL")));
    for (const p of proxies) await p.close();
    await github?.close();
    await crisp?.close();
  });

  /** Each push adds a commit on its repository's head; a leaking one adds a second with the keypairs. */
  function planPushes(): void {
    const repos = Array.from({ length: REPOS }, (_, r) => github.repo(`acme/r${r}`));
    const heads = repos.map((repo) => repo.addCommit({ files: { "README.md": `# ${repo.name}\n` }, message: "init" }));
    let next = 0;
    for (let i = 0; i < PUSHES; i++) {
      const r = i % REPOS;
      const repo = repos[r]!;
      const before = heads[r]!;
      const commits = [repo.addCommit({ files: { [`src/part-${i}.ts`]: `export const part${i} = ${i};\n` }, message: `part ${i}` })];
      const mine = secrets.slice(next, next + leaks(i));
      next += mine.length;
      let leak: string | null = null;
      if (mine.length > 0) {
        const files = Object.fromEntries(
          mine.map((s, j) => [
            `config/crisp-${i}-${j}.env`,
            `# Crisp\nCRISP_TOKEN_IDENTIFIER=${s.kp.identifier}\nCRISP_TOKEN_KEY=${s.kp.key}\n`,
          ]),
        );
        leak = repo.addCommit({ files, message: `crisp ${i}` });
        commits.push(leak);
      }
      const after = commits.at(-1)!;
      heads[r] = after;
      const body = JSON.stringify(repo.pushPayload({ before, after }));
      pushes.push({ index: i, repo, before, after, commits, leak, secrets: mine, deliveryId: `push-${i}`, body });
    }
  }

  async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) {
        const tails = procs.map((p) => `--- ${p.name}\n${p.output.join("").slice(-3000)}`).join("\n");
        throw new Error(`timed out waiting for ${what}\n${tails}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Starts `crisp-guard serve --role <role>` on the shared database; resolves once /readyz answers 200. */
  async function start(name: string, role: "web" | "worker", githubHost: string): Promise<Proc> {
    const port = await freePort();
    const dir = tempDir(`crisp-guard-fault-${name}-`);
    const env = serveEnv({
      secret: SECRET,
      githubHost,
      crispUrl: crisp.url,
      dir,
      port,
      extra: {
        DATABASE_URL: database().url,
        CRISP_GUARD_JOB_EXPIRE_SECONDS: String(EXPIRE_SECONDS),
        CRISP_GUARD_SHUTDOWN_GRACE_SECONDS: "5",
        LOG_LEVEL: "info",
        PATH: process.env.PATH ?? "",
      },
    });
    const child = spawn(process.execPath, [MAIN, "serve", "--role", role], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    const proc: Proc = { name, port, child, output: [] };
    procs.push(proc);
    child.stdout.on("data", (d: Buffer) => proc.output.push(d.toString()));
    child.stderr.on("data", (d: Buffer) => proc.output.push(d.toString()));
    await until(
      `${name} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${proc.output.join("")}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: "close" } });
          await res.arrayBuffer();
          return res.status === 200;
        } catch {
          return false;
        }
      },
      30_000,
    );
    return proc;
  }

  /** Sends the signal and waits for the exit; resolves with the exit code (null: killed by the signal). */
  async function stop(p: Proc, signal: NodeJS.Signals): Promise<number | null> {
    const c = p.child;
    if (c.exitCode !== null || c.signalCode !== null) return c.exitCode;
    const exited = new Promise<number | null>((r) => c.once("exit", (code) => r(code)));
    c.kill(signal);
    return exited;
  }

  async function deliver(web: Proc, deliveryId: string, body: string): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${web.port}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": deliveryId,
        "x-hub-signature-256": sign(body, SECRET),
        connection: "close",
      },
      body,
    });
    await res.arrayBuffer();
    expect(res.status, `delivery ${deliveryId}`).toBe(200);
  }

  interface JobDb {
    delivery_id: string;
    repository: string;
    after_sha: string;
    status: string;
    attempts: number;
  }

  const jobs = (): Promise<JobDb[]> =>
    database().query<JobDb>(
      `SELECT j.delivery_id, d.repository, d.after_sha, j.status, j.attempts
       FROM jobs j JOIN deliveries d ON d.id = j.delivery_id ORDER BY j.seq`,
    );

  /** Jobs pg-boss has not finished: created, retry or active (its states before completed). */
  const queueOpen = async (): Promise<number> =>
    Number(
      (await database().query<{ n: string }>("SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state < 'completed'", [JOB_QUEUE]))[0]!.n,
    );

  it(
    "scans and reports every push once, the killed worker's job taken over as attempt 2",
    async () => {
      const started = Date.now();
      const web = await start("web", "web", github.host);
      const workers = await Promise.all(proxies.slice(0, WORKERS).map((p, w) => start(`worker-${w + 1}`, "worker", p.host)));
      const startedMs = Date.now() - started;

      const heldPush = pushes[HELD_PUSH]!;
      expect(heldPush.secrets).toHaveLength(2);
      const held = github.holdNext({ method: "POST", path: `/repos/${heldPush.repo.fullName}/commits/${heldPush.leak}/comments` });
      let killedAt = 0;
      const killing = held.then(async (request) => {
        const victim = workers.find((w) => w.name === request.headers[WORKER_HEADER]);
        if (!victim) throw new Error(`the held request names no worker: ${String(request.headers[WORKER_HEADER])}`);
        const doneBefore = (await jobs()).filter((j) => j.status === "done").length;
        const row = (await jobs()).find((j) => j.delivery_id === heldPush.deliveryId);
        expect(row).toMatchObject({ status: "running", attempts: 1 }); // killed mid-job: the store says so
        expect(await stop(victim, "SIGKILL")).toBeNull();
        killedAt = Date.now();
        const replacement = await start(REPLACEMENT, "worker", proxies[WORKERS]!.host);
        return { victim, replacement, doneBefore };
      });
      killing.catch(() => {}); // awaited below, after the sends

      // The pushes, with repeats: the same delivery id again (inert), the same push under a new id
      // (already processed, or under way: no second job). Some right away, some at the end.
      const sendStarted = Date.now();
      const late: Array<[string, string]> = [];
      for (const p of pushes) {
        await deliver(web, p.deliveryId, p.body);
        if (p.index % 7 === 0) {
          if (p.index % 2 === 0) await deliver(web, p.deliveryId, p.body);
          else late.push([p.deliveryId, p.body]);
        }
        if (p.index % 9 === 0) await deliver(web, `${p.deliveryId}-again`, p.body);
        if (p.index % 9 === 4) late.push([`${p.deliveryId}-late`, p.body]);
      }
      for (const [id, body] of late) await deliver(web, id, body);
      const sendMs = Date.now() - sendStarted;

      const { victim, replacement, doneBefore } = await Promise.race([
        killing,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the held comment was never posted")), FINISH_TIMEOUT_MS)),
      ]);
      await until(
        "every job to finish",
        async () => {
          const all = await jobs();
          return all.length === PUSHES && all.every((j) => j.status === "done" || j.status === "failed") && (await queueOpen()) === 0;
        },
        FINISH_TIMEOUT_MS,
      );
      const finishedMs = Date.now() - sendStarted;
      const takeoverMs = Date.now() - killedAt;

      // SIGTERM: the rest stop gracefully.
      for (const p of [web, replacement, ...workers.filter((w) => w !== victim)]) expect(await stop(p, "SIGTERM"), p.name).toBe(143);

      console.info(
        `fault-postgres: started in ${startedMs} ms, ${PUSHES} pushes sent in ${sendMs} ms, ${victim.name} killed ` +
          `after ${doneBefore} jobs done and replaced, all done ${finishedMs} ms after the first send (${takeoverMs} ms after the kill)`,
      );
      expect(doneBefore).toBeGreaterThanOrEqual(20);

      // The store: one job per push, all done; the held one taken over as attempt 2; no other job ran
      // more than once, except those the killed worker was running beside it.
      const rows = await jobs();
      expect(rows.filter((j) => j.status !== "done")).toEqual([]);
      const byPush = new Map<string, JobDb[]>();
      for (const j of rows) byPush.set(`${j.repository}@${j.after_sha}`, [...(byPush.get(`${j.repository}@${j.after_sha}`) ?? []), j]);
      expect(byPush.size).toBe(PUSHES);
      for (const p of pushes) {
        const mine = byPush.get(`${p.repo.fullName}@${p.after}`) ?? [];
        expect(mine.map((j) => j.delivery_id), `jobs of push ${p.index}`).toEqual([p.deliveryId]);
      }
      const attempts = new Map(rows.map((j) => [j.delivery_id, j.attempts]));
      expect(attempts.get(heldPush.deliveryId)).toBe(2);
      const retaken = rows.filter((j) => j.attempts !== 1);
      expect(retaken.every((j) => j.attempts === 2)).toBe(true);
      expect(retaken.length).toBeLessThanOrEqual(JOB_CONCURRENCY);

      // GitHub: per push one completed check run, with its job's delivery as external_id; per leaked
      // secret one comment on its commit; nothing posted twice.
      for (const p of pushes) {
        const runs = p.repo.checkRunsFor(p.after);
        expect(runs, `check runs of push ${p.index}`).toHaveLength(1);
        expect(runs[0]).toMatchObject({ name: "Crisp Guard", status: "completed", external_id: p.deliveryId });
        // failure: a live key among the findings; neutral: findings, none live (DESIGN.md check runs).
        expect(runs[0]!.conclusion).toBe(p.secrets.some((s) => s.live) ? "failure" : p.secrets.length > 0 ? "neutral" : "success");
        for (const c of p.commits) {
          const comments = p.repo.commitComments.filter((x) => x.commit_id === c);
          if (c !== p.leak) {
            expect(comments, `comments on a clean commit of push ${p.index}`).toEqual([]);
            continue;
          }
          expect(comments, `comments on the leak of push ${p.index}`).toHaveLength(p.secrets.length);
          for (const s of p.secrets) {
            expect(comments.filter((x) => x.body.includes(`<!-- crisp-guard:fingerprint=${s.fingerprint} -->`))).toHaveLength(1);
          }
        }
      }
      const allRuns = [...github.repos.values()].flatMap((r) => r.checkRuns);
      const allComments = [...github.repos.values()].flatMap((r) => r.commitComments);
      expect(allRuns).toHaveLength(PUSHES);
      expect(allComments).toHaveLength(secrets.length);
      expect(github.requestsTo("POST", /\/check-runs$/)).toHaveLength(PUSHES);
      expect(github.requestsTo("POST", /\/commits\/[0-9a-f]{40}\/comments$/)).toHaveLength(secrets.length);

      // Reads: each push's range and commits once, the taken-over ones at most twice, the held one
      // (killed after its reads) exactly twice.
      for (const p of pushes) {
        const compares = github.requestsTo("GET", `/repos/${p.repo.fullName}/compare/${p.before}...${p.after}`).length;
        const attempt = attempts.get(p.deliveryId)!;
        const expected = p === heldPush ? [2] : attempt === 1 ? [1] : [1, 2];
        expect(expected, `compare reads of push ${p.index} (attempt ${attempt})`).toContain(compares);
        for (const c of p.commits) {
          const reads = github.requestsTo("GET", `/repos/${p.repo.fullName}/commits/${c}`).length;
          expect(expected, `reads of commit ${c.slice(0, 12)} of push ${p.index}`).toContain(reads);
        }
      }
      // The first attempt was the victim's; the take-over was another worker's.
      const heldReads = github.requestsTo("GET", `/repos/${heldPush.repo.fullName}/compare/${heldPush.before}...${heldPush.after}`);
      expect(heldReads.map((r) => r.headers[WORKER_HEADER])[0]).toBe(victim.name);
      expect(heldReads.map((r) => r.headers[WORKER_HEADER])[1]).not.toBe(victim.name);

      // Never the raw key: not in any process's output, GitHub's request bodies, or the database.
      const dump = database().dump();
      expect(dump).toContain(heldPush.deliveryId); // the dump holds the store
      for (const s of secrets) {
        for (const p of procs) expect(holdsRaw(p.output.join(""), s.kp), `${p.name}'s output`).toBe(false);
        for (const r of github.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), s.kp)).toBe(false);
        expect(holdsRaw(dump, s.kp), "the database dump").toBe(false);
      }
      expect(crisp.requests.length).toBeGreaterThan(0);
    },
    // Start ~5 s, sending ~5 s, take-over 10 to 16 s, the rest, stopping: well under this on 2 cores.
    180_000,
  );
});
