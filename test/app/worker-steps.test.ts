// The push worker's steps that decide something, each alone (processPush runs them in order).
import { describe, expect, it } from "vitest";
import { findingCounts, joinConfigErrors, wantsCheckRun } from "../../src/app/worker.js";
import type { Finding } from "../../src/detect/types.js";

describe("wantsCheckRun", () => {
  it("when the config asks for one, and not otherwise", () => {
    expect(wantsCheckRun(true, null, false)).toBe(true);
    expect(wantsCheckRun(false, null, false)).toBe(false);
  });

  it("a config error is explained even with check runs turned off", () => {
    expect(wantsCheckRun(false, "rotate.rotators: webhook is not enabled", false)).toBe(true);
  });

  it("never when the merge gate reports on the same head, config error or not", () => {
    expect(wantsCheckRun(true, null, true)).toBe(false);
    expect(wantsCheckRun(false, "bad config", true)).toBe(false);
  });
});

describe("joinConfigErrors", () => {
  it("one error per line, in order; nothing wrong is null", () => {
    expect(joinConfigErrors([".github/crisp-guard.yml: verify: expected a boolean", "rotate.rotators: x"])).toBe(
      ".github/crisp-guard.yml: verify: expected a boolean\nrotate.rotators: x",
    );
    expect(joinConfigErrors([null, "rotate.rotators: x"])).toBe("rotate.rotators: x");
    expect(joinConfigErrors([null, null])).toBeNull();
  });
});

describe("findingCounts", () => {
  it("counts the findings, the live ones, and the secrets rotated by this push (not those rotated before)", () => {
    const finding = (fingerprint: string, status: Finding["verification"]["status"]) =>
      ({ fingerprint, verification: { status, tier: null, reason: "", checkedAt: "" } }) as unknown as Finding;
    const findings = [finding("a", "live"), finding("b", "dead"), finding("c", "live"), finding("d", "unverified")];
    expect(findingCounts(findings, new Set(["a"]))).toEqual({ findings: 4, live: 2, rotated: 1 });
    expect(findingCounts([], new Set())).toEqual({ findings: 0, live: 0, rotated: 0 });
  });
});
