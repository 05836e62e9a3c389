// The grammar of a Crisp token keypair and of the words written around it.
// DESIGN.md: identifier = UUID (8-4-4-4-12 hex); key = exactly 64 hex, not part of a longer hex run.

import type { Tier } from "./types.js";

/** DESIGN.md: the key is exactly 64 hex characters. */
export const KEY_LENGTH = 64;

/** The UUID shape (an identifier, a website id), as a regular expression source. */
export const UUID_SOURCE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** The key shape: exactly KEY_LENGTH hex characters, as a regular expression source. */
export const KEY_SOURCE = "[0-9a-fA-F]{64}";

/** A UUID anywhere; boundaries are checked in code (cheaper than lookbehinds on every position). */
export const UUID_RE = new RegExp(UUID_SOURCE, "g");

const UUID_ONLY = new RegExp(`^${UUID_SOURCE}$`);
const KEY_ONLY = new RegExp(`^${KEY_SOURCE}$`);

/** The whole value is a UUID (an identifier or a website id). */
export function isUuid(value: string): boolean {
  return UUID_ONLY.test(value);
}

/** The whole value is a key: exactly 64 hex characters. */
export function isKey(value: string): boolean {
  return KEY_ONLY.test(value);
}

/** A UUID or a key not inside a longer hex run (as halves are found in a patch's text). */
export const BOUNDED_UUID_SOURCE = `(?<![0-9a-fA-F])${UUID_SOURCE}(?![0-9a-fA-F])`;
export const BOUNDED_KEY_SOURCE = `(?<![0-9a-fA-F])${KEY_SOURCE}(?![0-9a-fA-F])`;

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

/**
 * RSpec's `let(:crisp_key) { "…" }` and `let!(:…)`: the symbol names the value, and LABEL_RE finds
 * no `=` or `:` before it.
 */
const RSPEC_LET_RE = /\blet!?\(\s*:([A-Za-z_]\w*)\s*\)\s*\{\s*["']$/;

/**
 * A Markdown table cell of several words before the value's cell: `| website id | <uuid> |`. The
 * whole cell is the name (LABEL_RE alone would take its last word, `id`). At most four words: a
 * cell is a name, not a sentence.
 */
const TABLE_CELL_LABEL_RE = /\|\s*([A-Za-z][\w.-]*(?:[ \t]+[A-Za-z0-9][\w.-]*){1,3})\s*\|\s*`?$/;

const TIER_ARGUMENT_RE = /^(?:plugin|website)$/i;

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
  // authenticateTier("website", "<id>", …): the tier argument before the id is not a variable name.
  if (env && !TIER_ARGUMENT_RE.test(env[1] ?? "")) return makeLabel((env[1] ?? env[2])!);
  const let_ = RSPEC_LET_RE.exec(prefix);
  if (let_) return makeLabel(let_[1]!);
  const cell = TABLE_CELL_LABEL_RE.exec(prefix);
  if (cell) return makeLabel(cell[1]!);
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

/**
 * Words that say which environment or app a value is for, not whose credential it is: they may
 * come before a vendor's name (STAGING_STRIPE_SECRET_KEY) or stand where a vendor would
 * (STAGING_KEY is not a vendor "staging"). Framework prefixes of public env variables too.
 */
const QUALIFIER_WORDS = new Set([
  "staging", "stage", "stg", "prod", "production", "prd", "dev", "develop", "development", "test", "testing",
  "tests", "local", "qa", "uat", "preprod", "preview", "sandbox", "live", "demo", "old", "new", "backup",
  "primary", "secondary", "main", "alt", "legacy", "current", "previous", "next", "public", "vite", "react",
  "nuxt", "expo", "gatsby", "vue", "app", "my", "bot", "service", "server", "default", "global", "shared",
]);

const isQualifier = (w: string): boolean => QUALIFIER_WORDS.has(w) || /^\d+$/.test(w);

/** The label's words without qualifiers or `crisp`: what the value is. `CRISP_WEBSITE` → website. */
function coreWords(label: Label): string[] {
  return label.words.filter((w) => w !== "crisp" && !isQualifier(w));
}

/** CRISP_WEBSITE_ID, website_id, websiteId: the public chatbox id, never an identifier. */
export function isWebsiteIdLabel(label: Label): boolean {
  const w = label.words;
  if (has(w, "websiteid", "websiteids")) return true;
  // `website: <uuid>` (YAML), `CRISP_WEBSITE=<uuid>` (compose): a UUID named only "website".
  const core = coreWords(label);
  if (core.length === 1 && core[0] === "website") return true;
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

/**
 * A Crisp plugin's id (CRISP_PLUGIN_ID, crispPluginId): a Marketplace plugin id, public on its own.
 * Some code passes it as the identifier of the plugin token (`authenticateTier('plugin',
 * crispPluginId, crispPluginKey)`), so it is an identifier only when a plugin key pairs with it.
 */
export function isCrispPluginIdLabel(label: Label): boolean {
  const w = label.words;
  return has(w, "crisp") && has(w, "plugin") && has(w, "id", "uuid") && !has(w, ...CREDENTIAL_WORDS) &&
    !OTHER_ID_OWNERS.some((o) => o !== "plugin" && w.includes(o));
}

/**
 * A bare id label (`id`, `uuid`, `plugin_id`), not a credential's (`identifier`, `token_id`): in
 * a plugin section (`crisp:` / `plugin:` / `id: …`) it names the Marketplace plugin's public id.
 */
export function isBareIdLabel(label: Label): boolean {
  return has(label.words, "id", "uuid") && !has(label.words, ...CREDENTIAL_WORDS);
}

/** Role words that make a vendor's label a credential: SPACE_CLIENT_ID, STRIPE_SECRET_KEY. */
const VENDOR_CREDENTIAL_WORDS = new Set([
  "identifier", "id", "key", "keys", "token", "secret", "api", "access", "client", "user", "username", "login",
  "password", "pass", "auth", "credential", "credentials", "account", "sid",
]);

/**
 * A label naming another vendor's credential: no `crisp` word, and after any qualifiers its first
 * word is a name (not a role word nor a qualifier), followed only by credential role words and
 * qualifiers: SPACE_CLIENT_ID, STRIPE_SECRET_KEY, AUTH0_CLIENT_SECRET, STAGING_SPACE_CLIENT_ID,
 * spaceClientSecret. Not STAGING_KEY (a qualifier), API_KEY (a role), CRISP_SPACE_KEY (Crisp's),
 * SPACE_BOT_TOKEN (a second name word: unsure, left to the usual rules). Such a value is the
 * vendor's, whatever the file's Crisp context says.
 */
export function isOtherVendorLabel(label: Label): boolean {
  const w = label.words;
  if (w.includes("crisp")) return false;
  let i = 0;
  while (i < w.length && isQualifier(w[i]!)) i++;
  const vendor = w[i];
  if (vendor === undefined || ROLE_WORDS.has(vendor) || !/^[a-z]/.test(vendor)) return false;
  const rest = w.slice(i + 1);
  return rest.length > 0 && rest.some((x) => VENDOR_CREDENTIAL_WORDS.has(x)) &&
    rest.every((x) => VENDOR_CREDENTIAL_WORDS.has(x) || isQualifier(x));
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

const IDENTIFIER_ROLE_WORDS = ["identifier", "ident", "id", "uuid", "login", "username", "user"];
const KEY_ROLE_WORDS = ["key", "secret", "token", "password", "pass", "pwd"];

/**
 * Does the label name the given half of a token credential, and nothing else? Its words, less
 * `crisp` and qualifiers, are all role words, one of them the half's role: `id`, `identifier`,
 * `CRISP_TOKEN_ID`, `CRISP_ACCESS_KEY_ID` for an identifier; `key`, `CRISP_API_KEY`, `secret`,
 * `CRISP_SECRET_ACCESS_KEY` for a key. `foo`, `build_key`, `CRISP_BOT_NAME` name something else.
 */
export function namesCredentialHalf(label: Label, kind: "identifier" | "key"): boolean {
  const core = coreWords(label);
  if (core.length === 0 || !core.every((w) => ROLE_WORDS.has(w))) return false;
  return has(core, ...(kind === "identifier" ? IDENTIFIER_ROLE_WORDS : KEY_ROLE_WORDS));
}
