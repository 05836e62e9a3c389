import { redactAndTruncate } from "../detect/redact-text.js";
import type { Leak } from "./types.js";

// Free text a rotator produced (an outcome's detail, a command's stdout or stderr, an error
// message) may echo the keypair: it is shown only through detect/redact-text.ts, except the
// values known to be public about the leak.

/** The longest detail kept in a rotation record: it is shown in comments, check runs and reports. */
export const MAX_DETAIL_CHARS = 500;

/** One line, redacted (UUIDs and hex runs of 20+, except `keep`), then truncated. */
export function safeDetail(text: string, keep: Iterable<string> = [], max = MAX_DETAIL_CHARS): string {
  return redactAndTruncate(text.replace(/\s+/g, " ").trim(), max, { keep });
}

/** Values about a leak that are safe to show as they are: its fingerprint, website id, commits. */
export function publicValues(leak: Leak): string[] {
  const keep = [leak.fingerprint];
  if (leak.websiteId) keep.push(leak.websiteId);
  for (const o of leak.occurrences) if (o.commit) keep.push(o.commit);
  return keep;
}
