import { describe, expect, it } from "vitest";
import { BREAKER_COOLDOWN_MS, BREAKER_FAILURE_THRESHOLD, createBreaker } from "../../src/verify/breaker.js";

function breakerAt(start = 1_000_000) {
  const c = { t: start };
  const breaker = createBreaker({ now: () => c.t });
  /** Sends one request that comes back with `result`; false if the breaker refused it. */
  const send = (result: "failure" | "answer" | "neutral"): boolean => {
    const permit = breaker.allow();
    permit?.done(result);
    return permit !== undefined;
  };
  return { breaker, c, send };
}

describe("the Crisp-wide breaker", () => {
  it(`opens after ${BREAKER_FAILURE_THRESHOLD} consecutive failures, not before`, () => {
    const { breaker, send } = breakerAt();
    for (let i = 1; i < BREAKER_FAILURE_THRESHOLD; i++) expect(send("failure")).toBe(true);
    expect(breaker.state()).toBe("closed");
    expect(send("failure")).toBe(true);
    expect(breaker.state()).toBe("open");
    expect(breaker.blocked()).toBe(true);
    expect(send("answer")).toBe(false);
    expect(breaker.opened()).toBe(1);
  });

  it("an answer (rate limits included, by the verifier's mapping) resets the run; a neutral result does not", () => {
    const { breaker, send } = breakerAt();
    for (let i = 1; i < BREAKER_FAILURE_THRESHOLD; i++) send("failure");
    send("answer");
    for (let i = 1; i < BREAKER_FAILURE_THRESHOLD; i++) send("failure");
    expect(breaker.state()).toBe("closed");
    send("neutral");
    send("failure");
    expect(breaker.state()).toBe("open");
  });

  it("sends nothing for the cool-down, then one probe at a time; a successful probe closes it", async () => {
    const { breaker, c, send } = breakerAt();
    for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) send("failure");
    c.t += BREAKER_COOLDOWN_MS - 1;
    expect(breaker.allow()).toBeUndefined();
    expect(breaker.probeSettled()).toBeUndefined();
    c.t += 1;
    const probe = breaker.allow();
    expect(probe).toBeDefined();
    expect(breaker.state()).toBe("half-open");
    expect(breaker.allow()).toBeUndefined();
    expect(breaker.blocked()).toBe(true);
    const settled = breaker.probeSettled();
    expect(settled).toBeInstanceOf(Promise);
    probe!.done("answer");
    await settled;
    expect(breaker.state()).toBe("closed");
    expect(send("answer")).toBe(true);
  });

  it("a failed probe re-opens it for another full cool-down", () => {
    const { breaker, c, send } = breakerAt();
    for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) send("failure");
    c.t += BREAKER_COOLDOWN_MS;
    expect(send("failure")).toBe(true);
    expect(breaker.state()).toBe("open");
    expect(breaker.opened()).toBe(2);
    c.t += BREAKER_COOLDOWN_MS - 1;
    expect(send("answer")).toBe(false);
    c.t += 1;
    expect(send("answer")).toBe(true);
    expect(breaker.state()).toBe("closed");
  });

  it("a probe that proves nothing frees the slot for the next probe", () => {
    const { breaker, c, send } = breakerAt();
    for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) send("failure");
    c.t += BREAKER_COOLDOWN_MS;
    expect(send("neutral")).toBe(true);
    expect(breaker.state()).toBe("half-open");
    expect(breaker.allow()).toBeDefined();
  });

  it("late failures of requests sent before it opened do not extend the cool-down", () => {
    const { breaker, c } = breakerAt();
    const inFlight = Array.from({ length: BREAKER_FAILURE_THRESHOLD + 3 }, () => breaker.allow()!);
    for (const p of inFlight.slice(0, BREAKER_FAILURE_THRESHOLD)) p.done("failure");
    expect(breaker.state()).toBe("open");
    c.t += BREAKER_COOLDOWN_MS - 1;
    for (const p of inFlight.slice(BREAKER_FAILURE_THRESHOLD)) p.done("failure");
    c.t += 1;
    expect(breaker.allow()).toBeDefined();
    expect(breaker.opened()).toBe(1);
  });

  it("refuses nonsensical settings", () => {
    expect(() => createBreaker({ failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => createBreaker({ cooldownMs: -1 })).toThrow(/cooldownMs/);
  });
});
