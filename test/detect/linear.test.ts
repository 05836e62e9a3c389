// The detector's time grows linearly with its input, whatever the input: a file of a million
// labelled values must not make each value rescan what came before it. Time per MB is compared
// between a small and an 8× larger input of the same form, so the bound holds on a slow or busy
// machine (a quadratic scan makes the larger one 8× slower per MB; the bound allows 2.5×).
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect/index.js";
import { randomKeypair } from "../helpers/keypairs.js";

const KB = 1024;
const MB = 1024 * KB;
/** Size ratio between the large and the small input. */
const GROWTH = 8;
/** Allowed growth of the time per MB from the small input to the large one: noise, GC, caches. */
const MAX_SLOWDOWN = 2.5;

const uuid = (): string => randomUUID();
const hex = (): string => randomBytes(32).toString("hex");
const b64 = (s: string): string => Buffer.from(s).toString("base64");

/** One unit of a form: the text repeated, and how many keypairs it holds. */
type Unit = () => { text: string; keypairs: number };

/**
 * The shape that was quadratic: a line naming Crisp, a line as long as the rest, then the units
 * all on one line (each value's label looked at the lines above it).
 */
function oneLineAfterLongLine(size: number, unit: Unit): { text: string; keypairs: number } {
  const parts = ["crisp\n", "x".repeat(size / 2), "\n"];
  let length = 0;
  let keypairs = 0;
  while (length < size / 2) {
    const u = unit();
    parts.push(u.text);
    length += u.text.length;
    keypairs += u.keypairs;
  }
  return { text: parts.join(""), keypairs };
}

/** Units one after the other (each ends its own lines), under a `crisp` line. */
function repeated(size: number, unit: Unit): { text: string; keypairs: number } {
  const parts = ["# crisp\n"];
  let length = 0;
  let keypairs = 0;
  while (length < size) {
    const u = unit();
    parts.push(u.text);
    length += u.text.length;
    keypairs += u.keypairs;
  }
  return { text: parts.join(""), keypairs };
}

/** Under a `crisp:` header, one line indented by half the size, then the units on that line. */
function oneLineDeepInSection(size: number, unit: Unit): { text: string; keypairs: number } {
  const parts = ["crisp:\n", " ".repeat(size / 2)];
  let length = 0;
  while (length < size / 2) {
    const u = unit();
    parts.push(u.text);
    length += u.text.length;
  }
  return { text: parts.join(""), keypairs: 0 };
}

const single = (text: string) => ({ text, keypairs: 0 });
const pair = (text: string) => ({ text, keypairs: 1 });

/** Every label form the grammar knows (grammar.ts: LABEL_RE, VALUE_LABELS, ENV_DEFAULT_RE, NAME_OF_VALUE_RE). */
const LABELLED_VALUES: Record<string, Unit> = {
  "value: <uuid>": () => single(`value: ${uuid()} `),
  "default: <uuid>": () => single(`default: ${uuid()} `),
  "val: <uuid>": () => single(`val: ${uuid()} `),
  "default = \"<uuid>\"": () => single(`default = "${uuid()}" `),
  "value: <hex64>": () => single(`value: ${hex()} `),
  "foo: <uuid>": () => single(`foo: ${uuid()} `),
  "key: <hex64>": () => single(`key: ${hex()} `),
  "identifier: <uuid>": () => single(`identifier: ${uuid()} `),
  "CRISP_IDENTIFIER=<uuid>": () => single(`CRISP_IDENTIFIER=${uuid()} `),
  "\"identifier\": \"<uuid>\"": () => single(`"identifier": "${uuid()}", `),
  "getenv default": () => single(`os.getenv("CRISP_IDENTIFIER", "${uuid()}") `),
  "env ?? default": () => single(`process.env.CRISP_KEY ?? "${hex()}"; `),
  "| Key | <hex64> |": () => single(`| Key | ${hex()} | `),
  "val NAME: String = \"<hex64>\"": () => single(`val CRISP_KEY: String = "${hex()}"; `),
  "\"name\": …, \"value\": <hex64>": () => single(`{"name": "CRISP_KEY", "value": "${hex()}"}, `),
  "CRISP_KEY: <base64>": () => single(`CRISP_KEY: ${b64(hex())} `),
  "let(:crisp_key) { \"<hex64>\" }": () => single(`let(:crisp_key) { "${hex()}" } `),
  "| website id | <uuid> |": () => single(`| website id | ${uuid()} | `),
  "website: <uuid>": () => single(`website: ${uuid()} `),
  "SPACE_CLIENT_ID=<uuid> SPACE_CLIENT_SECRET=<hex64>": () => single(`SPACE_CLIENT_ID=${uuid()} SPACE_CLIENT_SECRET=${hex()} `),
  "CRISP_PLUGIN_ID=<uuid>": () => single(`CRISP_PLUGIN_ID=${uuid()} `),
  "env('CRISP_TIER', 'plugin')": () => single(`env('CRISP_TIER', 'plugin') `),
  "crisp_tier: str = \"website\"": () => single(`crisp_tier: str = "website" `),
  "$client->websites->get(\"<uuid>\")": () => single(`$c->websites->get("${uuid()}"); `),
};

/** Real keypairs, many of them, in the forms files hold them. */
const KEYPAIRS: Record<string, { build: (size: number, unit: Unit) => { text: string; keypairs: number }; unit: Unit }> = {
  ".env blocks": {
    build: repeated,
    unit: () => {
      const k = randomKeypair();
      return pair(`CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\n\n`);
    },
  },
  "Kubernetes env list (name:/value:)": {
    build: repeated,
    unit: () => {
      const k = randomKeypair();
      return pair(`- name: CRISP_IDENTIFIER\n  value: ${k.identifier}\n- name: CRISP_KEY\n  value: ${k.key}\n`);
    },
  },
  "Kubernetes Secret data (base64)": {
    build: repeated,
    unit: () => {
      const k = randomKeypair();
      return pair(`CRISP_IDENTIFIER: ${b64(k.identifier)}\nCRISP_KEY: ${b64(k.key)}\n---\n`);
    },
  },
  "minified calls on one long line": {
    build: oneLineAfterLongLine,
    unit: () => {
      const k = randomKeypair();
      return pair(`n.authenticateTier("plugin","${k.identifier}","${k.key}");`);
    },
  },
  "CRISP_PLUGIN_ID / CRISP_PLUGIN_KEY blocks": {
    build: repeated,
    unit: () => {
      const k = randomKeypair();
      return pair(`CRISP_PLUGIN_ID=${k.identifier}\nCRISP_PLUGIN_KEY=${k.key}\n\n`);
    },
  },
  "lone halves: CRISP_KEY=<hex64> lines, no identifier (kept for pairing across files)": {
    build: repeated,
    unit: () => single(`CRISP_KEY=${hex()}\n`),
  },
  "lone halves: YAML crisp: sections with id: only": {
    build: repeated,
    unit: () => single(`other:\n  name: x\ncrisp:\n  nested:\n    a: 1\n  id: ${uuid()}\n`),
  },
  "lone halves: crisp: { id: <uuid> } on one long line": {
    build: oneLineAfterLongLine,
    unit: () => single(`crisp: { id: ${uuid()} } `),
  },
  "lone halves: id: <uuid> on one line indented by half the text, in a crisp: section": {
    build: oneLineDeepInSection,
    unit: () => single(`id: ${uuid()} `),
  },
  "value: <uuid> value: <hex64> on one long line": {
    build: oneLineAfterLongLine,
    unit: () => {
      const k = randomKeypair();
      return { text: `value: ${k.identifier} value: ${k.key} `, keypairs: -1 };
    },
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function msPerMb(text: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    detect(text, { path: "deploy/values.yml" });
    times.push(performance.now() - t);
  }
  return median(times) / (text.length / MB);
}

/**
 * The time per MB of the large input over that of the small one. The small one is cheap: a median
 * of five. The large one is run until it is under the bound, at most three times (a busy machine
 * can slow one run; a quadratic scan is slow every time).
 */
function slowdown(small: string, large: string): { ratio: number; smallMsPerMb: number; largeMsPerMb: number } {
  detect(small.slice(0, 64 * KB), { path: "warm-up.yml" });
  const smallMsPerMb = msPerMb(small, 5);
  let largeMsPerMb = Infinity;
  for (let i = 0; i < 3 && largeMsPerMb / smallMsPerMb >= MAX_SLOWDOWN; i++) {
    largeMsPerMb = Math.min(largeMsPerMb, msPerMb(large, 1));
  }
  return { ratio: largeMsPerMb / smallMsPerMb, smallMsPerMb, largeMsPerMb };
}

describe("the detector is linear", () => {
  it("on the reported input: 1 MB to 8 MB of `value: <uuid>` after a long line, no keypair", () => {
    const unit = LABELLED_VALUES["value: <uuid>"]!;
    const small = oneLineAfterLongLine(1 * MB, unit).text;
    const large = oneLineAfterLongLine(GROWTH * MB, unit).text;
    const r = slowdown(small, large);
    expect(r.ratio, JSON.stringify(r)).toBeLessThan(MAX_SLOWDOWN);
    expect(detect(small, { path: "a.yml" }).candidates).toEqual([]);
  }, 60_000);

  for (const [name, unit] of Object.entries(LABELLED_VALUES)) {
    it(`on every label form: ${name}, 128 KB to 1 MB on one line after a long line`, () => {
      const r = slowdown(oneLineAfterLongLine(128 * KB, unit).text, oneLineAfterLongLine(GROWTH * 128 * KB, unit).text);
      expect(r.ratio, JSON.stringify(r)).toBeLessThan(MAX_SLOWDOWN);
    }, 30_000);
  }

  for (const [name, { build, unit }] of Object.entries(KEYPAIRS)) {
    it(`with many real keypairs: ${name}, 128 KB to 1 MB`, () => {
      const small = build(128 * KB, unit);
      const large = build(GROWTH * 128 * KB, unit);
      const r = slowdown(small.text, large.text);
      expect(r.ratio, JSON.stringify(r)).toBeLessThan(MAX_SLOWDOWN);
      // Every keypair is still found (where the form pairs unambiguously).
      if (small.keypairs >= 0) expect(detect(small.text, { path: "a.yml" }).candidates).toHaveLength(small.keypairs);
      else expect(detect(small.text, { path: "a.yml" }).candidates.length).toBeGreaterThan(0);
      // The lone-half forms really keep lone halves (the path the tree pass depends on).
      if (name.startsWith("lone halves")) expect(detect(small.text, { path: "a.yml" }).lone!.length).toBeGreaterThan(1000);
    }, 30_000);
  }
});
