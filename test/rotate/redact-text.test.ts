import { describe, expect, it } from "vitest";
import { redactSecretShapes } from "../../src/detect/redact-text.js";
import { safeDetail } from "../../src/rotate/redact-text.js";
import { randomKeypair } from "../helpers/keypairs.js";

const redactText = (text: string, keep: string[] = []) => redactSecretShapes(text, { keep });

describe("redactText", () => {
  it("cuts UUIDs and long hex runs to the DESIGN.md redacted forms", () => {
    const kp = randomKeypair();
    expect(redactText(`id=${kp.identifier} key=${kp.key.toUpperCase()}`)).toBe(
      `id=${kp.identifier.slice(0, 8)}… key=…${kp.key.slice(-4)}`,
    );
  });

  it("catches a partial key too (any hex run of 20 or more)", () => {
    const kp = randomKeypair();
    expect(redactText(kp.key.slice(0, 30))).toBe(`…${kp.key.slice(26, 30)}`);
    expect(redactText("commit abc1234 and 0123456789abcdef012")).toBe("commit abc1234 and 0123456789abcdef012");
  });

  it("keeps the public values it is given", () => {
    const commit = "c".repeat(40);
    const site = "0f0f0f0f-1111-2222-3333-444444444444";
    expect(redactText(`at ${commit} for ${site.toUpperCase()}`, [commit, site])).toBe(`at ${commit} for ${site.toUpperCase()}`);
  });
});

describe("safeDetail", () => {
  it("redacts before truncating, so a cut cannot leave key characters behind", () => {
    const kp = randomKeypair();
    const detail = safeDetail(`${"x".repeat(20)}${kp.key}`, [], 30);
    expect(detail).toBe(`${"x".repeat(20)}…${kp.key.slice(-4)}`);
    expect(safeDetail(`${"x".repeat(50)}${kp.key}`, [], 30)).toBe(`${"x".repeat(29)}…`);
  });

  it("makes one line", () => {
    expect(safeDetail("a\n  b\r\nc")).toBe("a b c");
  });
});
