// Calls of the official Crisp clients, with literals inline or constants defined lines away.
import { describe, expect, it } from "vitest";
import { expectFound, expectNone, kp, scan } from "./support.js";

describe("official client calls", () => {
  it("JS/TS authenticateTier(\"plugin\", id, key) names the plugin tier", () => {
    const k = kp();
    const text = `import Crisp from "crisp-api";\nconst client = new Crisp();\nclient.authenticateTier("plugin", "${k.identifier}", "${k.key}");\n`;
    const [c] = expectFound(scan(text, "src/crisp.ts"), k);
    expect(c!.tier).toBe("plugin");
  });

  it("JS authenticate(id, key) with no tier named", () => {
    const k = kp();
    const text = `var Crisp = require("crisp-api");\nvar CrispClient = new Crisp();\nCrispClient.authenticate('${k.identifier}', '${k.key}');\n`;
    const [c] = expectFound(scan(text, "index.js"), k);
    expect(c!.tier).toBeNull();
  });

  it("Python client.authenticate(...) with set_tier", () => {
    const k = kp();
    const text = `from crisp_api import Crisp\n\nclient = Crisp()\nclient.set_tier("website")\nclient.authenticate(\n    "${k.identifier}",\n    "${k.key}",\n)\n`;
    const [c] = expectFound(scan(text, "bot.py"), k);
    expect(c!.tier).toBe("website");
  });

  it("PHP ->authenticate(...)", () => {
    const k = kp();
    const text = `<?php\n$CrispClient = new \\Crisp\\CrispClient;\n$CrispClient->setTier("plugin");\n$CrispClient->authenticate("${k.identifier}", "${k.key}");\n`;
    const [c] = expectFound(scan(text, "app/Crisp.php"), k);
    expect(c!.tier).toBe("plugin");
  });

  it("Go AuthenticateTier(...)", () => {
    const k = kp();
    const text = `package main\n\nimport "github.com/crisp-im/go-crisp-api/crisp/v3"\n\nfunc main() {\n\tclient := crisp.New()\n\tclient.AuthenticateTier("website", "${k.identifier}", "${k.key}")\n}\n`;
    const [c] = expectFound(scan(text, "main.go"), k);
    expect(c!.tier).toBe("website");
  });

  it("Ruby authenticate_tier and authenticate", () => {
    const a = kp();
    const b = kp();
    const text = `require 'crisp'\n\nclient = Crisp::Client.new\nclient.authenticate_tier(:plugin, "${a.identifier}", "${a.key}")\nother = Crisp::Client.new\nother.authenticate "${b.identifier}", "${b.key}"\n`;
    const [c1, c2] = expectFound(scan(text, "lib/crisp.rb"), a, b);
    expect(c1!.tier).toBe("plugin");
    // The plugin hint is the first client's: it does not name the second keypair's tier.
    expect(c2!.tier).toBeNull();
  });

  it("constants defined dozens of lines away from the call", () => {
    const k = kp();
    const filler = Array.from({ length: 40 }, (_, i) => `const unrelated${i} = ${i};`).join("\n");
    const text = `const CRISP_IDENTIFIER = "${k.identifier}";\nconst CRISP_KEY = "${k.key}";\n${filler}\nclient.authenticateTier("plugin", CRISP_IDENTIFIER, CRISP_KEY);\n`;
    const [c] = expectFound(scan(text, "src/support.js"), k);
    expect(c!.tier).toBe("plugin");
  });

  it("false positive: authenticate() with variables only, or with unrelated values", () => {
    const text = `client.authenticateTier("plugin", process.env.CRISP_IDENTIFIER, process.env.CRISP_KEY);\nclient.authenticate(identifier, key);\n`;
    expectNone(scan(text, "src/crisp.ts"));
  });
});
