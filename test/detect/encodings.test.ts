// Forms where the keypair is written together or encoded: curl, Basic auth, URL user-info,
// Kubernetes Secret data:, JSON-escaped notebooks, minified bundles, Markdown and reStructuredText.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectFound, expectNone, hex64, kp, positionOf, scan } from "./support.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

describe("written together and encoded", () => {
  it("curl --user \"id:key\" with X-Crisp-Tier", () => {
    const k = kp();
    const text = `curl https://api.crisp.chat/v1/plugin/connect/account \\\n  --user "${k.identifier}:${k.key}" \\\n  -H "X-Crisp-Tier: plugin"\n`;
    const [c] = expectFound(scan(text, "scripts/check.sh"), k);
    expect(c!.tier).toBe("plugin");
    expect(c!.occurrence).toMatchObject({ ...positionOf(text, k.key), encoding: "plain" });
  });

  it("curl false positive: a request id and a response digest", () => {
    const text = `curl https://api.crisp.chat/v1/website -H "X-Request-Id: ${randomUUID()}" -H "Digest: sha-256=${hex64()}"\n`;
    expectNone(scan(text, "scripts/check.sh"));
  });

  it("Authorization: Basic base64(id:key) points at the base64 token", () => {
    const k = kp();
    const token = b64(`${k.identifier}:${k.key}`);
    const text = `GET /v1/website/${randomUUID()}/ HTTP/1.1\nHost: api.crisp.chat\nAuthorization: Basic ${token}\nX-Crisp-Tier: website\n`;
    const [c] = expectFound(scan(text, "docs/request.http"), k);
    expect(c!.occurrence).toMatchObject({ ...positionOf(text, token), encoding: "base64" });
    expect(c!.tier).toBe("website");
  });

  it("Basic false positive: base64 of ordinary credentials", () => {
    const text = `Host: api.crisp.chat\nAuthorization: Basic ${b64("operator@example.com:correct horse battery staple")}\n`;
    expectNone(scan(text, "docs/request.http"));
  });

  it("https://id:key@api.crisp.chat/... is a url occurrence", () => {
    const k = kp();
    const text = `CRISP_URL=https://${k.identifier}:${k.key}@api.crisp.chat/v1/plugin/connect/account\n`;
    const [c] = expectFound(scan(text, ".env"), k);
    expect(c!.occurrence).toMatchObject({ ...positionOf(text, k.key), encoding: "url" });
    expect(c!.tier).toBe("plugin");
  });

  it("URL false positive: a UUID path and a digest in a URL", () => {
    const text = `https://app.crisp.chat/website/${randomUUID()}/inbox/\nhttps://cdn.crisp.chat/assets/${hex64()}.js\n`;
    expectNone(scan(text, "README.md"));
  });

  it("Kubernetes Secret data: with each half base64-encoded", () => {
    const k = kp();
    const idB64 = b64(k.identifier);
    const keyB64 = b64(`${k.key}\n`); // `echo` without -n adds a newline: still found
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: crisp-credentials\ntype: Opaque\ndata:\n  CRISP_IDENTIFIER: ${idB64}\n  CRISP_KEY: ${keyB64}\n`;
    const [c] = expectFound(scan(text, "k8s/secret.yaml"), k);
    expect(c!.occurrence).toMatchObject({ ...positionOf(text, keyB64), encoding: "base64" });
  });

  it("Kubernetes Secret holding a whole base64-encoded .env file", () => {
    const k = kp();
    const file = b64(`NODE_ENV=production\nCRISP_IDENTIFIER=${k.identifier}\nCRISP_KEY=${k.key}\n`);
    const text = `kind: Secret\nmetadata:\n  name: crisp-bot-env\ndata:\n  .env: ${file}\n`;
    const [c] = expectFound(scan(text, "k8s/env-secret.yaml"), k);
    expect(c!.occurrence).toMatchObject({ ...positionOf(text, file), encoding: "base64" });
  });

  it("Kubernetes false positive: base64 of a TLS digest and a UUID", () => {
    const text = `kind: Secret\nmetadata:\n  name: crisp-tls\ndata:\n  INSTANCE_ID: ${b64(randomUUID())}\n  CERT_SHA256: ${b64(hex64())}\n`;
    expectNone(scan(text, "k8s/tls.yaml"));
  });

  it("JSON-escaped strings in a notebook", () => {
    const k = kp();
    const text = `{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": [\n    "from crisp_api import Crisp\\n",\n    "CRISP_IDENTIFIER = \\"${k.identifier}\\"\\n",\n    "CRISP_KEY = \\"${k.key}\\"\\n",\n    "client.authenticate(CRISP_IDENTIFIER, CRISP_KEY)"\n   ]\n  }\n ]\n}\n`;
    const [c] = expectFound(scan(text, "notebooks/support.ipynb"), k);
    expect(c!.occurrence).toMatchObject({ ...positionOf(text, k.key), encoding: "escaped" });
  });

  it("JSON-escaped .env text on one line pairs by label", () => {
    const a = kp();
    const b = kp();
    const text = `{"outputs":[{"text":"CRISP_IDENTIFIER=${a.identifier}\\nCRISP_KEY=${a.key}\\nCRISP_IDENTIFIER_STAGING=${b.identifier}\\nCRISP_KEY_STAGING=${b.key}\\n"}]}`;
    expectFound(scan(text, "notebooks/env.ipynb"), a, b);
  });

  it("notebook false positive: an output hash beside a cell id", () => {
    const text = `{"cells":[{"id":"${randomUUID()}","metadata":{"crisp":true,"output_hash":"${hex64()}"}}]}`;
    expectNone(scan(text, "notebooks/report.ipynb"));
  });

  it("one-line minified bundle", () => {
    const k = kp();
    const noise = "function(e){return e&&e.__esModule?e:{default:e}}".repeat(2000);
    const text = `!function(){var a=${noise};var n=new Crisp;n.authenticateTier("plugin","${k.identifier}","${k.key}");${noise}}();`;
    const [c] = expectFound(scan(text, "dist/app.min.js"), k);
    expect(c!.occurrence.line).toBe(1);
    expect(c!.occurrence.column).toBe(text.indexOf(k.key) + 1);
  });

  it("minified false positive: chunk ids with their content hashes", () => {
    const chunks = Array.from({ length: 3 }, () => `{id:"${randomUUID()}",contenthash:"${hex64()}"}`).join(",");
    expectNone(scan(`window.crispChunks=[${chunks}];`, "dist/crisp-chunks.min.js"));
  });

  it("Markdown code block and table", () => {
    const a = kp();
    const b = kp();
    const text = `# Crisp setup\n\n\`\`\`bash\nexport CRISP_IDENTIFIER=${a.identifier}\nexport CRISP_KEY=${a.key}\n\`\`\`\n\n| Setting | Value |\n|---|---|\n| Identifier | \`${b.identifier}\` |\n| Key | \`${b.key}\` |\n`;
    expectFound(scan(text, "docs/setup.md"), a, b);
  });

  it("reStructuredText field list and code block", () => {
    const k = kp();
    const text = `Crisp\n=====\n\n:identifier: ${k.identifier}\n:key: ${k.key}\n\n.. code-block:: python\n\n   client.authenticate(IDENTIFIER, KEY)\n`;
    expectFound(scan(text, "docs/crisp.rst"), k);
  });

  it("Markdown false positive: a release note listing commit ids and a build uuid", () => {
    const text = `# Crisp plugin 1.2\n\nBuild ${randomUUID()}\n\n- ${hex64()}\n- ${hex64()}\n- ${hex64()}\n`;
    expectNone(scan(text, "CHANGELOG.md"));
  });
});
