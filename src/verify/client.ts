// The Crisp REST client: one authenticated GET per check, mapped to live | dead | unknown.
// It never follows redirects and sends the keypair only to the configured base URL.

import type { Keypair } from "../detect/fingerprint.js";
import { isUuid } from "../detect/grammar.js";
import type { Tier } from "../detect/types.js";
import { resolveCrispApiUrl } from "./base-url.js";
import { classifyError, classifyResponse, type CheckOutcome, type ExpectedAnswer } from "./status.js";

export type { CheckOutcome } from "./status.js";

/** The part of fetch the client uses; injectable so tests and proxies can stand in. */
export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

/** A 10 s timeout per request, so a stalled Crisp cannot hang a scan. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** A 200 body is a small JSON envelope; anything larger is not Crisp and is not read whole. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface CrispClientOptions {
  /** Default https://api.crisp.chat/v1/ (see resolveCrispApiUrl). */
  baseUrl?: URL;
  fetch?: FetchLike;
  /** crisp-guard's version, for the User-Agent `crisp-guard/<version>`. */
  version?: string;
  timeoutMs?: number;
  /** Clock for Retry-After given as an HTTP date. */
  now?: () => number;
}

export interface CrispClient {
  readonly baseUrl: URL;
  /** Plugin tier: GET {base}plugin/connect/account. */
  checkPlugin(keypair: Keypair): Promise<CheckOutcome>;
  /** Website tier: GET {base}website/{websiteId}. */
  checkWebsite(keypair: Keypair, websiteId: string): Promise<CheckOutcome>;
  check(keypair: Keypair, tier: Tier, websiteId: string | null): Promise<CheckOutcome>;
}

/** Crisp website ids are UUIDs; anything else is refused before it reaches a URL path. */
export function isWebsiteId(value: string): boolean {
  return isUuid(value);
}

export function userAgent(version: string | undefined): string {
  return `crisp-guard/${version ?? "dev"}`;
}

export function createCrispClient(options: CrispClientOptions = {}): CrispClient {
  const baseUrl = new URL(options.baseUrl ?? resolveCrispApiUrl(undefined));
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const ua = userAgent(options.version);

  async function get(keypair: Keypair, tier: Tier, path: string, expected: ExpectedAnswer = {}): Promise<CheckOutcome> {
    const url = new URL(path, baseUrl);
    // Paths are relative and built from fixed strings and a validated UUID, but check the origin
    // anyway: the keypair goes to the configured base URL or nowhere.
    if (url.origin !== baseUrl.origin || !url.pathname.startsWith(baseUrl.pathname)) {
      return { kind: "unknown", reason: "refused: endpoint outside the configured base URL", retryable: false };
    }
    const { identifier, key } = keypair.reveal();
    const init: RequestInit = {
      method: "GET",
      headers: {
        Authorization: `Basic ${Buffer.from(`${identifier}:${key}`).toString("base64")}`,
        "X-Crisp-Tier": tier,
        "User-Agent": ua,
        Accept: "application/json",
      },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    };
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (error) {
      return classifyError(error, timeoutMs);
    }
    // Only 2xx and 4xx bodies say anything (data, or Crisp's reason code); others are discarded.
    const readBody = response.status < 300 || (response.status >= 400 && response.status < 500);
    let body: unknown = undefined;
    try {
      if (readBody) body = await readJson(response);
      else await response.body?.cancel();
    } catch {
      // The status already answered the question; a body cut off by a timeout or reset changes nothing.
    }
    return classifyResponse(response.status, body, response.headers, tier, now(), expected);
  }

  return {
    baseUrl,
    checkPlugin: (keypair) => get(keypair, "plugin", "plugin/connect/account"),
    checkWebsite: (keypair, websiteId) => {
      if (!isWebsiteId(websiteId)) {
        return Promise.resolve({ kind: "unknown", reason: "invalid website id", retryable: false });
      }
      return get(keypair, "website", `website/${websiteId.toLowerCase()}`, { websiteId });
    },
    check(keypair, tier, websiteId) {
      if (tier === "plugin") return this.checkPlugin(keypair);
      if (websiteId === null) {
        return Promise.resolve({ kind: "unknown", reason: "website tier unchecked: no website id", retryable: false });
      }
      return this.checkWebsite(keypair, websiteId);
    },
  };
}

/** Reads a JSON body up to MAX_BODY_BYTES; undefined when it is not JSON or too large. */
async function readJson(response: Response): Promise<unknown> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const text = await response.text();
  if (text.length > MAX_BODY_BYTES) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
