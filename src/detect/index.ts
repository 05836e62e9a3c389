// Public face of the detector. Implementation lands with issue #2 (detector helper).
import type { DetectResult } from "./types.js";

export interface DetectOptions {
  /** The file's path (relative, '/'-separated): part of the Crisp context and of each occurrence. */
  path: string;
}

/**
 * Cheap prefilter: false when the text cannot hold a Crisp keypair (no UUID shape, no 64-hex run,
 * or no Crisp context). Sources call it before detect() to skip most files quickly.
 */
export function mayContainKeypair(text: string, path: string): boolean {
  void text;
  void path;
  return false;
}

/** Finds Crisp keypairs in one text. Pure. Occurrences carry path/line/column/encoding only. */
export function detect(text: string, options: DetectOptions): DetectResult {
  void text;
  void options;
  return { candidates: [], websiteIds: [] };
}

export * from "./types.js";
export { Keypair, fingerprint, redactIdentifier, keyHint, redactKeypair } from "./fingerprint.js";
