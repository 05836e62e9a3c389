import { createRequire as __crispGuardCreateRequire } from "node:module";
const require = __crispGuardCreateRequire(import.meta.url);

// src/sources/git/history-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/detect/context.ts
var CRISP_RE = /[Cc][Rr][Ii][Ss][Pp]/;
var CLIENT_CALL_RE = /[Aa]uthenticate_?[Tt]ier/;
var NOT_CRISP_RE = /[Cc][Rr][Ii][Ss][Pp](?:-?[Ee][Dd][Gg][Ee][Ss]|[Yy]|[Ee][Rr]|[Nn][Ee][Ss][Ss])/g;
function namesCrisp(s) {
  return CRISP_RE.test(s) && CRISP_RE.test(s.replace(NOT_CRISP_RE, ""));
}
function pathNamesCrisp(path) {
  return namesCrisp(path);
}
function hasCrispContext(text, path) {
  if (namesCrisp(path) || namesCrisp(text)) return true;
  return (text.includes("Tier") || text.includes("_tier")) && CLIENT_CALL_RE.test(text);
}
var HALF_SHAPE_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{64}|(?:[L-RYZ][A-Za-z0-9+/]{3}){12}/;
function mayContainHalf(text, path) {
  return hasCrispContext(text, path) && HALF_SHAPE_RE.test(text);
}

// src/detect/fingerprint.ts
import { createHash } from "node:crypto";
function fingerprint(identifier, key) {
  return createHash("sha256").update(`${identifier.toLowerCase()}:${key.toLowerCase()}`).digest("hex");
}
function redactIdentifier(identifier) {
  return `${identifier.slice(0, 8).toLowerCase()}\u2026`;
}
function keyHint(key) {
  return `\u2026${key.slice(-4).toLowerCase()}`;
}
var inspectCustom = /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom");
var Keypair = class {
  #identifier;
  #key;
  fingerprint;
  redactedIdentifier;
  keyHint;
  constructor(identifier, key) {
    this.#identifier = identifier.toLowerCase();
    this.#key = key.toLowerCase();
    this.fingerprint = fingerprint(identifier, key);
    this.redactedIdentifier = redactIdentifier(identifier);
    this.keyHint = keyHint(key);
  }
  /** The raw halves: only for the Crisp verification request and a rotator configured to receive them. */
  reveal() {
    return { identifier: this.#identifier, key: this.#key };
  }
  get redacted() {
    return `${this.redactedIdentifier}:${this.keyHint}`;
  }
  toString() {
    return this.redacted;
  }
  toJSON() {
    return { identifier: this.redactedIdentifier, keyHint: this.keyHint, fingerprint: this.fingerprint };
  }
  [inspectCustom]() {
    return `Keypair(${this.redacted})`;
  }
};
var HalfValue = class {
  #value;
  kind;
  redacted;
  constructor(kind, value) {
    this.kind = kind;
    this.#value = value.toLowerCase();
    this.redacted = kind === "identifier" ? redactIdentifier(value) : keyHint(value);
  }
  /** The raw half: only to build the Keypair once its partner is found. */
  reveal() {
    return this.#value;
  }
  toString() {
    return this.redacted;
  }
  toJSON() {
    return { kind: this.kind, redacted: this.redacted };
  }
  [inspectCustom]() {
    return `HalfValue(${this.kind} ${this.redacted})`;
  }
};

// src/detect/grammar.ts
var KEY_LENGTH = 64;
var UUID_SOURCE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
var KEY_SOURCE = "[0-9a-fA-F]{64}";
var UUID_RE = new RegExp(UUID_SOURCE, "g");
var UUID_ONLY = new RegExp(`^${UUID_SOURCE}$`);
var KEY_ONLY = new RegExp(`^${KEY_SOURCE}$`);
var BOUNDED_UUID_SOURCE = `(?<![0-9a-fA-F])${UUID_SOURCE}(?![0-9a-fA-F])`;
var BOUNDED_KEY_SOURCE = `(?<![0-9a-fA-F])${KEY_SOURCE}(?![0-9a-fA-F])`;
var HEX_RUN_RE = /[0-9a-fA-F]{32,}/g;
var DIGEST_LIKE_LENGTH = 40;
var LABEL_LOOKBACK = 100;
function isAlnum(c) {
  return c >= 48 && c <= 57 || c >= 65 && c <= 90 || c >= 97 && c <= 122;
}
function boundaryBefore(text, start) {
  if (start === 0) return true;
  const c = text.charCodeAt(start - 1);
  if (!isAlnum(c)) return true;
  return (c === 110 || c === 114 || c === 116) && start >= 2 && text.charCodeAt(start - 2) === 92;
}
function boundaryAfter(text, end) {
  return end >= text.length || !isAlnum(text.charCodeAt(end));
}
var LABEL_RE = /(?<![\w$.-])([A-Za-z_$][\w$.-]*)(?:\\?["'`]|\])*\s*(?::\s*[A-Za-z_][\w.<>?]*\s*(?==))?(?:=>|:=|\?=|=|:|\|)\s*(?:\\?["'`])?\s*$/;
var NAME_OF_VALUE_RE = /name["']?\s*:\s*["']?([A-Za-z_][\w.-]*)|variable\s+"([A-Za-z_][\w-]*)"/g;
var ENV_DEFAULT_RE = /(?:["'`]([A-Za-z_][\w.-]*)["'`]\s*,\s*(?:default\s*=\s*)?|\benv\.([A-Za-z_]\w*)\s*(?:\?\?|\|\|)\s*)["'`]$/;
var RSPEC_LET_RE = /\blet!?\(\s*:([A-Za-z_]\w*)\s*\)\s*\{\s*["']$/;
var TABLE_CELL_LABEL_RE = /\|\s*([A-Za-z][\w.-]*(?:[ \t]+[A-Za-z0-9][\w.-]*){1,3})\s*\|\s*`?$/;
var TIER_ARGUMENT_RE = /^(?:plugin|website)$/i;
function nameOfValueIn(text) {
  let name = null;
  for (const m of text.matchAll(NAME_OF_VALUE_RE)) name = m[1] ?? m[2] ?? name;
  return name;
}
var VALUE_LABELS = /* @__PURE__ */ new Set(["value", "val", "default"]);
var HEXISH_LABEL_RE = /^[0-9a-fA-F-]+$|[0-9a-fA-F]{8}-/;
var BROWSER_GLOBAL_RE = /(?:window|self|globalThis|document)\s*\[\s*["'`]?$/;
var BROWSER_GLOBAL_WORDS = /* @__PURE__ */ new Set(["window", "self", "globalthis", "document"]);
var ROLE_WORDS = /* @__PURE__ */ new Set([
  "crisp",
  "identifier",
  "ident",
  "id",
  "key",
  "keys",
  "token",
  "tokens",
  "secret",
  "api",
  "rest",
  "access",
  "client",
  "user",
  "username",
  "login",
  "password",
  "pass",
  "pwd",
  "value",
  "val",
  "auth",
  "credential",
  "credentials",
  "creds",
  "plugin",
  "website",
  "tier",
  "default",
  "env",
  "string"
]);
function splitWords(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}
function makeLabel(name, browserGlobal = false) {
  const words = splitWords(name);
  const global = browserGlobal || words.length > 0 && BROWSER_GLOBAL_WORDS.has(words[0]);
  const group = [...new Set(words.filter((w) => !ROLE_WORDS.has(w) && !BROWSER_GLOBAL_WORDS.has(w)))].sort().join(" ");
  return { name, words, group, browserGlobal: global };
}
function labelBefore(text, start, lineStart, nameAbove = () => null) {
  const from = Math.max(lineStart, start - LABEL_LOOKBACK);
  const prefix = text.slice(from, start);
  const env = ENV_DEFAULT_RE.exec(prefix);
  if (env && !TIER_ARGUMENT_RE.test(env[1] ?? "")) return makeLabel(env[1] ?? env[2]);
  const let_ = RSPEC_LET_RE.exec(prefix);
  if (let_) return makeLabel(let_[1]);
  const cell = TABLE_CELL_LABEL_RE.exec(prefix);
  if (cell) return makeLabel(cell[1]);
  const m = LABEL_RE.exec(prefix);
  if (!m) return null;
  let name = m[1];
  if (m.index > 0 && prefix.charCodeAt(m.index - 1) === 92 && /^[nrt][A-Z_]/.test(name)) name = name.slice(1);
  if (HEXISH_LABEL_RE.test(name)) return null;
  if (VALUE_LABELS.has(name.toLowerCase())) {
    name = nameOfValueIn(prefix.slice(0, m.index)) ?? nameAbove() ?? name;
  }
  const browserGlobal = BROWSER_GLOBAL_RE.test(prefix.slice(0, m.index));
  return makeLabel(name, browserGlobal);
}
var has = (words, ...any) => any.some((w) => words.includes(w));
var CREDENTIAL_WORDS = ["identifier", "ident", "token", "key", "secret", "credential", "credentials", "login", "username"];
var QUALIFIER_WORDS = /* @__PURE__ */ new Set([
  "staging",
  "stage",
  "stg",
  "prod",
  "production",
  "prd",
  "dev",
  "develop",
  "development",
  "test",
  "testing",
  "tests",
  "local",
  "qa",
  "uat",
  "preprod",
  "preview",
  "sandbox",
  "live",
  "demo",
  "old",
  "new",
  "backup",
  "primary",
  "secondary",
  "main",
  "alt",
  "legacy",
  "current",
  "previous",
  "next",
  "public",
  "vite",
  "react",
  "nuxt",
  "expo",
  "gatsby",
  "vue",
  "app",
  "my",
  "bot",
  "service",
  "server",
  "default",
  "global",
  "shared"
]);
var isQualifier = (w) => QUALIFIER_WORDS.has(w) || /^\d+$/.test(w);
function coreWords(label) {
  return label.words.filter((w) => w !== "crisp" && !isQualifier(w));
}
function isWebsiteIdLabel(label) {
  const w = label.words;
  if (has(w, "websiteid", "websiteids")) return true;
  const core = coreWords(label);
  if (core.length === 1 && core[0] === "website") return true;
  return has(w, "website") && has(w, "id", "ids", "uuid") && !has(w, ...CREDENTIAL_WORDS);
}
var OTHER_ID_OWNERS = [
  "plugin",
  "session",
  "conversation",
  "visitor",
  "people",
  "person",
  "operator",
  "request",
  "trace",
  "correlation",
  "message",
  "event",
  "device",
  "order",
  "tenant",
  "workspace",
  "organization",
  "org",
  "transaction",
  "install",
  "installation",
  "build",
  "job",
  "run",
  "channel",
  "inbox",
  "campaign"
];
function isOtherIdLabel(label) {
  const w = label.words;
  return has(w, ...OTHER_ID_OWNERS) && has(w, "id", "ids", "uuid", "guid") && !has(w, ...CREDENTIAL_WORDS);
}
function isCrispPluginIdLabel(label) {
  const w = label.words;
  return has(w, "crisp") && has(w, "plugin") && has(w, "id", "uuid") && !has(w, ...CREDENTIAL_WORDS) && !OTHER_ID_OWNERS.some((o) => o !== "plugin" && w.includes(o));
}
function isBareIdLabel(label) {
  return has(label.words, "id", "uuid") && !has(label.words, ...CREDENTIAL_WORDS);
}
var VENDOR_CREDENTIAL_WORDS = /* @__PURE__ */ new Set([
  "identifier",
  "id",
  "key",
  "keys",
  "token",
  "secret",
  "api",
  "access",
  "client",
  "user",
  "username",
  "login",
  "password",
  "pass",
  "auth",
  "credential",
  "credentials",
  "account",
  "sid"
]);
function isOtherVendorLabel(label) {
  const w = label.words;
  if (w.includes("crisp")) return false;
  let i = 0;
  while (i < w.length && isQualifier(w[i])) i++;
  const vendor = w[i];
  if (vendor === void 0 || ROLE_WORDS.has(vendor) || !/^[a-z]/.test(vendor)) return false;
  const rest = w.slice(i + 1);
  return rest.length > 0 && rest.some((x) => VENDOR_CREDENTIAL_WORDS.has(x)) && rest.every((x) => VENDOR_CREDENTIAL_WORDS.has(x) || isQualifier(x));
}
var NOT_A_KEY_WORDS = /* @__PURE__ */ new Set([
  "sha",
  "sha1",
  "sha224",
  "sha256",
  "sha384",
  "sha512",
  "sha3",
  "md5",
  "blake2",
  "blake2b",
  "blake3",
  "hash",
  "hashes",
  "hashed",
  "digest",
  "digests",
  "checksum",
  "checksums",
  "sum",
  "integrity",
  "nonce",
  "signature",
  "signing",
  "sign",
  "signed",
  "webhook",
  "webhooks",
  "hook",
  "hooks",
  "hmac",
  "salt",
  "commit",
  "oid",
  "etag",
  "fingerprint",
  "blob",
  "tree",
  "iv",
  "session",
  "csrf",
  "cookie",
  "jwt",
  "encryption",
  "encrypt",
  "cipher",
  "aes",
  "private",
  "wallet",
  "verify",
  "verification",
  "seed"
]);
var NOT_A_KEY_INFIX_RE = /hash|digest|checksum|md5|nonce|signature|hmac|webhook|integrity|fingerprint|sha(?:1|224|256|384|512)/;
function isNotAKeyLabel(label) {
  return label.words.some((w) => NOT_A_KEY_WORDS.has(w)) || NOT_A_KEY_INFIX_RE.test(label.words.join(""));
}
var DIGEST_PREFIX_RE = /(?:sha-?(?:1|224|256|384|512)|sha3|md5|blake[23]b?|digest|hash|checksum|hmac|nonce|signature|etag)["'`]?[\s:=@-]{0,3}["'`]?$/i;
function digestPrefixed(text, start, lineStart) {
  return DIGEST_PREFIX_RE.test(text.slice(Math.max(lineStart, start - 24), start));
}
function labelTier(label) {
  if (!label) return null;
  if (label.words.includes("plugin")) return "plugin";
  if (label.words.includes("website")) return "website";
  return null;
}
var IDENTIFIER_ROLE_WORDS = ["identifier", "ident", "id", "uuid", "login", "username", "user"];
var KEY_ROLE_WORDS = ["key", "secret", "token", "password", "pass", "pwd"];
function namesCredentialHalf(label, kind) {
  const core = coreWords(label);
  if (core.length === 0 || !core.every((w) => ROLE_WORDS.has(w))) return false;
  return has(core, ...kind === "identifier" ? IDENTIFIER_ROLE_WORDS : KEY_ROLE_WORDS);
}

// src/detect/nearest.ts
function textDistance(a, b) {
  return Math.abs(a.line - b.line) * 1e9 + Math.abs(a.start - b.start);
}
function nearestIndex(sorted, at) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (sorted[mid].start < at.start) lo = mid + 1;
    else hi = mid;
  }
  if (sorted.length === 0) return -1;
  if (lo === 0) return 0;
  if (lo === sorted.length) return lo - 1;
  return textDistance(sorted[lo - 1], at) <= textDistance(sorted[lo], at) ? lo - 1 : lo;
}
function byStart(a, b) {
  return a.start - b.start;
}

// src/detect/pairing.ts
var MAX_PAIR_LINES = 200;
var MAX_PAIR_CHARS_ON_LINE = 4096;
var MAX_ADJACENT_GAP = 24;
var ADJACENT_GAP_RE = /^[\s"'`\\]*[:,][\s"'`\\]*$/;
function order(a, b) {
  return a.start - b.start || a.view - b.view || a.viewStart - b.viewStart;
}
function distance(a, b) {
  const lines = Math.abs(a.line - b.line);
  const chars = Math.abs(a.start - b.start) + (a.view === b.view ? Math.abs(a.viewStart - b.viewStart) : 0);
  if (lines > MAX_PAIR_LINES) return Infinity;
  if (lines === 0 && chars > MAX_PAIR_CHARS_ON_LINE) return Infinity;
  return lines * 1e9 + chars;
}
function adjacentPairs(tokens, views) {
  const pairs = [];
  const sorted = [...tokens].sort((a, b) => a.view - b.view || a.viewStart - b.viewStart);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i];
    const b = sorted[i + 1];
    if (a.kind !== "identifier" || b.kind !== "key" || a.view !== b.view) continue;
    if (b.viewStart - a.viewEnd > MAX_ADJACENT_GAP) continue;
    if (!ADJACENT_GAP_RE.test(views[a.view].slice(a.viewEnd, b.viewStart))) continue;
    pairs.push({ identifier: a, key: b });
    i++;
  }
  return pairs;
}
var Heap = class {
  #items = [];
  get size() {
    return this.#items.length;
  }
  push(item) {
    const a = this.#items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = i - 1 >> 1;
      if (a[p][0] <= a[i][0]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop() {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l][0] < a[m][0]) m = l;
        if (r < a.length && a[r][0] < a[m][0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
};
function recordPairs(t) {
  if (t.length < 4 || t.length % 2 !== 0 || t[0].kind === t[1].kind) return null;
  const pairs = [];
  for (let i = 0; i < t.length; i += 2) {
    const a = t[i];
    const b = t[i + 1];
    if (a.kind !== t[0].kind || b.kind !== t[1].kind || distance(a, b) === Infinity) return null;
    const next = t[i + 2];
    if (next && Math.abs(b.line - a.line) > Math.abs(next.line - b.line)) return null;
    pairs.push(a.kind === "identifier" ? { identifier: a, key: b } : { identifier: b, key: a });
  }
  return pairs;
}
function pairNonCrossing(tokens) {
  const t = [...tokens].sort(order);
  const records = recordPairs(t);
  if (records) return records;
  const n = t.length;
  const prev = t.map((_, i) => i - 1);
  const next = t.map((_, i) => i + 1 < n ? i + 1 : -1);
  const alive = t.map(() => true);
  const heap = new Heap();
  const offer = (i, j) => {
    if (i < 0 || j < 0 || t[i].kind === t[j].kind) return;
    const d = distance(t[i], t[j]);
    if (d !== Infinity) heap.push([d, i, j]);
  };
  for (let i = 0; i + 1 < n; i++) offer(i, i + 1);
  const pairs = [];
  while (heap.size > 0) {
    const [, i, j] = heap.pop();
    if (!alive[i] || !alive[j]) continue;
    alive[i] = alive[j] = false;
    const a = t[i];
    const b = t[j];
    pairs.push(a.kind === "identifier" ? { identifier: a, key: b } : { identifier: b, key: a });
    const p = prev[i];
    const q = next[j];
    if (p >= 0) next[p] = q;
    if (q >= 0) prev[q] = p;
    offer(p, q);
  }
  return pairs;
}
function pairHalves(halves, views) {
  const pairs = adjacentPairs(halves, views);
  const used = new Set(pairs.flatMap((p) => [p.identifier, p.key]));
  const take = (found) => {
    for (const p of found) {
      pairs.push(p);
      used.add(p.identifier);
      used.add(p.key);
    }
  };
  const free = () => halves.filter((h) => !used.has(h) && !h.listed);
  const byGroup = /* @__PURE__ */ new Map();
  for (const h of free()) {
    if (!h.label) continue;
    const bucket = byGroup.get(h.label.group) ?? [];
    bucket.push(h);
    byGroup.set(h.label.group, bucket);
  }
  for (const bucket of byGroup.values()) take(pairNonCrossing(bucket));
  take(pairNonCrossing(free()));
  const identifiersByGroup = /* @__PURE__ */ new Map();
  for (const h of halves) {
    if (h.kind !== "identifier" || !h.label) continue;
    const list = identifiersByGroup.get(h.label.group) ?? [];
    list.push(h);
    identifiersByGroup.set(h.label.group, list);
  }
  for (const list of identifiersByGroup.values()) list.sort((a, b) => a.start - b.start);
  const keyNamesOf = /* @__PURE__ */ new Map();
  for (const p of pairs) {
    if (!p.key.label) continue;
    const names = keyNamesOf.get(p.identifier) ?? /* @__PURE__ */ new Set();
    names.add(p.key.label.name.toLowerCase());
    keyNamesOf.set(p.identifier, names);
  }
  for (const key of free()) {
    if (key.kind !== "key" || !key.label) continue;
    const group = identifiersByGroup.get(key.label.group) ?? [];
    const best = group[nearestIndex(group, key)];
    if (!best || distance(best, key) === Infinity) continue;
    if (keyNamesOf.has(best) && !keyNamesOf.get(best).has(key.label.name.toLowerCase())) continue;
    take([{ identifier: best, key }]);
  }
  return pairs.sort((a, b) => order(a.key, b.key));
}

// src/detect/suppress.ts
var DOCUMENTED_EXAMPLE_PREFIXES = ["7c3ef21c-1e04", "13937834-f6ce", "43f34724-9eeb"];
var INLINE_ALLOW_MARKER = "crisp-guard:allow";
var MIN_KEY_ENTROPY = 3;
var MIN_IDENTIFIER_ENTROPY = 2.5;
var MAX_SEQUENTIAL_RUN = 8;
var MAX_PATTERN_PERIOD = 16;
function isDocumentedExample(identifier) {
  const id = identifier.toLowerCase();
  return DOCUMENTED_EXAMPLE_PREFIXES.some((p) => id.startsWith(p));
}
function shannonEntropy(hex) {
  const counts = /* @__PURE__ */ new Map();
  for (const c of hex) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / hex.length;
    h -= p * Math.log2(p);
  }
  return h;
}
function hasSequentialRun(hex) {
  let up = 1;
  let down = 1;
  for (let i = 1; i < hex.length; i++) {
    const prev = parseInt(hex[i - 1], 16);
    const cur = parseInt(hex[i], 16);
    up = cur === (prev + 1) % 16 || prev === 9 && cur === 0 ? up + 1 : 1;
    down = cur === (prev + 15) % 16 ? down + 1 : 1;
    if (up >= MAX_SEQUENTIAL_RUN || down >= MAX_SEQUENTIAL_RUN) return true;
  }
  return false;
}
function isPeriodic(hex) {
  for (let p = 1; p <= MAX_PATTERN_PERIOD && p < hex.length; p++) {
    let periodic = true;
    for (let i = p; i < hex.length && periodic; i++) periodic = hex[i] === hex[i - p];
    if (periodic) return true;
  }
  return false;
}
function isPlaceholderValue(hexDigits, minEntropy) {
  return isPeriodic(hexDigits) || hasSequentialRun(hexDigits) || shannonEntropy(hexDigits) < minEntropy;
}
function isPlaceholder(identifier, key) {
  return isPlaceholderValue(identifier.toLowerCase().replace(/-/g, ""), MIN_IDENTIFIER_ENTROPY) || isPlaceholderValue(key.toLowerCase(), MIN_KEY_ENTROPY);
}
function isPlaceholderHalf(kind, value) {
  return kind === "identifier" ? isPlaceholderValue(value.toLowerCase().replace(/-/g, ""), MIN_IDENTIFIER_ENTROPY) : isPlaceholderValue(value.toLowerCase(), MIN_KEY_ENTROPY);
}
function allowMarkerOffsets(text) {
  const out = [];
  for (let i = text.indexOf(INLINE_ALLOW_MARKER); i !== -1; i = text.indexOf(INLINE_ALLOW_MARKER, i + 1)) out.push(i);
  return out;
}
function suppressionFor(identifier, key, onAllowedLine) {
  if (isDocumentedExample(identifier)) return "documented-example";
  if (isPlaceholder(identifier, key)) return "placeholder";
  if (onAllowedLine) return "inline-allow";
  return null;
}

// src/detect/lone.ts
var SECTION_RE = /^([ \t]*)(?:\[([\w.-]+)\]|["']?([\w.-]+)["']?[ \t]*(?::|=>|=)[ \t]*[[{(]?)[ \t]*$/gm;
var INLINE_SECTION_RE = /(?<![A-Za-z])crisp["']?\s*(?::|=>|=)\s*[[{(]/i;
var CRISP_WORD_RE = /(?<![A-Za-z])crisp(?![A-Za-z])/i;
var PLUGIN_WORD_RE = /(?<![A-Za-z])plugins?(?![A-Za-z])/i;
var INLINE_SECTION_LOOKBACK = 200;
function crispSections(text, lines) {
  const out = [];
  let top = null;
  SECTION_RE.lastIndex = 0;
  for (let m = SECTION_RE.exec(text); m; m = SECTION_RE.exec(text)) {
    if (m[0].length === 0) {
      SECTION_RE.lastIndex++;
      continue;
    }
    const table = m[2] !== void 0;
    const indent = table ? -1 : m[1].length;
    const name = m[2] ?? m[3];
    while (top !== null && top.indent >= indent) top = top.up;
    const outer = top !== null ? top.crispIndent : Infinity;
    const crispIndent = outer !== Infinity ? outer : CRISP_WORD_RE.test(name) ? indent : Infinity;
    top = { indent, crispIndent, plugin: PLUGIN_WORD_RE.test(name), up: top };
    out.push({ start: m.index, line: lines.lineOf(m.index), crispIndent, open: top });
  }
  return out;
}
function loneHalves(unpaired, ctx) {
  const labelled = unpaired.filter((h) => h.label && !h.label.browserGlobal && !h.listed);
  if (labelled.length === 0) return [];
  let sections = null;
  const indents = /* @__PURE__ */ new Map();
  const indentOf = (line, lineStart, limit) => {
    let indent = indents.get(line);
    if (indent === void 0) {
      indent = 0;
      while (lineStart + indent < limit && (ctx.text[lineStart + indent] === " " || ctx.text[lineStart + indent] === "	")) indent++;
      indents.set(line, indent);
    }
    return indent;
  };
  const inCrispSection = (h) => {
    if (h.view !== 0 || h.encoding === "base64") return false;
    const lineStart = ctx.lines.lineStart(h.line);
    if (INLINE_SECTION_RE.test(ctx.text.slice(Math.max(lineStart, h.start - INLINE_SECTION_LOOKBACK), h.start))) return true;
    sections ??= crispSections(ctx.text, ctx.lines);
    const i = lastBefore(sections, lineStart);
    if (i < 0) return false;
    return sections[i].crispIndent < indentOf(h.line, lineStart, h.start);
  };
  const inPluginSection = (h) => {
    if (h.view !== 0 || h.encoding === "base64") return false;
    sections ??= crispSections(ctx.text, ctx.lines);
    const lineStart = ctx.lines.lineStart(h.line);
    const i = lastBefore(sections, lineStart);
    if (i < 0) return false;
    const indent = indentOf(h.line, lineStart, h.start);
    let open = sections[i].open;
    while (open !== null && open.indent >= indent) open = open.up;
    return open !== null && open.plugin;
  };
  let placed = null;
  const hintTier = (h) => {
    placed ??= {
      explicit: ctx.hints().filter((x) => x.explicit).map(placeHint(ctx.lines)).sort(byStart),
      routes: ctx.hints().filter((x) => !x.explicit).map(placeHint(ctx.lines)).sort(byStart)
    };
    return nearestHintTier(placed.explicit, h) ?? nearestHintTier(placed.routes, h);
  };
  const out = [];
  for (const h of labelled) {
    const label = h.label;
    if (!namesCredentialHalf(label, h.kind)) continue;
    if (!label.words.includes("crisp") && !ctx.pathNamesCrisp && !inCrispSection(h)) continue;
    if (h.kind === "identifier" && isDocumentedExample(h.value)) continue;
    if (isPlaceholderHalf(h.kind, h.value)) continue;
    if (ctx.allowedLines.has(h.line)) continue;
    const tier = labelTier(label) ?? hintTier(h);
    const site = ctx.websiteIds[nearestIndex(ctx.websiteIds, h)];
    out.push({
      kind: h.kind,
      half: new HalfValue(h.kind, h.value),
      occurrence: { path: ctx.path, line: h.line, column: h.column, encoding: h.encoding },
      label: label.name,
      family: `${label.group}|${labelTier(label) ?? ""}`,
      tier,
      websiteId: site && Math.abs(site.line - h.line) <= MAX_PAIR_LINES ? site.id : null,
      pluginId: h.pluginId === true || h.kind === "identifier" && isBareIdLabel(label) && inPluginSection(h)
    });
  }
  return out;
}
function placeHint(lines) {
  return (h) => ({ start: h.offset, line: lines.lineOf(h.offset), tier: h.tier });
}
function nearestHintTier(sorted, at) {
  const best = sorted[nearestIndex(sorted, at)];
  return best && Math.abs(best.line - at.line) <= MAX_PAIR_LINES ? best.tier : null;
}
function lastBefore(sorted, offset) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (sorted[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// src/detect/lines.ts
var LineIndex = class {
  /** Offset of each line's first character; starts[0] is line 1. */
  #starts = [0];
  #length;
  constructor(text) {
    this.#length = text.length;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.#starts.push(i + 1);
  }
  /** 1-based line holding `offset`. */
  lineOf(offset) {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (this.#starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** Offset of the first character of 1-based `line`. */
  lineStart(line) {
    return this.#starts[Math.max(0, Math.min(line, this.#starts.length) - 1)] ?? 0;
  }
  /** Offset just past the last character of 1-based `line` (its '\n' or the end of text). */
  lineEnd(line) {
    const next = this.#starts[line];
    return next === void 0 ? this.#length : next - 1;
  }
  position(offset) {
    const line = this.lineOf(offset);
    return { line, column: offset - this.lineStart(line) + 1 };
  }
};

// src/detect/tier.ts
var EXPLICIT_TIER_RE = /(?:authenticate_?tier|set_?tier)\s*\(\s*:?["'`]?(plugin|website)\b|x-crisp-tier["'`]?\s*(?:=>|[:=,])\s*["'`]?(plugin|website)\b/gi;
var TIER_SETTING_AFTER_RE = /["'`\]]?\s*(?::\s*[A-Za-z_][\w.[\]]*\s*(?==))?(?:=>|:=|[:=])\s*:?["'`]?(plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/y;
var TIER_DEFAULT_AFTER_RE = /["'`]\s*,\s*(?:default\s*=\s*)?["'`](plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/y;
var TIER_WORD_RE = /tier/gi;
function tierWordAt(text, i) {
  const word2 = text.slice(i, i + 4);
  if (word2 !== "tier" && word2 !== "Tier" && word2 !== "TIER") return false;
  const c = text.charCodeAt(i - 1);
  const letter = c >= 65 && c <= 90 || c >= 97 && c <= 122;
  return !letter || word2 === "Tier" && c >= 97 && c <= 122;
}
function tierSettings(text, hints) {
  TIER_WORD_RE.lastIndex = 0;
  for (let m = TIER_WORD_RE.exec(text); m; m = TIER_WORD_RE.exec(text)) {
    if (!tierWordAt(text, m.index)) continue;
    for (const re of [TIER_SETTING_AFTER_RE, TIER_DEFAULT_AFTER_RE]) {
      re.lastIndex = m.index + 4;
      const after = re.exec(text);
      if (after) {
        hints.push({ tier: after[1].toLowerCase(), offset: m.index, explicit: true });
        break;
      }
    }
  }
}
var ROUTE_TIER_RE = /\/v1\/(plugin|website)\//gi;
function tierHints(text) {
  const hints = [];
  tierSettings(text, hints);
  for (const [re, explicit] of [[EXPLICIT_TIER_RE, true], [ROUTE_TIER_RE, false]]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const tier = (m[1] ?? m[2]).toLowerCase();
      hints.push({ tier, offset: m.index, explicit });
    }
  }
  return hints;
}
function nearestTier(hints, offset, line, lineOf) {
  for (const explicit of [true, false]) {
    let best = null;
    let bestDistance = Infinity;
    for (const h of hints) {
      if (h.explicit !== explicit) continue;
      const d = Math.abs(lineOf(h.offset) - line) * 1e9 + Math.abs(h.offset - offset);
      if (d < bestDistance) {
        best = h;
        bestDistance = d;
      }
    }
    if (best) return best.tier;
  }
  return null;
}

// src/detect/decoders.ts
var BASE64_HEXTEXT_RE = /(?:[L-RYZ][A-Za-z0-9+/]{3}){12}/g;
var MAX_BASE64_RUN = 64 * 1024;
function isBase64Char(c) {
  return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c >= 48 && c <= 57 || c === 43 || c === 47;
}
function base64Segments(text) {
  const out = [];
  BASE64_HEXTEXT_RE.lastIndex = 0;
  for (let m = BASE64_HEXTEXT_RE.exec(text); m; m = BASE64_HEXTEXT_RE.exec(text)) {
    let start = m.index;
    let end = start + m[0].length;
    while (start > 0 && isBase64Char(text.charCodeAt(start - 1))) start--;
    start += (m.index - start) % 4;
    while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
    while (end < text.length && text.charCodeAt(end) === 61 && end - start < MAX_BASE64_RUN) end++;
    BASE64_HEXTEXT_RE.lastIndex = end;
    if (end - start > MAX_BASE64_RUN) continue;
    const decoded = decodeBase64(text.slice(start, end));
    if (decoded !== null) out.push({ start, end, text: decoded });
  }
  return out;
}
function decodeBase64(run) {
  const body = run.replace(/=+$/, "");
  if (body.length % 4 === 1) return null;
  try {
    return atob(body + "==".slice(0, (4 - body.length % 4) % 4));
  } catch {
    return null;
  }
}
var USERINFO_BEFORE_RE = /:\/\/[0-9a-fA-F-]{36}:$/;
function encodingAt(text, start, end) {
  if (text.charCodeAt(end) === 64 && USERINFO_BEFORE_RE.test(text.slice(Math.max(0, start - 40), start))) {
    return "url";
  }
  const before = text.slice(Math.max(0, start - 2), start);
  const after = text.slice(end, end + 2);
  if (/^\\["'`]$/.test(before) || /\\[nrt]$/.test(before) || /^\\["'`nrt\\]/.test(after)) return "escaped";
  return "plain";
}

// src/detect/tokens.ts
var WEBSITE_ROUTE_BEFORE_RE = /\/website\/$/i;
var WEBSITE_CALL_BEFORE_RE = /websites?(?:\.|->)\w+\(\s*["'`]$/i;
function findTokens(text, lines) {
  const halves = [];
  const websiteIds = [];
  const views = [text];
  const textNamesAbove = namesAbove(text, lines);
  const scan2 = (view) => {
    const t = view.text;
    const local = view.anchor === null ? lines : new LineIndex(t);
    const nameAbove = view.anchor === null ? textNamesAbove : namesAbove(t, local);
    const lineStartIn = (offset) => local.lineStart(local.lineOf(offset));
    const place = (offset, end) => {
      const start = view.anchor ?? offset;
      const pos = lines.position(start);
      const encoding = view.anchor === null ? encodingAt(t, offset, end) : "base64";
      return { start, line: pos.line, column: pos.column, encoding };
    };
    const labelAt = (offset) => {
      const line = local.lineOf(offset);
      return labelBefore(t, offset, local.lineStart(line), () => nameAbove(line)) ?? view.anchorLabel;
    };
    UUID_RE.lastIndex = 0;
    for (let m = UUID_RE.exec(t); m; m = UUID_RE.exec(t)) {
      const s = m.index;
      const e = s + m[0].length;
      if (!boundaryBefore(t, s) || !boundaryAfter(t, e)) continue;
      const value = m[0].toLowerCase();
      const before = t.slice(Math.max(0, s - 40), s);
      const label = labelAt(s);
      const p = place(s, e);
      if (WEBSITE_ROUTE_BEFORE_RE.test(before) || WEBSITE_CALL_BEFORE_RE.test(before) || label && isWebsiteIdLabel(label)) {
        websiteIds.push({ id: value, start: p.start, line: p.line });
        continue;
      }
      if (before.endsWith("/") && !before.endsWith("://")) continue;
      if (label && (label.browserGlobal || isOtherVendorLabel(label))) continue;
      const pluginId = label !== null && isCrispPluginIdLabel(label);
      if (label && !pluginId && isOtherIdLabel(label)) continue;
      halves.push({ kind: "identifier", value, view: view.index, viewStart: s, viewEnd: e, ...p, label, listed: false, pluginId });
    }
    HEX_RUN_RE.lastIndex = 0;
    const runs = [];
    for (let m = HEX_RUN_RE.exec(t); m; m = HEX_RUN_RE.exec(t)) runs.push({ s: m.index, e: m.index + m[0].length });
    runs.forEach((run, i) => {
      if (run.e - run.s !== KEY_LENGTH) return;
      if (!boundaryBefore(t, run.s) || !boundaryAfter(t, run.e)) return;
      const ls = lineStartIn(run.s);
      if (digestPrefixed(t, run.s, ls)) return;
      const charBefore = t.charCodeAt(run.s - 1);
      if (charBefore === 47 || charBefore === 35) return;
      const label = labelAt(run.s);
      if (label && (isNotAKeyLabel(label) || isOtherVendorLabel(label))) return;
      const token = {
        kind: "key",
        value: t.slice(run.s, run.e).toLowerCase(),
        view: view.index,
        viewStart: run.s,
        viewEnd: run.e,
        ...place(run.s, run.e),
        label,
        // An unlabelled 64-hex next to other long hex runs is one of a list (digests, object ids).
        listed: !label && inHexList(t, runs, i, lineStartIn)
      };
      halves.push(token);
    });
  };
  scan2({ index: 0, text, anchor: null, anchorLabel: null });
  for (const seg of base64Segments(text)) {
    const line = lines.lineOf(seg.start);
    const anchorLabel = labelBefore(text, seg.start, lines.lineStart(line), () => textNamesAbove(line));
    if (anchorLabel && (isNotAKeyLabel(anchorLabel) || isOtherVendorLabel(anchorLabel))) continue;
    views.push(seg.text);
    scan2({ index: views.length - 1, text: seg.text, anchor: seg.start, anchorLabel });
  }
  return { halves, websiteIds, views };
}
function namesAbove(text, lines) {
  const memo = /* @__PURE__ */ new Map();
  return (line) => {
    if (line <= 1) return null;
    let name = memo.get(line);
    if (name === void 0) {
      name = nameOfValueIn(text.slice(lines.lineStart(Math.max(1, line - 2)), lines.lineStart(line)));
      memo.set(line, name);
    }
    return name;
  };
}
var HEX_LIST_SPAN = 256;
function inHexList(t, runs, i, lineStartIn) {
  const self = runs[i];
  const selfLine = lineStartIn(self.s);
  for (const j of [i - 1, i + 1]) {
    const other = runs[j];
    if (!other || other.e - other.s < DIGEST_LIKE_LENGTH) continue;
    const otherLine = lineStartIn(other.s);
    if (otherLine === selfLine) {
      if (Math.abs(other.s - self.s) <= HEX_LIST_SPAN) return true;
      continue;
    }
    const [a, b] = other.s < self.s ? [other, self] : [self, other];
    const gap = t.slice(a.e, b.s);
    if (gap.length <= HEX_LIST_SPAN && gap.indexOf("\n") === gap.lastIndexOf("\n")) return true;
  }
  return false;
}

// src/detect/types.ts
var UNVERIFIED = Object.freeze({
  status: "unverified",
  tier: null,
  reason: "verification not requested",
  checkedAt: null
});

// src/detect/cross-file.ts
function compatible(id, key) {
  if (id.pluginId && !key.family.endsWith("|plugin")) return false;
  const files = new Set(id.lone.map((l) => l.occurrence.path));
  return key.lone.some((l) => !files.has(l.occurrence.path));
}
function distinctHalves(lone) {
  const byValue = /* @__PURE__ */ new Map();
  for (const l of lone) {
    const value = l.half.reveal();
    const id = `${l.kind}\0${l.family}\0${value}`;
    let h = byValue.get(id);
    if (!h) byValue.set(id, h = { kind: l.kind, value, family: l.family, pluginId: false, lone: [] });
    h.pluginId ||= l.pluginId;
    h.lone.push(l);
  }
  return [...byValue.values()];
}
function pairAcrossFiles(lone) {
  const halves = distinctHalves(lone);
  const pairs = [];
  const families = /* @__PURE__ */ new Map();
  for (const h of halves) {
    const list = families.get(h.family) ?? [];
    list.push(h);
    families.set(h.family, list);
  }
  for (const list of families.values()) {
    const ids = list.filter((h) => h.kind === "identifier");
    const keys = list.filter((h) => h.kind === "key");
    if (ids.length === 1 && keys.length === 1 && compatible(ids[0], keys[0])) pairs.push([ids[0], keys[0]]);
  }
  if (pairs.length === 0) {
    const ids = halves.filter((h) => h.kind === "identifier");
    const keys = halves.filter((h) => h.kind === "key");
    if (ids.length === 1 && keys.length === 1) {
      const [id, key] = [ids[0], keys[0]];
      const plain = (f) => f === "|";
      const [idGroup, idTier] = id.family.split("|");
      const [keyGroup, keyTier] = key.family.split("|");
      const agree = (a, b) => a === b || a === "" || b === "";
      if ((plain(id.family) || plain(key.family) || agree(idGroup, keyGroup) && agree(idTier, keyTier)) && compatible(id, key)) {
        pairs.push([id, key]);
      }
    }
  }
  const out = [];
  for (const [id, key] of pairs) {
    const keypair = new Keypair(id.value, key.value);
    const first = (h, pick) => h.lone.map(pick).find((v) => v !== null) ?? null;
    const tier = first(key, (l) => l.tier) ?? first(id, (l) => l.tier);
    const websiteId = first(key, (l) => l.websiteId) ?? first(id, (l) => l.websiteId);
    const suppressed = suppressionFor(id.value, key.value, false);
    for (const l of [...id.lone, ...key.lone]) {
      out.push({ keypair, fingerprint: keypair.fingerprint, tier, websiteId, occurrence: { ...l.occurrence }, suppressed });
    }
  }
  return out;
}

// src/detect/index.ts
function mayContainHalf2(text, path) {
  return mayContainHalf(text, path);
}
function detect(text, options) {
  if (!hasCrispContext(text, options.path)) return { candidates: [], websiteIds: [], lone: [] };
  const lines = new LineIndex(text);
  const { halves, websiteIds, views } = findTokens(text, lines);
  const websiteIdList = [...new Set(websiteIds.map((w) => w.id))];
  if (halves.length === 0) return { candidates: [], websiteIds: websiteIdList, lone: [] };
  const pairs = pairPluginAware(halves, views);
  const lineOf = (o) => lines.lineOf(o);
  const paired = new Set(pairs.flatMap((p) => [p.identifier, p.key]));
  const pluginIdsHalves = pluginIdsUsable(halves) || !halves.some((h) => h.kind === "identifier" && !h.pluginId && labelTier(h.label) === "plugin");
  const unpaired = halves.filter((h) => !paired.has(h) && h.label !== null && (!h.pluginId || pluginIdsHalves));
  let hints = null;
  const allHints = () => hints ??= tierHints(text);
  const hintsOf = hintsByPair(pairs.length > 0 ? allHints() : [], pairs, lineOf);
  const allowedLines = new Set(allowMarkerOffsets(text).map((o) => lines.lineOf(o)));
  const sightings = [...websiteIds].sort(byStart);
  const lone = loneHalves(unpaired, {
    text,
    path: options.path,
    lines,
    pathNamesCrisp: pathNamesCrisp(options.path),
    hints: allHints,
    websiteIds: sightings,
    allowedLines
  });
  const candidates = pairs.map((pair, i) => {
    const keypair = new Keypair(pair.identifier.value, pair.key.value);
    const { key, identifier } = pair;
    return {
      keypair,
      fingerprint: keypair.fingerprint,
      tier: labelTier(key.label) ?? labelTier(identifier.label) ?? nearestTier(hintsOf[i], key.start, key.line, lineOf),
      websiteId: nearestWebsiteId(sightings, pair),
      occurrence: { path: options.path, line: key.line, column: key.column, encoding: key.encoding },
      suppressed: suppressionFor(
        identifier.value,
        key.value,
        allowedLines.has(key.line) || allowedLines.has(identifier.line)
      )
    };
  });
  return { candidates, websiteIds: websiteIdList, lone };
}
function pairPluginAware(halves, views) {
  const isPluginKey = (h) => h.kind === "key" && labelTier(h.label) === "plugin";
  const usable = pluginIdsUsable(halves) ? halves : halves.filter((h) => !h.pluginId);
  return pairHalves(usable, views).filter((p) => !p.identifier.pluginId || isPluginKey(p.key));
}
function pluginIdsUsable(halves) {
  const pluginTier = (h) => labelTier(h.label) === "plugin";
  return halves.some((h) => h.kind === "key" && pluginTier(h)) && !halves.some((h) => h.kind === "identifier" && !h.pluginId && pluginTier(h));
}
function hintsByPair(hints, pairs, lineOf) {
  const owned = pairs.map(() => []);
  const halves = pairs.flatMap((pair, i) => [pair.key, pair.identifier].map((h) => ({ start: h.start, line: h.line, pair: i }))).sort(byStart);
  for (const hint of hints) {
    const at = { start: hint.offset, line: lineOf(hint.offset) };
    const nearest = halves[nearestIndex(halves, at)];
    if (nearest && Math.abs(nearest.line - at.line) <= MAX_PAIR_LINES) owned[nearest.pair].push(hint);
  }
  return owned;
}
function nearestWebsiteId(sorted, pair) {
  let best = null;
  let bestDistance = Infinity;
  for (const half of [pair.key, pair.identifier]) {
    const w = sorted[nearestIndex(sorted, half)];
    if (w && textDistance(w, half) < bestDistance) {
      best = w.id;
      bestDistance = textDistance(w, half);
    }
  }
  return best;
}

// src/sources/content.ts
var DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
var BINARY_SNIFF_BYTES = 8e3;
function isBinary(buf) {
  const end = Math.min(buf.length, BINARY_SNIFF_BYTES);
  return buf.subarray(0, end).indexOf(0) !== -1;
}
var DASH = 45;
var UUID_LENGTH = 36;
var FIRST_DASH = 8;
function isHex(c) {
  return c >= 48 && c <= 57 || (c | 32) >= 97 && (c | 32) <= 102;
}
function hasUuidShape(buf) {
  const last = buf.length - (UUID_LENGTH - FIRST_DASH);
  let at = buf.indexOf(DASH, FIRST_DASH);
  while (at !== -1 && at <= last) {
    if (buf[at + 5] === DASH && buf[at + 10] === DASH && buf[at + 15] === DASH && isUuidAt(buf, at - FIRST_DASH)) return true;
    at = buf.indexOf(DASH, at + 1);
  }
  return false;
}
function isUuidAt(buf, start) {
  for (let k = 0; k < UUID_LENGTH; k++) {
    if (k === 8 || k === 13 || k === 18 || k === 23) continue;
    if (!isHex(buf[start + k])) return false;
  }
  return true;
}

// src/sources/git/crisp-bytes.ts
var SIMD = 253;
var OP = { v128Load: 0, v128Const: 12, i8x16Eq: 35, v128And: 78, v128Or: 80, v128AnyTrue: 83 };
var CASE_BIT = 32;
var TAIL_PADDING = 64;
var UUID_DASHES = [8, 13, 18, 23];
var DASH2 = 45;
var WASM_PAGE = 65536;
var WORDS = ["crisp", "etier", "_tier"];
function splat(byte) {
  return new Array(16).fill(byte);
}
function lane(offset, letter) {
  return [32, 1, SIMD, OP.v128Load, 0, offset, SIMD, OP.v128Const, ...splat(CASE_BIT), SIMD, OP.v128Or, SIMD, OP.v128Const, ...splat(letter), SIMD, OP.i8x16Eq];
}
function exactLane(offset, byte) {
  return [32, 2, SIMD, OP.v128Load, 0, offset, SIMD, OP.v128Const, ...splat(byte), SIMD, OP.i8x16Eq];
}
function word(text) {
  const out = [];
  for (let k = 0; k < text.length; k++) {
    out.push(...lane(k, text.charCodeAt(k) | CASE_BIT));
    if (k > 0) out.push(SIMD, OP.v128And);
  }
  return out;
}
function uleb(n) {
  const out = [];
  do {
    let b = n & 127;
    n >>>= 7;
    if (n) b |= 128;
    out.push(b);
  } while (n);
  return out;
}
function moduleBytes() {
  const dashes = UUID_DASHES.flatMap((offset, k) => [...exactLane(offset, DASH2), ...k > 0 ? [SIMD, OP.v128And] : []]);
  const dashBody = [
    1,
    1,
    127,
    // one local: $i i32 (local 2)
    32,
    0,
    33,
    2,
    // $i = $from
    2,
    64,
    3,
    64,
    32,
    2,
    32,
    1,
    79,
    13,
    1,
    // if $i >= $len: break
    ...dashes,
    SIMD,
    OP.v128AnyTrue,
    4,
    64,
    32,
    2,
    15,
    11,
    // any lane: return $i
    32,
    2,
    65,
    16,
    106,
    33,
    2,
    12,
    0,
    11,
    11,
    65,
    127,
    11
    // return -1
  ];
  const body = [
    1,
    1,
    127,
    // one local: $i i32
    2,
    64,
    3,
    64,
    // block, loop
    32,
    1,
    32,
    0,
    79,
    13,
    1,
    // if $i >= $len: break
    ...word(WORDS[0]),
    ...word(WORDS[1]),
    SIMD,
    OP.v128Or,
    ...word(WORDS[2]),
    SIMD,
    OP.v128Or,
    SIMD,
    OP.v128AnyTrue,
    4,
    64,
    65,
    1,
    15,
    11,
    // any lane: return 1
    32,
    1,
    65,
    16,
    106,
    33,
    1,
    12,
    0,
    // $i += 16; continue
    11,
    11,
    65,
    0,
    11
    // end loop, end block; return 0
  ];
  const code = [2, ...uleb(body.length), ...body, ...uleb(dashBody.length), ...dashBody];
  const name = (text) => [text.length, ...Buffer.from(text, "latin1")];
  const exports = [3, ...name("mem"), 2, 0, ...name("find"), 0, 0, ...name("dashes"), 0, 1];
  return new Uint8Array([
    0,
    97,
    115,
    109,
    1,
    0,
    0,
    0,
    1,
    12,
    2,
    96,
    1,
    127,
    1,
    127,
    96,
    2,
    127,
    127,
    1,
    127,
    // types: (i32) -> i32, (i32 i32) -> i32
    3,
    3,
    2,
    0,
    1,
    // two functions
    5,
    3,
    1,
    0,
    1,
    // one memory, 1 page to start
    7,
    ...uleb(exports.length),
    ...exports,
    10,
    ...uleb(code.length),
    ...code
  ]);
}
var wasm = globalThis.WebAssembly;
var FALLBACK_RE = /[Cc][Rr][Ii][Ss][Pp]|[Ee][Tt][Ii][Ee][Rr]|[_\x7f][Tt][Ii][Ee][Rr]/;
var UUID_RE2 = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
var ByteClass = Object.freeze({
  /** Neither Crisp context nor a UUID: nothing to do. */
  Nothing: 0,
  /** Maybe Crisp context: decode and run the prefilter. */
  MayHaveContext: 1,
  /** No Crisp context, but a UUID: a keypair is possible at a path naming Crisp. */
  UuidOnly: 2
});
function isHex2(c) {
  return c >= 48 && c <= 57 || (c | 32) >= 97 && (c | 32) <= 102;
}
var UUID_LENGTH2 = 36;
function isUuidAt2(bytes, start) {
  if (start < 0 || start + UUID_LENGTH2 > bytes.length) return false;
  for (let k = 0; k < UUID_LENGTH2; k++) {
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (bytes[start + k] !== DASH2) return false;
    } else if (!isHex2(bytes[start + k])) return false;
  }
  return true;
}
function compile() {
  if (wasm === void 0) return null;
  try {
    const instance = new wasm.Instance(new wasm.Module(moduleBytes()));
    const memory = instance.exports.mem;
    const find = instance.exports.find;
    const dashes = instance.exports.dashes;
    return (bytes) => {
      const need = bytes.length + TAIL_PADDING;
      if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / WASM_PAGE));
      const view = new Uint8Array(memory.buffer, 0, need);
      view.set(bytes, 0);
      view.fill(0, bytes.length, need);
      if (find(bytes.length) === 1) return ByteClass.MayHaveContext;
      for (let step = dashes(0, bytes.length); step !== -1; step = dashes(step + 16, bytes.length)) {
        for (let p = step; p < step + 16; p++) if (isUuidAt2(view, p)) return ByteClass.UuidOnly;
      }
      return ByteClass.Nothing;
    };
  } catch {
    return null;
  }
}
var simd = compile();
function classifyBytesFallback(bytes) {
  const text = bytes.toString("latin1");
  if (FALLBACK_RE.test(text)) return ByteClass.MayHaveContext;
  return UUID_RE2.test(text) ? ByteClass.UuidOnly : ByteClass.Nothing;
}
function classifyBytes(bytes) {
  return simd !== null ? simd(bytes) : classifyBytesFallback(bytes);
}

// src/sources/git/process.ts
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
var SAFE_GIT_CONFIG = Object.freeze([
  "core.hooksPath=/dev/null",
  // no hooks (reference-transaction hooks run even on clone)
  "core.fsmonitor=",
  // a repository-chosen fsmonitor is a program git runs
  "diff.external=",
  // an external diff program
  "core.pager=cat",
  "log.showSignature=false",
  // would run gpg.program, which the repository may set
  "protocol.ext.allow=never",
  // ext:: URLs run a command
  "core.quotePath=false",
  "color.ui=false"
]);
var NO_FETCH_GIT_CONFIG = Object.freeze(["protocol.allow=never"]);
var SAFE_DIFF_FLAGS = Object.freeze([
  "--no-textconv",
  "--no-ext-diff",
  "--no-show-signature",
  "--no-color"
]);
var UNSAFE_ENV = /* @__PURE__ */ new Set(["PAGER", "EDITOR", "VISUAL", "SSH_ASKPASS", "PREFIX"]);
function safeGitEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === void 0 || name.startsWith("GIT_") || UNSAFE_ENV.has(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    // never wait for a username or password
    GIT_ASKPASS: "",
    // ditto, for a configured askpass helper
    GIT_PAGER: "cat",
    GIT_OPTIONAL_LOCKS: "0",
    // reading must not write the index of the scanned repository
    GIT_NO_REPLACE_OBJECTS: "1",
    // read the objects as stored: refs/replace cannot hide content
    LC_ALL: "C",
    // error text we can recognise
    ...extra
  };
}
function gitArgv(repoPath, args) {
  const argv = [];
  for (const setting of [...SAFE_GIT_CONFIG, ...NO_FETCH_GIT_CONFIG]) argv.push("-c", setting);
  argv.push("--no-pager");
  if (repoPath !== null) argv.push("-C", repoPath);
  argv.push(...args);
  return argv;
}
function gitEnvFor(repoPath, extra = {}) {
  const noFetch = { GIT_NO_LAZY_FETCH: "1" };
  if (repoPath === null) return safeGitEnv({ ...noFetch, ...extra });
  return safeGitEnv({ ...noFetch, GIT_CEILING_DIRECTORIES: dirname(resolve(repoPath)), ...extra });
}
function gitFailureLine(stderr) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  const pick = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? "";
  return pick.replace(/^(fatal|error):\s*/, "").slice(0, 300);
}
var GitCommandError = class extends Error {
  constructor(message, exitCode, stderr) {
    super(message);
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.name = "GitCommandError";
  }
  exitCode;
  stderr;
};
var STDERR_KEEP_BYTES = 16 * 1024;
function spawnGit(repoPath, args, options = {}) {
  const child = spawn("git", gitArgv(repoPath, args), {
    // `env`: variables the caller needs git to see despite safeGitEnv (a hook's GIT_INDEX_FILE).
    env: gitEnvFor(repoPath, options.env),
    stdio: ["pipe", "pipe", "pipe"],
    signal: options.signal,
    windowsHide: true
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    if (stderr.length < STDERR_KEEP_BYTES) stderr += chunk;
  });
  child.stdin.on("error", () => {
  });
  const what = options.what ?? `git ${args[0] ?? ""}`;
  const done = new Promise((resolvePromise, reject) => {
    child.on("error", (error) => {
      if (error.name === "AbortError") reject(abortError(options.signal));
      else if (error.code === "ENOENT") reject(new Error("git is not installed or not on PATH"));
      else reject(new Error(`${what} could not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      if (options.signal?.aborted) reject(abortError(options.signal));
      else if (code === 0) resolvePromise();
      else {
        const detail = gitFailureLine(stderr) || (signal ? `killed by ${signal}` : `exit code ${code}`);
        reject(new GitCommandError(`${what} failed: ${detail}`, code, stderr));
      }
    });
  });
  done.catch(() => {
  });
  return { child, done };
}
async function runGit(repoPath, args, options = {}) {
  const { child, done } = spawnGit(repoPath, args, options);
  const chunks = [];
  child.stdout.on("data", (chunk) => chunks.push(chunk));
  child.stdin.end(options.input ?? "");
  await done;
  return Buffer.concat(chunks).toString("utf8");
}
function abortError(signal) {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("the scan was aborted");
  error.name = "AbortError";
  return error;
}

// src/sources/git/repository.ts
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
async function assertRepository(path) {
  let isDir;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new Error(`no such file or directory: ${path}`);
  }
  if (!isDir) throw new Error(`${path} is not a directory, so not a git repository`);
  try {
    await runGit(path, ["rev-parse", "--git-dir"]);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/not a git repository/i.test(detail)) {
      throw new Error(`${path} is not a git repository (give its top-level directory or a bare repository)`);
    }
    throw new Error(`${path} cannot be opened as a git repository: ${detail}`);
  }
}

// src/sources/git/blobs.ts
var INITIAL_CAPACITY = 1024;
var EMPTY = -1;
var BlobSet = class {
  /** Bytes per id: 20 for SHA-1 repositories, 32 for SHA-256 ones. */
  idBytes;
  #ids;
  #pathOf;
  #size = 0;
  #table;
  #mask;
  #paths = [];
  #pathIds = /* @__PURE__ */ new Map();
  #scratch;
  constructor(idBytes = 20) {
    this.idBytes = idBytes;
    this.#ids = Buffer.alloc(INITIAL_CAPACITY * idBytes);
    this.#pathOf = new Uint32Array(INITIAL_CAPACITY);
    this.#table = new Int32Array(INITIAL_CAPACITY * 2).fill(EMPTY);
    this.#mask = this.#table.length - 1;
    this.#scratch = Buffer.alloc(idBytes);
  }
  get size() {
    return this.#size;
  }
  /** Adds `hex` with `path` (kept only for the first add); returns its index. */
  add(hex, path) {
    this.#toScratch(hex);
    const found = this.#find(this.#scratch);
    if (found.index !== EMPTY) return found.index;
    if (this.#size === this.#pathOf.length) {
      this.#grow();
      return this.add(hex, path);
    }
    const index = this.#size++;
    this.#scratch.copy(this.#ids, index * this.idBytes);
    this.#pathOf[index] = this.internPath(path);
    this.#table[found.slot] = index;
    return index;
  }
  /** The index of `hex`, or -1. */
  indexOf(hex) {
    if (hex.length !== this.idBytes * 2) return EMPTY;
    this.#toScratch(hex);
    return this.#find(this.#scratch).index;
  }
  /** The index of the id stored raw in `source` at `offset`, or -1. */
  indexOfBytes(source, offset) {
    return this.#find(source, offset).index;
  }
  hexAt(index) {
    const start = index * this.idBytes;
    return this.#ids.toString("hex", start, start + this.idBytes);
  }
  pathAt(index) {
    return this.#paths[this.#pathOf[index]];
  }
  pathById(id) {
    return this.#paths[id];
  }
  #toScratch(hex) {
    if (hex.length !== this.idBytes * 2 || this.#scratch.write(hex, "hex") !== this.idBytes) {
      throw new Error(`not an object id: ${hex.slice(0, 80)}`);
    }
  }
  /** The path's number (each distinct path is stored once). */
  internPath(path) {
    let id = this.#pathIds.get(path);
    if (id === void 0) {
      id = this.#paths.length;
      this.#paths.push(path);
      this.#pathIds.set(path, id);
    }
    return id;
  }
  /** Object ids are uniformly random: their first four bytes are a good enough hash. */
  #slotOf(id, offset) {
    return id.readUInt32LE(offset) & this.#mask;
  }
  #find(id, offset = 0) {
    const n = this.idBytes;
    let slot = this.#slotOf(id, offset);
    for (; ; ) {
      const index = this.#table[slot];
      if (index === EMPTY) return { index: EMPTY, slot };
      if (this.#ids.compare(id, offset, offset + n, index * n, index * n + n) === 0) return { index, slot };
      slot = slot + 1 & this.#mask;
    }
  }
  #grow() {
    const capacity = this.#pathOf.length * 2;
    const ids = Buffer.alloc(capacity * this.idBytes);
    this.#ids.copy(ids);
    this.#ids = ids;
    const pathOf = new Uint32Array(capacity);
    pathOf.set(this.#pathOf);
    this.#pathOf = pathOf;
    this.#table = new Int32Array(capacity * 2).fill(EMPTY);
    this.#mask = this.#table.length - 1;
    for (let index = 0; index < this.#size; index++) {
      let slot = this.#slotOf(this.#ids, index * this.idBytes);
      while (this.#table[slot] !== EMPTY) slot = slot + 1 & this.#mask;
      this.#table[slot] = index;
    }
  }
};

// src/sources/git/lines.ts
var LineSplitter = class {
  #onLine;
  #separator;
  #carry = null;
  /** `separator`: 0x0a for lines, 0x00 for `-z` output. */
  constructor(onLine, separator = 10) {
    this.#onLine = onLine;
    this.#separator = separator;
  }
  push(chunk) {
    let start = 0;
    let data = chunk;
    if (this.#carry !== null) {
      const first = chunk.indexOf(this.#separator);
      if (first === -1) {
        this.#carry = Buffer.concat([this.#carry, chunk]);
        return;
      }
      this.#onLine(Buffer.concat([this.#carry, chunk.subarray(0, first)]).toString("utf8"));
      this.#carry = null;
      start = first + 1;
      data = chunk;
    }
    for (; ; ) {
      const end = data.indexOf(this.#separator, start);
      if (end === -1) break;
      this.#onLine(data.toString("utf8", start, end));
      start = end + 1;
    }
    if (start < data.length) this.#carry = Buffer.from(data.subarray(start));
  }
  /** Emits a last record that had no terminator. */
  end() {
    if (this.#carry !== null && this.#carry.length > 0) this.#onLine(this.#carry.toString("utf8"));
    this.#carry = null;
  }
};

// src/sources/git/introducers.ts
var HEADER_MARK = "";
var HEADER_FIELDS = 2;
var GITLINK_MODE = "160000";
var RawLogParser = class {
  #introduced;
  #onCommit;
  #header = null;
  #commit = null;
  #parents = 0;
  /** "path\0blob" → in how many parent diffs the path became the blob (this commit only). */
  #added = /* @__PURE__ */ new Map();
  #pendingBlob = null;
  #expectPath = false;
  constructor(introduced, onCommit = () => {
  }) {
    this.#introduced = introduced;
    this.#onCommit = onCommit;
  }
  token(raw) {
    if (this.#header !== null) {
      this.#header.push(raw);
      if (this.#header.length === HEADER_FIELDS) this.#startCommit(this.#header);
      return;
    }
    if (this.#expectPath) {
      this.#expectPath = false;
      const blob = this.#pendingBlob;
      this.#pendingBlob = null;
      if (blob !== null) {
        const key = `${raw}\0${blob}`;
        this.#added.set(key, (this.#added.get(key) ?? 0) + 1);
      }
      return;
    }
    const token = raw.charCodeAt(0) === 10 ? raw.replace(/^\n+/, "") : raw;
    if (token.startsWith(HEADER_MARK)) {
      this.#header = [token.slice(HEADER_MARK.length)];
      return;
    }
    if (token.startsWith(":")) {
      const fields = token.split(" ");
      const mode = fields[1];
      const blob = fields[3];
      const kept = blob !== void 0 && mode !== GITLINK_MODE && !/^0+$/.test(blob);
      this.#pendingBlob = kept ? blob : null;
      this.#expectPath = true;
    }
  }
  end() {
    this.#flush();
  }
  #startCommit(fields) {
    this.#header = null;
    const [commit, parents] = fields;
    if (this.#commit === commit) return;
    this.#flush();
    this.#commit = commit;
    this.#parents = parents.trim() === "" ? 0 : parents.trim().split(" ").length;
    this.#onCommit(commit);
  }
  #flush() {
    const commit = this.#commit;
    if (commit === null) return;
    const needed = Math.max(1, this.#parents);
    for (const [key, count] of this.#added) {
      if (count < needed) continue;
      const sep = key.lastIndexOf("\0");
      this.#introduced(commit, key.slice(0, sep), key.slice(sep + 1));
    }
    this.#added = /* @__PURE__ */ new Map();
    this.#commit = null;
  }
};
async function commitDetails(repoPath, commits, signal) {
  const out = /* @__PURE__ */ new Map();
  if (commits.length === 0) return out;
  const text = await runGit(
    repoPath,
    ["log", "--no-walk=unsorted", "--stdin", "-z", "--no-show-signature", "--encoding=UTF-8", "--format=%H%x00%an%x00%ae%x00%aI"],
    { signal, input: commits.join("\n") + "\n", what: "git log" }
  );
  const fields = text.split("\0");
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const commit = fields[i].replace(/^\n+/, "");
    const [name, email, date] = [fields[i + 1], fields[i + 2], fields[i + 3]];
    out.set(commit, { author: email.trim() === "" ? name : `${name} <${email}>`, date: date.trim() });
  }
  return out;
}
var MAX_FIND_OBJECTS = 2e3;
async function findIntroductions(repoPath, revArgs, wanted, signal) {
  if (wanted.size === 0) return /* @__PURE__ */ new Map();
  const pickaxe = wanted.size <= MAX_FIND_OBJECTS && !await hasPromisorRemote(repoPath, signal);
  const finds = pickaxe ? [...wanted].map((id) => `--find-object=${id}`) : [];
  return walkIntroductions(repoPath, [...finds, ...revArgs], (blob) => wanted.has(blob), signal);
}
async function introductionsAtPaths(repoPath, revArgs, pathspec, accept, signal) {
  return walkIntroductions(repoPath, [...revArgs, "--", pathspec], accept, signal);
}
async function walkIntroductions(repoPath, rangeArgs, accept, signal) {
  const out = /* @__PURE__ */ new Map();
  const args = [
    "log",
    "--format=%x01%H%x00%P",
    "-z",
    "--raw",
    "--no-abbrev",
    "--no-renames",
    // a rename is a delete and an add: the add is what we look for
    "--no-relative",
    "--diff-merges=separate",
    // each parent on its own, whatever log.diffMerges says
    "--root",
    ...SAFE_DIFF_FLAGS,
    ...rangeArgs
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git log" });
  child.stdin.end();
  const seen = /* @__PURE__ */ new Set();
  const parser = new RawLogParser((commit, path, blob) => {
    if (!accept(blob)) return;
    const key = `${commit}\0${path}\0${blob}`;
    if (seen.has(key)) return;
    seen.add(key);
    let list = out.get(blob);
    if (list === void 0) out.set(blob, list = []);
    list.push({ commit, path });
  });
  const records = new LineSplitter((token) => parser.token(token), 0);
  child.stdout.on("data", (chunk) => records.push(chunk));
  await done;
  records.end();
  parser.end();
  return out;
}
async function hasPromisorRemote(repoPath, signal) {
  const out = await runGit(repoPath, ["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"], {
    signal
  }).catch(() => "");
  return out.split("\n").some((line) => {
    const [name, value = ""] = line.split(" ");
    return name === "extensions.partialclone" ? value !== "" : name !== void 0 && name !== "" && value === "true";
  });
}

// src/sources/git/ls-tree.ts
function parseLsTreeEntries(output) {
  const out = [];
  for (const record of output.split("\0")) {
    const tab = record.indexOf("	");
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(" ");
    if (!mode || !type || !oid) continue;
    out.push({ mode, type, oid, path: record.slice(tab + 1) });
  }
  return out;
}

// src/sources/git/inherited.ts
async function parentsOf(repoPath, commits, signal) {
  const out = await runGit(repoPath, ["log", "--no-walk=unsorted", "--stdin", "--format=%H %P"], {
    signal,
    input: `${commits.join("\n")}
`,
    what: "git log (parents)"
  });
  const parents = /* @__PURE__ */ new Map();
  for (const line of out.split("\n")) {
    const [commit, ...rest] = line.trim().split(" ").filter(Boolean);
    if (commit) parents.set(commit, rest);
  }
  return parents;
}
async function readObjects(repoPath, names, signal) {
  const { child, done } = spawnGit(repoPath, ["cat-file", "--batch"], { signal, what: "git cat-file (parents)" });
  const chunks = [];
  child.stdout.on("data", (c) => chunks.push(c));
  child.stdin.end(names.map((n) => `${n}
`).join(""));
  await done;
  const buf = Buffer.concat(chunks);
  const result = /* @__PURE__ */ new Map();
  let at = 0;
  for (const name of names) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const header = buf.subarray(at, eol).toString("utf8");
    at = eol + 1;
    const m = / (\w+) (\d+)$/.exec(header);
    if (!m || header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      result.set(name, null);
      continue;
    }
    const size = Number(m[2]);
    result.set(name, m[1] === "blob" ? buf.subarray(at, at + size) : null);
    at += size + 1;
  }
  return result;
}
async function readPresent(repoPath, names, signal) {
  if (!await hasPromisorRemote(repoPath, signal)) return readObjects(repoPath, names, signal);
  const byRev = /* @__PURE__ */ new Map();
  for (const name of names) {
    const colon = name.indexOf(":");
    const list = byRev.get(name.slice(0, colon)) ?? [];
    list.push(name.slice(colon + 1));
    byRev.set(name.slice(0, colon), list);
  }
  const oidOf = /* @__PURE__ */ new Map();
  for (const [rev, paths] of byRev) {
    const out = await runGit(repoPath, ["ls-tree", "-z", "--full-tree", rev, "--", ...paths.map((p) => `:(literal)${p}`)], { signal });
    for (const entry of parseLsTreeEntries(out)) if (entry.type === "blob") oidOf.set(`${rev}:${entry.path}`, entry.oid);
  }
  const oids = [...new Set(oidOf.values())];
  const absent = /* @__PURE__ */ new Set();
  if (oids.length > 0) {
    const paths = [...new Set([...byRev.values()].flat())].map((p) => `:(literal)${p}`);
    const out = await runGit(
      repoPath,
      ["rev-list", "--objects", "--no-walk", "--missing=print", "--filter=object:type=blob", "--filter-provided-objects", ...byRev.keys(), "--", ...paths],
      { signal }
    );
    for (const line of out.split("\n")) if (line.startsWith("?")) absent.add(line.slice(1).trim());
  }
  const present = oids.filter((o) => !absent.has(o));
  const read = present.length > 0 ? await readObjects(repoPath, present, signal) : /* @__PURE__ */ new Map();
  const result = /* @__PURE__ */ new Map();
  for (const name of names) {
    const oid = oidOf.get(name);
    result.set(name, oid === void 0 ? null : read.get(oid) ?? null);
  }
  return result;
}
async function dropInherited(repoPath, candidates, options) {
  const withCommit = candidates.filter((c) => c.occurrence.commit);
  if (withCommit.length === 0) return [...candidates];
  const parents = await parentsOf(repoPath, [...new Set(withCommit.map((c) => c.occurrence.commit))], options.signal);
  const names = /* @__PURE__ */ new Set();
  for (const c of withCommit) {
    if (c.occurrence.path.includes("\n")) continue;
    for (const p of parents.get(c.occurrence.commit) ?? []) names.add(`${p}:${c.occurrence.path}`);
  }
  const contents = names.size > 0 ? await readPresent(repoPath, [...names], options.signal) : /* @__PURE__ */ new Map();
  const held = /* @__PURE__ */ new Map();
  const fingerprintsAt = (name, path) => {
    if (held.has(name)) return held.get(name);
    const content = contents.get(name);
    let fps = /* @__PURE__ */ new Set();
    if (content === void 0) fps = null;
    else if (content !== null) {
      if (content.length > options.maxFileSize) fps = null;
      else {
        const text = content.toString("utf8");
        if (options.mayContainKeypair(text, path)) fps = new Set(options.detect(text, { path }).candidates.map((c) => c.fingerprint));
      }
    }
    held.set(name, fps);
    return fps;
  };
  return candidates.filter((c) => {
    const { commit, path } = c.occurrence;
    if (!commit) return true;
    const ps = parents.get(commit) ?? [];
    if (ps.length === 0) return true;
    return !ps.every((p) => fingerprintsAt(`${p}:${path}`, path)?.has(c.fingerprint) === true);
  });
}

// src/sources/git/cross-file.ts
var MAX_TREE_LOOKUPS = 5e5;
function mayPair(lone) {
  let identifier = false;
  let key = false;
  for (const blob of lone) {
    for (const h of [...blob.crisp ?? [], ...blob.plain ?? []]) {
      if (h.kind === "identifier") identifier = true;
      else key = true;
    }
    if (identifier && key) return true;
  }
  return false;
}
function introducedPairs(commits, parents, states, halvesAt) {
  const memo = /* @__PURE__ */ new Map();
  const pairsOf = (commit) => {
    const state = states.get(commit);
    if (state === void 0 || state.size === 0) return [];
    const key = [...state].map(([p, b]) => `${p}\0${b}`).sort().join("");
    let found = memo.get(key);
    if (found === void 0) {
      const lone = [];
      for (const [path, blob] of state) lone.push(...halvesAt(blob, path));
      memo.set(key, found = pairAcrossFiles(lone));
    }
    return found;
  };
  const out = [];
  for (const commit of commits) {
    const found = pairsOf(commit);
    if (found.length === 0) continue;
    const inherited = /* @__PURE__ */ new Set();
    for (const parent of parents.get(commit) ?? []) {
      for (const c of pairsOf(parent)) inherited.add(`${c.fingerprint}\0${c.occurrence.path}`);
    }
    for (const c of found) {
      if (inherited.has(`${c.fingerprint}\0${c.occurrence.path}`)) continue;
      out.push({ ...c, occurrence: { ...c.occurrence, commit } });
    }
  }
  return { candidates: out, states: memo.size };
}
async function pairAcrossTrees(repoPath, revArgs, lone, introductions, options) {
  const { signal } = options;
  const cost = { paths: 0, commits: 0, lookups: 0, states: 0 };
  const report = () => options.onCost?.({ ...cost });
  if (!mayPair(lone.values())) {
    report();
    return [];
  }
  const paths = /* @__PURE__ */ new Set();
  for (const [blob] of lone) for (const i of introductions.get(blob) ?? []) if (!i.path.includes("\n")) paths.add(i.path);
  cost.paths = paths.size;
  if (paths.size === 0) {
    report();
    return [];
  }
  const changing = await commitsChanging(repoPath, revArgs, [...paths], signal);
  if (changing.length === 0) {
    report();
    return [];
  }
  const parents = await parentsOf(repoPath, changing, signal);
  const budget = options.maxLookups ?? MAX_TREE_LOOKUPS;
  const commits = [];
  const asked = /* @__PURE__ */ new Set();
  for (const commit of changing.reverse()) {
    const wanted = [commit, ...parents.get(commit) ?? []].filter((c) => !asked.has(c));
    if ((asked.size + wanted.length) * paths.size > budget && commits.length > 0) break;
    for (const c of wanted) asked.add(c);
    commits.push(commit);
  }
  cost.commits = commits.length;
  cost.lookups = asked.size * paths.size;
  const states = await treeStates(repoPath, [...asked], [...paths], new Set(lone.keys()), signal);
  const unknown = /* @__PURE__ */ new Map();
  for (const state of states.values()) {
    for (const [path, blob] of state) {
      const crisp = pathNamesCrisp(path);
      const known = lone.get(blob);
      if ((crisp ? known.crisp : known.plain) !== void 0) continue;
      const set = unknown.get(blob) ?? /* @__PURE__ */ new Set();
      set.add(crisp);
      unknown.set(blob, set);
    }
  }
  if (unknown.size > 0) {
    const contents = await readObjects(repoPath, [...unknown.keys()], signal);
    for (const [blob, variants] of unknown) {
      const content = contents.get(blob);
      const known = lone.get(blob);
      for (const crisp of variants) {
        const halves = content == null ? [] : options.detect(content.toString("utf8"), { path: crisp ? "crisp" : "" }).lone ?? [];
        if (crisp) known.crisp = halves;
        else known.plain = halves;
      }
    }
  }
  const halvesAt = (blob, path) => {
    const known = lone.get(blob);
    const halves = (pathNamesCrisp(path) ? known.crisp : known.plain) ?? [];
    return halves.map((h) => ({ ...h, occurrence: { ...h.occurrence, path } }));
  };
  const result = introducedPairs(commits, parents, states, halvesAt);
  cost.states = result.states;
  report();
  return result.candidates;
}
async function commitsChanging(repoPath, revArgs, paths, signal) {
  const { child, done } = spawnGit(repoPath, ["rev-list", "--full-history", ...revArgs, "--stdin"], { signal, what: "git rev-list (paths)" });
  const out = [];
  const lines = new LineSplitter((line) => {
    if (/^[0-9a-f]{40,64}$/.test(line)) out.push(line);
  });
  child.stdout.on("data", (chunk) => lines.push(chunk));
  child.stdin.end(`--
${paths.map((p) => `:(literal)${p}
`).join("")}`);
  await done;
  lines.end();
  return out;
}
async function treeStates(repoPath, commits, paths, wanted, signal) {
  const states = /* @__PURE__ */ new Map();
  for (const c of commits) states.set(c, /* @__PURE__ */ new Map());
  if (commits.length === 0) return states;
  const { child, done } = spawnGit(repoPath, ["cat-file", "--batch-check=%(objectname)"], { signal, what: "git cat-file (trees)" });
  let n = 0;
  const lines = new LineSplitter((line) => {
    const at = n++;
    const oid = line.trim();
    if (!wanted.has(oid)) return;
    const commit = commits[Math.floor(at / paths.length)];
    states.get(commit).set(paths[at % paths.length], oid);
  });
  child.stdout.on("data", (chunk) => lines.push(chunk));
  const write = async () => {
    for (const commit of commits) {
      const block = paths.map((p) => `${commit}:${p}
`).join("");
      if (!child.stdin.write(block)) {
        await new Promise((resolve2) => {
          child.stdin.once("drain", resolve2);
          child.stdin.once("close", resolve2);
        });
      }
      if (signal?.aborted || child.stdin.destroyed) break;
    }
    child.stdin.end();
  };
  await Promise.all([write(), done]);
  lines.end();
  return states;
}

// src/sources/git/enumerate.ts
import { readFile } from "node:fs/promises";
async function resolveCommit(repoPath, rev, what, signal) {
  try {
    const out = await runGit(repoPath, ["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`], { signal });
    return out.trim();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error(`${what} ${JSON.stringify(rev)} is not a commit in ${repoPath}`);
  }
}
async function revisionArgs(repoPath, range, signal) {
  const since = range.since !== void 0 ? await resolveCommit(repoPath, range.since, "--since", signal) : null;
  const positive = [];
  if (range.branch !== void 0) {
    for (const ref of typeof range.branch === "string" ? [range.branch] : range.branch) {
      positive.push(await resolveCommit(repoPath, ref, "--branch", signal));
    }
  } else {
    positive.push("--all", ...await stashEntries(repoPath, signal));
  }
  return since === null ? positive : [...positive, "--not", since];
}
async function stashEntries(repoPath, signal) {
  const has2 = await runGit(repoPath, ["for-each-ref", "--format=%(refname)", "refs/stash"], { signal });
  if (has2.trim() === "") return [];
  const out = await runGit(repoPath, ["log", "-g", "--no-show-signature", "--format=%H", "refs/stash"], { signal });
  return out.split("\n").filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}
async function objectIdBytes(repoPath, signal) {
  const format = (await runGit(repoPath, ["rev-parse", "--show-object-format"], { signal })).trim();
  return format === "sha256" ? 32 : 20;
}
async function listBlobs(repoPath, revArgs, listing, signal, extraArgs = []) {
  const args = [
    "rev-list",
    "--objects",
    "--filter=object:type=blob",
    "--filter-provided-objects",
    "--missing=print",
    ...revArgs,
    ...extraArgs
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git rev-list" });
  child.stdin.end();
  let last = null;
  const emit = () => {
    if (last !== null) listing.onBlob(last.hex, last.path);
    last = null;
  };
  const lines = new LineSplitter((line) => {
    if (line.startsWith("?")) {
      emit();
      listing.onMissing(line.slice(1).trim());
      return;
    }
    const space = line.indexOf(" ");
    const hex = space === -1 ? line : line.slice(0, space);
    if ((hex.length === 40 || hex.length === 64) && /^[0-9a-f]+$/.test(hex)) {
      emit();
      last = { hex, path: space === -1 ? "" : line.slice(space + 1) };
    } else if (last !== null) {
      last.path += `
${line}`;
    }
  });
  child.stdout.on("data", (chunk) => {
    lines.push(chunk);
    const wait = listing.congested?.();
    if (wait) {
      child.stdout.pause();
      void wait.then(() => child.stdout.resume());
    }
  });
  await done;
  lines.end();
  emit();
}
async function countCommits(repoPath, revArgs, signal) {
  const out = await runGit(repoPath, ["rev-list", "--count", ...revArgs], { signal });
  return Number(out.trim()) || 0;
}
async function shallowBoundary(repoPath, signal) {
  const shallow = (await runGit(repoPath, ["rev-parse", "--is-shallow-repository"], { signal })).trim() === "true";
  if (!shallow) return /* @__PURE__ */ new Set();
  const file = (await runGit(repoPath, ["rev-parse", "--path-format=absolute", "--git-path", "shallow"], { signal })).trim();
  const text = await readFile(file, "utf8").catch(() => "");
  return new Set(text.split("\n").map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l)));
}

// src/sources/git/read.ts
import { availableParallelism } from "node:os";

// src/sources/git/batch.ts
var MAX_HEADER_BYTES = 512;
var NEWLINE = 10;
var BatchParser = class {
  #handlers;
  #headerParts = [];
  #headerBytes = 0;
  #current = null;
  #wanted = false;
  #content = null;
  #filled = 0;
  /** Content bytes still to come for the current object, then 1 for its trailing newline. */
  #remaining = 0;
  constructor(handlers) {
    this.#handlers = handlers;
  }
  /** True when the stream ended on an object boundary. */
  get idle() {
    return this.#current === null && this.#headerBytes === 0;
  }
  push(chunk) {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#current === null) {
        const nl = chunk.indexOf(NEWLINE, pos);
        if (nl === -1) {
          this.#addHeaderPart(chunk.subarray(pos));
          return;
        }
        this.#addHeaderPart(chunk.subarray(pos, nl));
        pos = nl + 1;
        this.#startObject();
        continue;
      }
      const take = Math.min(this.#remaining, chunk.length - pos);
      if (this.#remaining > 0 && take > 0) {
        if (this.#wanted) {
          if (this.#content === null && take === this.#remaining) {
            this.#content = chunk.subarray(pos, pos + take);
          } else {
            this.#content ??= Buffer.allocUnsafe(this.#current.size);
            chunk.copy(this.#content, this.#filled, pos, pos + take);
          }
        }
        this.#filled += take;
        this.#remaining -= take;
        pos += take;
      }
      if (this.#remaining === 0) {
        if (pos >= chunk.length) return;
        if (chunk[pos] !== NEWLINE) throw new Error("unexpected git cat-file output (no newline after an object)");
        pos++;
        this.#finishObject();
      }
    }
  }
  #addHeaderPart(part) {
    this.#headerBytes += part.length;
    if (this.#headerBytes > MAX_HEADER_BYTES) throw new Error("unexpected git cat-file output (header too long)");
    if (part.length > 0) this.#headerParts.push(Buffer.from(part));
  }
  #startObject() {
    const line = Buffer.concat(this.#headerParts).toString("utf8");
    this.#headerParts = [];
    this.#headerBytes = 0;
    const parts = line.split(" ");
    if (parts.length === 2 && (parts[1] === "missing" || parts[1] === "ambiguous")) {
      this.#handlers.onMissing(parts[0], line);
      return;
    }
    const size = Number(parts[2]);
    if (parts.length !== 3 || !Number.isSafeInteger(size) || size < 0) {
      throw new Error(`unexpected git cat-file output: ${line.slice(0, 100)}`);
    }
    const header = { oid: parts[0], type: parts[1], size };
    this.#current = header;
    this.#wanted = this.#handlers.wants(header);
    this.#content = null;
    this.#filled = 0;
    this.#remaining = size;
  }
  #finishObject() {
    const header = this.#current;
    const content = this.#content;
    this.#current = null;
    this.#content = null;
    if (this.#wanted) this.#handlers.onObject(header, content ?? Buffer.alloc(0));
    else this.#handlers.onSkipped?.(header);
  }
};

// src/sources/git/read.ts
var READ_BLOCK = 4096;
var MAX_READERS = 4;
function defaultReaders() {
  return Math.max(1, Math.min(availableParallelism(), MAX_READERS));
}
var MAX_READER_RESTARTS = 1e3;
var ReaderPool = class {
  #repoPath;
  #blobs;
  #visitor;
  #block;
  #signal;
  #stop = new AbortController();
  #readers = [];
  #gaps = { unreadable: [] };
  #pending = [];
  #next = 0;
  #restarts = 0;
  #failure = null;
  constructor(repoPath, blobs, visitor, options) {
    this.#repoPath = repoPath;
    this.#blobs = blobs;
    this.#visitor = visitor;
    this.#block = options.block ?? READ_BLOCK;
    const outer = options.signal;
    if (outer !== void 0) {
      if (outer.aborted) this.#stop.abort(outer.reason);
      else outer.addEventListener("abort", () => this.#stop.abort(outer.reason), { once: true });
    }
    this.#signal = this.#stop.signal;
    for (let i = 0; i < Math.max(1, options.readers); i++) this.#readers.push(this.#start([]));
  }
  /** True while some reader's stdin is full: the producer should wait for `drained()`. */
  get congested() {
    return this.#readers.some((r) => r.congested);
  }
  drained() {
    return Promise.all(this.#readers.map((r) => r.drained())).then(() => {
    });
  }
  /** Queues one BlobSet index for reading. */
  push(index) {
    this.#pending.push(index);
    if (this.#pending.length >= this.#block) this.#flush();
  }
  /** No more ids: waits for every reader; rejects on abort or on a failure that is not an object's. */
  async end() {
    this.#flush();
    for (const r of this.#readers) r.close();
    for (; ; ) {
      const current = [...this.#readers];
      await Promise.allSettled(current.map((r) => r.done));
      if (this.#failure !== null) throw this.#failure;
      if (this.#signal.aborted) throw abortError(this.#signal);
      if (current.every((r, i) => this.#readers[i] === r)) break;
    }
    return this.#gaps;
  }
  #flush() {
    if (this.#pending.length === 0) return;
    const block = this.#pending;
    this.#pending = [];
    const reader = this.#readers[this.#next++ % this.#readers.length];
    reader.write(block);
  }
  #start(initial) {
    const reader = new PoolReader(this.#repoPath, this.#blobs, this.#visitor, this.#signal, (r, error) => this.#onFailure(r, error));
    if (initial.length > 0) reader.write(initial);
    return reader;
  }
  /** A reader's git died. If it died on an object, note that object and go on with a new reader. */
  #onFailure(reader, error) {
    if (this.#signal.aborted || this.#failure !== null) return;
    const at = reader.unanswered();
    if (at.length === 0 || reader.parseError !== null || ++this.#restarts > MAX_READER_RESTARTS) {
      this.#failure = reader.parseError ?? error;
      this.#stop.abort(this.#failure);
      return;
    }
    this.#gaps.unreadable.push(at[0]);
    const replacement = this.#start(at.slice(1));
    if (reader.closed) replacement.close();
    this.#readers[this.#readers.indexOf(reader)] = replacement;
  }
};
var PoolReader = class {
  done;
  #child;
  #blobs;
  /** Indexes written, in order; [#head..] are not answered yet. */
  #asked = [];
  #head = 0;
  closed = false;
  parseError = null;
  constructor(repoPath, blobs, visitor, signal, onFailure) {
    const { child, done } = spawnGit(repoPath, ["cat-file", "--batch", "--buffer"], { signal, what: "git cat-file" });
    this.#child = child;
    this.#blobs = blobs;
    let current = -1;
    const parser = new BatchParser({
      wants: (header) => {
        current = this.#answer(header.oid, blobs);
        if (current < 0) return false;
        if (header.type !== "blob") {
          visitor.onNotBlob?.(current);
          return false;
        }
        if (header.size > visitor.maxSize) {
          visitor.onLarge(current, header.size);
          return false;
        }
        return true;
      },
      onObject(_header, content) {
        visitor.onBlob(current, content);
      },
      onMissing: (oid) => {
        const index = this.#answer(oid, blobs);
        if (index >= 0) visitor.onMissing?.(index);
      }
    });
    child.stdout.on("data", (chunk) => {
      if (this.parseError !== null) return;
      try {
        parser.push(chunk);
      } catch (error) {
        this.parseError = error instanceof Error ? error : new Error(String(error));
        child.kill();
      }
    });
    this.done = done.then(
      () => {
        if (this.parseError !== null) throw this.parseError;
        if (!parser.idle) throw new Error("git cat-file output ended in the middle of an object");
      },
      (error) => {
        onFailure(this, error);
        throw error;
      }
    );
    this.done.catch(() => {
    });
  }
  get congested() {
    return this.#child.stdin.writableNeedDrain;
  }
  drained() {
    const stdin = this.#child.stdin;
    if (!stdin.writableNeedDrain || stdin.destroyed) return Promise.resolve();
    return new Promise((resolve2) => {
      const finish = () => {
        stdin.off("drain", finish);
        stdin.off("close", finish);
        resolve2();
      };
      stdin.on("drain", finish);
      stdin.on("close", finish);
    });
  }
  write(indexes) {
    let text = "";
    for (const index of indexes) {
      this.#asked.push(index);
      text += `${this.#blobs.hexAt(index)}
`;
    }
    this.#child.stdin.write(text);
  }
  close() {
    this.closed = true;
    this.#child.stdin.end();
  }
  unanswered() {
    return this.#asked.slice(this.#head);
  }
  /** The next asked index, checked against the id git answered with; -1 when it is not ours. */
  #answer(oid, blobs) {
    const index = blobs.indexOf(oid);
    if (index >= 0 && this.#asked[this.#head] === index) {
      this.#head++;
      if (this.#head > 65536) {
        this.#asked = this.#asked.slice(this.#head);
        this.#head = 0;
      }
    }
    return index;
  }
};

// src/sources/git/history.ts
var PROBE_PATH = "crisp";
var CRISP_PATHSPEC = ":(icase)*crisp*";
var PATH_LOOKUP_BATCH = 8;
var PROGRESS_INTERVAL_MS = 100;
async function scanHistory(repoPath, options = {}) {
  const { signal } = options;
  await assertRepository(repoPath);
  try {
    return await scan(repoPath, options);
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    if (error instanceof GitCommandError) {
      throw new Error(`cannot read the history of ${repoPath}: ${error.message}`);
    }
    throw error;
  }
}
async function scan(repoPath, options) {
  const { signal } = options;
  const injected = options.detect !== void 0 || options.mayContainKeypair !== void 0;
  const detect2 = options.detect ?? detect;
  const prefilter = options.mayContainKeypair ?? mayContainHalf2;
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const report = options.onProgress;
  const [revArgs, idBytes, boundary] = await Promise.all([
    revisionArgs(repoPath, { since: options.since, branch: options.branch }, signal),
    objectIdBytes(repoPath, signal),
    shallowBoundary(repoPath, signal)
  ]);
  const blobs = new BlobSet(idBytes);
  const stats = { blobsScanned: 0, bytesScanned: 0, commits: 0, skippedLarge: 0, skippedBinary: 0 };
  const websiteIds = /* @__PURE__ */ new Set();
  const hits = /* @__PURE__ */ new Map();
  const pathDependent = /* @__PURE__ */ new Set();
  let hasCrispPaths = false;
  const large = /* @__PURE__ */ new Set();
  const lones = /* @__PURE__ */ new Map();
  const keepLone = (index, path, halves, plainKnownEmpty = false) => {
    if (halves === void 0 || halves.length === 0) return;
    const entry = lones.get(index) ?? {};
    if (pathNamesCrisp(path)) entry.crisp = [...halves];
    else entry.plain = [...halves];
    if (plainKnownEmpty) entry.plain ??= [];
    lones.set(index, entry);
  };
  const missing = /* @__PURE__ */ new Map();
  const missingBlob = (index) => missing.set(blobs.hexAt(index), blobs.pathAt(index) || void 0);
  const progress = { phase: "listing", blobsListed: 0, blobsDone: 0, blobsTotal: 0, bytesDone: 0, bytesTotal: 0 };
  let lastReport = 0;
  const emit = (force = false) => {
    if (report === void 0) return;
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    report({ ...progress });
  };
  emit(true);
  const scanContent = (index, content) => {
    progress.blobsDone++;
    progress.bytesDone += content.length;
    emit();
    if (isBinary(content)) {
      stats.skippedBinary++;
      return;
    }
    stats.blobsScanned++;
    stats.bytesScanned += content.length;
    const path = blobs.pathAt(index);
    if (!injected && !pathNamesCrisp(path)) {
      const kind = classifyBytes(content);
      if (kind === ByteClass.UuidOnly) probe(index, content.toString("utf8"));
      if (kind !== ByteClass.MayHaveContext) return;
    }
    const text = content.toString("utf8");
    if (!prefilter(text, path)) {
      if ((injected || !hasCrispContext(text, path)) && hasUuidShape(content)) probe(index, text);
      return;
    }
    const result = detect2(text, { path });
    for (const id of result.websiteIds) websiteIds.add(id);
    if (result.candidates.length > 0) hits.set(index, result.candidates);
    else if (injected) probe(index, text);
    keepLone(index, path, result.lone);
  };
  const probe = (index, text) => {
    if (!prefilter(text, PROBE_PATH)) return;
    const result = detect2(text, { path: PROBE_PATH });
    if (result.candidates.length > 0) pathDependent.add(index);
    keepLone(index, PROBE_PATH, result.lone, !injected);
  };
  const pool = new ReaderPool(
    repoPath,
    blobs,
    {
      maxSize,
      onBlob: scanContent,
      onLarge(index, size) {
        large.add(index);
        stats.skippedLarge++;
        progress.blobsDone++;
        progress.bytesDone += size;
        emit();
      },
      onMissing: missingBlob
    },
    { readers: options.readers ?? defaultReaders(), block: options.readBlock, signal }
  );
  const counting = countCommits(repoPath, revArgs, signal);
  counting.catch(() => {
  });
  try {
    await listBlobs(
      repoPath,
      revArgs,
      {
        onBlob(hex, path) {
          const before = blobs.size;
          const index = blobs.add(hex, path);
          if (blobs.size === before) return;
          hasCrispPaths ||= pathNamesCrisp(path);
          progress.blobsListed++;
          pool.push(index);
          if (progress.blobsDone === 0) emit();
        },
        onMissing(hex) {
          if (!missing.has(hex)) missing.set(hex, void 0);
        },
        congested: () => pool.congested ? pool.drained() : null
      },
      signal
    );
  } catch (error) {
    await pool.end().catch(() => {
    });
    throw error;
  }
  progress.phase = "reading";
  progress.blobsTotal = blobs.size;
  emit(true);
  const gaps = await pool.end();
  progress.bytesTotal = progress.bytesDone;
  for (const index of gaps.unreadable) missingBlob(index);
  stats.commits = await counting;
  progress.phase = "attributing";
  emit(true);
  const atCrispPath = (index) => pathDependent.has(index) || hasCrispPaths && !hits.has(index) && !large.has(index) && !missing.has(blobs.hexAt(index)) && !pathNamesCrisp(blobs.pathAt(index));
  if (pathDependent.size > 0 || hasCrispPaths) {
    const atPaths = await introductionsAtPaths(repoPath, revArgs, CRISP_PATHSPEC, (hex) => {
      const index = blobs.indexOf(hex);
      return index >= 0 && atCrispPath(index);
    }, signal);
    const ids = [...atPaths.keys()];
    for (let start = 0; start < ids.length; start += PATH_LOOKUP_BATCH) {
      const batch = ids.slice(start, start + PATH_LOOKUP_BATCH);
      const contents = await readObjects(repoPath, batch, signal);
      for (const hex of batch) {
        const content = contents.get(hex);
        if (content == null || isBinary(content)) continue;
        const text = content.toString("utf8");
        const found = [];
        for (const path of new Set(atPaths.get(hex).map((i) => i.path))) {
          if (!prefilter(text, path)) continue;
          const result = detect2(text, { path });
          for (const id of result.websiteIds) websiteIds.add(id);
          found.push(...result.candidates);
        }
        if (found.length > 0) hits.set(blobs.indexOf(hex), found);
      }
    }
  }
  const hitIds = /* @__PURE__ */ new Map();
  for (const index of hits.keys()) hitIds.set(blobs.hexAt(index), index);
  const loneBlobs = /* @__PURE__ */ new Map();
  if (mayPair(lones.values())) for (const [index, entry] of lones) loneBlobs.set(blobs.hexAt(index), entry);
  const introduced = await findIntroductions(repoPath, revArgs, /* @__PURE__ */ new Set([...hitIds.keys(), ...loneBlobs.keys()]), signal);
  const crossFile = await pairAcrossTrees(repoPath, revArgs, loneBlobs, introduced, {
    detect: detect2,
    signal,
    onCost: options.onCrossFileCost
  });
  const commitIds = /* @__PURE__ */ new Set();
  for (const [hex, list] of introduced) if (hitIds.has(hex)) for (const i of list) commitIds.add(i.commit);
  for (const c of crossFile) commitIds.add(c.occurrence.commit);
  const details = await commitDetails(repoPath, [...commitIds], signal);
  const candidates = [];
  for (const [hex, index] of hitIds) {
    const introducers = (introduced.get(hex) ?? []).map((i) => {
      const detail = details.get(i.commit);
      return { commit: i.commit, path: i.path, author: detail?.author ?? "", date: detail?.date ?? "" };
    });
    candidates.push(...attribute(hits.get(index), introducers, boundary));
  }
  const introducing = await dropInherited(repoPath, candidates, { detect: detect2, mayContainKeypair: prefilter, maxFileSize: maxSize, signal });
  for (const c of crossFile) {
    const commit = c.occurrence.commit;
    const detail = details.get(commit);
    introducing.push({
      ...c,
      occurrence: {
        ...c.occurrence,
        author: detail?.author ?? "",
        date: detail?.date ?? "",
        ...boundary.has(commit) ? { shallowBoundary: true } : {}
      }
    });
  }
  const missingObjects = [...missing].map(([id, path]) => path === void 0 ? { id } : { id, path });
  return {
    candidates: introducing,
    websiteIds: [...websiteIds],
    stats,
    ...missingObjects.length > 0 ? { missingObjects } : {},
    ...boundary.size > 0 ? { shallow: true } : {}
  };
}
function attribute(found, introducers, shallowBoundary2 = /* @__PURE__ */ new Set()) {
  if (introducers.length === 0) return [...found];
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const introducer of introducers) {
    for (const candidate of found) {
      const { line, column } = candidate.occurrence;
      const key = `${candidate.fingerprint}\0${introducer.commit}\0${introducer.path}\0${line}\0${column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ...candidate,
        occurrence: {
          ...candidate.occurrence,
          path: introducer.path,
          commit: introducer.commit,
          author: introducer.author,
          date: introducer.date,
          ...shallowBoundary2.has(introducer.commit) ? { shallowBoundary: true } : {}
        }
      });
    }
  }
  return out;
}

// src/sources/scan-wire.ts
function candidateToWire({ keypair, ...rest }) {
  return { ...rest, halves: keypair.reveal() };
}

// src/sources/git/history-worker.ts
var port = parentPort;
var request = workerData;
var controller = new AbortController();
port.on("message", (message) => {
  if (message === "abort") controller.abort();
});
var post = (message) => port.postMessage(message);
try {
  const { candidates, ...rest } = await scanHistory(request.repoPath, {
    ...request.options,
    signal: controller.signal,
    ...request.progress ? { onProgress: (progress) => post({ kind: "progress", progress }) } : {}
  });
  post({ kind: "done", result: { ...rest, candidates: candidates.map(candidateToWire) } });
} catch (error) {
  post({ kind: "failed", message: error instanceof Error ? error.message : String(error), aborted: controller.signal.aborted });
} finally {
  port.close();
}
