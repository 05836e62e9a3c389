import { describe, expect, it } from "vitest";
import { checkOutcome } from "../../src/rotate/outcome.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

describe("checkOutcome", () => {
  it.each([
    { status: "rotated", detail: "rolled" },
    { status: "requested", detail: "asked", url: "https://tracker.example/1" },
    { status: "failed", detail: "" },
    { status: "skipped", detail: "not mine", url: "http://127.0.0.1/x" },
  ])("round-trips %j", (outcome) => {
    const first = checkOutcome(outcome);
    expect(first).toEqual({ ok: true, outcome });
    expect(checkOutcome(JSON.parse(JSON.stringify(first.ok && first.outcome)))).toEqual(first);
  });

  it("keeps only its own fields, and drops a null url", () => {
    expect(checkOutcome({ status: "rotated", detail: "d", url: null, extra: 1 })).toEqual({ ok: true, outcome: { status: "rotated", detail: "d" } });
  });

  it("refuses a key a rotator printed where the status goes, without repeating it", () => {
    const kp = randomKeypair();
    for (const bad of [{ status: kp.key, detail: "x" }, { status: "rotated", detail: [kp.key] }, { status: "rotated", detail: "x", url: `https://${kp.identifier}:${kp.key}@h.example/` }]) {
      const result = checkOutcome(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(holdsRaw(result.reason, kp)).toBe(false);
    }
  });
});
