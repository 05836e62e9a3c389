import type { Keypair } from "../detect/fingerprint.js";
import type { Tier, Verification } from "../detect/types.js";

/** What the verifier needs to check one secret. */
export interface VerifyRequest {
  keypair: Keypair;
  /** The tier the context names, tried first. */
  tier: Tier | null;
  /** The website id seen beside the keypair. */
  websiteId: string | null;
  /** Every other website id seen in the same scan (tree, history or push), for the website tier. */
  websiteIds: readonly string[];
}

export interface Verifier {
  verify(request: VerifyRequest): Promise<Verification>;
}
