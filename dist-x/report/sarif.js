import { incompleteLine } from "./text.js";
export const SARIF_RULE_ID = "crisp-token-keypair";
const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/crisp-guard/crisp-guard";
/** The README section a code scanning alert links to ("Rolling a leaked keypair"). */
export const SARIF_HELP_URI = `${INFORMATION_URI}#rolling-a-leaked-keypair`;
// GitHub's upload limits ("SARIF support for code scanning" > "Limits on uploads"; "SARIF results
// exceed limit" troubleshooting page). Past a hard limit the whole file is rejected.
/** Hard limit: results per run (only the top 5,000 by severity are shown). */
export const MAX_RESULTS_PER_RUN = 25_000;
/** Hard limit: locations per result (only 100 are shown). This report puts one in each. */
export const MAX_LOCATIONS_PER_RESULT = 1_000;
/** Soft limit: tags per rule shown (the hard limit is 20). */
export const MAX_DISPLAYED_TAGS_PER_RULE = 10;
/**
 * A keypair grants API access to a workspace or a plugin: as severe as a leaked password.
 * GitHub maps security-severity over 9.0 to "critical", 7.0 to 8.9 to "high".
 */
const KEYPAIR_SECURITY_SEVERITY = "9.0";
const RULE_TAGS = ["security", "secret", "credential", "crisp", "external/cwe/cwe-798"];
const HELP_TEXT = [
    "A Crisp REST API token is a keypair: an identifier (a UUID) and a key (64 hex characters). Whoever holds both can use the Crisp API as you:",
    "read and write a workspace's conversations, contacts and settings (website tier), or act as your plugin on every website that installed it (plugin tier).",
    "Crisp has no API to roll a token: roll it by hand, then update whatever used it.",
    "- Website token: in the Crisp app, Settings > Workspace Settings > Advanced configuration, roll the token.",
    "- Plugin token: in the Crisp Marketplace dashboard, open the plugin > Tokens, roll the token.",
    "The old token stops working at once. Removing the keypair from git history does not make it safe: it was already readable. See " + SARIF_HELP_URI,
].join("\n");
const HELP_MARKDOWN = [
    "A Crisp REST API token is a **keypair**: an identifier (a UUID) and a key (64 hex characters). Whoever holds both can use the Crisp API as you:",
    "read and write a workspace's conversations, contacts and settings (**website** tier), or act as your plugin on every website that installed it (**plugin** tier).",
    "",
    "Crisp has no API to roll a token. Roll it by hand, then update whatever used it:",
    "",
    "- **Website token**: in the Crisp app, **Settings > Workspace Settings > Advanced configuration**, roll the token.",
    "- **Plugin token**: in the Crisp [Marketplace](https://marketplace.crisp.chat/) dashboard, open the plugin > **Tokens**, roll the token.",
    "",
    "The old token stops working at once. Removing the keypair from git history does **not** make it safe: it was already readable.",
    "",
    `More: [Rolling a leaked keypair](${SARIF_HELP_URI}).`,
].join("\n");
function level(f) {
    return f.verification.status === "live" ? "error" : "warning";
}
function message(f) {
    const v = f.verification;
    const status = v.status === "unverified" ? "not verified" : `${v.status.toUpperCase()}${v.tier ? ` (${v.tier} tier)` : ""}`;
    const rotation = f.rotations.length
        ? `; rotation: ${f.rotations.map((r) => `${r.rotator} ${r.status}`).join(", ")}`
        : "";
    return `Crisp token keypair ${f.keypair.redacted} committed: ${status}${rotation}. Roll the token in Crisp; removing it from git history does not make it safe.`;
}
/** SARIF's uri is a URI reference: each path segment percent-encoded (spaces, #, %, …). */
export function pathToUri(path) {
    return path.split("/").map(encodeURIComponent).join("/");
}
function result(f, o) {
    return {
        ruleId: SARIF_RULE_ID,
        ruleIndex: 0,
        level: level(f),
        message: { text: message(f) },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: { uri: pathToUri(o.path) },
                    region: { startLine: o.line, startColumn: o.column },
                },
            },
        ],
        partialFingerprints: { "crispKeypair/v1": f.fingerprint },
        properties: {
            verification: f.verification.status,
            encoding: o.encoding,
            ...(o.commit ? { commit: o.commit } : {}),
        },
    };
}
export function toSarif(report, options = {}) {
    const maxResults = options.maxResults ?? MAX_RESULTS_PER_RUN;
    // Live secrets first, so a cut keeps what matters most (GitHub also shows the most severe first).
    const ordered = [...report.findings].sort((a, b) => Number(level(a) === "warning") - Number(level(b) === "warning"));
    const all = ordered.flatMap((f) => f.occurrences.map((o) => [f, o]));
    const kept = all.slice(0, maxResults);
    const truncated = all.length > kept.length;
    if (truncated) {
        options.onWarning?.(`SARIF holds ${kept.length} of ${all.length} results (GitHub code scanning accepts at most ${maxResults} per run); use --format json for all of them`);
    }
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: report.tool.name,
                        version: report.tool.version,
                        informationUri: INFORMATION_URI,
                        rules: [
                            {
                                id: SARIF_RULE_ID,
                                name: "CrispTokenKeypair",
                                shortDescription: { text: "Crisp API token keypair (identifier and key) committed" },
                                fullDescription: {
                                    text: "A Crisp REST API token keypair grants access to a Crisp workspace or plugin. Roll it in Crisp: website tokens in Settings > Workspace Settings > Advanced configuration, plugin tokens in the Marketplace dashboard (plugin > Tokens).",
                                },
                                help: { text: HELP_TEXT, markdown: HELP_MARKDOWN },
                                helpUri: SARIF_HELP_URI,
                                defaultConfiguration: { level: "error" },
                                properties: {
                                    tags: RULE_TAGS.slice(0, MAX_DISPLAYED_TAGS_PER_RULE),
                                    precision: "high",
                                    "security-severity": KEYPAIR_SECURITY_SEVERITY,
                                },
                            },
                        ],
                    },
                },
                // An incomplete scan says so where code scanning shows tool problems.
                ...(report.scan.incomplete || report.scan.shallow ? { invocations: [invocation(report)] } : {}),
                results: kept.map(([f, o]) => result(f, o)),
                ...(truncated
                    ? { properties: { truncated: true, resultsTotal: all.length, resultsIncluded: kept.length, limit: "results per run" } }
                    : {}),
            },
        ],
    };
}
function invocation(report) {
    const notes = [];
    const missing = report.scan.missingObjects ?? [];
    if (report.scan.incomplete) {
        notes.push({ level: "error", message: { text: incompleteLine(missing) } });
    }
    if (report.scan.shallow) {
        notes.push({ level: "note", message: { text: "The history is shallow: each boundary commit holds everything before it." } });
    }
    return {
        executionSuccessful: !report.scan.incomplete,
        toolExecutionNotifications: notes,
        ...(report.scan.incomplete ? { properties: { incomplete: true, missingObjects: missing } } : {}),
    };
}
export function renderSarif(report, options = {}) {
    return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
//# sourceMappingURL=sarif.js.map