import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError, DEFAULT_REPO_CONFIG, normalizeRepoConfig, parseRepoConfig, pathMatcher } from "../../src/config/repo-config.js";
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
backfill: { commitComments: false }
`);
    expect(config).toEqual({
      verify: true,
      rotate: { when: "live-or-unknown", rotators: ["github-issue", "webhook"] },
      report: { commitComment: false, checkRun: true },
      pathsIgnore: ["test/fixtures/**"],
      allow: [{ fingerprint: fp, reason: "revoked test token" }],
      gate: "any",
      backfill: { commitComments: false },
    });
  });

  it("backfill.commitComments: off by default, on when asked, else an error naming the setting", () => {
    expect(parseRepoConfig("").backfill).toEqual({ commitComments: false });
    expect(parseRepoConfig("backfill: { commitComments: true }").backfill).toEqual({ commitComments: true });
    expect(() => parseRepoConfig("backfill: { commitComments: sometimes }")).toThrow("backfill.commitComments must be true or false");
    expect(() => parseRepoConfig("backfill: true")).toThrow("backfill must be a mapping: { commitComments }");
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

describe("repository config: a pasted key in the wrong place", () => {
  const kp = randomKeypair();
  it.each([
    ["gate", `gate: "${kp.key}"`, "gate must be one of live, any"],
    ["rotate.when", `rotate: { when: "${kp.key}" }`, "rotate.when must be one of live, live-or-unknown, never"],
    ["rotate.rotators", `rotate: { rotators: [ { ${kp.identifier}: ${kp.key} } ] }`, "rotate.rotators must be a list of strings"],
    ["verify", `verify: "${kp.identifier}:${kp.key}"`, "verify must be true or false"],
    ["report.checkRun", `report: { checkRun: "${kp.key}" }`, "report.checkRun must be true or false"],
    ["allow", `allow: [ { fingerprint: "${kp.key}x" } ]`, "allow[0].fingerprint must be 64 hex characters (a fingerprint from a report)"],
    ["an unknown key", `${kp.key}: 1`, "unknown setting (its name is not shown: it may be a pasted secret) (known: verify, rotate, report, paths-ignore, allow, gate, backfill)"],
  ])("in %s: the error names the setting, not the key", (_where, yaml, message) => {
    let caught = "";
    try {
      parseRepoConfig(yaml);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      caught = (error as Error).message;
    }
    expect(caught).toBe(message);
    expect(holdsRaw(caught, kp)).toBe(false);
  });
});

describe("repository config: unknown keys", () => {
  it("are rejected at the top level, named when they read like a setting", () => {
    expect(() => parseRepoConfig("verify: true\npaths_ignore: [a]")).toThrow(
      'unknown setting "paths_ignore" (known: verify, rotate, report, paths-ignore, allow, gate, backfill)',
    );
  });
  it("inside rotate, report and an allow entry are ignored, as they always were", () => {
    const fp = "b".repeat(64);
    const config = parseRepoConfig(`
rotate: { when: never, later: 1 }
report: { checkRun: false, annotations: true }
allow: [ { fingerprint: "${fp}", reason: r, by: someone } ]
`);
    expect(config.rotate).toEqual({ when: "never", rotators: null });
    expect(config.report).toEqual({ commitComment: true, checkRun: false });
    expect(config.allow).toEqual([{ fingerprint: fp, reason: "r" }]);
  });
});

describe("repository config: round trip", () => {
  it("a config with every setting, written back as YAML, parses to the same config", () => {
    const fp = "C".repeat(64);
    const first = parseRepoConfig(`
verify: false
rotate: { when: never, rotators: webhook }
report: { commitComment: false, checkRun: false }
paths-ignore: [ "test/**", "*.lock" ]
allow: [ { fingerprint: "${fp}" }, { fingerprint: "${"d".repeat(64)}", reason: revoked } ]
gate: any
`);
    expect(first.rotate.rotators).toEqual(["webhook"]);
    expect(first.allow[0]).toEqual({ fingerprint: "c".repeat(64), reason: "allowed in config" });
    const { pathsIgnore, ...rest } = first;
    expect(parseRepoConfig(stringify({ ...rest, "paths-ignore": pathsIgnore }))).toEqual(first);
  });
  it("the defaults (null there is written as absent), and a rotators list left empty (none, not the server's)", () => {
    const { pathsIgnore, ...rest } = DEFAULT_REPO_CONFIG;
    expect(normalizeRepoConfig({ ...rest, rotate: {}, "paths-ignore": pathsIgnore })).toEqual(DEFAULT_REPO_CONFIG);
    expect(parseRepoConfig("rotate: { rotators: }").rotate.rotators).toEqual([]);
    expect(parseRepoConfig("rotate: { when: }").rotate).toEqual({ when: null, rotators: null });
  });
});
