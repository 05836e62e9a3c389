import type { Leak } from "./types.js";

// Redaction of free text a rotator produced (an outcome's detail, a command's stdout or stderr, an
// error message). We cannot know whether that text echoes the keypair, so anything shaped like a
// secret half is cut down to the DESIGN.md redacted form, except values known to be public.

/** The longest detail kept in a rotation record: it is shown in comments, check runs and reports. */
export const MAX_DETAIL_CHARS = 500;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// Any long hex run, not just 64 characters: a truncated or split key must not get through either.
// 20 is well below a key (64) and above most short ids and hashes people print (7-12).
const LONG_HEX = /[0-9a-f]{20,}/gi;

/**
 * Replaces every UUID with its first 8 characters + "…" and every hex run of 20+ characters with
 * "…" + its last 4, except the public values in `keep` (the fingerprint, the website id, commit ids).
 */
export function redactText(text: string, keep: Iterable<string> = []): string {
  const kept = new Set<string>();
  for (const value of keep) kept.add(value.toLowerCase());
  return text
    .replace(UUID, (m) => (kept.has(m.toLowerCase()) ? m : `${m.slice(0, 8).toLowerCase()}…`))
    .replace(LONG_HEX, (m) => (kept.has(m.toLowerCase()) ? m : `…${m.slice(-4).toLowerCase()}`));
}

/** Redacts first, then truncates: cutting first could leave a partial key the patterns miss. */
export function safeDetail(text: string, keep: Iterable<string> = [], max = MAX_DETAIL_CHARS): string {
  const oneLine = redactText(text, keep).replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Values about a leak that are safe to show as they are: its fingerprint, website id, commits. */
export function publicValues(leak: Leak): string[] {
  const keep = [leak.fingerprint];
  if (leak.websiteId) keep.push(leak.websiteId);
  for (const o of leak.occurrences) if (o.commit) keep.push(o.commit);
  return keep;
}
