// Names people really give Crisp tokens, beside the documented ones, and names that belong to
// another vendor's credentials in a file that mentions Crisp.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectFound, expectNone, hex64, kp, scan, type Raw } from "./support.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

describe("names people use for a Crisp token", () => {
  const found: [string, (k: Raw) => string, string][] = [
    ["CRISP_PLUGIN_ID / CRISP_PLUGIN_KEY", (k) => `CRISP_PLUGIN_ID=${k.identifier}\nCRISP_PLUGIN_KEY=${k.key}\n`, ".env"],
    [
      "authenticateTier('plugin', crispPluginId, crispPluginKey)",
      (k) =>
        `const crispPluginId = "${k.identifier}";\nconst crispPluginKey = "${k.key}";\nclient.authenticateTier('plugin', crispPluginId, crispPluginKey);\n`,
      "src/bot.js",
    ],
    ["CRISP_ID / CRISP_KEY", (k) => `CRISP_ID=${k.identifier}\nCRISP_KEY=${k.key}\n`, ".env"],
    ["YAML crisp: { id, key }", (k) => `crisp:\n  id: ${k.identifier}\n  key: ${k.key}\n`, "config.yaml"],
    ["YAML flow crisp: { id, key }", (k) => `crisp: { id: ${k.identifier}, key: ${k.key} }\n`, "config.yaml"],
    ["JSON crisp: { id, key }", (k) => `{"crisp": {"id": "${k.identifier}", "key": "${k.key}"}}\n`, "config.json"],
    ["JS object crisp: { id, key }", (k) => `module.exports = {\n  crisp: { id: '${k.identifier}', key: '${k.key}' },\n};\n`, "config.js"],
    ["AWS-style names", (k) => `CRISP_ACCESS_KEY_ID=${k.identifier}\nCRISP_SECRET_ACCESS_KEY=${k.key}\n`, ".env"],
    ["CRISP_TOKEN=base64(id:key), no Basic prefix", (k) => `CRISP_TOKEN=${b64(`${k.identifier}:${k.key}`)}\n`, ".env"],
    [
      "Bearer header built from base64(id:key)",
      (k) => `fetch("https://api.crisp.chat/v1/", { headers: { Authorization: "Bearer ${b64(`${k.identifier}:${k.key}`)}" } });\n`,
      "src/api.js",
    ],
  ];
  for (const [name, text, path] of found) {
    it(`reported: ${name}`, () => {
      const k = kp();
      expectFound(scan(text(k), path), k);
    });
  }

  it("CRISP_PLUGIN_ID / CRISP_PLUGIN_KEY name the plugin tier", () => {
    const k = kp();
    const [c] = expectFound(scan(`CRISP_PLUGIN_ID=${k.identifier}\nCRISP_PLUGIN_KEY=${k.key}\n`, ".env"), k);
    expect(c!.tier).toBe("plugin");
  });

  it("CRISP_PLUGIN_IDENTIFIER beside CRISP_PLUGIN_ID is the token's identifier; the plugin id is not", () => {
    const k = kp();
    for (const text of [
      `CRISP_PLUGIN_ID=${randomUUID()}\nCRISP_PLUGIN_IDENTIFIER=${k.identifier}\nCRISP_PLUGIN_KEY=${k.key}\n`,
      `CRISP_PLUGIN_IDENTIFIER=${k.identifier}\nCRISP_PLUGIN_ID=${randomUUID()}\nCRISP_PLUGIN_KEY=${k.key}\n`,
    ]) {
      const r = scan(text, ".env");
      expectFound(r, k);
      expect(r.lone).toEqual([]);
    }
  });

  it("not reported: a Marketplace plugin id alone (no plugin key) is not an identifier", () => {
    expectNone(scan(`CRISP_PLUGIN_ID=${randomUUID()}\nCRISP_WEBSITE_ID=${randomUUID()}\nCRISP_KEY=${hex64()}\n`, ".env"));
    expectNone(scan(`CRISP_PLUGIN_ID=${randomUUID()}\nCRISP_WEBHOOK_SECRET=${hex64()}\n`, ".env"));
  });

  it("not reported: short names with non-values", () => {
    expectNone(scan(`crisp:\n  id: \${CRISP_ID}\n  key: <your-key>\n`, "config.yaml"));
  });

  it("not reported: base64 of something else in CRISP_TOKEN", () => {
    expectNone(scan(`CRISP_TOKEN=${b64(`${randomUUID()}.${"x".repeat(64)}`)}\n`, ".env"));
  });
});

describe("another vendor's credentials beside Crisp", () => {
  const vendors: [string, (id: string, key: string) => string][] = [
    ["SPACE_CLIENT_ID / SPACE_CLIENT_SECRET", (id, key) => `SPACE_CLIENT_ID=${id}\nSPACE_CLIENT_SECRET=${key}\n`],
    ["STRIPE_ACCOUNT_ID / STRIPE_SECRET_KEY", (id, key) => `STRIPE_ACCOUNT_ID=${id}\nSTRIPE_SECRET_KEY=${key}\n`],
    ["AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET", (id, key) => `AUTH0_CLIENT_ID=${id}\nAUTH0_CLIENT_SECRET=${key}\n`],
    ["camelCase spaceClientId", (id, key) => `const spaceClientId = "${id}";\nconst spaceClientSecret = "${key}";\n`],
    ["staging prefix before the vendor", (id, key) => `STAGING_SPACE_CLIENT_ID=${id}\nSTAGING_SPACE_CLIENT_SECRET=${key}\n`],
  ];
  for (const [name, text] of vendors) {
    it(`not reported: ${name} beside a CRISP_ line`, () => {
      const body = `CRISP_WEBSITE_ID=${randomUUID()}\n${text(randomUUID(), hex64())}`;
      expectNone(scan(body, ".env"));
      expectNone(scan(body, "config/crisp.env"));
    });
  }

  it("reported: the Crisp keypair in the same file, while the vendor's pair is left out", () => {
    const k = kp();
    const text = `SPACE_CLIENT_ID=${randomUUID()}\nSPACE_CLIENT_SECRET=${hex64()}\nCRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\n`;
    expectFound(scan(text, ".env"), k);
  });

  it("reported: an environment qualifier is not a vendor (STAGING_KEY, PROD_IDENTIFIER)", () => {
    const a = kp();
    const b = kp();
    expectFound(scan(`# crisp\nSTAGING_IDENTIFIER=${a.identifier}\nSTAGING_KEY=${a.key}\n`, ".env"), a);
    expectFound(scan(`PROD_IDENTIFIER=${b.identifier}\nPROD_KEY=${b.key}\n`, "config/crisp.env"), b);
  });

  it("reported: a vendor word beside crisp is Crisp's (CRISP_SPACE_KEY, MYAPP_CRISP_KEY)", () => {
    const a = kp();
    const b = kp();
    expectFound(scan(`CRISP_SPACE_IDENTIFIER=${a.identifier}\nCRISP_SPACE_KEY=${a.key}\n`, ".env"), a);
    expectFound(scan(`MYAPP_CRISP_IDENTIFIER=${b.identifier}\nMYAPP_CRISP_KEY=${b.key}\n`, ".env"), b);
  });

  it("reported: role-only names (API_KEY, SECRET_KEY, IDENTIFIER) in a Crisp file are not a vendor's", () => {
    const k = kp();
    expectFound(scan(`IDENTIFIER=${k.identifier}\nAPI_KEY=${k.key}\n`, "config/crisp.env"), k);
  });
});
