// The webhook endpoint under attack, as the attacks were made: the real server (`crisp-guard serve`,
// and `probot run ./dist/app/index.js` as `npm start` runs it) over HTTP on 127.0.0.1, deliveries
// forged, mis-signed, oversized, malformed, or naming a repository `..`; GitHub is the fake GHE.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES } from "../../src/app/webhook-body.js";
import type { ServeHandle } from "../../src/cli/serve.js";
import { startFakeCrisp, type FakeCrisp } from "../helpers/fake-crisp.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { freePort, logRecords, postWebhook, pushHeaders, serveCapturing, serveEnv, sign } from "./serve-helpers.js";

const SECRET = "rotated-webhook-secret";
const OLD_SECRET = "the-secret-before-rotation";
const MB = 1024 * 1024;

let dir: string;
let github: FakeGitHub;
let crisp: FakeCrisp;
let handle: ServeHandle | null;
let logs: string[];

beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  dir = tempDir("crisp-guard-ingress-");
  github = await startFakeGitHub({ repos: [{ owner: "acme", repo: "web" }] });
  crisp = await startFakeCrisp([]);
  logs = [];
  handle = null;
});
afterEach(async () => {
  await handle?.stop();
  await github.close();
  await crisp.close();
});

function env(port: number): Record<string, string> {
  return serveEnv({ secret: SECRET, githubHost: github.host, crispUrl: crisp.url, dir, port });
}

async function serve(): Promise<number> {
  const port = await freePort();
  handle = await serveCapturing(env(port), logs, { level: "debug" });
  return port;
}

/** A real push whose commit message quotes a keypair (GitHub puts commit messages in the payload). */
function pushQuotingKeypair(kp: { identifier: string; key: string }): Record<string, unknown> {
  const repo = github.repo("acme/web");
  const root = repo.addCommit({ files: { "README.md": "# web\n" }, message: "init" });
  const after = repo.addCommit({
    files: { "README.md": "# web\nchat support\n" },
    message: `add crisp chat\n\nCRISP_TOKEN_IDENTIFIER=${kp.identifier}\nCRISP_TOKEN_KEY=${kp.key}`,
  });
  return repo.pushPayload({ before: root, after });
}

function rejections(records: Array<Record<string, unknown>>, deliveryId: string): Array<Record<string, unknown>> {
  return records.filter((r) => r.msg === "webhook rejected" && r.deliveryId === deliveryId);
}

/** Everything the log says about a delivery, the access log line aside (method, URL, status, headers). */
function linesAbout(records: Array<Record<string, unknown>>, deliveryId: string): Array<Record<string, unknown>> {
  return records.filter((r) => r.name !== "http" && JSON.stringify(r).includes(deliveryId));
}

describe("a push signed with the wrong secret (WEBHOOK_SECRET rotated)", () => {
  it("crisp-guard serve: 401, one warning line (delivery, event, reason), nothing of the payload", async () => {
    const kp = randomKeypair();
    const body = JSON.stringify(pushQuotingKeypair(kp));
    const port = await serve();

    const answer = await postWebhook(port, { headers: pushHeaders("rotated-1", sign(body, OLD_SECRET)), body });
    await handle!.stop();
    handle = null;

    const records = logRecords(logs);
    expect(holdsRaw(logs.join("\n"), kp)).toBe(false);
    expect(logs.join("\n")).not.toContain("add crisp chat");
    expect(records.filter((r) => Number(r.level) >= 50)).toEqual([]);
    expect(linesAbout(records, "rotated-1")).toEqual([
      expect.objectContaining({ level: 40, msg: "webhook rejected", deliveryId: "rotated-1", event: "push", status: 401, reason: expect.stringMatching(/signature/) }),
    ]);
    expect(github.requests).toEqual([]);
    expect(answer.status).toBe(401);
  });
});

describe("npm start (probot run ./dist/app/index.js)", () => {
  let child: ChildProcess | null = null;
  let output = "";
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    child = null;
  });

  async function probotRun(): Promise<{ port: number; pid: number }> {
    const port = await freePort();
    output = "";
    const root = new URL("../../", import.meta.url).pathname;
    child = spawn(process.execPath, [join(root, "node_modules/probot/bin/probot.js"), "run", join(root, "dist/app/index.js")], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...env(port), LOG_FORMAT: "json", LOG_LEVEL: "debug" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes("Listening on")) {
          clearInterval(timer);
          resolve();
        } else if (child!.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`probot run exited: ${output}`));
        }
      }, 25);
    });
    return { port, pid: child.pid! };
  }

  /** Peak resident memory of the process so far (Linux), in bytes. */
  function peakRss(pid: number): number {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return Number(m![1]) * 1024;
  }

  it("a mis-signed push: 401 and one line; a forged 100 MB body: 413, read no further than the cap", async () => {
    const kp = randomKeypair();
    const body = JSON.stringify(pushQuotingKeypair(kp));
    const { port, pid } = await probotRun();

    const answer = await postWebhook(port, { headers: pushHeaders("rotated-2", sign(body, OLD_SECRET)), body });
    expect(answer.status).toBeGreaterThanOrEqual(400);

    // A chunked body (no Content-Length) of 100 MB: counted while streaming, refused at the cap.
    const before = existsSync(`/proc/${pid}/status`) ? peakRss(pid) : null;
    const marker = Buffer.from(`${kp.key}-${"BODYBYTES".repeat(7000)}`);
    const big = await postWebhook(port, { headers: pushHeaders("huge-1", sign("x", OLD_SECRET)), chunk: marker, chunks: Math.ceil((100 * MB) / marker.length) });
    if (before !== null) {
      // The cap bounds what is held: far below the 100 MB sent (Probot's middleware held it all, ~6x).
      expect(peakRss(pid) - before).toBeLessThan(GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES + 40 * MB);
    }
    await new Promise((r) => setTimeout(r, 200)); // let the log flush

    const records = logRecords([output]);
    expect(holdsRaw(output, kp)).toBe(false);
    expect(output).not.toContain("BODYBYTES");
    expect(records.filter((r) => Number(r.level) >= 50)).toEqual([]);
    expect(linesAbout(records, "rotated-2")).toEqual([expect.objectContaining({ msg: "webhook rejected", event: "push", status: 401 })]);
    expect(linesAbout(records, "huge-1")).toEqual([expect.objectContaining({ msg: "webhook rejected", event: "push", status: 413 })]);
    expect(github.requests).toEqual([]);
    expect(answer.status).toBe(401);
    expect(big.status).toBe(413);
  }, 60_000);
});

describe("the body cap (GitHub delivers at most 25 MB)", () => {
  it("a Content-Length over the cap is refused 413 on the header alone", async () => {
    const port = await serve();
    const chunk = Buffer.alloc(MB, "a");
    const answer = await postWebhook(port, {
      headers: pushHeaders("declared-big", sign("x", SECRET)),
      contentLength: 50 * MB,
      chunk,
      chunks: 50,
    });
    expect(answer.status).toBe(413);
    expect(rejections(logRecords(logs), "declared-big")).toEqual([expect.objectContaining({ status: 413, reason: expect.stringContaining(String(GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES)) })]);
  });

  it("a body of exactly the cap, correctly signed, is read and judged (not refused for its size)", async () => {
    const port = await serve();
    const head = '{"zen":"';
    const body = `${head}${"z".repeat(GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES - head.length - 2)}"}`;
    expect(Buffer.byteLength(body)).toBe(GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES);
    const answer = await postWebhook(port, { headers: { ...pushHeaders("at-cap", sign(body, SECRET)), "x-github-event": "ping" }, body });
    expect(answer.status).toBe(200);
  }, 30_000);

  it("parallel large forged bodies: never a 2xx, and the log holds no body bytes", async () => {
    const port = await serve();
    const filler = Buffer.from("FORGEDBODY".repeat(100_000)); // 1 MB
    const results = await Promise.all([
      // Under the cap: read whole, then refused for the signature.
      ...[1, 2, 3].map((i) => postWebhook(port, { headers: pushHeaders(`par-${i}`, sign("x", OLD_SECRET)), chunk: filler, chunks: 20 })),
      // Over the cap, chunked: refused at the cap.
      ...[4, 5, 6].map((i) => postWebhook(port, { headers: pushHeaders(`par-${i}`, sign("x", OLD_SECRET)), chunk: filler, chunks: 60 })),
    ]);
    // 503: the bodies being read together passed the shared budget (MAX_BUFFERED_WEBHOOK_BYTES).
    for (const r of results.slice(0, 3)) expect([401, 503]).toContain(r.status);
    for (const r of results.slice(3)) expect([413, 503]).toContain(r.status);
    expect(results.filter((r) => r.status === 401)).not.toHaveLength(0);
    expect(logs.join("\n")).not.toContain("FORGEDBODY");
    const records = logRecords(logs);
    for (let i = 1; i <= 6; i++) expect(linesAbout(records, `par-${i}`), `par-${i}`).toHaveLength(1);
  }, 60_000);

  it("a forged body sent slowly is not answered 2xx while it is still arriving", async () => {
    // Probot's middleware answered 202 "still processing" after 9 s, whatever the signature.
    const port = await serve();
    const answer = await postWebhook(port, {
      headers: pushHeaders("slow-1", sign("x", OLD_SECRET)),
      chunk: Buffer.from("s".repeat(1000)),
      chunks: 2,
      pauseMs: 9_500,
    });
    // 401 once the body is in; 408 if it came in after GitHub's own 10 s (a loaded machine).
    expect([401, 408]).toContain(answer.status);
  }, 30_000);
});

describe("correctly signed but malformed payloads", () => {
  it.each([
    ["null", "null"],
    ["a string", '"str"'],
    ["a number", "42"],
    ["an array", "[]"],
    ["invalid JSON", '{"ref": '],
  ])("%s: 400 with one line", async (_what, body) => {
    const port = await serve();
    const answer = await postWebhook(port, { headers: pushHeaders("malformed-1", sign(body, SECRET)), body });
    expect(answer.status).toBe(400);
    const records = logRecords(logs);
    expect(records.filter((r) => Number(r.level) >= 50)).toEqual([]);
    expect(linesAbout(records, "malformed-1")).toEqual([expect.objectContaining({ msg: "webhook rejected", status: 400, event: "push" })]);
  });
});

describe("hostile repository names in a correctly signed push", () => {
  it.each([
    ["repository", (p: Record<string, unknown>) => ({ ...p, repository: { ...(p.repository as object), name: ".." } })],
    ["owner", (p: Record<string, unknown>) => {
      const repository = p.repository as Record<string, unknown>;
      return { ...p, repository: { ...repository, owner: { ...(repository.owner as object), login: "..", name: ".." } } };
    }],
  ])("%s '..': 400, no request to GitHub, nothing recorded", async (_what, hostile) => {
    const repo = github.repo("acme/web");
    const root = repo.addCommit({ files: { "a.txt": "a\n" }, message: "init" });
    const after = repo.addCommit({ files: { "a.txt": "b\n" }, message: "change" });
    const body = JSON.stringify(hostile(repo.pushPayload({ before: root, after })));
    const port = await serve();

    const answer = await postWebhook(port, { headers: pushHeaders("dotdot-1", sign(body, SECRET)), body });
    expect(answer.status).toBe(400);
    await handle!.guard!.idle();
    expect(github.requests).toEqual([]);
    expect(linesAbout(logRecords(logs), "dotdot-1")).toEqual([
      expect.objectContaining({ msg: "webhook rejected", status: 400, reason: expect.stringMatching(/not a GitHub (repository|account) name/) }),
    ]);
  });
});
