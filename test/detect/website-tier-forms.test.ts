// More forms of the website id and of the tier, as real repositories write them.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectFound, expectNone, kp, scan, type Raw } from "./support.js";

describe("website id forms", () => {
  const forms: [string, (site: string) => string, string][] = [
    ["YAML website:", (s) => `crisp:\n  website: ${s}\n`, "config.yaml"],
    ["compose CRISP_WEBSITE", (s) => `services:\n  web:\n    environment:\n      - CRISP_WEBSITE=${s}\n`, "docker-compose.yml"],
    ["websiteID constant", (s) => `const websiteID = "${s}"; // crisp\n`, "src/crisp.js"],
    ["websiteId constant", (s) => `export const websiteId = '${s}'; // crisp\n`, "src/crisp.ts"],
    ["client call, first argument", (s) => `await CrispClient.website.getWebsite("${s}");\n`, "src/crisp.js"],
    ["client call with more arguments", (s) => `crisp.website.listConversations("${s}", 1);\n`, "src/crisp.js"],
    ["PHP client call", (s) => `$CrispClient->websites->getWebsite("${s}");\n`, "app/Crisp.php"],
    ["RSpec let", (s) => `let(:crisp_website_id) { "${s}" }\n`, "spec/crisp_spec.rb"],
    ["route", (s) => `GET https://api.crisp.chat/v1/website/${s}/conversations\n`, "docs/api.md"],
    ["Markdown table row", (s) => `| Setting | Value |\n|---|---|\n| website id | ${s} |\n`, "docs/crisp.md"],
  ];
  for (const [name, text, path] of forms) {
    it(`recorded: ${name}`, () => {
      const site = randomUUID();
      const r = scan(text(site), path);
      expect(r.websiteIds).toEqual([site]);
      expect(r.candidates).toEqual([]);
    });
  }

  it("recorded: the website id beside a keypair is the candidate's, and never its identifier", () => {
    const k = kp();
    const site = randomUUID();
    const text = `crisp:\n  website: ${site}\n  identifier: ${k.identifier}\n  key: ${k.key}\n`;
    const [c] = expectFound(scan(text, "config.yaml"), k);
    expect(c!.websiteId).toBe(site);
  });

  it("not a website id: a Markdown row naming something else, another call's argument", () => {
    const r = scan(
      `| build id | ${randomUUID()} |\ncrisp.plugin.getPlugin("${randomUUID()}");\nwebsite_name: ${randomUUID()}\n`,
      "docs/crisp.md",
    );
    expect(r.websiteIds).toEqual([]);
  });

  it("not a keypair: CRISP_WEBSITE=<uuid> beside a key", () => {
    expectNone(scan(`CRISP_WEBSITE=${randomUUID()}\nCRISP_KEY=${kp().key}\n`, ".env"));
    expectNone(scan(`crisp:\n  website: ${randomUUID()}\n  key: ${kp().key}\n`, "config.yaml"));
  });
});

describe("tier from fallbacks and defaults", () => {
  const cases: [string, (k: Raw) => string, string, "plugin" | "website"][] = [
    [
      "env('CRISP_TIER', 'plugin')",
      (k) => `'tier' => env('CRISP_TIER', 'plugin'),\n'identifier' => env('CRISP_IDENTIFIER', '${k.identifier}'),\n'key' => env('CRISP_KEY', '${k.key}'),\n`,
      "config/crisp.php",
      "plugin",
    ],
    [
      "os.getenv(\"CRISP_TIER\", \"website\")",
      (k) => `TIER = os.getenv("CRISP_TIER", "website")\nIDENT = os.getenv("CRISP_IDENTIFIER", "${k.identifier}")\nKEY = os.getenv("CRISP_KEY", "${k.key}")\n`,
      "settings.py",
      "website",
    ],
    [
      "settings class default",
      (k) => `class Settings(BaseSettings):\n    crisp_tier: str = "website"\n    crisp_identifier: str = "${k.identifier}"\n    crisp_key: str = "${k.key}"\n`,
      "app/settings.py",
      "website",
    ],
  ];
  for (const [name, text, path, tier] of cases) {
    it(name, () => {
      const k = kp();
      const [c] = expectFound(scan(text(k), path), k);
      expect(c!.tier).toBe(tier);
    });
  }

  it("false positive: a default that is not a tier, or another setting's default", () => {
    const k = kp();
    const text = `TIER = os.getenv("PRICING_TIER_NAME", "website")\nIDENT = os.getenv("CRISP_IDENTIFIER", "${k.identifier}")\nKEY = os.getenv("CRISP_KEY", "${k.key}")\nfrontier: str = "plugin"\n`;
    const [c] = expectFound(scan(text, "settings.py"), k);
    expect(c!.tier).toBeNull();
  });
});
