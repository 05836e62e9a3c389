// Pure mapping of a Crisp answer (or a failure to get one) to live | dead | unknown.
// DESIGN.md "Crisp API facts": 200, 403 not_allowed, 404 not_subscribed live, each only inside
// Crisp's JSON envelope (a 200 also with the tier's data); 401 dead; 429/420 rate limited; 5xx and
// network failures unknown. Reasons are built from status codes and error codes only: never from
// an error message, which (with some fetch stand-ins) can repeat request headers.

import type { Tier } from "../detect/types.js";

export type CheckOutcome =
  | { kind: "live"; httpStatus: number; reason: string; pluginId?: string; websiteName?: string }
  | { kind: "dead"; httpStatus: number; reason: string }
  | {
      kind: "unknown";
      reason: string;
      /** Worth another attempt: 5xx, timeouts and network errors only. */
      retryable: boolean;
      httpStatus?: number;
      rateLimited?: boolean;
      /** From Retry-After, when a rate-limited answer gave one. */
      retryAfterMs?: number;
    };

/** The reason for 429 and 420 (DESIGN.md, "Crisp API facts"). */
export const RATE_LIMITED = "rate_limited";

/** Crisp's envelope reason is a short snake_case code; anything else is not repeated. */
const CRISP_REASON = /^[a-z_]{1,64}$/;

/** Public names from a 200 body are shown in reports; keep them to one short printable line. */
const MAX_NAME_LENGTH = 200;

/** What a 200 must hold to prove the token: the tier's answer names what was asked for. */
export interface ExpectedAnswer {
  /** Website tier: the website id requested; data.website_id must name it. */
  websiteId?: string;
}

export function classifyResponse(
  status: number,
  body: unknown,
  headers: Headers,
  tier: Tier,
  nowMs: number,
  expected: ExpectedAnswer = {},
): CheckOutcome {
  if (status === 200) {
    // A 200 alone proves nothing: a captive portal, a login page or a proxy answers 200 too, and
    // live fires the rotators. Only Crisp's success envelope with the tier's data is live.
    const envelope = crispEnvelope(body);
    if (envelope === undefined) {
      return { kind: "unknown", reason: `200 without Crisp's envelope${mediaSuffix(headers)}`, retryable: false, httpStatus: 200 };
    }
    if (envelope.error) {
      return { kind: "unknown", reason: `200 with Crisp's error envelope${reasonSuffix(body)}`, retryable: false, httpStatus: 200 };
    }
    const data = envelope.data;
    if (tier === "plugin") {
      const pluginId = publicString(data["plugin_id"]);
      if (pluginId === undefined) {
        return { kind: "unknown", reason: "200 without data.plugin_id", retryable: false, httpStatus: 200 };
      }
      return { kind: "live", httpStatus: 200, reason: "authenticated (HTTP 200)", pluginId };
    }
    const websiteId = data["website_id"];
    if (typeof websiteId !== "string" || (expected.websiteId !== undefined && websiteId.toLowerCase() !== expected.websiteId.toLowerCase())) {
      return { kind: "unknown", reason: "200 without the requested data.website_id", retryable: false, httpStatus: 200 };
    }
    const live: CheckOutcome = { kind: "live", httpStatus: 200, reason: "authenticated (HTTP 200)" };
    const websiteName = publicString(data["name"]);
    if (websiteName !== undefined) live.websiteName = websiteName;
    return live;
  }
  // 403 not_allowed and 404 not_subscribed: the token authenticated, it just may not do this.
  // Any other 403/404 (a proxy's page, a wrong base path) proves nothing: live would fire rotators.
  // The reason counts only inside Crisp's whole error envelope, not in any JSON that carries it.
  const refusal = crispEnvelope(body);
  const refusedReason = refusal?.error === true ? envelopeReason(body) : undefined;
  if ((status === 403 && refusedReason === "not_allowed") || (status === 404 && refusedReason === "not_subscribed")) {
    return { kind: "live", httpStatus: status, reason: `authenticated (HTTP ${status} ${refusedReason})` };
  }
  if (status === 401) {
    return { kind: "dead", httpStatus: 401, reason: `rejected (HTTP 401${reasonSuffix(body)})` };
  }
  if (status === 429 || status === 420) {
    const outcome: CheckOutcome = { kind: "unknown", reason: RATE_LIMITED, retryable: false, httpStatus: status, rateLimited: true };
    const retryAfterMs = parseRetryAfter(headers.get("retry-after"), nowMs);
    if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
    return outcome;
  }
  if (status >= 500 && status <= 599) {
    return { kind: "unknown", reason: `server error (HTTP ${status})`, retryable: true, httpStatus: status };
  }
  if (status >= 300 && status <= 399) {
    return { kind: "unknown", reason: `unexpected redirect (HTTP ${status}), not followed`, retryable: false, httpStatus: status };
  }
  return { kind: "unknown", reason: `unexpected HTTP ${status}${reasonSuffix(body)}`, retryable: false, httpStatus: status };
}

/** Node's fetch throws TypeError("fetch failed") with the socket error as `cause`; stand-ins throw it bare. */
export function classifyError(error: unknown, timeoutMs: number): CheckOutcome {
  const name = errorField(error, "name");
  if (name === "TimeoutError" || errorField(errorField(error, "cause"), "name") === "TimeoutError") {
    return { kind: "unknown", reason: `timeout after ${timeoutMs} ms`, retryable: true };
  }
  const code = errorCode(error);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" || code === "EAI_FAIL") {
    return { kind: "unknown", reason: `dns failure (${code})`, retryable: true };
  }
  if (name === "AbortError") return { kind: "unknown", reason: "aborted", retryable: false };
  return { kind: "unknown", reason: code ? `network error (${code})` : "network error", retryable: true };
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; e = errorField(e, "cause"), depth++) {
    const code = errorField(e, "code");
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return undefined;
}

function errorField(value: unknown, field: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : undefined;
}

/** Crisp's envelope { error: boolean, reason: string, data: object }, or undefined when the body is not one. */
function crispEnvelope(body: unknown): { error: boolean; reason: string; data: Record<string, unknown> } | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const { error, reason, data } = body as Record<string, unknown>;
  if (typeof error !== "boolean" || typeof reason !== "string") return undefined;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  return { error, reason, data: data as Record<string, unknown> };
}

/** " (text/html)" from Content-Type when it is a plain media type, so the reason says what came back. */
function mediaSuffix(headers: Headers): string {
  const media = (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9.+-]{1,40}\/[a-z0-9.+-]{1,60}$/.test(media) ? ` (${media})` : "";
}

/** The envelope's reason when it is a Crisp-shaped code, else undefined. */
function envelopeReason(body: unknown): string | undefined {
  const reason = errorField(body, "reason");
  return typeof reason === "string" && CRISP_REASON.test(reason) ? reason : undefined;
}

function reasonSuffix(body: unknown): string {
  const reason = envelopeReason(body);
  return reason ? ` ${reason}` : "";
}

function publicString(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, MAX_NAME_LENGTH);
  return clean === "" ? undefined : clean;
}
