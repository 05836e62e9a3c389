// .env files: every variable spelling Crisp users write, quoted or not, export lines, prefixes.
import { describe, expect, it } from "vitest";
import { expectFound, expectNone, kp, positionOf, scan } from "./support.js";

describe(".env", () => {
  const spellings: [string, string][] = [
    ["CRISP_IDENTIFIER", "CRISP_KEY"],
    ["CRISP_TOKEN_ID", "CRISP_TOKEN_KEY"],
    ["CRISP_TOKEN_IDENTIFIER", "CRISP_TOKEN_KEY"],
    ["CRISP_API_IDENTIFIER", "CRISP_API_KEY"],
    ["MYAPP_CRISP_IDENTIFIER", "MYAPP_CRISP_KEY"],
    ["CRISP_IDENTIFIER_STAGING", "CRISP_KEY_STAGING"],
  ];
  for (const [idVar, keyVar] of spellings) {
    it(`finds ${idVar} / ${keyVar}`, () => {
      const k = kp();
      const text = `APP_NAME=shop\n${idVar}=${k.identifier}\n${keyVar}=${k.key}\n`;
      const [c] = expectFound(scan(text, ".env"), k);
      expect(c!.occurrence).toEqual({ path: ".env", ...positionOf(text, k.key), encoding: "plain" });
      expect(c!.suppressed).toBeNull();
    });
  }

  it("finds quoted values and export lines", () => {
    const a = kp();
    const b = kp();
    const text = [
      `export CRISP_IDENTIFIER="${a.identifier}"`,
      `export CRISP_KEY="${a.key}"`,
      ``,
      `CRISP_TOKEN_ID='${b.identifier}'`,
      `CRISP_TOKEN_KEY='${b.key}'`,
    ].join("\n");
    expectFound(scan(text, ".env.production"), a, b);
  });

  it("accepts upper-case hex and lowercases the halves", () => {
    const k = kp();
    const text = `CRISP_IDENTIFIER=${k.identifier.toUpperCase()}\nCRISP_KEY=${k.key.toUpperCase()}\n`;
    expectFound(scan(text, ".env"), k);
  });

  it("false positives: unset variables, ${VAR}, <your-key>, xxxx", () => {
    const text = [
      "CRISP_IDENTIFIER=",
      "CRISP_KEY=${CRISP_KEY}",
      "CRISP_TOKEN_ID=<your-identifier>",
      "CRISP_TOKEN_KEY=<your-key>",
      "CRISP_API_IDENTIFIER=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
      "CRISP_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ].join("\n");
    expectNone(scan(text, ".env.example"));
  });
});
