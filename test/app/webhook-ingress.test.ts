// The ingress on its own, on a plain HTTP server on 127.0.0.1: the answers to what is not a
// well-formed delivery, the shared budget of bytes being read, and a handler that throws.
import { createServer, type Server } from "node:http";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWebhookIngress, type WebhookIngressOptions } from "../../src/app/webhook-ingress.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { WEBHOOK_PATH, postWebhook, pushHeaders, sign } from "./serve-helpers.js";

// Loopback only: the ingress under test listens on 127.0.0.1.
beforeAll(() => nock.enableNetConnect("127.0.0.1"));

const SECRET = "unit-secret";
let server: Server | null = null;
let lines: Array<Record<string, unknown>> = [];

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
  lines = [];
});

async function start(options: Partial<WebhookIngressOptions> = {}): Promise<number> {
  const ingress = createWebhookIngress({
    path: WEBHOOK_PATH,
    verify: async (body, signature) => sign(body, SECRET) === signature,
    receive: () => ({ accepted: true }),
    log: { info: (o, msg) => lines.push({ ...o, msg }), warn: (o, msg) => lines.push({ ...o, msg, level: "warn" }) },
    ...options,
  });
  server = createServer((req, res) => {
    void ingress(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

function get(port: number, path: string, method = "GET"): Promise<number> {
  return fetch(`http://127.0.0.1:${port}${path}`, { method }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });
}

describe("the webhook ingress", () => {
  it("leaves other paths alone and answers the webhook path only to a POST", async () => {
    const port = await start();
    expect(await get(port, "/ping")).toBe(404);
    expect(await get(port, `${WEBHOOK_PATH}/`)).toBe(405);
    expect(lines).toEqual([expect.objectContaining({ msg: "webhook rejected", status: 405 })]);
  });

  it("refuses a delivery without its headers, or not JSON, each with one line", async () => {
    const port = await start();
    const body = "{}";
    const sig = sign(body, SECRET);
    const cases: Array<[Record<string, string>, number]> = [
      [{ "x-github-event": "push", "x-github-delivery": "d-1" }, 400],
      [{ "x-github-event": "push", "x-hub-signature-256": sig }, 400],
      [{ ...pushHeaders("d-3", sig), "content-type": "application/x-www-form-urlencoded" }, 415],
      [{ ...pushHeaders("bad id with spaces", sig) }, 400],
    ];
    for (const [headers, status] of cases) {
      expect((await postWebhook(port, { headers, body })).status, JSON.stringify(headers)).toBe(status);
    }
    expect(lines.map((l) => l.status)).toEqual([400, 400, 415, 400]);
    expect(lines[0]).toMatchObject({ deliveryId: "d-1", event: "push", reason: "missing X-Hub-Signature-256" });
    // A header that is not an id is not echoed into the log.
    expect(lines[3]).toMatchObject({ deliveryId: "(none)" });
    expect((await postWebhook(port, { headers: pushHeaders("d-5", sig), body })).status).toBe(200);
  });

  it("refuses a body while the bytes other bodies hold would pass the shared budget (503)", async () => {
    const port = await start({ maxBodyBytes: 1000, maxBufferedBytes: 1200 });
    const chunk = Buffer.alloc(450, "a");
    // A: 450 bytes now, 450 more after a pause. B, in the pause, brings 900: 1350 held together.
    const a = postWebhook(port, { headers: pushHeaders("a", sign("x", SECRET)), chunk, chunks: 2, pauseMs: 600 });
    await new Promise((r) => setTimeout(r, 150));
    const b = postWebhook(port, { headers: pushHeaders("b", sign("x", SECRET)), chunk: Buffer.alloc(900, "b"), chunks: 1 });
    const [ra, rb] = await Promise.all([a, b]);
    expect(rb.status).toBe(503);
    expect(ra.status).toBe(401); // read whole, then judged
    // Once A is judged its bytes are handed back: the same body as B is read again.
    const c = await postWebhook(port, { headers: pushHeaders("c", sign("x", SECRET)), chunk: Buffer.alloc(900, "c"), chunks: 1 });
    expect(c.status).toBe(401);
    expect(lines.map((l) => `${String(l.deliveryId)} ${String(l.status)}`).sort()).toEqual(["a 401", "b 503", "c 401"]);
  });

  it("a handler that throws: 500, one line, and what the error quotes is scrubbed", async () => {
    const kp = randomKeypair();
    const port = await start({
      receive: () => {
        throw new Error(`store failed on ${kp.identifier}:${kp.key}`);
      },
    });
    const body = '{"zen":"x"}';
    const answer = await postWebhook(port, { headers: pushHeaders("boom", sign(body, SECRET)), body });
    expect(answer.status).toBe(500);
    expect(lines).toEqual([expect.objectContaining({ deliveryId: "boom", status: 500, reason: expect.stringMatching(/^the handler failed: store failed on/) })]);
    expect(holdsRaw(JSON.stringify(lines), kp)).toBe(false);
    expect(holdsRaw(answer.body, kp)).toBe(false);
  });
});

describe("a body that does not arrive in time", () => {
  it("is refused 408 once the time is up (GitHub itself gives up after 10 s), with one line", async () => {
    const port = await start({ bodyTimeoutMs: 200 });
    const answer = await postWebhook(port, { headers: pushHeaders("slowloris", sign("x", SECRET)), chunk: Buffer.from('{"a":'), chunks: 2, pauseMs: 1_000 });
    expect(answer.status).toBe(408);
    expect(lines).toEqual([expect.objectContaining({ deliveryId: "slowloris", status: 408 })]);
  });
});
