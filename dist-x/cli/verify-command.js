// `crisp-guard verify`: keypairs in on stdin (one per line), live | dead | unknown out.
// Input lines are never echoed, not even a malformed one: it may hold a key. A malformed line is
// named by its number on stderr, so stdout holds verdicts only.
import { createInterface } from "node:readline";
import { Keypair } from "../detect/fingerprint.js";
const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const UUID_ONLY = new RegExp(`^${UUID}$`);
/** DESIGN.md Keypair: a UUID identifier and exactly 64 hex characters of key. */
const KEY_ONLY = /^[0-9a-fA-F]{64}$/;
const PLAIN_LINE = new RegExp(`^(${UUID}):([0-9a-fA-F]{64})$`);
/** DESIGN.md exit codes. A live keypair matters more than a malformed line: 1 wins over 2. */
export const VERIFY_EXIT = { noneLive: 0, someLive: 1, error: 2 };
const MALFORMED = "malformed (expected identifier:key or a JSON object {identifier, key, tier?, websiteId?})";
/** Parses one input line. Error messages describe the problem, never the content. */
export function parseVerifyLine(raw) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#"))
        return { kind: "skip" };
    if (line.startsWith("{"))
        return parseJsonLine(line);
    const match = PLAIN_LINE.exec(line);
    if (match === null)
        return { kind: "error", message: MALFORMED };
    return { kind: "keypair", keypair: new Keypair(match[1], match[2]), tier: null, websiteId: null };
}
function parseJsonLine(line) {
    let value;
    try {
        value = JSON.parse(line);
    }
    catch {
        return { kind: "error", message: "malformed JSON" };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
        return { kind: "error", message: MALFORMED };
    const o = value;
    if (typeof o["identifier"] !== "string" || !UUID_ONLY.test(o["identifier"])) {
        return { kind: "error", message: "identifier must be a UUID" };
    }
    if (typeof o["key"] !== "string" || !KEY_ONLY.test(o["key"])) {
        return { kind: "error", message: "key must be 64 hex characters" };
    }
    const tier = o["tier"] ?? null;
    if (tier !== null && tier !== "plugin" && tier !== "website") {
        return { kind: "error", message: 'tier must be "plugin" or "website"' };
    }
    const websiteId = o["websiteId"] ?? null;
    if (websiteId !== null && (typeof websiteId !== "string" || !UUID_ONLY.test(websiteId))) {
        return { kind: "error", message: "websiteId must be a UUID" };
    }
    return {
        kind: "keypair",
        keypair: new Keypair(o["identifier"], o["key"]),
        tier,
        websiteId: websiteId === null ? null : websiteId.toLowerCase(),
    };
}
/**
 * Reads keypairs (`identifier:key` or JSON `{identifier, key, tier?, websiteId?}`, one per line;
 * blank lines and `#` comments skipped), verifies them all, and writes one line per keypair in input
 * order. A line's own tier and website id come first, then options.tier and options.websiteId; the
 * input's other website ids are offered as the scan's (tried only when no tier is named).
 * Returns the exit code: 1 if any keypair is live, else 2 if any line was malformed, else 0.
 */
export async function runVerifyCommand(input, output, verifier, options = {}) {
    const format = options.format ?? "text";
    const defaultTier = options.tier ?? null;
    const defaultWebsiteId = options.websiteId?.toLowerCase() ?? null;
    const entries = [];
    let lineNumber = 0;
    for await (const line of readLines(input)) {
        lineNumber++;
        const parsed = parseVerifyLine(line);
        if (parsed.kind !== "skip")
            entries.push({ line: lineNumber, parsed });
    }
    const websiteIds = [
        ...new Set(entries.flatMap((e) => (e.parsed.kind === "keypair" && e.parsed.websiteId !== null ? [e.parsed.websiteId] : []))),
    ];
    // All at once: the verifier queues, rate-limits and coalesces; output keeps input order.
    const results = await Promise.all(entries.map(async ({ line, parsed }) => {
        if (parsed.kind !== "keypair")
            return { line, parsed, verification: null };
        const websiteId = parsed.websiteId ?? defaultWebsiteId;
        const request = {
            keypair: parsed.keypair,
            tier: parsed.tier ?? defaultTier,
            websiteId,
            websiteIds: websiteIds.filter((id) => id !== websiteId),
        };
        return { line, parsed, verification: await verifier.verify(request) };
    }));
    let errors = 0;
    let live = 0;
    for (const { line, parsed, verification } of results) {
        if (parsed.kind === "error") {
            errors++;
            output.stderr.write(`crisp-guard: line ${line}: error: ${parsed.message}\n`);
        }
        else if (parsed.kind === "keypair" && verification !== null) {
            if (verification.status === "live")
                live++;
            output.stdout.write(format === "json" ? jsonLine(line, parsed.keypair, verification) : textLine(parsed.keypair, verification));
        }
    }
    if (live > 0)
        return VERIFY_EXIT.someLive;
    return errors > 0 ? VERIFY_EXIT.error : VERIFY_EXIT.noneLive;
}
function textLine(keypair, v) {
    const extra = [v.pluginId ? `plugin_id ${v.pluginId}` : "", v.websiteName ? `website "${v.websiteName}"` : ""].filter(Boolean);
    // DESIGN.md: the verify command prints live | dead | unknown, as scripts match them.
    return `${keypair.redacted}  ${v.status.padEnd(7)}  ${(v.tier ?? "-").padEnd(7)}  ${v.reason}${extra.length ? ` (${extra.join(", ")})` : ""}\n`;
}
function jsonLine(line, keypair, v) {
    return `${JSON.stringify({
        line,
        identifier: keypair.redactedIdentifier,
        keyHint: keypair.keyHint,
        fingerprint: keypair.fingerprint,
        ...v,
    })}\n`;
}
/** Lines from a stream (via readline), or from an iterable of strings where each item ends a line. */
async function* readLines(input) {
    if (isStream(input)) {
        yield* createInterface({ input, crlfDelay: Infinity });
        return;
    }
    for await (const chunk of input) {
        const lines = chunk.replace(/\r?\n$/, "").split(/\r?\n/);
        yield* lines;
    }
}
function isStream(input) {
    return typeof input.pipe === "function" && typeof input.on === "function";
}
//# sourceMappingURL=verify-command.js.map