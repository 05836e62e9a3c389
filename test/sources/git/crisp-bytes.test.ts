import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hasCrispContext } from "../../../src/detect/context.js";
import { ByteClass, classifyBytes, classifyBytesFallback, mayHaveCrispContext, usesSimd } from "../../../src/sources/git/crisp-bytes.js";
import { hasUuidShape } from "../../../src/sources/content.js";

const LETTERS = "cCrRiIsSpPtTeE_-x\n\u00e9\u007f";

function randomText(length: number): Buffer {
  let s = "";
  for (let i = 0; i < length; i++) s += LETTERS[Math.floor(Math.random() * LETTERS.length)];
  return Buffer.from(s, "utf8");
}

describe("the byte gate for Crisp context", () => {
  it("runs on WebAssembly SIMD here", () => {
    expect(usesSimd).toBe(true);
  });

  it("finds 'crisp' in any case at any offset, across its 16-byte steps and at the very end", () => {
    for (const word of ["crisp", "CRISP", "Crisp", "cRiSp", "authenticateTier", "Authenticate_tier"]) {
      for (let at = 0; at < 40; at++) {
        const buf = Buffer.concat([Buffer.alloc(at, "x"), Buffer.from(word)]);
        expect(mayHaveCrispContext(buf), `${word} at ${at}`).toBe(true);
        // One letter short of what the gate looks for ("crisp", "etier", "_tier").
        const cut = buf.length - 1;
        expect(mayHaveCrispContext(buf.subarray(0, cut)), `${word} cut at ${at}`).toBe(false);
      }
    }
    expect(mayHaveCrispContext(Buffer.alloc(0))).toBe(false);
    // Bytes that fold to letters under | 0x20 only when they are the letters.
    expect(mayHaveCrispContext(Buffer.from([0x03, 0x12, 0x09, 0x13, 0x10]))).toBe(false);
    // "authentication" is everywhere and is not the client call.
    expect(mayHaveCrispContext(Buffer.from("HTTP authentication: authenticate the user, authenticated"))).toBe(false);
  });

  it("agrees with the regex on random text, and never says no where the detector would see context", () => {
    for (let k = 0; k < 3000; k++) {
      const buf = randomText(Math.floor(Math.random() * 80));
      expect(classifyBytes(buf)).toBe(classifyBytesFallback(buf));
      if (hasCrispContext(buf.toString("utf8"), "")) expect(mayHaveCrispContext(buf)).toBe(true);
    }
    const noise = randomBytes(1 << 20);
    expect(classifyBytes(noise)).toBe(classifyBytesFallback(noise));
  });
});

describe("UUIDs on the bytes", () => {
  it("tells a UUID from a near miss, at every offset and at the very end", () => {
    const uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    for (let at = 0; at < 40; at++) {
      const pad = "a-b->c--".repeat(8).slice(0, at);
      expect(classifyBytes(Buffer.from(pad + uuid)), `at ${at}`).toBe(ByteClass.UuidOnly);
      expect(classifyBytes(Buffer.from(pad + uuid.slice(0, -1))), `short at ${at}`).toBe(ByteClass.Nothing);
      expect(classifyBytes(Buffer.from(pad + uuid.replace("d9cb", "d9cg"))), `not hex at ${at}`).toBe(ByteClass.Nothing);
    }
    expect(classifyBytes(Buffer.from(`CRISP ${uuid}`))).toBe(ByteClass.MayHaveContext);
    for (let k = 0; k < 2000; k++) {
      const buf = Buffer.from(Array.from({ length: 80 }, () => "0a-f"[Math.floor(Math.random() * 4)]).join(""));
      expect(classifyBytes(buf)).toBe(classifyBytesFallback(buf));
    }
    expect(hasUuidShape(Buffer.from(uuid))).toBe(true);
    expect(hasUuidShape(Buffer.from(`id: "${uuid.toUpperCase()}",`))).toBe(true);
    expect(hasUuidShape(Buffer.from(uuid.slice(0, -1)))).toBe(false);
    expect(hasUuidShape(Buffer.from(uuid.replace("d9cb", "d9cg")))).toBe(false);
    expect(hasUuidShape(Buffer.from("a-b-c-d --- 1234-5678"))).toBe(false);
  });
});
