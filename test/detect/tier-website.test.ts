// What the context says about a keypair: its tier and the website id beside it.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectFound, kp, scan } from "./support.js";

describe("tier from context", () => {
  const cases: [string, (k: { identifier: string; key: string }) => string, "plugin" | "website" | null][] = [
    ["authenticateTier(\"website\")", (k) => `crisp.authenticateTier("website", "${k.identifier}", "${k.key}")`, "website"],
    ["X-Crisp-Tier: website", (k) => `curl -u ${k.identifier}:${k.key} -H 'X-Crisp-Tier: website' https://api.crisp.chat/v1/`, "website"],
    ["header map", (k) => `headers = {"X-Crisp-Tier": "plugin"}\nauth = ("${k.identifier}", "${k.key}")  # crisp`, "plugin"],
    ["set_tier(\"plugin\")", (k) => `client.set_tier("plugin")\nclient.authenticate("${k.identifier}", "${k.key}")  # crisp`, "plugin"],
    ["CRISP_TIER=", (k) => `CRISP_TIER=website\nCRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}`, "website"],
    ["plugin-only route", (k) => `curl -u "${k.identifier}:${k.key}" https://api.crisp.chat/v1/plugin/connect/account`, "plugin"],
    ["website-only route", (k) => `curl -u "${k.identifier}:${k.key}" https://api.crisp.chat/v1/website/${randomUUID()}/conversations/1`, "website"],
    ["camelCase crispTier", (k) => `const crispTier = "website";\nconst crispIdentifier = "${k.identifier}";\nconst crispKey = "${k.key}";`, "website"],
    ["label", (k) => `CRISP_PLUGIN_IDENTIFIER=${k.identifier}\nCRISP_PLUGIN_KEY=${k.key}`, "plugin"],
    ["nothing said", (k) => `CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}`, null],
  ];
  for (const [name, text, tier] of cases) {
    it(name, () => {
      const k = kp();
      const [c] = expectFound(scan(text(k), "notes.txt"), k);
      expect(c!.tier).toBe(tier);
    });
  }

  it("an explicit hint outranks a route; the nearest explicit hint wins", () => {
    const a = kp();
    const b = kp();
    const text = `# GET /v1/website/ routes below\nclient.authenticateTier("plugin", "${a.identifier}", "${a.key}")\n\n\n\n\nother.authenticateTier("website", "${b.identifier}", "${b.key}")\n`;
    const [ca, cb] = expectFound(scan(text, "crisp.js"), a, b);
    expect([ca!.tier, cb!.tier]).toEqual(["plugin", "website"]);
  });

  it("a hint speaks only for the keypair nearest it, not for a second keypair in the file", () => {
    const a = kp();
    const b = kp();
    const text = `client.authenticateTier("plugin", "${a.identifier}", "${a.key}")\n\n\n\n\n\nCRISP_IDENTIFIER=${b.identifier}\nCRISP_KEY=${b.key}\n`;
    const [ca, cb] = expectFound(scan(text, "crisp.js"), a, b);
    expect([ca!.tier, cb!.tier]).toEqual(["plugin", null]);
  });

  it("a hint further than the pairing window names no tier", () => {
    const k = kp();
    const text = `CRISP_TIER=plugin\n${"#\n".repeat(250)}CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\n`;
    const [c] = expectFound(scan(text, ".env"), k);
    expect(c!.tier).toBeNull();
  });

  it("false positive: 'tier' inside another word gives no tier", () => {
    const k = kp();
    const [c] = expectFound(scan(`frontier: website\nCRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}`, ".env"), k);
    expect(c!.tier).toBeNull();
  });
});

describe("website ids", () => {
  it("collects every website id form, deduplicated and lowercased", () => {
    const [a, b, c, d, e, f, g] = Array.from({ length: 7 }, () => randomUUID());
    const text = [
      `CRISP_WEBSITE_ID=${a!.toUpperCase()}`,
      `{"website_id": "${b}"}`,
      `const cfg = { websiteId: '${c}' };`,
      `GET https://api.crisp.chat/v1/website/${d}/conversations/1`,
      `<script>window.$crisp=[];window.CRISP_WEBSITE_ID="${e}";</script>`,
      `again: CRISP_WEBSITE_ID=${a}`,
      `<a href="https://go.crisp.chat/chat/embed/?website_id=${f}">chat</a>`,
      `await CrispClient.website.getWebsite("${g}");`,
    ].join("\n");
    const r = scan(text, "notes.md");
    expect(r.websiteIds).toEqual([a, b, c, d, e, f, g]);
    expect(r.candidates).toEqual([]);
  });

  it("the website id nearest the keypair is the candidate's", () => {
    const a = kp();
    const b = kp();
    const siteA = randomUUID();
    const siteB = randomUUID();
    const filler = "\n".repeat(30);
    const text = `CRISP_WEBSITE_ID=${siteA}\nCRISP_IDENTIFIER=${a.identifier}\nCRISP_KEY=${a.key}\n${filler}CRISP_WEBSITE_ID_STAGING=${siteB}\nCRISP_IDENTIFIER_STAGING=${b.identifier}\nCRISP_KEY_STAGING=${b.key}\n`;
    const [ca, cb] = expectFound(scan(text, ".env"), a, b);
    expect([ca!.websiteId, cb!.websiteId]).toEqual([siteA, siteB]);
  });

  it("no website id in the text: null", () => {
    const k = kp();
    const [c] = expectFound(scan(`CRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}`, ".env"), k);
    expect(c!.websiteId).toBeNull();
  });
});
