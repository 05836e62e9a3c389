import type { RotationOutcome, RotationStatus } from "../detect/types.js";

// Outcomes come from code we do not control (a command's stdout, a module), so they are checked
// before they reach the store and the reports.

export const ROTATION_STATUSES: readonly RotationStatus[] = ["rotated", "requested", "failed", "skipped"];

/** A RotationOutcome, or a one-line reason it is not one. */
export function checkOutcome(value: unknown): { ok: true; outcome: RotationOutcome } | { ok: false; reason: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: "not an object" };
  }
  const v = value as Record<string, unknown>;
  if (typeof v.status !== "string" || !(ROTATION_STATUSES as string[]).includes(v.status)) {
    return { ok: false, reason: `status must be one of ${ROTATION_STATUSES.join(", ")}` };
  }
  if (typeof v.detail !== "string") return { ok: false, reason: "detail must be a string" };
  const outcome: RotationOutcome = { status: v.status as RotationStatus, detail: v.detail };
  if (v.url !== undefined && v.url !== null) {
    if (typeof v.url !== "string" || !isWebUrl(v.url)) return { ok: false, reason: "url must be an http(s) URL" };
    outcome.url = v.url;
  }
  return { ok: true, outcome };
}

/** Only http(s) links are shown: a javascript: or data: URL in a report is a trap. */
export function isWebUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password;
  } catch {
    return false;
  }
}
