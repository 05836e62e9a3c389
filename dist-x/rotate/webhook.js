import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { buildLeakEvent } from "./event.js";
import { isWebUrl } from "./outcome.js";
// The webhook rotator: POSTs the signed leak event to the operator's URL. A 2xx means the receiver
// took the job ("requested"); it is the receiver that rolls the token or asks a human to.
export const SIGNATURE_HEADER = "X-Crisp-Guard-Signature-256";
/** Same id on every retry of one delivery, restarts included, so a receiver can drop duplicates. */
export const DELIVERY_HEADER = "X-Crisp-Guard-Delivery";
export const EVENT_HEADER = "X-Crisp-Guard-Event";
export const USER_AGENT = "crisp-guard-webhook/1";
/** Backoff before retry 1, 2, …: short, the whole rotation runs under the worker's own timeout. */
export const DEFAULT_RETRY_DELAYS_MS = [500, 2_000];
/** A receiver's reply is read only for an optional {url}; anything bigger is not that. */
export const MAX_REPLY_BYTES = 64 * 1024;
/** `sha256=<hex HMAC-SHA256 of the raw body>`, as GitHub signs its webhooks. */
export function signBody(body, secret) {
    return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
/** For receivers: constant-time check of the signature header against the raw body. */
export function verifySignature(body, secret, header) {
    if (!header)
        return false;
    const expected = Buffer.from(signBody(body, secret));
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
}
export function webhookRotator(settings, deps = {}) {
    const host = new URL(settings.url).host;
    return {
        name: "webhook",
        async rotate(leak, signal) {
            const body = JSON.stringify(buildLeakEvent(leak, { includeKeypair: settings.includeKeypair, githubUrl: deps.githubUrl }));
            const headers = {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                [SIGNATURE_HEADER]: signBody(body, settings.secret),
                [EVENT_HEADER]: "leak",
                // The app's attempt id survives a crash and restart; without one (the CLI) each run is new.
                [DELIVERY_HEADER]: leak.attempt?.id ?? randomUUID(),
            };
            return deliver(settings, deps, host, body, headers, signal);
        },
    };
}
async function deliver(settings, deps, host, body, headers, signal) {
    const doFetch = deps.fetch ?? fetch;
    const delays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    let last = "";
    for (let attempt = 0; attempt <= settings.retries; attempt++) {
        if (attempt > 0) {
            await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 0, signal);
        }
        if (signal.aborted)
            return { status: "failed", detail: `webhook ${host}: aborted` };
        const result = await once(doFetch, settings, host, body, headers, signal);
        if (!result.retry)
            return result.outcome;
        last = result.why;
    }
    const tries = settings.retries + 1;
    return { status: "failed", detail: `webhook ${host}: ${last} (${tries} attempt${tries === 1 ? "" : "s"})` };
}
async function once(doFetch, settings, host, body, headers, signal) {
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    let res;
    try {
        res = await doFetch(settings.url, {
            method: "POST",
            headers,
            body,
            // A redirect could carry the signed (maybe keypair-bearing) body somewhere not configured.
            redirect: "manual",
            signal: AbortSignal.any([signal, timeout]),
        });
    }
    catch (err) {
        if (signal.aborted)
            return { retry: false, outcome: { status: "failed", detail: `webhook ${host}: aborted` } };
        if (timeout.aborted)
            return { retry: true, why: `timed out after ${settings.timeoutMs} ms` };
        return { retry: true, why: `network error (${errorCode(err)})` };
    }
    if (res.status >= 200 && res.status < 300) {
        const url = await replyUrl(res);
        const outcome = { status: "requested", detail: `webhook ${host} accepted the leak (HTTP ${res.status})` };
        if (url)
            outcome.url = url;
        return { retry: false, outcome };
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 500 || res.status === 429)
        return { retry: true, why: `HTTP ${res.status}` };
    if (res.status >= 300 && res.status < 400) {
        return { retry: false, outcome: { status: "failed", detail: `webhook ${host}: HTTP ${res.status} redirect not followed` } };
    }
    return { retry: false, outcome: { status: "failed", detail: `webhook ${host}: HTTP ${res.status}` } };
}
/** The optional `{ "url": "…" }` a receiver may answer with (a ticket, a run); ignored otherwise. */
async function replyUrl(res) {
    if (!res.headers.get("content-type")?.includes("json") || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        return undefined;
    }
    try {
        const chunks = [];
        let size = 0;
        for await (const chunk of res.body) {
            size += chunk.byteLength;
            if (size > MAX_REPLY_BYTES)
                return undefined;
            chunks.push(chunk);
        }
        const reply = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const url = reply?.url;
        return typeof url === "string" && isWebUrl(url) ? url : undefined;
    }
    catch {
        return undefined;
    }
}
function errorCode(err) {
    const cause = err.cause;
    if (cause && typeof cause.code === "string")
        return cause.code;
    return err instanceof Error ? err.name : "error";
}
function sleep(ms, signal) {
    if (ms <= 0)
        return Promise.resolve();
    return new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener("abort", done, { once: true });
    });
}
//# sourceMappingURL=webhook.js.map