import { describe, expect, it } from "vitest";
import { DEFAULT_REPO_CONFIG, parseRepoConfig, pathMatcher } from "../../src/repo-config.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";

describe("repository config", () => {
  it("defaults when empty", () => {
    expect(parseRepoConfig("")).toEqual(DEFAULT_REPO_CONFIG);
  });

  it("reads the DESIGN.md example", () => {
    const fp = "a".repeat(64);
    const config = parseRepoConfig(`
verify: true
rotate: { when: live-or-unknown, rotators: [github-issue, webhook] }
report: { commitComment: false, checkRun: true }
paths-ignore: [ "test/fixtures/**" ]
allow: [ { fingerprint: "${fp}", reason: "revoked test token" } ]
gate: any
`);
    expect(config).toEqual({
      verify: true,
      rotate: { when: "live-or-unknown", rotators: ["github-issue", "webhook"] },
      report: { commitComment: false, checkRun: true },
      pathsIgnore: ["test/fixtures/**"],
      allow: [{ fingerprint: fp, reason: "revoked test token" }],
      gate: "any",
    });
  });

  it("gate: live by default, live or any, anything else an error that does not echo the value", () => {
    expect(parseRepoConfig("verify: true").gate).toBe("live");
    expect(parseRepoConfig("gate: live").gate).toBe("live");
    const kp = randomKeypair();
    for (const bad of ["gate: sometimes", "gate: true", "gate: [live]", `gate: "${kp.identifier}:${kp.key}"`]) {
      let message = "";
      try {
        parseRepoConfig(bad);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, bad).toBe("gate must be one of live, any");
    }
  });

  it.each([
    ["rotate: { when: sometimes }", /rotate.when must be one of/],
    ["verify: maybe", /verify must be true or false/],
    ["colour: red", /unknown setting "colour"/],
    ["allow: [ { fingerprint: nope } ]", /allow\[0\].fingerprint must be 64 hex/],
    ["- just a list", /must be a YAML mapping/],
    ["a: [unclosed", /invalid YAML at line 1/],
  ])("rejects %s with a clear message", (yaml, message) => {
    expect(() => parseRepoConfig(yaml)).toThrow(message);
  });

  it("never echoes a pasted key in its errors", () => {
    const kp = randomKeypair();
    for (const yaml of [
      `allow: [ { fingerprint: "${kp.identifier}:${kp.key}" } ]`,
      `key: "${kp.key}`,
      `${kp.identifier}: ${kp.key}`,
      `verify: !x ${kp.key}`,
      `paths-ignore: [ "[${kp.key}" ]`,
    ]) {
      try {
        parseRepoConfig(yaml);
        expect.unreachable();
      } catch (error) {
        expect(holdsRaw((error as Error).message, kp)).toBe(false);
      }
    }
  });

  it("keeps YAML warnings out of the process's warnings (they quote the line)", async () => {
    const warnings: unknown[] = [];
    const listener = (w: unknown) => warnings.push(w);
    process.on("warning", listener);
    try {
      expect(() => parseRepoConfig("verify: !x true")).toThrow(/invalid YAML at line 1/);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    } finally {
      process.off("warning", listener);
    }
    expect(warnings).toEqual([]);
  });

  it("matches paths-ignore globs, dotfiles included", () => {
    const ignored = pathMatcher(["test/fixtures/**", "*.lock"]);
    expect(ignored("test/fixtures/a/.env")).toBe(true);
    expect(ignored("yarn.lock")).toBe(true);
    expect(ignored("src/.env")).toBe(false);
  });
});
