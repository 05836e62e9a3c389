// Pairing: label affinity, distance, never crossing two keypairs in one file.
import { describe, expect, it } from "vitest";
import { expectFound, kp, scan } from "./support.js";

describe("pairing", () => {
  it("label affinity: _STAGING key with the _STAGING identifier, whatever the order", () => {
    const prod = kp();
    const staging = kp();
    const text = [
      `CRISP_IDENTIFIER=${prod.identifier}`,
      `CRISP_IDENTIFIER_STAGING=${staging.identifier}`,
      `CRISP_KEY=${prod.key}`,
      `CRISP_KEY_STAGING=${staging.key}`,
    ].join("\n");
    // By distance alone the halves would nest (STAGING id with the prod key): labels win.
    expectFound(scan(text, ".env"), prod, staging);
  });

  it("label affinity with prefixes: STAGING_CRISP_TOKEN_ID with STAGING_CRISP_API_KEY", () => {
    const prod = kp();
    const staging = kp();
    const text = [
      `STAGING_CRISP_TOKEN_ID=${staging.identifier}`,
      `PROD_CRISP_TOKEN_ID=${prod.identifier}`,
      `PROD_CRISP_API_KEY=${prod.key}`,
      `STAGING_CRISP_API_KEY=${staging.key}`,
    ].join("\n");
    expectFound(scan(text, ".env"), prod, staging);
  });

  it("records written key first pair record by record (.env, YAML list, one-line JSON)", () => {
    const a = kp();
    const b = kp();
    const c = kp();
    // expectFound lists keypairs in key order; every layout below holds a, b, c in that order.
    const env = [a, b, c].map((k) => `CRISP_KEY=${k.key}\nCRISP_IDENTIFIER=${k.identifier}`).join("\n");
    expectFound(scan(env, "crisp.env"), a, b, c);
    const yaml = `crisp_tokens:\n${[a, b, c].map((k) => `  - key: ${k.key}\n    identifier: ${k.identifier}`).join("\n")}\n`;
    expectFound(scan(yaml, "tokens.yml"), a, b, c);
    const json = JSON.stringify({ crisp: [a, b, c].map((k) => ({ key: k.key, identifier: k.identifier })) });
    expectFound(scan(json, "tokens.json"), a, b, c);
  });

  it("false positive guard: blocks that are not alike still pair by distance", () => {
    const a = kp();
    const b = kp();
    // Identifier first, then (after a gap) key first: not one record layout.
    const text = `CRISP_IDENTIFIER=${a.identifier}\nCRISP_KEY=${a.key}\n\n\n\nCRISP_KEY=${b.key}\nCRISP_IDENTIFIER=${b.identifier}\n`;
    expectFound(scan(text, "crisp.env"), a, b);
  });

  it("label affinity where the name is not right before the value: getenv defaults, ?? fallbacks, ECS, Terraform", () => {
    const prod = kp();
    const staging = kp();
    const layouts: Array<[string, (name: string, value: string) => string]> = [
      ["settings.py", (n, v) => `${n} = os.getenv("${n}", "${v}")`],
      ["config.js", (n, v) => `const x = process.env.${n} ?? '${v}';`],
      ["task-definition.json", (n, v) => `        {"name": "${n}", "value": "${v}"},`],
      ["variables.tf", (n, v) => `variable "${n.toLowerCase()}" {\n  type    = string\n  default = "${v}"\n}`],
    ];
    for (const [path, line] of layouts) {
      // Identifiers first: by distance alone the STAGING identifier would take the prod key.
      const text = [
        "# crisp",
        line("CRISP_IDENTIFIER", prod.identifier),
        line("CRISP_IDENTIFIER_STAGING", staging.identifier),
        line("CRISP_KEY", prod.key),
        line("CRISP_KEY_STAGING", staging.key),
      ].join("\n");
      expectFound(scan(text, path), prod, staging);
    }
  });

  it("distance: halves dozens of lines apart", () => {
    const k = kp();
    const filler = Array.from({ length: 60 }, (_, i) => `# line ${i}`).join("\n");
    expectFound(scan(`# crisp\nidentifier: ${k.identifier}\n${filler}\nkey: ${k.key}\n`, "settings.yml"), k);
  });

  it("never crosses: two .env blocks, prod and staging, each pairs within itself", () => {
    const prod = kp();
    const staging = kp();
    const text = `# production\nCRISP_IDENTIFIER=${prod.identifier}\nCRISP_KEY=${prod.key}\n\n# staging\nCRISP_IDENTIFIER=${staging.identifier}\nCRISP_KEY=${staging.key}\n`;
    expectFound(scan(text, ".env.all"), prod, staging);
  });

  it("never crosses, unlabelled: two markdown tables one after the other", () => {
    const a = kp();
    const b = kp();
    const text = `Crisp tokens\n\n| ${a.identifier} |\n| ${a.key} |\n\n| ${b.identifier} |\n| ${b.key} |\n`;
    expectFound(scan(text, "notes.md"), a, b);
  });

  it("nesting: a key written inside another block's span pairs with its neighbour", () => {
    const outer = kp();
    const inner = kp();
    const text = `crisp:\n  identifier: ${outer.identifier}\n  nested:\n    identifier: ${inner.identifier}\n    key: ${inner.key}\n  key: ${outer.key}\n`;
    expectFound(scan(text, "crisp.yml"), inner, outer);
  });

  it("a commented-out copy of a key reuses its block's identifier", () => {
    const k = kp();
    const old = kp().key;
    const text = `CRISP_IDENTIFIER=${k.identifier}\n# CRISP_KEY=${old}\nCRISP_KEY=${k.key}\n`;
    const r = scan(text, ".env");
    expect(r.candidates.map((c) => c.keypair.reveal())).toEqual([
      { identifier: k.identifier, key: old },
      { identifier: k.identifier, key: k.key },
    ]);
  });

  it("false positive: a lone identifier, or a lone key, is not a keypair", () => {
    expect(scan(`CRISP_IDENTIFIER=${kp().identifier}\n`, ".env").candidates).toEqual([]);
    expect(scan(`CRISP_KEY=${kp().key}\n`, ".env").candidates).toEqual([]);
  });

  it("false positive: halves further apart than the pairing distance", () => {
    const k = kp();
    const filler = Array.from({ length: 400 }, (_, i) => `# line ${i}`).join("\n");
    expect(scan(`crisp id ${k.identifier}\n${filler}\nkey ${k.key}\n`, "notes.txt").candidates).toEqual([]);
  });

  it("false positive: an unrelated secret in the same .env does not steal the identifier", () => {
    const k = kp();
    const text = `CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\nSTRIPE_SECRET=${kp().key}\n`;
    expectFound(scan(text, ".env"), k);
  });
});
