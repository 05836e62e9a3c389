// Verification shared by every worker on one store (Postgres): the answer to a secret is recorded
// under its fingerprint, and a worker about to ask Crisp first takes the secret's lock and reads the
// store. Two workers meeting one secret spend the owner's quota once, and two identical checks in
// flight become one: the second waits for the first's answer rather than asking beside it.
import PQueue from "p-queue";
import type { Verification } from "../detect/types.js";
import type { Store } from "../store/types.js";
import { DEFAULT_CACHE_TTL_MS, DEFAULT_CONCURRENCY } from "./verifier.js";
import type { Verifier } from "./types.js";

/** Answers worth sharing: live and dead say something about the secret; unknown is asked again. */
const SHARED: ReadonlySet<string> = new Set(["live", "dead"]);

export const verifyLockName = (fingerprint: string): string => `verify:${fingerprint}`;

export interface SharedVerifierOptions {
  store: Pick<Store, "withLock" | "latestVerification" | "recordVerification" | "upsertSecret">;
  /** How long a recorded answer stands for another worker; default the verifier's own cache TTL. */
  ttlMs?: number;
  now?: () => number;
}

/** A verifier whose answers other workers reuse, through the store, within `ttlMs`. */
export function sharedVerifier(inner: Verifier, options: SharedVerifierOptions): Verifier {
  const { store } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  // Each secret checked holds a lock connection while Crisp answers: as many at once as the verifier
  // itself sends (its concurrency), not one per finding of a big push.
  const slots = new PQueue({ concurrency: DEFAULT_CONCURRENCY });
  return {
    async verify(request) {
      const { fingerprint } = request.keypair;
      return slots.add(() => store.withLock(verifyLockName(fingerprint), async () => {
        const recorded = await store.latestVerification(fingerprint);
        if (recorded && SHARED.has(recorded.status) && recorded.checkedAt !== null) {
          const age = now() - Date.parse(recorded.checkedAt);
          if (age >= 0 && age < ttlMs) {
            const { recordedAt: _at, ...answer } = recorded;
            return answer satisfies Verification;
          }
        }
        const answer = await inner.verify(request);
        // Recorded now, for the others; the worker's own record of the same answer is not a second
        // row (the store keeps an answer once). The secret first, as the worker would record it.
        if (SHARED.has(answer.status)) {
          const { redactedIdentifier, keyHint } = request.keypair;
          await store.upsertSecret({ fingerprint, redactedIdentifier, keyHint, tier: null, websiteId: null });
          await store.recordVerification(fingerprint, answer);
        }
        return answer;
      }));
    },
  };
}
