// `crisp-guard verify`: keypairs in on stdin (one per line), live | dead | unknown out.
// Input lines are never echoed, not even a malformed one: it may hold a key. A malformed line is
// named by its number on stderr, so stdout holds verdicts only.

import { createInterface } from "node:readline";
import { Keypair } from "../detect/fingerprint.js";
import { isKey, isUuid, KEY_SOURCE, UUID_SOURCE } from "../detect/grammar.js";
import type { Tier, Verification } from "../detect/types.js";
import type { Verifier, VerifyRequest } from "../verify/types.js";

/** DESIGN.md Keypair: a UUID identifier and exactly 64 hex characters of key. */
const PLAIN_LINE = new RegExp(`^(${UUID_SOURCE}):(${KEY_SOURCE})$`);

/** DESIGN.md exit codes. A live keypair matters more than a malformed line: 1 wins over 2. */
export const VERIFY_EXIT = { noneLive: 0, someLive: 1, error: 2 } as const;

export interface VerifyCommandOptions {
  format?: "text" | "json";
  /** The tier for lines that name none (a JSON line's own `tier` wins). */
  tier?: Tier | null;
  /** The website id beside every keypair whose line gives none (a JSON line's own `websiteId` wins). */
  websiteId?: string | null;
}

export interface VerifyOutput {
  /** One verdict line per keypair. */
  stdout: { write(s: string): unknown };
  /** Malformed lines, by number only. */
  stderr: { write(s: string): unknown };
}

export type ParsedLine =
  | { kind: "skip" }
  | { kind: "keypair"; keypair: Keypair; tier: Tier | null; websiteId: string | null }
  | { kind: "error"; message: string };

const MALFORMED = "malformed (expected identifier:key or a JSON object {identifier, key, tier?, websiteId?})";

/** Parses one input line. Error messages describe the problem, never the content. */
export function parseVerifyLine(raw: string): ParsedLine {
  const line = raw.trim();
  if (line === "" || line.startsWith("#")) return { kind: "skip" };
  if (line.startsWith("{")) return parseJsonLine(line);
  const match = PLAIN_LINE.exec(line);
  if (match === null) return { kind: "error", message: MALFORMED };
  return { kind: "keypair", keypair: new Keypair(match[1]!, match[2]!), tier: null, websiteId: null };
}

function parseJsonLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: "error", message: "malformed JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { kind: "error", message: MALFORMED };
  const o = value as Record<string, unknown>;
  if (typeof o["identifier"] !== "string" || !isUuid(o["identifier"])) {
    return { kind: "error", message: "identifier must be a UUID" };
  }
  if (typeof o["key"] !== "string" || !isKey(o["key"])) {
    return { kind: "error", message: "key must be 64 hex characters" };
  }
  const tier = o["tier"] ?? null;
  if (tier !== null && tier !== "plugin" && tier !== "website") {
    return { kind: "error", message: 'tier must be "plugin" or "website"' };
  }
  const websiteId = o["websiteId"] ?? null;
  if (websiteId !== null && (typeof websiteId !== "string" || !isUuid(websiteId))) {
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
export async function runVerifyCommand(
  input: NodeJS.ReadableStream | AsyncIterable<string>,
  output: VerifyOutput,
  verifier: Verifier,
  options: VerifyCommandOptions = {},
): Promise<number> {
  const format = options.format ?? "text";
  const defaultTier = options.tier ?? null;
  const defaultWebsiteId = options.websiteId?.toLowerCase() ?? null;
  const entries: Array<{ line: number; parsed: ParsedLine }> = [];
  let lineNumber = 0;
  for await (const line of readLines(input)) {
    lineNumber++;
    const parsed = parseVerifyLine(line);
    if (parsed.kind !== "skip") entries.push({ line: lineNumber, parsed });
  }

  const websiteIds = [
    ...new Set(entries.flatMap((e) => (e.parsed.kind === "keypair" && e.parsed.websiteId !== null ? [e.parsed.websiteId] : []))),
  ];
  // All at once: the verifier queues, rate-limits and coalesces; output keeps input order.
  const results = await Promise.all(
    entries.map(async ({ line, parsed }) => {
      if (parsed.kind !== "keypair") return { line, parsed, verification: null };
      const websiteId = parsed.websiteId ?? defaultWebsiteId;
      const request: VerifyRequest = {
        keypair: parsed.keypair,
        tier: parsed.tier ?? defaultTier,
        websiteId,
        websiteIds: websiteIds.filter((id) => id !== websiteId),
      };
      return { line, parsed, verification: await verifier.verify(request) };
    }),
  );

  let errors = 0;
  let live = 0;
  for (const { line, parsed, verification } of results) {
    if (parsed.kind === "error") {
      errors++;
      output.stderr.write(`crisp-guard: line ${line}: error: ${parsed.message}\n`);
    } else if (parsed.kind === "keypair" && verification !== null) {
      if (verification.status === "live") live++;
      output.stdout.write(format === "json" ? jsonLine(line, parsed.keypair, verification) : textLine(parsed.keypair, verification));
    }
  }
  if (live > 0) return VERIFY_EXIT.someLive;
  return errors > 0 ? VERIFY_EXIT.error : VERIFY_EXIT.noneLive;
}

function textLine(keypair: Keypair, v: Verification): string {
  const extra = [v.pluginId ? `plugin_id ${v.pluginId}` : "", v.websiteName ? `website "${v.websiteName}"` : ""].filter(Boolean);
  // DESIGN.md: the verify command prints live | dead | unknown, as scripts match them.
  return `${keypair.redacted}  ${v.status.padEnd(7)}  ${(v.tier ?? "-").padEnd(7)}  ${v.reason}${extra.length ? ` (${extra.join(", ")})` : ""}\n`;
}

function jsonLine(line: number, keypair: Keypair, v: Verification): string {
  return `${JSON.stringify({
    line,
    identifier: keypair.redactedIdentifier,
    keyHint: keypair.keyHint,
    fingerprint: keypair.fingerprint,
    ...v,
  })}\n`;
}

/** Lines from a stream (via readline), or from an iterable of strings where each item ends a line. */
async function* readLines(input: NodeJS.ReadableStream | AsyncIterable<string>): AsyncGenerator<string> {
  if (isStream(input)) {
    yield* createInterface({ input, crlfDelay: Infinity });
    return;
  }
  for await (const chunk of input) {
    const lines = chunk.replace(/\r?\n$/, "").split(/\r?\n/);
    yield* lines;
  }
}

function isStream(input: NodeJS.ReadableStream | AsyncIterable<string>): input is NodeJS.ReadableStream {
  return typeof (input as NodeJS.ReadableStream).pipe === "function" && typeof (input as NodeJS.ReadableStream).on === "function";
}
