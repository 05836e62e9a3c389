// The webhook endpoint, in front of everything else: it owns the HTTP exchange so that nothing of an
// unauthenticated body is buffered beyond GitHub's cap, no 2xx is given before the signature holds,
// and no error path logs a payload (Probot's own middleware logs the whole event on a bad signature).
// Each rejected delivery is one log line: delivery id, event, status and reason.
import type { IncomingMessage, ServerResponse } from "node:http";
import { scrubText } from "../store/scrub.js";
import {
  BodyBudget,
  GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES,
  GITHUB_WEBHOOK_TIMEOUT_MS,
  MAX_BUFFERED_WEBHOOK_BYTES,
  readCappedBody,
} from "./webhook-body.js";

export interface WebhookDelivery {
  /** X-GitHub-Delivery: the idempotency key. */
  id: string;
  /** X-GitHub-Event. */
  name: string;
  /** The parsed body: always a JSON object. */
  payload: Record<string, unknown>;
}

/** A handler's verdict on a verified delivery: refused (answered 400) when the payload is unusable. */
export type DeliveryVerdict = { accepted: true } | { accepted: false; reason: string };

export interface IngressLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface WebhookIngressOptions {
  /** The webhook path (Probot's webhookPath, "/api/github/webhooks" by default). */
  path: string;
  /** Checks X-Hub-Signature-256 against the exact body (the raw bytes, as text). */
  verify(body: string, signature: string): Promise<boolean>;
  receive(delivery: WebhookDelivery): DeliveryVerdict | Promise<DeliveryVerdict>;
  log: IngressLog;
  /** Default GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES. */
  maxBodyBytes?: number;
  /** What all bodies being read may hold together; default MAX_BUFFERED_WEBHOOK_BYTES. */
  maxBufferedBytes?: number;
  /** How long a body may take to arrive; default GITHUB_WEBHOOK_TIMEOUT_MS. */
  bodyTimeoutMs?: number;
}

/** A Node request handler: resolves true when it answered (the request was for the webhook path). */
export type IngressHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** What a delivery id or an event name may look like in a log line; anything else is not echoed. */
const HEADER_TOKEN = /^[A-Za-z0-9._:-]{1,100}$/;
/** How long the rest of a refused body is drained (discarded) before the socket is closed. */
const REFUSED_BODY_LINGER_MS = 2_000;
/** Enough of a handler's error for a log line. */
const MAX_ERROR_CHARS = 200;
const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;
/** A fatal decoder: a body that is not UTF-8 is refused, and a valid one decodes losslessly (BOM kept). */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The reason logged for a handler that threw: its message, scrubbed and short, never the event. */
export function handlerFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `the handler failed: ${scrubText(message, MAX_ERROR_CHARS)}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** A request URL's path without trailing slashes, or null when it is not a URL. */
export function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? "", "http://localhost").pathname.replace(/\/+$/, "") || "/";
  } catch {
    return null;
  }
}

export function createWebhookIngress(options: WebhookIngressOptions): IngressHandler {
  const path = pathOf(options.path) ?? options.path;
  const maxBodyBytes = options.maxBodyBytes ?? GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES;
  const budget = new BodyBudget(options.maxBufferedBytes ?? MAX_BUFFERED_WEBHOOK_BYTES);
  const timeoutMs = options.bodyTimeoutMs ?? GITHUB_WEBHOOK_TIMEOUT_MS;
  const { log } = options;

  return async (req, res) => {
    if (pathOf(req.url) !== path) return false;
    const rawId = header(req, "x-github-delivery");
    const rawEvent = header(req, "x-github-event");
    const deliveryId = rawId !== undefined && HEADER_TOKEN.test(rawId) ? rawId : null;
    const event = rawEvent !== undefined && HEADER_TOKEN.test(rawEvent) ? rawEvent : null;

    const answer = (status: number, body: string, extra: Record<string, string> = {}): true => {
      if (!res.headersSent) {
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": String(Buffer.byteLength(body)), ...extra });
      }
      res.end(body);
      return true;
    };
    const reject = (status: number, reason: string, extra: Record<string, string> = {}): true => {
      // One line, never the body: the payload of a forged or mis-signed delivery could hold anything.
      log.warn({ deliveryId: deliveryId ?? "(none)", event: event ?? "(none)", status, reason }, "webhook rejected");
      return answer(status, `${reason}\n`, extra);
    };
    const refuseBody = (status: number, reason: string, extra: Record<string, string> = {}): true => {
      // The rest of the body is not wanted, and the connection closes after the answer. What still
      // arrives is discarded (never held) for a moment, so that a reset does not swallow the answer
      // before the client reads it; then the socket goes, whoever is still sending.
      reject(status, reason, { ...extra, connection: "close" });
      req.resume();
      const socket = req.socket;
      const timer = setTimeout(() => socket.destroy(), REFUSED_BODY_LINGER_MS);
      timer.unref();
      socket.once("close", () => clearTimeout(timer));
      return true;
    };

    if (req.method !== "POST") return reject(405, `method ${req.method ?? "?"} not allowed`, { allow: "POST" });
    const contentType = header(req, "content-type");
    if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType)) {
      return refuseBody(415, "Content-Type must be application/json");
    }
    if (rawId === undefined || rawEvent === undefined || header(req, "x-hub-signature-256") === undefined) {
      const missing = [
        ["X-GitHub-Delivery", rawId],
        ["X-GitHub-Event", rawEvent],
        ["X-Hub-Signature-256", header(req, "x-hub-signature-256")],
      ].filter(([, v]) => v === undefined).map(([n]) => n);
      return refuseBody(400, `missing ${missing.join(", ")}`);
    }
    if (deliveryId === null) return refuseBody(400, "X-GitHub-Delivery is not a delivery id");
    if (event === null) return refuseBody(400, "X-GitHub-Event is not an event name");
    const signature = header(req, "x-hub-signature-256") ?? "";

    const read = await readCappedBody(req, { maxBytes: maxBodyBytes, budget, timeoutMs });
    if (read.kind === "too-large") return refuseBody(413, `body larger than ${maxBodyBytes} bytes`);
    if (read.kind === "busy") return refuseBody(503, "too many webhook bodies being read at once", { "retry-after": "1" });
    if (read.kind === "too-slow") return refuseBody(408, `the body took longer than ${timeoutMs} ms to arrive`);
    if (read.kind === "unreadable") return refuseBody(400, read.reason);
    try {
      return await judge(read.bytes, { deliveryId, event, signature, reject, answer });
    } finally {
      read.release();
    }
  };

  /** The verified-or-not verdict on a body read whole. */
  async function judge(
    bytes: Buffer,
    d: {
      deliveryId: string;
      event: string;
      signature: string;
      reject: (status: number, reason: string) => true;
      answer: (status: number, body: string) => true;
    },
  ): Promise<true> {
    const { deliveryId, event, signature, reject, answer } = d;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      // GitHub sends UTF-8 JSON; only valid UTF-8 decodes back to the exact bytes that were signed.
      return reject(400, "the body is not UTF-8");
    }
    // Checked before anything is made of the body: a body GitHub did not sign tells nothing.
    const signed = text !== "" && (await options.verify(text, signature).catch(() => false));
    if (!signed) return reject(401, "signature does not match the body and WEBHOOK_SECRET");

    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return reject(400, "the body is not JSON");
    }
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
      return reject(400, "the payload is not a JSON object");
    }

    let verdict: DeliveryVerdict;
    try {
      verdict = await options.receive({ id: deliveryId, name: event, payload: payload as Record<string, unknown> });
    } catch (error) {
      return reject(500, handlerFailure(error));
    }
    if (!verdict.accepted) return reject(400, verdict.reason);
    return answer(200, "ok\n");
  }
}
