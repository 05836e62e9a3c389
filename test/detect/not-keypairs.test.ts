// What looks like a keypair but is not one: website ids, the chatbox session token, digests and
// hashes beside UUIDs, no Crisp context, keys inside longer hex runs.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectFound, expectNone, hex64, kp, scan } from "./support.js";

describe("not a keypair", () => {
  it("a website id is never an identifier (CRISP_WEBSITE_ID, website_id, websiteId)", () => {
    const key = hex64();
    for (const line of [
      `CRISP_WEBSITE_ID=${randomUUID()}\nCRISP_KEY=${key}`,
      `{"website_id": "${randomUUID()}", "key": "${key}"}`,
      `const crisp = { websiteId: "${randomUUID()}", key: "${key}" };`,
    ]) {
      const r = scan(line, "crisp.config");
      expectNone(r);
      expect(r.websiteIds).toHaveLength(1);
    }
  });

  it("true positive beside it: the website id is recorded, the identifier paired", () => {
    const k = kp();
    const site = randomUUID();
    const text = `CRISP_WEBSITE_ID=${site}\nCRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\n`;
    const [c] = expectFound(scan(text, ".env"), k);
    expect(c!.websiteId).toBe(site);
  });

  it("the chatbox's window.CRISP_TOKEN_ID in a <script> is a visitor session token", () => {
    const text = `<script type="text/javascript">window.$crisp=[];window.CRISP_WEBSITE_ID="${randomUUID()}";window.CRISP_TOKEN_ID="${randomUUID()}";(function(){d=document;s=d.createElement("script");s.src="https://client.crisp.chat/l.js";s.integrity="${hex64()}";})();</script>`;
    expectNone(scan(text, "templates/layout.html"));
    const bracket = `<script>window["CRISP_TOKEN_ID"] = "${randomUUID()}"; var build = { buildkey: "${hex64()}" };</script>`;
    expectNone(scan(bracket, "templates/crisp.html"));
  });

  it("but CRISP_TOKEN_ID in a .env is the API identifier", () => {
    const k = kp();
    expectFound(scan(`CRISP_TOKEN_ID=${k.identifier}\nCRISP_TOKEN_KEY=${k.key}\n`, ".env"), k);
  });

  it("webhook signing secrets, checksums, digests, hashes, nonces beside a UUID", () => {
    const samples = [
      `CRISP_PLUGIN_ID=${randomUUID()}\nCRISP_WEBHOOK_SECRET=${hex64()}`,
      `CRISP_IDENTIFIER=${randomUUID()}\nCRISP_SIGNING_SECRET=${hex64()}`,
      `crisp_id: ${randomUUID()}\nchecksum: ${hex64()}`,
      `crisp release ${randomUUID()} sha256:${hex64()}`,
      `"crispSession": "${randomUUID()}", "digest": "${hex64()}"`,
      `crisp_request_id=${randomUUID()} nonce=${hex64()}`,
      `crisp ${randomUUID()}  sha256 ${hex64()}`,
      `crisp.identifier=${randomUUID()}\ncrisp.fileHash=${hex64()}`,
    ];
    for (const text of samples) expectNone(scan(text, "crisp/config.txt"));
  });

  it("a UUID and 64 hex with no Crisp context are not reported", () => {
    const k = kp();
    const text = `IDENTIFIER=${k.identifier}\nKEY=${k.key}\n`;
    expectNone(scan(text, "config/.env"));
    // The same lines with context: in the path, or in the text.
    expectFound(scan(text, "config/crisp.env"), k);
    expectFound(scan(`# Crisp\n${text}`, "config/.env"), k);
    expectFound(scan(`${text}curl -H "X-Crisp-Tier: plugin" https://api.crisp.chat/v1/`, "x.sh"), k);
  });

  it("a webhook secret in the same config section is not a second key for the identifier", () => {
    const k = kp();
    const text = `crisp:\n  plugin:\n    identifier: ${k.identifier}\n    key: ${k.key}\n  webhooks:\n    secret: ${hex64()}\n`;
    expectFound(scan(text, "config/crisp.yml"), k);
  });

  it("'crisp' in crispEdges, crisp-edges, crispy is not Crisp context", () => {
    const k = kp();
    const lines = `identifier: "${k.identifier}"\nkey: "${k.key}"\n`;
    for (const other of ['shape-rendering:"crispEdges"', "image-rendering: crisp-edges;", "// crispy bacon"]) {
      expectNone(scan(`${other}\n${lines}`, "dist/app.js"));
    }
    // Named for Crisp as well: reported.
    expectFound(scan(`shape-rendering:"crispEdges"\n// Crisp REST token\n${lines}`, "dist/app.js"), k);
  });

  it("an official client call is context on its own", () => {
    const k = kp();
    expectFound(scan(`client.authenticateTier("plugin", "${k.identifier}", "${k.key}")`, "src/support.js"), k);
  });

  it("a key is exactly 64 hex, not part of a longer run (sha512, concatenated ids)", () => {
    const id = randomUUID();
    const sha512 = hex64() + hex64();
    expectNone(scan(`CRISP_IDENTIFIER=${id}\nCRISP_KEY=${sha512}\n`, ".env"));
    expectNone(scan(`CRISP_IDENTIFIER=${id}\nCRISP_KEY=${hex64()}a\n`, ".env"));
    expectNone(scan(`CRISP_IDENTIFIER=${id}\nCRISP_KEY=0x${hex64()}\n`, ".env"));
  });

  it("a git object id list (sha256 repository) beside a UUID", () => {
    const text = `# crisp-bot release ${randomUUID()}\n${hex64()} refs/heads/main\n${hex64()} refs/heads/next\n${hex64()} refs/tags/v1\n`;
    expectNone(scan(text, "crisp-bot/packed-refs"));
  });

  it("a UUID in a URL path (plugin, session) is not an identifier", () => {
    const text = `crisp: https://api.crisp.chat/v1/plugin/${randomUUID()}/subscriptions key=${hex64()}`;
    expectNone(scan(text, "notes.txt"));
  });
});
