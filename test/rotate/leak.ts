import { Keypair } from "../../src/detect/fingerprint.js";
import type { Leak } from "../../src/rotate/types.js";
import { randomKeypair, randomWebsiteId } from "../helpers/keypairs.js";

/** A live leak of a keypair made at run time, with its raw halves for holdsRaw(). */
export function makeLeak(overrides: Partial<Leak> = {}): { leak: Leak; raw: { identifier: string; key: string } } {
  const raw = randomKeypair();
  const keypair = new Keypair(raw.identifier, raw.key);
  const leak: Leak = {
    keypair,
    fingerprint: keypair.fingerprint,
    tier: "website",
    websiteId: randomWebsiteId(),
    verification: { status: "live", tier: "website", reason: "HTTP 200", checkedAt: "2026-01-02T03:04:05.000Z" },
    occurrences: [
      { path: "config/crisp.env", line: 3, column: 14, commit: "a".repeat(40), encoding: "plain" },
      { path: "src/app (old).js", line: 12, column: 1, commit: "b".repeat(40), encoding: "base64" },
    ],
    repository: { owner: "acme", repo: "widgets" },
    pusher: "octocat",
    ...overrides,
  };
  return { leak, raw };
}
