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
export function createBreaker(options = {}) {
    const threshold = options.failureThreshold ?? BREAKER_FAILURE_THRESHOLD;
    const cooldownMs = options.cooldownMs ?? BREAKER_COOLDOWN_MS;
    const now = options.now ?? Date.now;
    if (!(threshold >= 1))
        throw new Error("breaker failureThreshold must be at least 1");
    if (!(cooldownMs >= 0))
        throw new Error("breaker cooldownMs must not be negative");
    let state = "closed";
    let failures = 0;
    let openedAt = 0;
    let opens = 0;
    // The probe out in half-open, and how to tell whoever waits on it that it came back.
    let probe;
    function releaseProbe() {
        const out = probe;
        probe = undefined;
        // Resolved after the caller has set the state, so whoever waited sees the probe's verdict.
        if (out !== undefined)
            queueMicrotask(out.resolve);
    }
    function open() {
        state = "open";
        openedAt = now();
        opens++;
    }
    function coolingDown() {
        return now() - openedAt < cooldownMs;
    }
    function permit(isProbe) {
        let given = false;
        return {
            done(result) {
                if (given)
                    return;
                given = true;
                if (result === "answer") {
                    // Crisp answered: it is up, whichever request showed it.
                    state = "closed";
                    failures = 0;
                    releaseProbe();
                }
                else if (isProbe) {
                    // A failed probe re-opens for another cool-down; one that proved nothing frees the slot.
                    if (result === "failure")
                        open();
                    releaseProbe();
                }
                else if (result === "failure" && state === "closed") {
                    // A late failure of a request sent before the breaker opened changes nothing.
                    failures++;
                    if (failures >= threshold)
                        open();
                }
            },
        };
    }
    return {
        blocked() {
            if (state === "closed")
                return false;
            if (state === "open")
                return coolingDown();
            return probe !== undefined;
        },
        allow() {
            if (state === "closed")
                return permit(false);
            if (state === "open") {
                if (coolingDown())
                    return undefined;
                state = "half-open";
            }
            if (probe !== undefined)
                return undefined;
            let resolve = () => undefined;
            const back = new Promise((r) => (resolve = r));
            probe = { back, resolve };
            return permit(true);
        },
        probeSettled: () => probe?.back,
        state: () => state,
        opened: () => opens,
    };
}
//# sourceMappingURL=breaker.js.map