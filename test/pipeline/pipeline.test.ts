import { describe, expect, it, vi } from "vitest";
import { groupCandidates, ROTATION_CONCURRENCY, runPipeline } from "../../src/pipeline.js";
import type { Verification } from "../../src/detect/types.js";
import { makeCandidate } from "../helpers/candidates.js";
import { randomKeypair } from "../helpers/keypairs.js";
import type { VerifyRequest } from "../../src/verify/types.js";
import type { Leak } from "../../src/rotate/types.js";

const live: Verification = { status: "live", tier: "plugin", reason: "200", checkedAt: "2026-01-01T00:00:00.000Z" };

describe("groupCandidates", () => {
  it("makes one finding per secret with every occurrence, sorted and deduplicated", () => {
    const kp = randomKeypair();
    const result = groupCandidates([
      makeCandidate(kp, { path: "b.env", line: 3 }),
      makeCandidate(kp, { path: "a.env", line: 9 }),
      makeCandidate(kp, { path: "a.env", line: 9 }),
    ]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.occurrences.map((o) => `${o.path}:${o.line}`)).toEqual(["a.env:9", "b.env:3"]);
    expect(result.findings[0]!.verification.status).toBe("unverified");
  });

  it("keeps two secrets apart", () => {
    const result = groupCandidates([makeCandidate(), makeCandidate()]);
    expect(result.findings).toHaveLength(2);
    expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it("suppresses a documented example wherever it occurs", () => {
    const kp = randomKeypair();
    const result = groupCandidates([
      makeCandidate(kp, { path: "README.md" }, { suppressed: "documented-example" }),
      makeCandidate(kp, { path: "src/x.ts" }),
    ]);
    expect(result.findings).toHaveLength(0);
    expect(result.suppressed).toMatchObject([{ reason: "documented-example" }]);
    expect(result.suppressed[0]!.occurrences).toHaveLength(2);
  });

  it("treats inline allow as one line's exception: other copies are still reported", () => {
    const kp = randomKeypair();
    const result = groupCandidates([
      makeCandidate(kp, { path: "a.env" }, { suppressed: "inline-allow" }),
      makeCandidate(kp, { path: "b.env" }),
    ]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.occurrences.map((o) => o.path)).toEqual(["b.env"]);
    expect(result.suppressed).toMatchObject([{ reason: "inline-allow", occurrences: [{ path: "a.env" }] }]);
  });

  it("suppresses by config allow before baseline", () => {
    const a = makeCandidate();
    const b = makeCandidate();
    const result = groupCandidates([a, b], {
      allow: new Map([[a.fingerprint, "revoked"]]),
      baseline: new Set([a.fingerprint, b.fingerprint]),
    });
    expect(result.findings).toHaveLength(0);
    expect(Object.fromEntries(result.suppressed.map((s) => [s.fingerprint, s.reason]))).toEqual({
      [a.fingerprint]: "config-allow",
      [b.fingerprint]: "baseline",
    });
  });

  it("takes tier and website id from whichever occurrence names them", () => {
    const kp = randomKeypair();
    const result = groupCandidates([
      makeCandidate(kp, { path: "a" }),
      makeCandidate(kp, { path: "b" }, { tier: "website", websiteId: "0b9f5c0e-0000-4000-8000-000000000001" }),
    ]);
    expect(result.findings[0]).toMatchObject({ tier: "website", websiteId: "0b9f5c0e-0000-4000-8000-000000000001" });
  });
});

describe("runPipeline", () => {
  it("verifies each unsuppressed secret once and never a suppressed one", async () => {
    const kp = randomKeypair();
    const suppressed = makeCandidate(undefined, {}, { suppressed: "placeholder" });
    const verify = vi.fn(async (_request: VerifyRequest) => live);
    const result = await runPipeline(
      { candidates: [makeCandidate(kp), makeCandidate(kp, { line: 2 }), suppressed], websiteIds: ["w1"] },
      { verifier: { verify } },
    );
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0]![0]).toMatchObject({ websiteIds: ["w1"] });
    expect(result.findings[0]!.verification).toEqual(live);
  });

  it("rotates only what the policy says, handing a Leak with repository and pusher", async () => {
    const dead: Verification = { ...live, status: "dead" };
    const a = makeCandidate();
    const b = makeCandidate();
    const run = vi.fn(async (_leak: Leak) => [{ rotator: "noop", status: "skipped" as const, detail: "test" }]);
    const result = await runPipeline(
      { candidates: [a, b], websiteIds: [] },
      {
        verifier: { verify: async (r) => (r.keypair.fingerprint === a.fingerprint ? live : dead) },
        rotate: { when: "live", run },
        repository: { owner: "o", repo: "r" },
        pusher: "octocat",
      },
    );
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]![0]).toMatchObject({ fingerprint: a.fingerprint, repository: { owner: "o", repo: "r" }, pusher: "octocat" });
    const rotated = result.findings.find((f) => f.fingerprint === a.fingerprint)!;
    expect(rotated.rotations).toEqual([{ rotator: "noop", status: "skipped", detail: "test" }]);
  });

  it(`hands different leaks to rotation side by side, at most ROTATION_CONCURRENCY (${ROTATION_CONCURRENCY}) at once`, async () => {
    const candidates = Array.from({ length: ROTATION_CONCURRENCY + 3 }, () => makeCandidate());
    let inFlight = 0;
    let peak = 0;
    const run = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return [{ rotator: "noop", status: "skipped" as const, detail: "test" }];
    };
    const result = await runPipeline(
      { candidates, websiteIds: [] },
      { verifier: { verify: async () => live }, rotate: { when: "live", run } },
    );
    expect(peak).toBe(ROTATION_CONCURRENCY);
    expect(result.findings.every((f) => f.rotations.length === 1)).toBe(true);
  });
});
