// Suppression set by the detector: documented examples, placeholders, inline allow.
import { describe, expect, it } from "vitest";
import { isPlaceholder, shannonEntropy } from "../../src/detect/suppress.js";
import { halves, kp, scan } from "./support.js";

const env = (id: string, key: string): string => `CRISP_IDENTIFIER=${id}\nCRISP_KEY=${key}\n`;

describe("suppression", () => {
  it("Crisp's documented README examples: documented-example", () => {
    for (const prefix of ["7c3ef21c-1e04-", "13937834-f6ce-", "43f34724-9eeb-"]) {
      const rest = kp().identifier.slice(prefix.length);
      const r = scan(env(prefix + rest, kp().key), "README.md");
      expect(r.candidates.map((c) => c.suppressed)).toEqual(["documented-example"]);
    }
  });

  it("a look-alike identifier with a different prefix is reported", () => {
    const k = kp();
    const id = "7c3ef21c-1e05-" + k.identifier.slice(14);
    expect(scan(env(id, k.key), "README.md").candidates.map((c) => c.suppressed)).toEqual([null]);
  });

  it("inline crisp-guard:allow on the key's or the identifier's line: inline-allow", () => {
    const a = kp();
    const b = kp();
    const c = kp();
    const text = [
      `CRISP_IDENTIFIER=${a.identifier}`,
      `CRISP_KEY=${a.key} # crisp-guard:allow revoked test token`,
      ``,
      `CRISP_IDENTIFIER_STAGING=${b.identifier} # crisp-guard:allow`,
      `CRISP_KEY_STAGING=${b.key}`,
      ``,
      `CRISP_IDENTIFIER_DEV=${c.identifier} # crisp-guard: allow (not the marker)`,
      `CRISP_KEY_DEV=${c.key}`,
    ].join("\n");
    const r = scan(text, ".env");
    expect(r.candidates.map((x) => [halves(x).key, x.suppressed])).toEqual([
      [a.key, "inline-allow"],
      [b.key, "inline-allow"],
      [c.key, null],
    ]);
  });

  const fakes: [string, string, string][] = [
    ["all zeros", "00000000-0000-0000-0000-000000000000", "0".repeat(64)],
    ["one digit repeated", "11111111-1111-1111-1111-111111111111", "f".repeat(64)],
    ["short repeated pattern (key)", kp().identifier, "abcd".repeat(16)],
    ["0123456789abcdef run (key)", kp().identifier, "0123456789abcdef".repeat(4)],
    ["sequential UUID", "12345678-1234-1234-1234-123456789abc", kp().key],
    ["deadbeef", "deadbeef-dead-beef-dead-beefdeadbeef", "deadbeef".repeat(8)],
    ["low entropy key", kp().identifier, "a1b1a1b1c1a1b1a1".repeat(4)],
  ];
  for (const [name, id, key] of fakes) {
    it(`placeholder: ${name}`, () => {
      expect(scan(env(id, key), ".env.example").candidates.map((c) => c.suppressed)).toEqual(["placeholder"]);
    });
  }

  it("random generated keypairs are never taken for placeholders", () => {
    for (let i = 0; i < 5000; i++) {
      const k = kp();
      if (isPlaceholder(k.identifier, k.key)) throw new Error(`false placeholder: ${JSON.stringify(k)}`);
    }
  });

  it("entropy is measured per hex digit", () => {
    expect(shannonEntropy("0".repeat(64))).toBe(0);
    expect(shannonEntropy("0123456789abcdef".repeat(4))).toBe(4);
  });
});
