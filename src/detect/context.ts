// "Is this about Crisp?" A UUID next to 64 hex is everywhere (ids beside digests); only Crisp
// context makes it a Crisp keypair. Also the cheap prefilter sources run on every file.

/**
 * Crisp context: "crisp" in the text or path covers api.crisp.chat, X-Crisp-Tier,
 * CRISP_* variables and the client packages. Spelled as character classes, not /crisp/i: V8 scans
 * this form about twice as fast (measured ≈ 1.6 GB/s against ≈ 0.8 for /crisp|authenticate_?tier/i),
 * and it runs on every file.
 */
const CRISP_RE = /[Cc][Rr][Ii][Ss][Pp]/;

/**
 * The official clients' call is context even where a file never names Crisp. Looked for only
 * behind an indexOf of "Tier"/"_tier", so files without it pay a memchr-speed scan, not a regex.
 */
const CLIENT_CALL_RE = /[Aa]uthenticate_?[Tt]ier/;

/**
 * Shapes worth a full look: a UUID, or base64 of hex/UUID text. Base64 of ASCII hex digits,
 * '-' and ':' starts every 4-character group with one of L–R, Y, Z (the top six bits of
 * 0x2d–0x3a, 0x41–0x46, 0x61–0x66), so twelve such groups (base64 of a 36-character UUID) is a
 * precise, cheap signature for the Kubernetes-Secret and Basic-auth forms.
 */
const SHAPE_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?:[L-RYZ][A-Za-z0-9+/]{3}){12}/;

/** "crisp" that is not Crisp: CSS crispEdges / crisp-edges (in every SVG-heavy bundle), crispy, crisper. */
const NOT_CRISP_RE = /[Cc][Rr][Ii][Ss][Pp](?:-?[Ee][Dd][Gg][Ee][Ss]|[Yy]|[Ee][Rr]|[Nn][Ee][Ss][Ss])/g;

/** "crisp" named for Crisp; the fast test first, the exclusions only where it matched. */
function namesCrisp(s: string): boolean {
  return CRISP_RE.test(s) && CRISP_RE.test(s.replace(NOT_CRISP_RE, ""));
}

/** The path names Crisp (config/crisp.php, crisp.yaml): every labelled half in it is Crisp's. */
export function pathNamesCrisp(path: string): boolean {
  return namesCrisp(path);
}

export function hasCrispContext(text: string, path: string): boolean {
  if (namesCrisp(path) || namesCrisp(text)) return true;
  return (text.includes("Tier") || text.includes("_tier")) && CLIENT_CALL_RE.test(text);
}

/** False when the text cannot hold a Crisp keypair; true means "run detect()". */
export function mayContainKeypair(text: string, path: string): boolean {
  return hasCrispContext(text, path) && SHAPE_RE.test(text);
}

/** A 64-hex run (a key alone) or base64 of hex text (a key alone in a Kubernetes Secret). */
const HALF_SHAPE_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{64}|(?:[L-RYZ][A-Za-z0-9+/]{3}){12}/;

/** Like mayContainKeypair, but a text holding only a key (its identifier in another file) passes too. */
export function mayContainHalf(text: string, path: string): boolean {
  return hasCrispContext(text, path) && HALF_SHAPE_RE.test(text);
}
