// The one place a schema's failure becomes a message. It names the setting's path and says what the
// setting must be; it never quotes the value (a pasted key, or a secret substituted from the
// environment, must not reach a log, a check run or a terminal). Valibot's own messages end in
// `Received "<value>"`, so they are never used: every message here comes from our schemas or from
// the fallback below.
import * as v from "valibot";

export type Issue = v.BaseIssue<unknown>;

export interface IssueStyle {
  /** Between the path and the problem: `rotators.webhook.url: not a valid URL`, or `verify must be …`. */
  separator: string;
  /** What a problem with the whole document is said about ("top level"); "" for no subject at all. */
  root: string;
  /**
   * Where an unknown key goes: in the path (`rotators.slack: unknown setting`) or quoted after the
   * problem (`unknown setting "colour"`), the form the repository config has always used.
   */
  unknownKey: "path" | "quoted";
}

/** Named in a message only when it reads like a setting or variable name, never like a UUID or hex key. */
const NAMEABLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/;
const HEX_RUN = /[0-9A-Fa-f]{8}/;
/** Stands for a key that is not named (see NAMEABLE_KEY). */
export const HIDDEN_KEY = "(hidden)";

export function nameableKey(key: string): boolean {
  return NAMEABLE_KEY.test(key) && !HEX_RUN.test(key);
}

/** `rotators.webhook.url`, `allow[0].fingerprint`; a key that could be a secret reads `(hidden)`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else out += (out ? "." : "") + (nameableKey(s) ? s : HIDDEN_KEY);
  }
  return out;
}

/** The message an unknown key's issue carries; `expected` lists the keys the mapping knows. */
export function unknownSettingMessage(known: readonly string[], style: "expected" | "known"): string {
  if (known.length === 0) return "unknown setting";
  return style === "expected" ? `unknown setting (expected one of ${known.join(", ")})` : `unknown setting (known: ${known.join(", ")})`;
}

/** A strict object reports an unknown key with expected "never" and the key as the last path item. */
function isUnknownKey(issue: Issue): boolean {
  return issue.type === "strict_object" && issue.expected === "never";
}

function pathOf(issue: Issue): (string | number)[] {
  return (issue.path ?? []).map((item) => (typeof item.key === "number" ? item.key : String(item.key)));
}

/**
 * One line for the first problem. An unknown key goes first: it is most often a typo, and the typo
 * explains the other problems (`secre:` leaves `secret` missing).
 */
export function formatIssues(issues: readonly [Issue, ...Issue[]] | readonly Issue[], style: IssueStyle): string {
  const issue = issues.find(isUnknownKey) ?? issues[0];
  if (!issue) return `${style.root || "config"}${style.separator}is not valid`;
  const segments = pathOf(issue);
  if (isUnknownKey(issue) && style.unknownKey === "quoted") {
    const key = segments.pop();
    const named = typeof key === "string" && nameableKey(key) ? `"${key}"` : "(its name is not shown: it may be a pasted secret)";
    const where = segments.length ? `${formatPath(segments)}${style.separator}` : "";
    return `${where}${issue.message.replace(/^unknown setting/, `unknown setting ${named}`)}`;
  }
  const path = formatPath(segments) || style.root;
  return path ? `${path}${style.separator}${issue.message}` : issue.message;
}

/**
 * For a schema with no message of its own: says what kind of value was expected, from the schema,
 * never from the input.
 */
function fallbackMessage(issue: Issue): string {
  switch (issue.type) {
    case "string":
      return "must be a string";
    case "boolean":
      return "must be true or false";
    case "number":
      return "must be a number";
    case "array":
      return "must be a list";
    case "object":
    case "loose_object":
    case "strict_object":
    case "record":
      return "must be a mapping";
    default:
      return "is not valid";
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses `input`; on failure, one message in `style` (see formatIssues). */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, style: IssueStyle): Parsed<v.InferOutput<S>> {
  // abortPipeEarly: a pipe stops at its first failed check, so later checks may rely on earlier ones.
  const result = v.safeParse(schema, input, { message: fallbackMessage, abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, message: formatIssues(result.issues, style) };
}

// ---- shared schema pieces ------------------------------------------------------------------------

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * A YAML mapping with only the given keys (a list is not a mapping, though valibot's objects accept
 * arrays). `notMapping` is said when it is something else; an unknown key is named (formatIssues).
 */
export function strictMapping<const E extends v.ObjectEntries>(
  entries: E,
  options: { notMapping?: string; unknown?: "expected" | "known"; known?: readonly (keyof E & string)[] } = {},
) {
  // `known` lists the keys in the order a reader knows them, when the entries' order (the order
  // problems are checked in) differs.
  const known = options.known ?? Object.keys(entries);
  const notMapping = options.notMapping ?? "must be a mapping";
  return v.pipe(
    v.custom<Record<string, unknown>>(isMapping, notMapping),
    v.strictObject(entries, (issue) => {
      if (issue.expected === "never") return unknownSettingMessage(known, options.unknown ?? "expected");
      // A key the schema requires and the input lacks carries its path; a wrong type does not.
      return issue.path ? "required" : notMapping;
    }),
  );
}

/** A mapping that keeps the given keys and ignores the rest. */
export function looseMapping<const E extends v.ObjectEntries>(entries: E, notMapping = "must be a mapping") {
  return v.pipe(v.custom<Record<string, unknown>>(isMapping, notMapping), v.object(entries, notMapping));
}

/** Stands in for a missing key; the schemas given to `required` reject it. */
const MISSING = Symbol("missing");

/**
 * A key the input must have. Valibot's objects report a missing key with the object's message;
 * this runs `schema` on a stand-in instead, so the key gets `schema`'s own message ("must be a
 * string"). `schema` must reject a symbol, as every typed schema does.
 */
export function required<S extends v.GenericSchema>(schema: S) {
  return v.optional(schema, MISSING as unknown as v.InferInput<S>);
}

/** Any mapping, its values unchecked. */
export function anyMapping(notMapping = "must be a mapping") {
  return v.custom<Record<string, unknown>>(isMapping, notMapping);
}
