// Outcomes come from code we do not control (a command's stdout, a module), so they are checked
// before they reach the store and the reports.
export const ROTATION_STATUSES = ["rotated", "requested", "failed", "skipped"];
/** A RotationOutcome, or a one-line reason it is not one. */
export function checkOutcome(value) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return { ok: false, reason: "not an object" };
    }
    const v = value;
    if (typeof v.status !== "string" || !ROTATION_STATUSES.includes(v.status)) {
        return { ok: false, reason: `status must be one of ${ROTATION_STATUSES.join(", ")}` };
    }
    if (typeof v.detail !== "string")
        return { ok: false, reason: "detail must be a string" };
    const outcome = { status: v.status, detail: v.detail };
    if (v.url !== undefined && v.url !== null) {
        if (typeof v.url !== "string" || !isWebUrl(v.url))
            return { ok: false, reason: "url must be an http(s) URL" };
        outcome.url = v.url;
    }
    return { ok: true, outcome };
}
/** Only http(s) links are shown: a javascript: or data: URL in a report is a trap. */
export function isWebUrl(text) {
    try {
        const u = new URL(text);
        return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=outcome.js.map