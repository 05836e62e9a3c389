import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  loadServerConfig,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
  parseServerConfig,
  ServerConfigError,
} from "../../src/rotate/server-config.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";

const DESIGN_EXAMPLE = `
rotators:
  github-issue: { repository: my-org/security }
  webhook: { url: "https://hooks.example.com/crisp", secret: "\${ROTATE_WEBHOOK_SECRET}",
             includeKeypair: false, timeoutMs: 10000 }
  command: { path: /usr/local/bin/roll-crisp, args: [], timeoutMs: 30000 }
  module: { path: ./rotators/vault.mjs }
defaults: { rotate: { when: live, rotators: [github-issue] } }
`;

function error(yaml: string, env: Record<string, string | undefined> = {}): string {
  try {
    parseServerConfig(yaml, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ServerConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a ServerConfigError");
}

describe("parseServerConfig", () => {
  it("reads the DESIGN.md example, substituting ${NAME} from env", () => {
    const c = parseServerConfig(DESIGN_EXAMPLE, { ROTATE_WEBHOOK_SECRET: "s3cret", PATH: "/usr/bin" }, { baseDir: "/etc/cg" });
    expect(c.rotators["github-issue"]).toEqual({ repository: { owner: "my-org", repo: "security" }, labels: [], assignees: [] });
    expect(c.rotators.webhook).toEqual({
      url: "https://hooks.example.com/crisp",
      secret: "s3cret",
      includeKeypair: false,
      timeoutMs: 10000,
      retries: 2,
    });
    expect(c.rotators.command).toEqual({
      path: "/usr/local/bin/roll-crisp",
      args: [],
      timeoutMs: 30000,
      includeKeypair: false,
      env: { PATH: "/usr/bin" },
    });
    expect(c.rotators.module).toEqual({ path: "/etc/cg/rotators/vault.mjs", settings: {} });
    expect(c.defaults).toEqual({ rotate: { when: "live", rotators: ["github-issue"] } });
  });

  it("an empty file enables nothing and rotates with nothing", () => {
    expect(parseServerConfig("", {})).toEqual({ rotators: {}, defaults: { rotate: { when: "live", rotators: [] } } });
    expect(parseServerConfig("# only a comment\n", {}).rotators).toEqual({});
  });

  it("a rotator key with no settings is enabled with its defaults", () => {
    const c = parseServerConfig("rotators:\n  github-issue:\n  noop:\n", {});
    expect(c.rotators["github-issue"]).toEqual({ repository: null, labels: [], assignees: [] });
  });

  it("names a missing variable without printing any value", () => {
    const msg = error(DESIGN_EXAMPLE, { OTHER: "visible-value" });
    expect(msg).toBe("server config: rotators.webhook.secret: environment variable ROTATE_WEBHOOK_SECRET is not set");
    expect(msg).not.toContain("visible-value");
  });

  it("substitutes after parsing, so a value cannot change the YAML structure", () => {
    const c = parseServerConfig(
      'rotators:\n  webhook: { url: "https://h.example/x", secret: "${S}" }\n',
      { S: "a: b\n  evil: [1" },
    );
    expect(c.rotators.webhook?.secret).toBe("a: b\n  evil: [1");
  });

  it("keeps $${NAME} as a literal ${NAME}", () => {
    const c = parseServerConfig('rotators:\n  webhook: { url: "https://h.example/x", secret: "$${NOT_A_VAR}x" }\n', {});
    expect(c.rotators.webhook?.secret).toBe("${NOT_A_VAR}x");
  });

  it("resolves module and command paths against the config's dir, bare commands stay on PATH", () => {
    const c = parseServerConfig(
      "rotators:\n  module: { path: ../mods/r.mjs, settings: { vault: prod } }\n  command: { path: roll-crisp }\n",
      {},
      { baseDir: "/srv/cg/conf" },
    );
    expect(c.rotators.module).toEqual({ path: "/srv/cg/mods/r.mjs", settings: { vault: "prod" } });
    expect(c.rotators.command?.path).toBe("roll-crisp");
    const d = parseServerConfig("rotators:\n  command: { path: ./bin/roll }\n", {}, { baseDir: "/srv/cg" });
    expect(d.rotators.command?.path).toBe("/srv/cg/bin/roll");
  });

  it("gives the command only PATH, HOME, LANG, TMPDIR and its own env, not the app's secrets", () => {
    const c = parseServerConfig(
      'rotators:\n  command: { path: /bin/roll, env: { VAULT_ADDR: "https://vault", TOKEN: "${VAULT_TOKEN}", N: 3 } }\n',
      { PATH: "/bin", HOME: "/home/cg", WEBHOOK_SECRET: "gh-secret", PRIVATE_KEY: "pem", VAULT_TOKEN: "vt" },
    );
    expect(c.rotators.command?.env).toEqual({ PATH: "/bin", HOME: "/home/cg", VAULT_ADDR: "https://vault", TOKEN: "vt", N: "3" });
  });

  describe("webhook URL guard", () => {
    const hook = (url: string) => `rotators:\n  webhook: { url: "${url}", secret: x }\n`;
    it.each(["https://hooks.example.com/a", "http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]:9/x", "http://127.1.2.3/"])(
      "accepts %s",
      (url) => {
        expect(parseServerConfig(hook(url), {}).rotators.webhook?.url).toBe(new URL(url).href);
      },
    );
    it.each(["http://hooks.example.com/a", "http://10.0.0.1/x", "http://127.0.0.1.example.com/", "ftp://127.0.0.1/", "file:///etc/passwd"])(
      "rejects %s",
      (url) => {
        expect(error(hook(url))).toBe(
          "server config: rotators.webhook.url: must be https, or http on a loopback address (127.0.0.1, ::1, localhost)",
        );
      },
    );
    it("rejects credentials in the URL without printing them", () => {
      const msg = error(hook("https://user:pa55@hooks.example.com/"));
      expect(msg).toContain("must not hold credentials");
      expect(msg).not.toContain("pa55");
    });
    it("rejects a non-URL", () => {
      expect(error(hook("not a url"))).toBe("server config: rotators.webhook.url: not a valid URL");
    });
    it("does not print a URL that came from the environment", () => {
      const msg = error('rotators:\n  webhook: { url: "${U}", secret: x }\n', { U: "http://internal-host.corp/tok=abc" });
      expect(msg).not.toContain("internal-host");
    });
  });

  describe("bounds and types", () => {
    it.each([MIN_TIMEOUT_MS - 1, MAX_TIMEOUT_MS + 1, 1.5, "10s", -5])("rejects webhook timeoutMs %s", (t) => {
      expect(error(`rotators:\n  webhook: { url: "https://h.example", secret: x, timeoutMs: ${JSON.stringify(t)} }\n`)).toBe(
        `server config: rotators.webhook.timeoutMs: must be a whole number from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`,
      );
    });
    it("accepts the timeout bounds themselves, and a number from env", () => {
      for (const t of [MIN_TIMEOUT_MS, MAX_TIMEOUT_MS]) {
        const c = parseServerConfig(`rotators:\n  command: { path: /x, timeoutMs: ${t} }\n`, {});
        expect(c.rotators.command?.timeoutMs).toBe(t);
      }
      const c = parseServerConfig('rotators:\n  command: { path: /x, timeoutMs: "${T}" }\n', { T: "5000" });
      expect(c.rotators.command?.timeoutMs).toBe(5000);
    });
    it("bounds webhook retries", () => {
      expect(error('rotators:\n  webhook: { url: "https://h.example", secret: x, retries: 6 }\n')).toContain(
        "rotators.webhook.retries: must be a whole number from 0 to 5",
      );
    });
    it("requires a webhook secret", () => {
      expect(error('rotators:\n  webhook: { url: "https://h.example" }\n')).toBe(
        "server config: rotators.webhook.secret: required, a non-empty string",
      );
      expect(error('rotators:\n  webhook: { url: "https://h.example", secret: "${E}" }\n', { E: "" })).toBe(
        "server config: rotators.webhook.secret: required, a non-empty string",
      );
    });
    it("requires includeKeypair to be a boolean", () => {
      expect(error('rotators:\n  webhook: { url: "https://h.example", secret: x, includeKeypair: yes-please }\n')).toBe(
        "server config: rotators.webhook.includeKeypair: must be true or false",
      );
    });
    it("rejects unknown settings and rotators, naming the field", () => {
      expect(error("rotators:\n  webhook: { url: https://h.example, secret: x, timeoutMS: 5 }\n")).toBe(
        "server config: rotators.webhook.timeoutMS: unknown setting (expected one of url, secret, includeKeypair, timeoutMs, retries)",
      );
      expect(error("rotators:\n  slack: {}\n")).toContain("server config: rotators.slack: unknown setting");
      expect(error("rotate: {}\n")).toContain("server config: rotate: unknown setting");
    });
    it("checks the security repository's form", () => {
      expect(error("rotators:\n  github-issue: { repository: just-a-name }\n")).toBe(
        'server config: rotators.github-issue.repository: must be "owner/repo"',
      );
    });
    it("checks assignee logins", () => {
      expect(error("rotators:\n  github-issue: { assignees: ['@team'] }\n")).toContain("is not a GitHub login");
    });
  });

  describe("defaults.rotate", () => {
    it("checks when", () => {
      expect(error("defaults: { rotate: { when: always } }\n")).toBe(
        "server config: defaults.rotate.when: must be one of live, live-or-unknown, never",
      );
      expect(parseServerConfig("defaults: { rotate: { when: live-or-unknown } }\n", {}).defaults.rotate.when).toBe("live-or-unknown");
    });
    it("may only name enabled rotators (noop always is)", () => {
      expect(error("rotators: { github-issue: {} }\ndefaults: { rotate: { rotators: [webhook] } }\n")).toBe(
        'server config: defaults.rotate.rotators: "webhook" is not enabled under rotators (enabled: github-issue, noop)',
      );
      expect(parseServerConfig("defaults: { rotate: { rotators: [noop] } }\n", {}).defaults.rotate.rotators).toEqual(["noop"]);
    });
  });

  describe("bad YAML", () => {
    it("is one line with the line number and no source excerpt", () => {
      const msg = error('rotators:\n  webhook: { url: "https://h.example", secret: "abc123secret"\n  oops\n');
      expect(msg).toMatch(/^server config: invalid YAML at line \d+: /);
      expect(msg).not.toContain("abc123secret");
    });
    it("rejects duplicate keys", () => {
      expect(error("rotators: {}\nrotators: {}\n")).toMatch(/^server config: invalid YAML at line 2: /);
    });
    it("rejects a top level that is not a mapping", () => {
      expect(error("- a\n- b\n")).toBe("server config: top level: must be a mapping");
    });
  });
});

describe("loadServerConfig", () => {
  it("resolves a module path against the file's own directory", async () => {
    const dir = tempDir("cg-config-");
    const file = join(dir, "crisp-guard-server.yml");
    await writeFile(file, "rotators:\n  module: { path: ./rotators/mine.mjs }\n");
    const c = await loadServerConfig(file, {});
    expect(c.rotators.module?.path).toBe(join(dir, "rotators", "mine.mjs"));
  });

  it("says clearly when the file cannot be read", async () => {
    await expect(loadServerConfig("/nonexistent/cg.yml", {})).rejects.toThrow(
      "server config /nonexistent/cg.yml: cannot read it (ENOENT)",
    );
  });
});

describe("a pasted key in the wrong place", () => {
  const kp = randomKeypair();
  const hook = 'url: "https://h.example", secret: x';
  it.each([
    ["a timeout", `rotators:\n  webhook: { ${hook}, timeoutMs: "${kp.key}" }\n`, "rotators.webhook.timeoutMs"],
    ["includeKeypair", `rotators:\n  webhook: { ${hook}, includeKeypair: "${kp.identifier}:${kp.key}" }\n`, "rotators.webhook.includeKeypair"],
    ["the URL", `rotators:\n  webhook: { url: "${kp.key}", secret: x }\n`, "rotators.webhook.url"],
    ["the repository", `rotators:\n  github-issue: { repository: "${kp.key}" }\n`, "rotators.github-issue.repository"],
    ["a label", `rotators:\n  github-issue: { labels: [ { ${kp.identifier}: ${kp.key} } ] }\n`, "rotators.github-issue.labels[0]"],
    ["an assignee", `rotators:\n  github-issue: { assignees: ["${kp.key}"] }\n`, "rotators.github-issue.assignees[0]"],
    ["a command's env value", `rotators:\n  command: { path: /x, env: { TOKEN: [ "${kp.key}" ] } }\n`, "rotators.command.env.TOKEN"],
    ["a command's env name", `rotators:\n  command: { path: /x, env: { "${kp.identifier}": "${kp.key}" } }\n`, "rotators.command.env.(hidden)"],
    ["defaults.rotate.when", `defaults: { rotate: { when: "${kp.key}" } }\n`, "defaults.rotate.when"],
    ["defaults.rotate.rotators", `defaults: { rotate: { rotators: ["${kp.key}"] } }\n`, "defaults.rotate.rotators[0]"],
    ["a key under a rotator", `rotators:\n  webhook: { ${hook}, ${kp.key}: 1 }\n`, "rotators.webhook.(hidden): unknown setting"],
    ["a key at the top", `${kp.identifier}: ${kp.key}\n`, "(hidden): unknown setting"],
    ["a ${...} reference", `rotators:\n  webhook: { url: "https://h.example", secret: "\${${kp.identifier}:${kp.key}}" }\n`, "rotators.webhook.secret"],
  ])("in %s: the error names the path, not the key", (_where, yaml, path) => {
    const msg = error(yaml);
    expect(msg).toContain(`server config: ${path}`);
    expect(holdsRaw(msg, kp)).toBe(false);
    expect(msg).not.toMatch(/[0-9a-f]{12}/i);
  });

  it("substituted from the environment into a bounded field, is not printed either", () => {
    const msg = error(`rotators:\n  command: { path: /x, timeoutMs: "\${T}" }\n`, { T: kp.key });
    expect(msg).toBe(`server config: rotators.command.timeoutMs: must be a whole number from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`);
  });
});

describe("unknown keys are rejected at every level", () => {
  it.each([
    ["extra: 1\n", "extra"],
    ["rotators: { slack: {} }\n", "rotators.slack"],
    ["rotators: { github-issue: { label: [x] } }\n", "rotators.github-issue.label"],
    ["rotators: { command: { path: /x, argv: [] } }\n", "rotators.command.argv"],
    ["rotators: { module: { path: ./m.mjs, setting: {} } }\n", "rotators.module.setting"],
    ["rotators: { noop: { any: 1 } }\n", "rotators.noop.any"],
    ["defaults: { rotators: [] }\n", "defaults.rotators"],
    ["defaults: { rotate: { when: live, rotator: [noop] } }\n", "defaults.rotate.rotator"],
  ])("%s", (yaml, path) => {
    expect(error(yaml)).toMatch(new RegExp(`^server config: ${path.replace(/[.[\]]/g, "\\$&")}: unknown setting`));
  });

  it("names an unknown key before the problems it causes (a typo leaves a required setting missing)", () => {
    expect(error('rotators:\n  webhook: { url: "https://h.example", secre: x }\n')).toBe(
      "server config: rotators.webhook.secre: unknown setting (expected one of url, secret, includeKeypair, timeoutMs, retries)",
    );
  });
});

describe("round trip", () => {
  it("a config with every setting, written back as YAML, parses to the same config", () => {
    const env = { PATH: "/usr/bin", HOME: "/home/cg", S: "webhook-secret" };
    const yaml = `
rotators:
  github-issue: { repository: my-org/security, labels: [leak, 7], assignees: [sec-team] }
  webhook: { url: "https://hooks.example.com/crisp?x=1", secret: "\${S}", includeKeypair: true, timeoutMs: 2500, retries: 0 }
  command: { path: ./bin/roll, args: ["", --fast], timeoutMs: 60000, includeKeypair: true, env: { VAULT_ADDR: "https://vault", N: 3 } }
  module: { path: ./rotators/vault.mjs, settings: { vault: { mount: secret } } }
  noop:
defaults: { rotate: { when: live-or-unknown, rotators: [webhook, noop] } }
`;
    const first = parseServerConfig(yaml, env, { baseDir: "/etc/cg" });
    const gi = first.rotators["github-issue"]!;
    const written = stringify({
      rotators: { ...first.rotators, "github-issue": { ...gi, repository: `${gi.repository!.owner}/${gi.repository!.repo}` } },
      defaults: first.defaults,
    });
    expect(parseServerConfig(written, env, { baseDir: "/elsewhere" })).toEqual(first);
    expect(first.rotators.command?.env).toEqual({ PATH: "/usr/bin", HOME: "/home/cg", VAULT_ADDR: "https://vault", N: "3" });
  });
});
