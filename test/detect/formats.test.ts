// Configuration and source formats: each with one true sample and a false positive beside it.
import { describe, expect, it } from "vitest";
import { expectFound, expectNone, hex64, kp, scan } from "./support.js";
import { randomUUID } from "node:crypto";

describe("configuration formats", () => {
  it("YAML nested under crisp:", () => {
    const k = kp();
    const text = `app:\n  name: shop\ncrisp:\n  identifier: ${k.identifier}\n  key: "${k.key}"\n`;
    expectFound(scan(text, "config/settings.yml"), k);
  });

  it("YAML false positive: an asset manifest's id and sha256", () => {
    const text = `crisp-widget:\n  id: ${randomUUID()}\n  sha256: ${hex64()}\n`;
    expectNone(scan(text, "assets.yml"));
  });

  it("JSON and appsettings.json", () => {
    const a = kp();
    const b = kp();
    const json = `{\n  "crisp": {\n    "identifier": "${a.identifier}",\n    "key": "${a.key}"\n  }\n}\n`;
    expectFound(scan(json, "config.json"), a);
    const appsettings = `{\n  "Logging": { "LogLevel": { "Default": "Information" } },\n  "Crisp": {\n    "Identifier": "${b.identifier}",\n    "Key": "${b.key}"\n  }\n}\n`;
    expectFound(scan(appsettings, "appsettings.Production.json"), b);
  });

  it("JSON false positive: a webhook signing secret beside a website id", () => {
    const text = `{ "crisp": { "website_id": "${randomUUID()}", "webhook_secret": "${hex64()}" } }`;
    const r = scan(text, "config.json");
    expectNone(r);
    expect(r.websiteIds).toHaveLength(1);
  });

  it("TOML", () => {
    const k = kp();
    const text = `[server]\nport = 8080\n\n[crisp]\nidentifier = "${k.identifier}"\nkey = "${k.key}"\n`;
    expectFound(scan(text, "config.toml"), k);
  });

  it("TOML false positive: a lock file's checksum beside a package uuid", () => {
    const text = `[[package]]\nname = "crisp-status"\nuuid = "${randomUUID()}"\nchecksum = "${hex64()}"\n`;
    expectNone(scan(text, "Cargo.lock"));
  });

  it(".properties", () => {
    const k = kp();
    const text = `server.port=8080\ncrisp.api.identifier=${k.identifier}\ncrisp.api.key=${k.key}\n`;
    expectFound(scan(text, "src/main/resources/application.properties"), k);
  });

  it(".properties false positive: a session secret", () => {
    const text = `crisp.website.id=${randomUUID()}\nsession.secret=${hex64()}\n`;
    expectNone(scan(text, "application.properties"));
  });

  it("Terraform tfvars", () => {
    const k = kp();
    const text = `region = "eu-west-1"\ncrisp_identifier = "${k.identifier}"\ncrisp_key       = "${k.key}"\n`;
    expectFound(scan(text, "prod.tfvars"), k);
  });

  it("docker-compose environment: (list and map forms)", () => {
    const a = kp();
    const b = kp();
    const text = `services:\n  web:\n    environment:\n      - CRISP_IDENTIFIER=${a.identifier}\n      - CRISP_KEY=${a.key}\n  worker:\n    environment:\n      CRISP_TOKEN_ID: "${b.identifier}"\n      CRISP_TOKEN_KEY: "${b.key}"\n`;
    expectFound(scan(text, "docker-compose.yml"), a, b);
  });

  it("docker-compose false positive: an image digest", () => {
    const text = `services:\n  crisp-bot:\n    image: ghcr.io/acme/bot@sha256:${hex64()}\n    environment:\n      - CRISP_WEBSITE_ID=${randomUUID()}\n`;
    expectNone(scan(text, "docker-compose.yml"));
  });

  it("GitHub workflow env:", () => {
    const k = kp();
    const text = `name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      CRISP_API_IDENTIFIER: ${k.identifier}\n      CRISP_API_KEY: ${k.key}\n    steps:\n      - run: npm run notify\n`;
    expectFound(scan(text, ".github/workflows/deploy.yml"), k);
  });

  it("Kubernetes env list (name:/value:)", () => {
    const k = kp();
    const text = `env:\n  - name: CRISP_IDENTIFIER\n    value: "${k.identifier}"\n  - name: CRISP_KEY\n    value: "${k.key}"\n`;
    expectFound(scan(text, "deploy/crisp-bot.yaml"), k);
  });

  it("Kotlin and Java constants", () => {
    const a = kp();
    const b = kp();
    const kotlin = `object CrispConfig {\n    const val CRISP_IDENTIFIER: String = "${a.identifier}"\n    const val CRISP_KEY = "${a.key}"\n}\n`;
    expectFound(scan(kotlin, "app/src/main/java/CrispConfig.kt"), a);
    const java = `public final class Crisp {\n  private static final String IDENTIFIER = "${b.identifier}";\n  private static final String KEY = "${b.key}";\n}\n`;
    expectFound(scan(java, "src/main/java/com/acme/Crisp.java"), b);
  });

  it("Java false positive: a UUID constant and a SHA-256 constant", () => {
    const text = `class CrispAssets {\n  static final String BUNDLE_ID = "${randomUUID()}";\n  static final String BUNDLE_SHA256 = "${hex64()}";\n}\n`;
    expectNone(scan(text, "CrispAssets.java"));
  });
});
