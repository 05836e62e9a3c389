import { escapeTerminal } from "../escape/terminal.js";
import { plural } from "./plural.js";
const ansi = (code) => (on, s) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const red = ansi(31);
const bold = ansi(1);
const yellow = ansi(33);
const dim = ansi(2);
function statusLabel(f, color) {
    const v = f.verification;
    const tier = v.tier ? ` on the ${v.tier} tier` : "";
    switch (v.status) {
        case "live":
            return bold(color, red(color, `LIVE${tier}: roll this token now`));
        case "dead":
            return `dead${tier} (Crisp answered 401)`;
        case "unknown":
            return yellow(color, `unknown (${escapeTerminal(v.reason)})`);
        default:
            return "not verified (run with --verify to check it against Crisp)";
    }
}
// Paths, authors, dates and rotator details come from the scanned files or from outside: escaped,
// so none of them can drive the terminal or start a line of its own.
function where(o) {
    const at = `${escapeTerminal(o.path)}:${o.line}:${o.column}`;
    const commit = o.commit ? ` in ${o.commit.slice(0, 12)}` : "";
    const who = o.author ? ` by ${escapeTerminal(o.author)}` : "";
    const when = o.date ? ` on ${escapeTerminal(o.date.slice(0, 10))}` : "";
    const enc = o.encoding !== "plain" ? ` [${o.encoding}]` : "";
    const cut = o.shallowBoundary ? " (shallow clone boundary: introduced there or in the history before it)" : "";
    return `${at}${commit}${who}${when}${enc}${cut}`;
}
export function renderText(report, options = {}) {
    const color = options.color ?? false;
    const lines = [];
    for (const f of report.findings) {
        lines.push(`${bold(color, "Crisp token keypair")} ${f.keypair.redacted}  ${statusLabel(f, color)}`);
        lines.push(dim(color, `  fingerprint ${f.fingerprint}`));
        if (f.tier)
            lines.push(`  tier (from context): ${f.tier}`);
        if (f.websiteId)
            lines.push(`  website id: ${escapeTerminal(f.websiteId)}`);
        for (const r of f.rotations) {
            lines.push(`  rotation via ${escapeTerminal(r.rotator)}: ${r.status}: ${escapeTerminal(r.detail)}${r.url ? ` (${escapeTerminal(r.url)})` : ""}`);
        }
        for (const o of f.occurrences)
            lines.push(`  at ${where(o)}`);
        lines.push("");
    }
    const s = report.scan;
    const scanned = s.blobsScanned !== undefined ? plural(s.blobsScanned, "blob") : plural(s.filesScanned ?? 0, "file");
    const extra = [
        s.commits !== undefined ? plural(s.commits, "commit") : null,
        s.skippedLarge ? `${s.skippedLarge} skipped as too large` : null,
        s.skippedBinary ? `${s.skippedBinary} binary skipped` : null,
        s.unreadable ? `${s.unreadable} unreadable` : null,
        report.suppressed.length ? `${report.suppressed.length} suppressed` : null,
    ].filter(Boolean);
    const live = report.findings.filter((f) => f.verification.status === "live").length;
    const summary = report.findings.length === 0
        ? "No Crisp token keypair found."
        : `${plural(report.findings.length, "Crisp token keypair")} found` +
            (live ? `, ${live} LIVE` : "") + ".";
    lines.push(live ? bold(color, red(color, summary)) : summary);
    lines.push(dim(color, `Scanned ${scanned} (${formatBytes(s.bytesScanned)}) in ${(s.durationMs / 1000).toFixed(2)} s` +
        (extra.length ? `; ${extra.join(", ")}` : "") + "."));
    if (s.incomplete)
        lines.push(incompleteLine(s.missingObjects ?? []));
    if (s.shallow)
        lines.push("The history is shallow: each boundary commit holds everything before it (clone with full history to attribute those).");
    return `${lines.join("\n")}\n`;
}
/** How many objects were not scanned, and the first few ids (an object id is not a secret). */
export function incompleteLine(missing) {
    const shown = missing.slice(0, 3).map((m) => (m.path ? `${m.id} (${m.path})` : m.id));
    const more = missing.length > shown.length ? ", …" : "";
    return `INCOMPLETE: ${missing.length} object${missing.length === 1 ? "" : "s"} could not be read and ${missing.length === 1 ? "was" : "were"} not scanned: ${shown.join(", ")}${more}.`;
}
export function formatBytes(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 ** 2)
        return `${(n / 1024).toFixed(1)} KiB`;
    if (n < 1024 ** 3)
        return `${(n / 1024 ** 2).toFixed(1)} MiB`;
    return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
//# sourceMappingURL=text.js.map