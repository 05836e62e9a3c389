// Findings for the GitHub reporter's tests, made at run time from synthetic keypairs.
import { Keypair } from "../../src/detect/fingerprint.js";
import type { Finding, Occurrence, RotationRecord, Tier, Verification, VerificationStatus } from "../../src/detect/types.js";
import { randomKeypair } from "../helpers/keypairs.js";

export interface TestFinding {
  finding: Finding;
  raw: { identifier: string; key: string };
}

export function verification(status: VerificationStatus, tier: Tier | null = null): Verification {
  return {
    status,
    tier,
    reason: status === "live" ? "200 OK" : status === "dead" ? "401 invalid_session" : status === "unknown" ? "timeout" : "verification not requested",
    checkedAt: status === "unverified" ? null : "2024-05-01T10:00:00Z",
  };
}

export function makeFinding(options: {
  status?: VerificationStatus;
  tier?: Tier | null;
  verifiedTier?: Tier | null;
  occurrences?: Array<Partial<Occurrence> & { path: string; line: number }>;
  rotations?: RotationRecord[];
  websiteId?: string | null;
} = {}): TestFinding {
  const raw = randomKeypair();
  const keypair = new Keypair(raw.identifier, raw.key);
  const status = options.status ?? "live";
  const occurrences: Occurrence[] = (options.occurrences ?? [{ path: "src/crisp.ts", line: 3, commit: "a".repeat(40) }]).map(
    (o) => ({ column: 1, encoding: "plain", ...o }),
  );
  return {
    raw,
    finding: {
      fingerprint: keypair.fingerprint,
      keypair,
      tier: options.tier ?? null,
      websiteId: options.websiteId ?? null,
      verification: verification(status, options.verifiedTier === undefined ? (status === "live" ? (options.tier ?? "website") : null) : options.verifiedTier),
      rotations: options.rotations ?? [],
      occurrences,
    },
  };
}
