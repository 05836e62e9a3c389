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
    limit;
    #used = 0;
    constructor(limit) {
        this.limit = limit;
    }
    get used() {
        return this.#used;
    }
    take(bytes) {
        if (this.#used + bytes > this.limit)
            return false;
        this.#used += bytes;
        return true;
    }
    give(bytes) {
        this.#used = Math.max(0, this.#used - bytes);
    }
}
/**
 * Reads at most `maxBytes` within `timeoutMs`; stops reading (pauses the request) as soon as the cap
 * is passed, the budget is spent or the time is up.
 */
export function readCappedBody(req, limits) {
    const { maxBytes, budget, timeoutMs } = limits;
    const declared = req.headers["content-length"];
    if (declared !== undefined) {
        if (!/^\d+$/.test(declared))
            return Promise.resolve({ kind: "unreadable", reason: "Content-Length is not a number" });
        if (Number(declared) > maxBytes)
            return Promise.resolve({ kind: "too-large" });
    }
    return new Promise((resolve) => {
        const chunks = [];
        let total = 0;
        const timer = setTimeout(() => {
            req.pause();
            finish({ kind: "too-slow" });
        }, timeoutMs);
        const finish = (result) => {
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
        const onData = (chunk) => {
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
        const onEnd = () => {
            let released = false;
            const release = () => {
                if (!released)
                    budget.give(total);
                released = true;
            };
            finish({ kind: "body", bytes: Buffer.concat(chunks, total), release });
        };
        const onError = () => finish({ kind: "unreadable", reason: "the request failed while its body was read" });
        const onAborted = () => finish({ kind: "unreadable", reason: "the client closed the request before its body was read" });
        req.on("data", onData);
        req.on("end", onEnd);
        req.on("error", onError);
        req.on("aborted", onAborted);
    });
}
//# sourceMappingURL=webhook-body.js.map