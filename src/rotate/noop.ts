import type { Rotator } from "./types.js";

/** Does nothing and says so: for trying the flow, and for repositories that want a record only. */
export const noopRotator: Rotator = Object.freeze({
  name: "noop",
  async rotate() {
    return { status: "skipped" as const, detail: "noop rotator: nothing was done" };
  },
});
