import type { Keypair } from "../detect/fingerprint.js";
import type { Occurrence, RotationOutcome, Tier, Verification } from "../detect/types.js";
import type { RepoRef } from "../github/repository.js";


/** DESIGN.md: what a rotator is handed. The keypair is in memory only (Keypair.reveal()). */
export interface Leak {
  keypair: Keypair;
  fingerprint: string;
  tier: Tier | null;
  websiteId: string | null;
  verification: Verification;
  occurrences: Occurrence[];
  repository: RepoRef | null;
  /** GitHub login of who pushed it, when known (the app); null from the CLI. */
  pusher: string | null;
  /** Set by the app (rotate/attempts.ts): this rotator's attempt, kept across retries and restarts. */
  attempt?: RotationAttempt;
}

/**
 * An idempotency key for one rotator's attempt on one secret. `resumed`: an earlier run of this same
 * attempt may have reached the outside world before the process died (look for it before writing).
 */
export interface RotationAttempt {
  id: string;
  resumed: boolean;
}

/** DESIGN.md Rotator contract. */
export interface Rotator {
  readonly name: string;
  /**
   * The longest this rotator can take by its own settings (a command's timeoutMs and kill grace).
   * When set, the registry stops it then instead of at its generic ceiling.
   */
  readonly ceilingMs?: number;
  rotate(leak: Leak, signal: AbortSignal): Promise<RotationOutcome>;
}

/** DESIGN.md: when to rotate (the server's defaults.rotate.when and a repository's rotate.when). */
export const ROTATE_WHEN = ["live", "live-or-unknown", "never"] as const;
export type RotateWhen = (typeof ROTATE_WHEN)[number];
