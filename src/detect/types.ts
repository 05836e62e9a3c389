// Shared domain types. Pure data: no I/O, no imports from outside detect/.

export type Tier = "plugin" | "website";

/** How the keypair appeared in the text it was found in. */
export type Encoding = "plain" | "base64" | "url" | "escaped";

export type SuppressionReason =
  | "documented-example"
  | "placeholder"
  | "inline-allow"
  | "baseline"
  | "config-allow";

/** Where one copy of a secret sits. `line`/`column` are 1-based, in the file as committed. */
export interface Occurrence {
  path: string;
  line: number;
  column: number;
  commit?: string;
  author?: string;
  date?: string;
  /** git: the commit is where a shallow clone was cut, so it also stands for everything before it. */
  shallowBoundary?: true;
  encoding: Encoding;
}

// Defined beside the Keypair class that wraps it, so that fingerprint.ts imports nothing from here.
export type { RawKeypair } from "./fingerprint.js";

/** One keypair found at one place by the detector. */
export interface Candidate {
  keypair: import("./fingerprint.js").Keypair;
  fingerprint: string;
  /** The tier the context names (authenticateTier("plugin"), X-Crisp-Tier, set_tier, CRISP_TIER=…). */
  tier: Tier | null;
  /** A website id seen beside the keypair (public). */
  websiteId: string | null;
  occurrence: Occurrence;
  /** Set when the detector itself suppresses it (documented example, placeholder, inline allow). */
  suppressed: SuppressionReason | null;
}

/**
 * A half under a Crisp label with no partner in its own text (`crisp: { id: … }` in config.yaml,
 * `CRISP_KEY=…` in .env). Kept so that a pass over the whole tree can pair it with a lone half of
 * the other kind in another file (cross-file.ts). Its value is held redacted.
 */
export interface LoneHalf {
  kind: "identifier" | "key";
  half: import("./fingerprint.js").HalfValue;
  occurrence: Occurrence;
  /** The label as written (`CRISP_KEY`, `id`): public. */
  label: string;
  /** The label's family: its qualifier words and the tier it names (`staging`, `|plugin`). */
  family: string;
  /** The tier the label or the nearest hint names. */
  tier: Tier | null;
  websiteId: string | null;
  /** A Crisp plugin id (CRISP_PLUGIN_ID): pairs only with a plugin key. */
  pluginId: boolean;
}

/** What the detector returns for one piece of text. */
export interface DetectResult {
  candidates: Candidate[];
  /** Every Crisp website id seen in the text, for the website-tier check of keypairs elsewhere. */
  websiteIds: string[];
  /** Labelled halves with no partner in this text, for pairing across files (cross-file.ts). */
  lone?: LoneHalf[];
}

export type VerificationStatus = "live" | "dead" | "unknown" | "unverified";

export interface Verification {
  status: VerificationStatus;
  tier: Tier | null;
  reason: string;
  checkedAt: string | null;
  /** From the 200 body when given: plugin_id (plugin tier) or website name (website tier). Public. */
  pluginId?: string;
  websiteName?: string;
}

export type RotationStatus = "rotated" | "requested" | "failed" | "skipped";

export interface RotationOutcome {
  status: RotationStatus;
  detail: string;
  url?: string;
}

export interface RotationRecord extends RotationOutcome {
  rotator: string;
}

/** One secret, with every place it occurs: the unit reported, verified and rotated. */
export interface Finding {
  fingerprint: string;
  keypair: import("./fingerprint.js").Keypair;
  tier: Tier | null;
  websiteId: string | null;
  verification: Verification;
  /** Every rotator's outcome; `rotation` in reports is the first of these. */
  rotations: RotationRecord[];
  occurrences: Occurrence[];
}

export interface SuppressedFinding {
  fingerprint: string;
  reason: SuppressionReason;
  occurrences: Occurrence[];
}

export const UNVERIFIED: Verification = Object.freeze({
  status: "unverified",
  tier: null,
  reason: "verification not requested",
  checkedAt: null,
});
