import * as v from "valibot";
import type { RotationOutcome, RotationStatus } from "../detect/types.js";
import { looseMapping, parseWith, required, type IssueStyle } from "../config/schema-errors.js";

// Outcomes come from code we do not control (a command's stdout, a module), so they are checked
// before they reach the store and the reports. Keys other than these are ignored.

export const ROTATION_STATUSES = ["rotated", "requested", "failed", "skipped"] as const satisfies readonly RotationStatus[];

/** Only http(s) links are shown: a javascript: or data: URL in a report is a trap. */
export function isWebUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password;
  } catch {
    return false;
  }
}

const WEB_URL = "must be an http(s) URL";

const OutcomeSchema = v.pipe(
  looseMapping(
    {
      status: required(v.picklist(ROTATION_STATUSES, `must be one of ${ROTATION_STATUSES.join(", ")}`)),
      detail: required(v.string("must be a string")),
      url: v.nullish(v.pipe(v.string(WEB_URL), v.check(isWebUrl, WEB_URL))),
    },
    "not an object",
  ),
  v.transform(({ status, detail, url }): RotationOutcome => (url ? { status, detail, url } : { status, detail })),
);

/** `status must be one of …`: the reasons a rotator's outcome has always been refused with. */
const STYLE: IssueStyle = { separator: " ", root: "", unknownKey: "path" };

/** A RotationOutcome, or a one-line reason it is not one. */
export function checkOutcome(value: unknown): { ok: true; outcome: RotationOutcome } | { ok: false; reason: string } {
  const parsed = parseWith(OutcomeSchema, value, STYLE);
  return parsed.ok ? { ok: true, outcome: parsed.value } : { ok: false, reason: parsed.message };
}
