// Reads a webhook request's body with a hard cap, before anything is known about who sent it: the
// cap is checked against Content-Length up front and counted while streaming (chunked bodies), so an
// unauthenticated body is never held beyond the cap.
import type { IncomingMessage } from "node:http";

/**
 * GitHub caps webhook payloads at 25 MB and delivers no larger one (docs.github.com, "Webhook events
 * and payloads": "Payloads are capped at 25 MB"): no genuine delivery is bigger.
 */
export const GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES = 25 * 1024 * 1024;

/**
 * GitHub gives up on a delivery not answered within 10 s (docs.github.com, "Best practices for using
 * webhooks": respond within 10 seconds): a body still arriving after that is nobody's delivery.
 */
export const GITHUB_WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Ours, not GitHub's: what the bodies being read at one time may hold together (four deliveries at
 * GitHub's cap), so that many parallel unauthenticated bodies cannot add up past it either.
 */
export const MAX_BUFFERED_WEBHOOK_BYTES = 4 * GITHUB_MAX_WEBHOOK_PAYLOAD_BYTES;

/** Bytes held by the bodies being read or judged, shared by every request of one server. */
export class BodyBudget {
  #used = 0;
  constructor(readonly limit: number) {}
  get used(): number {
    return this.#used;
  }
  take(bytes: number): boolean {
    if (this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    return true;
  }
  give(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

export type BodyRead =
  /** The whole body; `release()` hands its bytes back to the budget once it is dropped. */
  | { kind: "body"; bytes: Buffer; release(): void }
  /** The budget is spent by other bodies being read: try again later. */
  | { kind: "busy" }
  /** Content-Length, or the bytes streamed so far, exceed the cap: nothing more is read. */
  | { kind: "too-large" }
  /** The body did not arrive in time. */
  | { kind: "too-slow" }
  /** The client went away, or sent a Content-Length that is not a number. */
  | { kind: "unreadable"; reason: string };

/**
 * Reads at most `maxBytes` within `timeoutMs`; stops reading (pauses the request) as soon as the cap
 * is passed, the budget is spent or the time is up.
 */
export function readCappedBody(
  req: IncomingMessage,
  limits: { maxBytes: number; budget: BodyBudget; timeoutMs: number },
): Promise<BodyRead> {
  const { maxBytes, budget, timeoutMs } = limits;
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    if (!/^\d+$/.test(declared)) return Promise.resolve({ kind: "unreadable", reason: "Content-Length is not a number" });
    if (Number(declared) > maxBytes) return Promise.resolve({ kind: "too-large" });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => {
      req.pause();
      finish({ kind: "too-slow" });
    }, timeoutMs);
    const finish = (result: BodyRead): void => {
      clearTimeout(timer);
      if (result.kind !== "body") {
        chunks.length = 0;
        budget.give(total);
      }
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (total + chunk.length > maxBytes) {
        req.pause();
        finish({ kind: "too-large" });
        return;
      }
      if (!budget.take(chunk.length)) {
        req.pause();
        finish({ kind: "busy" });
        return;
      }
      total += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      let released = false;
      const release = (): void => {
        if (!released) budget.give(total);
        released = true;
      };
      finish({ kind: "body", bytes: Buffer.concat(chunks, total), release });
    };
    const onError = (): void => finish({ kind: "unreadable", reason: "the request failed while its body was read" });
    const onAborted = (): void => finish({ kind: "unreadable", reason: "the client closed the request before its body was read" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}
