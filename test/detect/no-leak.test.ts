// No raw half leaves the detector by accident: the Keypair wrapper and every string the detector
// builds (results serialised or inspected, messages) hold the redacted form only.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { detect, Keypair } from "../../src/detect/index.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { kp } from "./support.js";

describe("no raw key leaks", () => {
  it("Keypair: JSON, toString, template strings, inspect and console-style formatting are redacted", () => {
    const k = kp();
    const pair = new Keypair(k.identifier, k.key);
    const renderings = [
      JSON.stringify(pair),
      JSON.stringify({ nested: { pair } }),
      String(pair),
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the rendering under test
      `${pair}`,
      inspect(pair),
      inspect({ deep: { deeper: { pair } } }, { depth: 10 }),
      Object.keys(pair).join(","),
      JSON.stringify(Object.entries(pair)),
    ];
    for (const r of renderings) expect(holdsRaw(r, k), r).toBe(false);
    expect(pair.redacted).toBe(`${k.identifier.slice(0, 8)}…:…${k.key.slice(-4)}`);
    // Only reveal() hands out the halves, on purpose.
    expect(pair.reveal()).toEqual(k);
  });

  it("detect() results, serialised or inspected, hold no raw half in any form", () => {
    const k = kp();
    const b64 = Buffer.from(`${k.identifier}:${k.key}`).toString("base64");
    const texts = [
      `CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\n`,
      `curl -u ${k.identifier}:${k.key} https://api.crisp.chat/v1/plugin/connect/account`,
      `Authorization: Basic ${b64}\nHost: api.crisp.chat`,
      `CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key} # crisp-guard:allow\n`,
      `CRISP_IDENTIFIER=7c3ef21c-1e04-${k.identifier.slice(14)}\nCRISP_KEY=${k.key}\n`,
    ];
    for (const text of texts) {
      const result = detect(text, { path: "leak/.env" });
      expect(result.candidates.length).toBe(1);
      for (const out of [JSON.stringify(result), inspect(result, { depth: 20 }), String(result.candidates[0]!.keypair)]) {
        expect(holdsRaw(out, k), out).toBe(false);
        expect(out.includes(b64)).toBe(false);
      }
    }
  });

  it("detect() never throws on hostile input, so no error message can carry text", () => {
    const k = kp();
    const hostile = [
      "",
      "\u0000".repeat(100),
      `crisp ${"\\".repeat(1000)}${k.identifier}${"\\".repeat(1000)}:${k.key}`,
      `crisp ${"=".repeat(10000)}`,
      `crisp ${"Z".repeat(100000)}`,
      `crisp\r\n${k.identifier}\r\n${k.key}\r\n`,
      `crisp \ud800${k.identifier} \udfff ${k.key}`,
    ];
    for (const text of hostile) expect(() => detect(text, { path: "x" })).not.toThrow();
  });
});
