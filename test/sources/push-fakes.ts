// A small stand-in for the detector, so these tests do not hang on detection rules: pairs the first
// CRISP_IDENTIFIER=<uuid> with the first CRISP_KEY=<64 hex> of a text, the occurrence at the
// identifier, and lists CRISP_WEBSITE_ID=<uuid> values. Enough to drive the push source.
import { Keypair } from "../../src/detect/fingerprint.js";
import type { DetectOptions } from "../../src/detect/index.js";
import type { Candidate, DetectResult } from "../../src/detect/types.js";

const ID = /CRISP_IDENTIFIER=([0-9a-f-]{36})/i;
const KEY = /CRISP_KEY=([0-9a-f]{64})/i;
const SITE = /CRISP_WEBSITE_ID=([0-9a-f-]{36})/gi;

export const calls: Array<{ path: string; text: string }> = [];

export function fakeDetect(text: string, options: DetectOptions): DetectResult {
  calls.push({ path: options.path, text });
  const lines = text.split("\n");
  let id: { value: string; line: number; column: number } | null = null;
  let key: string | null = null;
  lines.forEach((l, i) => {
    const m = ID.exec(l);
    if (m && !id) id = { value: m[1]!, line: i + 1, column: m.index + "CRISP_IDENTIFIER=".length + 1 };
    const k = KEY.exec(l);
    if (k && !key) key = k[1]!;
  });
  const websiteIds = [...text.matchAll(SITE)].map((m) => m[1]!.toLowerCase());
  const candidates: Candidate[] = [];
  const found = id as { value: string; line: number; column: number } | null;
  if (found && key) {
    const keypair = new Keypair(found.value, key);
    candidates.push({
      keypair,
      fingerprint: keypair.fingerprint,
      tier: null,
      websiteId: websiteIds[0] ?? null,
      occurrence: { path: options.path, line: found.line, column: found.column, encoding: "plain" },
      suppressed: null,
    });
  }
  return { candidates, websiteIds };
}

export function fakePrefilter(text: string): boolean {
  return /crisp/i.test(text);
}

export const fakes = { detect: fakeDetect, mayContainKeypair: fakePrefilter };
