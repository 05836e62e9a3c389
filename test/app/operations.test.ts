// What an operator's orchestrator talks to: /healthz and /readyz, and the worker role's refusal of
// webhooks. Also the GitHub writes of two processes sharing one store, serialized per installation.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterEach, beforeAll, expect, it } from "vitest";
import { createContentQueues } from "../../src/app/content-queue.js";
import { createHealthHandler } from "../../src/app/health.js";
import type { IngressHandler } from "../../src/app/webhook-ingress.js";
import { forEachStore } from "../helpers/stores.js";
import { handlePush } from "../../src/app/push-handler.js";
import { fixture } from "./harness.js";

let server: Server | null = null;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function serve(handler: IngressHandler): Promise<string> {
  server = createServer((req, res) => {
    void handler(req, res).then((answered) => {
      if (!answered) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it("/healthz answers while the process runs; /readyz is 503 and names the check when a dependency fails or hangs", async () => {
  let storeUp = true;
  const url = await serve(
    createHealthHandler({
      role: "web",
      timeoutMs: 100,
      checks: {
        store: async () => {
          if (!storeUp) throw new Error("connect ECONNREFUSED 10.0.0.5:5432 user=guard");
        },
        queue: () => new Promise<void>((r) => setTimeout(r, 10)),
      },
    }),
  );
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok", role: "web" });
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", role: "web", checks: { store: "ok", queue: "ok" } });

  storeUp = false;
  const down = await fetch(`${url}/readyz`);
  expect(down.status).toBe(503);
  const body = await down.text();
  expect(JSON.parse(body)).toEqual({ status: "not ready", role: "web", checks: { store: "failed", queue: "ok" } });
  // Unauthenticated: the error's host and user stay in the process.
  expect(body).not.toContain("10.0.0.5");

  const hung = await serve(createHealthHandler({ role: "worker", timeoutMs: 50, checks: { store: () => new Promise(() => {}) } }));
  const started = Date.now();
  expect((await fetch(`${hung}/readyz`)).status).toBe(503);
  expect(Date.now() - started).toBeLessThan(2_000);
  expect((await fetch(`${hung}/readyz`, { method: "POST" })).status).toBe(405);
  expect((await fetch(`${hung}/other`)).status).toBe(404);
});

forEachStore((backend) => {
  it("a job the queue refuses is failed in the store, so a redelivery queues it again; GitHub sees no database detail", async () => {
    const store = await (await backend.fresh()).open();
    const payload = fixture("push.fast-forward.json");
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    const down = { enqueue: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 (user "crisp_guard")')) };
    const error = await handlePush({ id: "q-1", payload }, { store, jobs: down, log }).then(
      () => "",
      (e: unknown) => (e as Error).message,
    );
    expect(error).toMatch(/the job queue is unavailable/);
    expect(error).not.toContain("10.0.0.5");
    expect(await store.getJob("q-1")).toMatchObject({ status: "failed", error: expect.stringContaining("could not queue the job") as unknown });

    const sent: string[] = [];
    const up = { enqueue: async (id: string) => void sent.push(id) };
    expect(await handlePush({ id: "q-1", payload }, { store, jobs: up, log })).toEqual({ outcome: "retried" });
    expect(sent).toEqual(["q-1"]);
    expect(await store.getJob("q-1")).toMatchObject({ status: "queued" });
  });

  it("two processes' writes for one installation never overlap; other installations go side by side", async () => {
    const place = await backend.fresh();
    const [a, b] = [await place.open(), await place.open()];
    const queues = [createContentQueues({ shared: a }), createContentQueues({ shared: b })];
    let inFlight = 0;
    let peak = 0;
    const write = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => queues[i % 2]!.run(7, write)));
    expect(peak).toBe(1);

    peak = 0;
    await Promise.all([queues[0]!.run(7, write), queues[1]!.run(8, write)]);
    expect(peak).toBe(2);
  });
});
