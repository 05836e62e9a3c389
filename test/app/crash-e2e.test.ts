// Exactly once, across crashes: the real server (dist/cli/main.js serve) runs as a child process and
// is killed with SIGKILL while one of its writes is in flight: the fake GitHub (or the fake webhook
// receiver) performs the write and holds the answer. The server is then started again on the same
// SQLite database; it resumes the unfinished job. Nothing may be written twice.
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DELIVERY_HEADER } from "../../src/rotate/webhook.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { freePort, killChild, serveEnv, sign, spawnServer, waitUntil } from "./serve-helpers.js";

const SECRET = "crash-webhook-secret";
const MAIN = resolve("dist/cli/main.js");
const DELIVERY = "delivery-crash-1";

interface Receiver {
  url: string;
  /** Every request, in order, with its headers. */
  received: IncomingHttpHeaders[];
  /** Answers nothing to the next request (the app dies while it waits); resolves when it arrived. */
  holdNext(): Promise<void>;
  close(): Promise<void>;
}

/** The operator's webhook endpoint: records each delivery, answers 200 unless told to hold. */
async function startReceiver(): Promise<Receiver> {
  const received: IncomingHttpHeaders[] = [];
  const holds: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push(req.headers);
      const hold = holds.shift();
      if (hold) return hold();
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    holdNext: () => new Promise((r) => holds.push(r)),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let dir: string;
let github: FakeGitHub;
let crisp: FakeCrisp;
let receiver: Receiver;
let child: ChildProcess | null = null;
let output: string[] = [];
const kp = randomKeypair();

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
  nock.enableNetConnect("127.0.0.1");
});
beforeEach(async () => {
  dir = tempDir("crisp-guard-crash-");
  github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  crisp = await startFakeCrisp([{ identifier: kp.identifier, key: kp.key, tier: "plugin", pluginId: "plug-1" }]);
  receiver = await startReceiver();
  output = [];
});
afterEach(async () => {
  await kill();
  await github.close();
  await crisp.close();
  await receiver.close();
});

async function kill(): Promise<void> {
  const c = child;
  child = null;
  await killChild(c);
}

const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> =>
  waitUntil(what, check, output, timeoutMs);

/** Starts `crisp-guard serve` in a child process on the test's database; resolves once it listens. */
async function startApp(rotators: string[], vars: Record<string, string> = {}): Promise<number> {
  const config = join(dir, "server.yml");
  writeFileSync(
    config,
    [
      "rotators:",
      "  github-issue: {}",
      `  webhook: { url: "${receiver.url}", secret: "hook-secret", retries: 0, timeoutMs: 60000 }`,
      `defaults: { rotate: { when: live, rotators: [${rotators.join(", ")}] } }`,
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const env = serveEnv({
    secret: SECRET,
    githubHost: github.host,
    crispUrl: crisp.url,
    dir,
    port,
    extra: { CRISP_GUARD_CONFIG: config, LOG_LEVEL: "info", PATH: process.env.PATH ?? "", ...vars },
  });
  child = await spawnServer(MAIN, { env, cwd: dir, port, output });
  return port;
}

async function push(port: number, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": DELIVERY,
      "x-hub-signature-256": sign(body, SECRET),
      connection: "close",
    },
    body,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

function db<T>(read: (d: Database.Database) => T): T {
  const d = new Database(join(dir, "crisp-guard.db"), { readonly: true, fileMustExist: true });
  try {
    return read(d);
  } finally {
    d.close();
  }
}

const jobStatus = (): string | undefined =>
  db((d) => d.prepare("SELECT status FROM jobs WHERE delivery_id = ?").pluck().get(DELIVERY) as string | undefined);

function leakyRepo(): { repo: FakeRepo; leak: string; payload: Record<string, unknown> } {
  const repo = github.repo("acme/web");
  const root = repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" });
  const leak = repo.addCommit({
    files: { "config/.env": `# Crisp\nCRISP_TIER=plugin\nCRISP_IDENTIFIER=${kp.identifier}\nCRISP_KEY=${kp.key}\n` },
    message: "add crisp",
  });
  return { repo, leak, payload: repo.pushPayload({ before: root, after: leak }) };
}

/** Restarts the app on the same database and waits for the resumed job to finish. */
async function restartAndFinish(rotators: string[]): Promise<void> {
  await kill();
  expect(jobStatus()).toBe("running"); // killed mid-job: the store says so
  await startApp(rotators);
  await until("the resumed job to finish", () => jobStatus() === "done" || jobStatus() === "failed");
  expect(jobStatus()).toBe("done");
}

/** What every window must leave: one of each, and never the key anywhere. */
function expectOnce(repo: FakeRepo, leak: string, o: { issue: boolean }): void {
  expect(repo.commitComments.filter((c) => c.commit_id === leak)).toHaveLength(1);
  const runs = repo.checkRunsFor(leak).filter((r) => r.name === "Crisp Guard");
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: "completed", conclusion: "failure", external_id: DELIVERY });
  expect(runs[0]!.annotations).toHaveLength(1);
  if (o.issue) {
    expect(repo.issues).toHaveLength(1);
    expect(repo.issues[0]!.comments).toEqual([]); // no "found again in a push" for its own push
  }
  const ids = receiver.received.map((h) => h[DELIVERY_HEADER.toLowerCase()]);
  expect(ids.length).toBeGreaterThanOrEqual(1);
  expect(ids.length).toBeLessThanOrEqual(2);
  expect(new Set(ids).size).toBe(1); // a repeat carries the same id: the receiver can drop it
  // Rotated once: one record per rotator in the store.
  const rotations = db((d) => d.prepare("SELECT rotator, status FROM rotations ORDER BY rotator").all());
  expect(rotations).toEqual(
    (o.issue ? ["github-issue", "webhook"] : ["webhook"]).map((rotator) => ({ rotator, status: "requested" })),
  );

  expect(holdsRaw(output.join(""), kp)).toBe(false);
  for (const r of github.requests) expect(holdsRaw(JSON.stringify(r.body ?? ""), kp)).toBe(false);
  for (const f of readdirSync(dir).filter((f) => f.startsWith("crisp-guard.db"))) {
    expect(holdsRaw(readFileSync(join(dir, f)).toString("latin1"), kp)).toBe(false);
  }
}

describe("killed with SIGKILL while a write is in flight, then restarted on the same database", () => {
  it("the webhook rotator's POST: sent again with the same X-Crisp-Guard-Delivery", async () => {
    const { repo, leak, payload } = leakyRepo();
    const port = await startApp(["webhook"]);
    const held = receiver.holdNext();
    await push(port, payload);
    await held;
    await restartAndFinish(["webhook"]);

    expect(receiver.received).toHaveLength(2); // the outcome was unknown: retried once
    expectOnce(repo, leak, { issue: false });
  });

  it("POST /issues (GitHub opened the issue): one issue, no \"found again\" comment, the webhook not repeated with a new id", async () => {
    const { repo, leak, payload } = leakyRepo();
    const port = await startApp(["webhook", "github-issue"]);
    const held = github.holdNext({ method: "POST", path: "/repos/acme/web/issues" });
    await push(port, payload);
    await held;
    // The webhook (side by side with the issue) has been answered; give the app time to record it.
    await until("the webhook delivery", () => receiver.received.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    await restartAndFinish(["webhook", "github-issue"]);

    expectOnce(repo, leak, { issue: true });
    expect(repo.issues[0]!.body).toContain("<!-- crisp-guard:fingerprint=");
  });

  it("POST /check-runs (GitHub created the run): one \"Crisp Guard\" run, with the delivery as external_id", async () => {
    const { repo, leak, payload } = leakyRepo();
    const port = await startApp(["webhook", "github-issue"]);
    const held = github.holdNext({ method: "POST", path: "/repos/acme/web/check-runs" });
    await push(port, payload);
    await held;
    await restartAndFinish(["webhook", "github-issue"]);

    expectOnce(repo, leak, { issue: true });
    expect(receiver.received).toHaveLength(1); // rotation was recorded before the check run
  });

  it("POST /commits/{sha}/comments (GitHub made the comment): one commit comment", async () => {
    const { repo, leak, payload } = leakyRepo();
    const port = await startApp(["webhook", "github-issue"]);
    const held = github.holdNext({ method: "POST", path: `/repos/acme/web/commits/${leak}/comments` });
    await push(port, payload);
    await held;
    await restartAndFinish(["webhook", "github-issue"]);

    expectOnce(repo, leak, { issue: true });
  });
});

describe("stopped with SIGTERM while a write is in flight", () => {
  it("the running job gets its grace period, then is left to the next start: exit 143 in time, resumed and reported once", async () => {
    const { repo, leak, payload } = leakyRepo();
    const port = await startApp(["webhook"], { CRISP_GUARD_SHUTDOWN_GRACE_SECONDS: "1" });
    const held = github.holdNext({ method: "POST", path: "/repos/acme/web/check-runs" });
    await push(port, payload);
    await held;
    const c = child!;
    const exited = new Promise<number | null>((r) => c.once("exit", (code) => r(code)));
    const stopping = Date.now();
    c.kill("SIGTERM");
    expect(await exited).toBe(143);
    // The grace period (1 s) and the pools' bound, not the held request's (never answered).
    expect(Date.now() - stopping).toBeLessThan(8_000);
    expect(output.join("")).toContain("SIGTERM: stopping");
    child = null;
    expect(jobStatus()).toBe("running");

    await startApp(["webhook"]);
    await until("the resumed job to finish", () => jobStatus() === "done" || jobStatus() === "failed");
    expect(jobStatus()).toBe("done");
    expectOnce(repo, leak, { issue: false });
  });
});
