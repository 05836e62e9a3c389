// A Crisp-wide circuit breaker: after a run of failed requests (5xx, timeouts, network errors) it
// stops sending for a cool-down, then lets one probe through; the probe's answer closes it again or
// re-opens it. During an outage a whole scan then costs a handful of requests instead of three per
// secret, and no leaked token's quota is spent on requests that cannot be answered.
// Pure state and an injectable clock; the verifier calls it around each request.

/**
 * Consecutive failed requests, across all secrets, that open the breaker. Five is more than one
 * secret's whole retry budget (3), so one unlucky secret cannot open it alone.
 */
export const BREAKER_FAILURE_THRESHOLD = 5;

/**
 * How long an open breaker sends nothing before one probe. Short next to the unknown answers'
 * cache (5 min), so a brief outage costs a scan little, long enough not to probe a down Crisp often.
 */
export const BREAKER_COOLDOWN_MS = 30_000;

export type BreakerState = "closed" | "open" | "half-open";

/**
 * What one request showed about Crisp:
 * - failure: 5xx, timeout, reset, DNS (what the status mapping calls retryable);
 * - answer: Crisp answered (live, dead, 403/404 codes, and 429/420: a rate limit is a quota of one
 *   token, answered by a working Crisp, so it is not an outage and does not count towards opening);
 * - neutral: neither (an aborted request, an odd 3xx/4xx from something in between): the run of
 *   failures is neither extended nor reset.
 */
export type RequestResult = "failure" | "answer" | "neutral";

export interface BreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  now?: () => number;
}

export interface Breaker {
  /** True when a request now would be refused (open and cooling down, or the probe already out). */
  blocked(): boolean;
  /**
   * Asks to send one request now: a permit, or undefined when the breaker refuses. In half-open it
   * gives one permit, the probe. Every permit must be given back with done().
   */
  allow(): Permit | undefined;
  /** While the probe is out: settles when it comes back (never rejects). Otherwise undefined. */
  probeSettled(): Promise<void> | undefined;
  state(): BreakerState;
  /** How many times it has opened. */
  opened(): number;
}

export interface Permit {
  /** What the request came back with. */
  done(result: RequestResult): void;
}

export function createBreaker(options: BreakerOptions = {}): Breaker {
  const threshold = options.failureThreshold ?? BREAKER_FAILURE_THRESHOLD;
  const cooldownMs = options.cooldownMs ?? BREAKER_COOLDOWN_MS;
  const now = options.now ?? Date.now;
  if (!(threshold >= 1)) throw new Error("breaker failureThreshold must be at least 1");
  if (!(cooldownMs >= 0)) throw new Error("breaker cooldownMs must not be negative");

  let state: BreakerState = "closed";
  let failures = 0;
  let openedAt = 0;
  let opens = 0;
  // The probe out in half-open, and how to tell whoever waits on it that it came back.
  let probe: { back: Promise<void>; resolve: () => void } | undefined;

  function releaseProbe(): void {
    const out = probe;
    probe = undefined;
    // Resolved after the caller has set the state, so whoever waited sees the probe's verdict.
    if (out !== undefined) queueMicrotask(out.resolve);
  }

  function open(): void {
    state = "open";
    openedAt = now();
    opens++;
  }

  function coolingDown(): boolean {
    return now() - openedAt < cooldownMs;
  }

  function permit(isProbe: boolean): Permit {
    let given = false;
    return {
      done(result) {
        if (given) return;
        given = true;
        if (result === "answer") {
          // Crisp answered: it is up, whichever request showed it.
          state = "closed";
          failures = 0;
          releaseProbe();
        } else if (isProbe) {
          // A failed probe re-opens for another cool-down; one that proved nothing frees the slot.
          if (result === "failure") open();
          releaseProbe();
        } else if (result === "failure" && state === "closed") {
          // A late failure of a request sent before the breaker opened changes nothing.
          failures++;
          if (failures >= threshold) open();
        }
      },
    };
  }

  return {
    blocked() {
      if (state === "closed") return false;
      if (state === "open") return coolingDown();
      return probe !== undefined;
    },
    allow() {
      if (state === "closed") return permit(false);
      if (state === "open") {
        if (coolingDown()) return undefined;
        state = "half-open";
      }
      if (probe !== undefined) return undefined;
      let resolve = (): void => undefined;
      const back = new Promise<void>((r) => (resolve = r));
      probe = { back, resolve };
      return permit(true);
    },
    probeSettled: () => probe?.back,
    state: () => state,
    opened: () => opens,
  };
}
