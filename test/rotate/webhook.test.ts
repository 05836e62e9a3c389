import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WebhookSettings } from "../../src/rotate/server-config.js";
import { signBody, verifySignature, webhookRotator } from "../../src/rotate/webhook.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { makeLeak } from "./leak.js";

const SECRET = "test-webhook-secret";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
  signatureOk: boolean;
}

type Handler = (req: Received, res: ServerResponse, n: number) => void;

let server: Server;
let base: string;
let handler: Handler;
let received: Received[];

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  server = createServer((req, res) => {
    // No keep-alive: afterEach drops hung connections, and a pooled dead socket would cost a retry.
    res.setHeader("Connection", "close");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      // The receiver's side of the contract: verify the signature over the raw body.
      const header = req.headers["x-crisp-guard-signature-256"];
      const r = { headers: req.headers, body, signatureOk: verifySignature(body, SECRET, header as string | undefined) };
      received.push(r);
      handler(r, res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  received = [];
  server.closeAllConnections();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

received = [];

function settings(over: Partial<WebhookSettings> = {}): WebhookSettings {
  return { url: `${base}/hook`, secret: SECRET, includeKeypair: false, timeoutMs: 2_000, retries: 2, ...over };
}

const noWait = { retryDelaysMs: [0] };
const signal = () => new AbortController().signal;

describe("webhook rotator", () => {
  it("POSTs the signed event; 2xx means requested; no raw key unless included", async () => {
    handler = (_r, res) => res.writeHead(202).end();
    const { leak, raw } = makeLeak();
    const outcome = await webhookRotator(settings(), noWait).rotate(leak, signal());

    expect(outcome).toEqual({ status: "requested", detail: `webhook 127.0.0.1:${new URL(base).port} accepted the leak (HTTP 202)` });
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.signatureOk).toBe(true);
    expect(r.headers["x-crisp-guard-signature-256"]).toBe(signBody(r.body, SECRET));
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers["user-agent"]).toBe("crisp-guard-webhook/1");
    expect(r.headers["x-crisp-guard-event"]).toBe("leak");
    expect(holdsRaw(r.body, raw)).toBe(false);

    const event = JSON.parse(r.body);
    expect(event).toEqual({
      event: "crisp-guard.leak",
      version: 1,
      fingerprint: leak.fingerprint,
      identifier: leak.keypair.redactedIdentifier,
      keyHint: leak.keypair.keyHint,
      tier: "website",
      websiteId: leak.websiteId,
      verification: leak.verification,
      occurrences: [
        {
          path: "config/crisp.env",
          line: 3,
          column: 14,
          commit: "a".repeat(40),
          encoding: "plain",
          url: `https://github.com/acme/widgets/blob/${"a".repeat(40)}/config/crisp.env#L3`,
          commitUrl: `https://github.com/acme/widgets/commit/${"a".repeat(40)}`,
        },
        {
          path: "src/app (old).js",
          line: 12,
          column: 1,
          commit: "b".repeat(40),
          encoding: "base64",
          url: `https://github.com/acme/widgets/blob/${"b".repeat(40)}/src/app%20%28old%29.js#L12`,
          commitUrl: `https://github.com/acme/widgets/commit/${"b".repeat(40)}`,
        },
      ],
      repository: { owner: "acme", repo: "widgets", fullName: "acme/widgets", url: "https://github.com/acme/widgets" },
      pusher: "octocat",
    });
    expect(event).not.toHaveProperty("keypair");
  });

  it("includes the raw keypair only when includeKeypair is set", async () => {
    handler = (_r, res) => res.writeHead(200).end();
    const { leak, raw } = makeLeak();
    await webhookRotator(settings({ includeKeypair: true }), noWait).rotate(leak, signal());
    expect(JSON.parse(received[0]!.body).keypair).toEqual(raw);
  });

  it("a receiver with the wrong secret rejects the signature", async () => {
    handler = (_r, res) => res.writeHead(200).end();
    const { leak } = makeLeak();
    await webhookRotator(settings({ secret: "not-the-receivers-secret" }), noWait).rotate(leak, signal());
    expect(received[0]!.signatureOk).toBe(false);
    expect(verifySignature(received[0]!.body, SECRET, undefined)).toBe(false);
    expect(verifySignature(received[0]!.body + " ", "not-the-receivers-secret", received[0]!.headers["x-crisp-guard-signature-256"] as string)).toBe(false);
  });

  it("takes the url from a JSON reply, only if it is http(s)", async () => {
    handler = (_r, res) => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ url: "https://tickets.example/SEC-1" }));
    const { leak } = makeLeak();
    expect((await webhookRotator(settings(), noWait).rotate(leak, signal())).url).toBe("https://tickets.example/SEC-1");
    handler = (_r, res) => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ url: "javascript:alert(1)" }));
    expect(await webhookRotator(settings(), noWait).rotate(leak, signal())).not.toHaveProperty("url");
  });

  it("retries on 5xx with the same delivery id, then succeeds", async () => {
    handler = (_r, res, n) => res.writeHead(n < 3 ? 503 : 200).end();
    const { leak } = makeLeak();
    const outcome = await webhookRotator(settings({ retries: 2 }), noWait).rotate(leak, signal());
    expect(outcome.status).toBe("requested");
    expect(received).toHaveLength(3);
    const ids = new Set(received.map((r) => r.headers["x-crisp-guard-delivery"]));
    expect(ids.size).toBe(1);
    expect(received.every((r) => r.signatureOk)).toBe(true);
  });

  it("gives up after retries and says why", async () => {
    handler = (_r, res) => res.writeHead(500).end();
    const { leak } = makeLeak();
    const outcome = await webhookRotator(settings({ retries: 1 }), noWait).rotate(leak, signal());
    expect(outcome).toEqual({ status: "failed", detail: `webhook 127.0.0.1:${new URL(base).port}: HTTP 500 (2 attempts)` });
    expect(received).toHaveLength(2);
  });

  it("does not retry a 4xx", async () => {
    handler = (_r, res) => res.writeHead(401).end();
    const { leak } = makeLeak();
    const outcome = await webhookRotator(settings(), noWait).rotate(leak, signal());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toContain("HTTP 401");
    expect(received).toHaveLength(1);
  });

  it("does not follow a redirect", async () => {
    handler = (_r, res, n) => (n === 1 ? res.writeHead(307, { location: `${base}/elsewhere` }).end() : res.writeHead(200).end());
    const { leak } = makeLeak();
    const outcome = await webhookRotator(settings(), noWait).rotate(leak, signal());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toContain("HTTP 307 redirect not followed");
    expect(received).toHaveLength(1);
  });

  it("times out a receiver that does not answer, and retries", async () => {
    handler = () => undefined; // never answers
    const { leak } = makeLeak();
    const outcome = await webhookRotator(settings({ timeoutMs: 150, retries: 1 }), noWait).rotate(leak, signal());
    expect(outcome).toEqual({ status: "failed", detail: `webhook 127.0.0.1:${new URL(base).port}: timed out after 150 ms (2 attempts)` });
    expect(received).toHaveLength(2);
  });

  it("retries a network error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { leak } = makeLeak();
    const outcome = await webhookRotator(settings({ url: `http://127.0.0.1:${port}/`, retries: 1 }), noWait).rotate(leak, signal());
    expect(outcome).toEqual({ status: "failed", detail: `webhook 127.0.0.1:${port}: network error (ECONNREFUSED) (2 attempts)` });
  });

  it("stops when the caller aborts", async () => {
    handler = () => undefined;
    const { leak } = makeLeak();
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const outcome = await webhookRotator(settings({ timeoutMs: 5_000 }), noWait).rotate(leak, ctrl.signal);
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toContain("aborted");
    expect(received).toHaveLength(1);
  });
});

describe("signBody", () => {
  it("is GitHub's format: sha256= and the hex HMAC of the raw body", () => {
    // The published HMAC_SHA256("key", "The quick brown fox…") example (Wikipedia, HMAC).
    expect(signBody("The quick brown fox jumps over the lazy dog", "key")).toBe(
      "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
  });
});
