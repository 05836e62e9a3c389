import { Keypair } from "../../src/detect/fingerprint.js";
import type { Candidate, Occurrence, SuppressionReason, Tier } from "../../src/detect/types.js";
import { randomKeypair } from "./keypairs.js";

/** A candidate as the detector would produce it, for tests of what comes after detection. */
export function makeCandidate(
  raw = randomKeypair(),
  occurrence: Partial<Occurrence> = {},
  extra: { tier?: Tier | null; websiteId?: string | null; suppressed?: SuppressionReason | null } = {},
): Candidate {
  const keypair = new Keypair(raw.identifier, raw.key);
  return {
    keypair,
    fingerprint: keypair.fingerprint,
    tier: extra.tier ?? null,
    websiteId: extra.websiteId ?? null,
    occurrence: { path: ".env", line: 1, column: 1, encoding: "plain", ...occurrence },
    suppressed: extra.suppressed ?? null,
  };
}
