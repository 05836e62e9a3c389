import { describe, expect, it } from "vitest";
import { redactAndTruncate, redactSecretShapes } from "../../src/detect/redact-text.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

describe("redactSecretShapes", () => {
  it("cuts both halves to their redacted forms", () => {
    const kp = randomKeypair();
    const out = redactSecretShapes(`failed for ${kp.identifier.toUpperCase()}:${kp.key}`);
    expect(out).toBe(`failed for ${kp.identifier.slice(0, 8)}…:…${kp.key.slice(-4)}`);
    expect(holdsRaw(out, kp)).toBe(false);
  });

  it("catches a truncated key and keeps listed public values", () => {
    const kp = randomKeypair();
    const fp = "f".repeat(64);
    const out = redactSecretShapes(`${kp.key.slice(0, 30)} ${fp}`, { keep: [fp] });
    expect(out).toBe(`…${kp.key.slice(26, 30)} ${fp}`);
  });

  it("leaves shorter hex runs below the threshold (commit shas for the store)", () => {
    const sha = "a".repeat(40);
    expect(redactSecretShapes(`commit ${sha}`, { minHexRun: 41 })).toBe(`commit ${sha}`);
    expect(redactSecretShapes(`commit ${sha}`)).toBe("commit …aaaa");
  });

  it("redacts before truncating", () => {
    const kp = randomKeypair();
    const out = redactAndTruncate(`x ${kp.key} ${"y".repeat(100)}`, 20);
    expect(out).toHaveLength(20);
    expect(out.startsWith(`x …${kp.key.slice(-4)}`)).toBe(true);
  });
});
