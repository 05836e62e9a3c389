// The grammar of a Crisp token keypair and of the words written around it.
// DESIGN.md: identifier = UUID (8-4-4-4-12 hex); key = exactly 64 hex, not part of a longer hex run.

import type { Tier } from "./types.js";

/** DESIGN.md: the key is exactly 64 hex characters. */
export const KEY_LENGTH = 64;

/** A UUID anywhere; boundaries are checked in code (cheaper than lookbehinds on every position). */
export const UUID_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

/**
 * Hex runs long enough to matter. Each run is consumed whole, so a 10 MB hex blob is one match
 * (linear), and a key inside a longer run (a sha512, concatenated object ids) shows as a run of
 * another length and is dropped.
 */
export const HEX_RUN_RE = /[0-9a-fA-F]{32,}/g;

/** Hex runs this long next to a key make it part of a list of digests or object ids. */
export const DIGEST_LIKE_LENGTH = 40;

/** How far back on its line a label is looked for: an assignment is short; a longer look costs. */
export const LABEL_LOOKBACK = 100;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Nothing alphanumeric touches the start of the shape, except the letter of a backslash escape
 * (`\nCRISP_KEY=` in a JSON-escaped string): `0x…`, `sha256abc…` and the middle of words are out.
 */
export function boundaryBefore(text: string, start: number): boolean {
  if (start === 0) return true;
  const c = text.charCodeAt(start - 1);
  if (!isAlnum(c)) return true;
  return (c === 110 || c === 114 || c === 116) && start >= 2 && text.charCodeAt(start - 2) === 92; // \n \r \t
}

export function boundaryAfter(text: string, end: number): boolean {
  return end >= text.length || !isAlnum(text.charCodeAt(end));
}

/**
 * `NAME = "`, `NAME: `, `"Name": "`, `NAME := "`, `val NAME: String = "`, `| Name | `,
 * `window["NAME"] = "` at the end of the text before a value. The name may hold dots and dashes
 * (`crisp.api.key`, `X-Crisp-Tier`). Anchored at the end so the label is the one nearest the value.
 */
const LABEL_RE =
  /(?<![\w$.-])([A-Za-z_$][\w$.-]*)(?:\\?["'`]|\])*\s*(?::\s*[A-Za-z_][\w.<>?]*\s*(?==))?(?:=>|:=|\?=|=|:|\|)\s*(?:\\?["'`])?\s*$/;

/**
 * Where a generic `value:` / `default =` takes its meaning: `name: CRISP_KEY` (Kubernetes env lists,
 * Helm values), `"name": "CRISP_KEY"` (ECS task definitions, on the same line or above), or a
 * Terraform `variable "crisp_key" {` block. The last one before the value wins.
 */
const NAME_OF_VALUE_RE = /name["']?\s*:\s*["']?([A-Za-z_][\w.-]*)|variable\s+"([A-Za-z_][\w-]*)"/g;

/**
 * A value given as the default of an environment lookup names the variable before it:
 * `os.getenv("CRISP_KEY", "…")`, `ENV.fetch("CRISP_KEY", "…")`, `environ.get('CRISP_KEY', '…')`,
 * `process.env.CRISP_KEY ?? "…"` / `|| "…"`.
 */
const ENV_DEFAULT_RE =
  /(?:["'`]([A-Za-z_][\w.-]*)["'`]\s*,\s*(?:default\s*=\s*)?|\benv\.([A-Za-z_]\w*)\s*(?:\?\?|\|\|)\s*)["'`]$/;

/** The name a generic `value:` takes from `text` (the last `name:` or `variable "…"` in it), or null. */
export function nameOfValueIn(text: string): string | null {
  let name: string | null = null;
  for (const m of text.matchAll(NAME_OF_VALUE_RE)) name = m[1] ?? m[2] ?? name;
  return name;
}

/** Generic names whose meaning is on the `name:` line above. */
const VALUE_LABELS = new Set(["value", "val", "default"]);

/** A label that is itself a UUID or hex value (`uuid:` before a key in `id:key`) names nothing. */
const HEXISH_LABEL_RE = /^[0-9a-fA-F-]+$|[0-9a-fA-F]{8}-/;

/** The object a label hangs on, when it is a browser global (the chatbox snippet sets window.CRISP_*). */
const BROWSER_GLOBAL_RE = /(?:window|self|globalThis|document)\s*\[\s*["'`]?$/;
const BROWSER_GLOBAL_WORDS = new Set(["window", "self", "globalthis", "document"]);

export interface Label {
  name: string;
  /** Lowercased words of the name (camelCase, snake_case, dots and dashes split). */
  words: string[];
  /** The name's words minus role and vendor words: STAGING in CRISP_KEY_STAGING. Pairs halves. */
  group: string;
  /** Set on a browser global (window.CRISP_TOKEN_ID): the chatbox's, never an API credential. */
  browserGlobal: boolean;
}

/** Words that say what a value is or whose it is, not which keypair it belongs to. */
const ROLE_WORDS = new Set([
  "crisp", "identifier", "ident", "id", "key", "keys", "token", "tokens", "secret", "api", "rest", "access",
  "client", "user", "username", "login", "password", "pass", "pwd", "value", "val", "auth", "credential",
  "credentials", "creds", "plugin", "website", "tier", "default", "env", "string",
]);

export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

export function makeLabel(name: string, browserGlobal = false): Label {
  const words = splitWords(name);
  const global = browserGlobal || (words.length > 0 && BROWSER_GLOBAL_WORDS.has(words[0]!));
  const group = [...new Set(words.filter((w) => !ROLE_WORDS.has(w) && !BROWSER_GLOBAL_WORDS.has(w)))]
    .sort()
    .join(" ");
  return { name, words, group, browserGlobal: global };
}

/**
 * The label written before a value at `start`, on the same line (`lineStart`), or null.
 * `nameAbove` gives the name the one or two lines above hold (`nameOfValueIn` of them), for
 * `name:`/`value:` pairs; it is called only for such generic labels. The caller computes it once
 * per line: a line of a million `value: <uuid>` must not rescan the lines above for each value.
 */
export function labelBefore(
  text: string,
  start: number,
  lineStart: number,
  nameAbove: () => string | null = () => null,
): Label | null {
  const from = Math.max(lineStart, start - LABEL_LOOKBACK);
  const prefix = text.slice(from, start);
  const env = ENV_DEFAULT_RE.exec(prefix);
  if (env) return makeLabel((env[1] ?? env[2])!);
  const m = LABEL_RE.exec(prefix);
  if (!m) return null;
  let name = m[1]!;
  // `\nCRISP_KEY=` inside an escaped string: the n belongs to the escape, not the name.
  if (m.index > 0 && prefix.charCodeAt(m.index - 1) === 92 && /^[nrt][A-Z_]/.test(name)) name = name.slice(1);
  if (HEXISH_LABEL_RE.test(name)) return null;
  if (VALUE_LABELS.has(name.toLowerCase())) {
    name = nameOfValueIn(prefix.slice(0, m.index)) ?? nameAbove() ?? name;
  }
  const browserGlobal = BROWSER_GLOBAL_RE.test(prefix.slice(0, m.index));
  return makeLabel(name, browserGlobal);
}

const has = (words: readonly string[], ...any: string[]): boolean => any.some((w) => words.includes(w));

/** Words that make a label name a token credential rather than some other id. */
const CREDENTIAL_WORDS = ["identifier", "ident", "token", "key", "secret", "credential", "credentials", "login", "username"];

/** CRISP_WEBSITE_ID, website_id, websiteId: the public chatbox id, never an identifier. */
export function isWebsiteIdLabel(label: Label): boolean {
  const w = label.words;
  if (has(w, "websiteid", "websiteids")) return true;
  return has(w, "website") && has(w, "id", "ids", "uuid") && !has(w, ...CREDENTIAL_WORDS);
}

/** Ids of things that are not tokens: plugin_id, session_id, conversation ids, visitors… */
const OTHER_ID_OWNERS = [
  "plugin", "session", "conversation", "visitor", "people", "person", "operator", "request", "trace",
  "correlation", "message", "event", "device", "order", "tenant", "workspace", "organization", "org",
  "transaction", "install", "installation", "build", "job", "run", "channel", "inbox", "campaign",
];

/** A UUID so labelled is some other id (plugin_id, session_id, …), not a token identifier. */
export function isOtherIdLabel(label: Label): boolean {
  const w = label.words;
  return has(w, ...OTHER_ID_OWNERS) && has(w, "id", "ids", "uuid", "guid") && !has(w, ...CREDENTIAL_WORDS);
}

/** Labels of 64-hex values that are digests, signatures or other secrets, never a Crisp key. */
const NOT_A_KEY_WORDS = new Set([
  "sha", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3", "md5", "blake2", "blake2b", "blake3",
  "hash", "hashes", "hashed", "digest", "digests", "checksum", "checksums", "sum", "integrity", "nonce",
  "signature", "signing", "sign", "signed", "webhook", "webhooks", "hook", "hooks", "hmac", "salt",
  "commit", "oid", "etag", "fingerprint", "blob", "tree", "iv", "session", "csrf", "cookie", "jwt",
  "encryption", "encrypt", "cipher", "aes", "private", "wallet", "verify", "verification", "seed",
]);

/** Also inside compound words (contenthash, sha256sum, webhooksecret); not "sha", which is in "shared". */
const NOT_A_KEY_INFIX_RE = /hash|digest|checksum|md5|nonce|signature|hmac|webhook|integrity|fingerprint|sha(?:1|224|256|384|512)/;

export function isNotAKeyLabel(label: Label): boolean {
  return label.words.some((w) => NOT_A_KEY_WORDS.has(w)) || NOT_A_KEY_INFIX_RE.test(label.words.join(""));
}

/** Right before a hex value: `sha256:`, `sha256-`, `md5=`, `digest ` name it a digest. */
const DIGEST_PREFIX_RE = /(?:sha-?(?:1|224|256|384|512)|sha3|md5|blake[23]b?|digest|hash|checksum|hmac|nonce|signature|etag)["'`]?[\s:=@-]{0,3}["'`]?$/i;

export function digestPrefixed(text: string, start: number, lineStart: number): boolean {
  return DIGEST_PREFIX_RE.test(text.slice(Math.max(lineStart, start - 24), start));
}

/** CRISP_PLUGIN_KEY, crisp_website_identifier: the label names the tier. */
export function labelTier(label: Label | null): Tier | null {
  if (!label) return null;
  if (label.words.includes("plugin")) return "plugin";
  if (label.words.includes("website")) return "website";
  return null;
}
