// The merge gate's verdict (pure): what fails a pull request under gate: live and gate: any.
import { describe, expect, it } from "vitest";
import { gateOutput, gateVerdict } from "../../src/app/gate.js";
import { completelyScannedCommits } from "../../src/app/scanned-commits.js";
import { Keypair } from "../../src/detect/fingerprint.js";
import type { Finding, VerificationStatus } from "../../src/detect/types.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

function finding(status: VerificationStatus, kp = randomKeypair()): Finding {
  const keypair = new Keypair(kp.identifier, kp.key);
  return {
    fingerprint: keypair.fingerprint,
    keypair,
    tier: "plugin",
    websiteId: null,
    verification: { status, tier: "plugin", reason: status, checkedAt: null },
    rotations: [],
    occurrences: [{ path: "config/.env", line: 4, column: 17, commit: "c".repeat(40), encoding: "plain" }],
  };
}

const report = {
  number: 7, baseSha: "a".repeat(40), headSha: "b".repeat(40), fork: true, commits: 2, reusedCommits: 0,
  gaps: [], configError: null,
} as const;

describe("gateVerdict", () => {
  it.each([
    // [statuses, gate, conclusion]
    [[], "live", "success"],
    [["dead"], "live", "success"],
    [["dead"], "any", "failure"],
    [["live"], "live", "failure"],
    [["dead", "live"], "live", "failure"],
    // Unknown liveness never passes a live gate: Crisp down, or verification off.
    [["unknown"], "live", "failure"],
    [["unverified"], "live", "failure"],
  ] as const)("%j under gate: %s → %s", (statuses, mode, conclusion) => {
    expect(gateVerdict(statuses.map((s) => finding(s)), mode, []).conclusion).toBe(conclusion);
  });

  it("a scan with gaps fails, whatever it found", () => {
    expect(gateVerdict([], "live", [{ commit: "c".repeat(40), reason: "commit could not be read (404)" }]).conclusion).toBe("failure");
  });
});

describe("gateOutput", () => {
  it("names why it failed, levels the annotations by the gate, and never holds a raw half", () => {
    const kp = randomKeypair();
    const unknown = finding("unknown", kp);
    const out = gateOutput([unknown, finding("dead")], { ...report, mode: "live" });
    expect(out.conclusion).toBe("failure");
    expect(out.title).toBe("Merge gate failed: 1 keypair whose liveness could not be verified");
    expect(out.summary).toContain("**Verification was unknown**");
    expect(out.annotations.map((a) => a.annotation_level)).toEqual(["failure", "warning"]);
    expect(holdsRaw(JSON.stringify(out), kp)).toBe(false);
  });

  it("a clean pull request passes and says what it covered", () => {
    const out = gateOutput([], { ...report, mode: "any", reusedCommits: 1 });
    expect(out).toMatchObject({ conclusion: "success", title: "Merge gate passed: no Crisp token keypair found", annotations: [] });
    expect(out.summary).toContain("Pull request #7 (from a fork): 2 commits");
    expect(out.summary).toContain("1 already scanned when pushed");
  });
});

describe("completelyScannedCommits", () => {
  const sha = (c: string) => c.repeat(40);
  const commit = (c: string, skippedIgnored = 0) => ({ sha: sha(c), author: null, date: null, files: new Map(), skippedIgnored, merge: false });

  it("leaves out commits with a gap, a path skipped by paths-ignore, or a keypair allowed by the config", () => {
    const scan = {
      commits: [commit("1"), commit("2"), commit("3", 1), commit("4"), commit("5")],
      incomplete: [{ commit: sha("2"), path: "big.bin", reason: "blob could not be read (404)" }, { reason: "payload cap" }],
    };
    const suppressed = [
      { fingerprint: "f".repeat(64), reason: "config-allow" as const, occurrences: [{ path: "a", line: 1, column: 1, commit: sha("4"), encoding: "plain" as const }] },
      // An inline allow is in the commit itself: any scan of it finds the same.
      { fingerprint: "e".repeat(64), reason: "inline-allow" as const, occurrences: [{ path: "b", line: 1, column: 1, commit: sha("5"), encoding: "plain" as const }] },
    ];
    expect(completelyScannedCommits(scan, suppressed)).toEqual([sha("1"), sha("5")]);
  });
});
