import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RotationOutcome } from "../../src/detect/types.js";
import {
  createRotators,
  rotateChoice,
  RotatorSelectionError,
  rotatorCeilingMs,
  runRotators,
  serializeContentRotators,
  DEFAULT_ROTATOR_TIMEOUT_MS,
} from "../../src/rotate/registry.js";
import { shouldRotate } from "../../src/lifecycle/states.js";
import { parseServerConfig } from "../../src/rotate/server-config.js";
import type { Leak, Rotator } from "../../src/rotate/types.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { makeLeak } from "./leak.js";

const CONFIG = parseServerConfig(
  `rotators:
  github-issue: {}
  webhook: { url: "https://hooks.example.com/crisp", secret: s }
defaults: { rotate: { when: live, rotators: [github-issue] } }
`,
  {},
);

const fixed = (name: string, outcome: unknown): Rotator => ({ name, rotate: async () => outcome as RotationOutcome });

describe("createRotators", () => {
  const deps = { octokitFor: () => ({}) as never };

  it("builds the named, enabled rotators in order, once each", () => {
    expect(createRotators(CONFIG, ["webhook", "github-issue", "webhook", "noop"], deps).map((r) => r.name)).toEqual([
      "webhook",
      "github-issue",
      "noop",
    ]);
  });

  it("refuses a known rotator the server did not enable", () => {
    expect(() => createRotators(CONFIG, ["command"], deps)).toThrow(
      new RotatorSelectionError('rotator "command" is not enabled in the server config (enabled: github-issue, webhook, noop)'),
    );
  });

  it("refuses an unknown name", () => {
    expect(() => createRotators(CONFIG, ["slack"], deps)).toThrow(
      'unknown rotator "slack" (known: github-issue, webhook, command, module, noop)',
    );
  });

  it("refuses github-issue without GitHub access", () => {
    expect(() => createRotators(CONFIG, ["github-issue"], {})).toThrow(
      'rotator "github-issue" needs GitHub access, which this run does not have',
    );
  });
});

describe("rotateChoice", () => {
  it("takes the repository's fields over the server defaults", () => {
    expect(rotateChoice(CONFIG)).toEqual({ when: "live", rotators: ["github-issue"] });
    expect(rotateChoice(CONFIG, { when: "never" })).toEqual({ when: "never", rotators: ["github-issue"] });
    expect(rotateChoice(CONFIG, { rotators: ["webhook"] })).toEqual({ when: "live", rotators: ["webhook"] });
  });
});

describe("shouldRotate", () => {
  it.each([
    ["live", "live", true],
    ["live", "unknown", false],
    ["live", "dead", false],
    ["live", "unverified", false],
    ["live-or-unknown", "live", true],
    ["live-or-unknown", "unknown", true],
    ["live-or-unknown", "dead", false],
    ["live-or-unknown", "unverified", false],
    ["never", "live", false],
    ["never", "unknown", false],
  ] as const)("when %s, status %s: %s", (when, status, expected) => {
    expect(shouldRotate(when, status)).toBe(expected);
  });
});

describe("runRotators", () => {
  it("records every outcome; one failing does not stop the others", async () => {
    const { leak } = makeLeak();
    const records = await runRotators(
      [
        fixed("first", { status: "requested", detail: "ok", url: "https://t.example/1" }),
        { name: "thrower", rotate: async () => { throw new Error("boom"); } },
        { name: "sync-thrower", rotate: () => { throw new Error("sync boom"); } },
        fixed("last", { status: "rotated", detail: "done" }),
      ],
      leak,
    );
    expect(records).toEqual([
      { rotator: "first", status: "requested", detail: "ok", url: "https://t.example/1" },
      { rotator: "thrower", status: "failed", detail: "thrower threw: boom" },
      { rotator: "sync-thrower", status: "failed", detail: "sync-thrower threw: sync boom" },
      { rotator: "last", status: "rotated", detail: "done" },
    ]);
  });

  it("times out a rotator that ignores its signal, and aborts the signal it was given", async () => {
    const { leak } = makeLeak();
    let given: AbortSignal | undefined;
    const hung: Rotator = {
      name: "hung",
      rotate: (_l, s) => {
        given = s;
        return new Promise(() => undefined);
      },
    };
    const records = await runRotators([hung, fixed("quick", { status: "skipped", detail: "-" })], leak, { timeoutMs: 50 });
    expect(records).toEqual([
      { rotator: "hung", status: "failed", detail: "hung timed out after 50 ms" },
      { rotator: "quick", status: "skipped", detail: "-" },
    ]);
    expect(given?.aborted).toBe(true);
  });

  it("stops when the caller aborts", async () => {
    const { leak } = makeLeak();
    const ctrl = new AbortController();
    const pending = runRotators([{ name: "slow", rotate: () => new Promise(() => undefined) }], leak, { signal: ctrl.signal });
    ctrl.abort();
    expect(await pending).toEqual([{ rotator: "slow", status: "failed", detail: "slow was stopped before it finished" }]);
  });

  it.each([
    [null, "not an object"],
    [{ status: "done", detail: "x" }, "status must be one of rotated, requested, failed, skipped"],
    [{ status: "requested" }, "detail must be a string"],
    [{ status: "requested", detail: "x", url: "javascript:alert(1)" }, "url must be an http(s) URL"],
  ])("refuses an invalid outcome %j", async (outcome, reason) => {
    const { leak } = makeLeak();
    const [record] = await runRotators([fixed("liar", outcome)], leak);
    expect(record).toEqual({ rotator: "liar", status: "failed", detail: `liar returned an invalid outcome: ${reason}` });
  });

  it("never records the raw key: details and errors are redacted, secret-bearing URLs dropped", async () => {
    const { leak, raw } = makeLeak();
    const echo = (l: Leak) => l.keypair.reveal();
    const records = await runRotators(
      [
        { name: "chatty", rotate: async (l) => ({ status: "requested", detail: `sent ${echo(l).identifier}:${echo(l).key} (fp ${l.fingerprint})` }) },
        { name: "thrower", rotate: async (l) => { throw new Error(`refused key ${echo(l).key}`); } },
        { name: "linker", rotate: async (l) => ({ status: "requested", detail: "ok", url: `https://t.example/?k=${echo(l).key}` }) },
      ],
      leak,
    );
    const text = JSON.stringify(records);
    expect(holdsRaw(text, raw)).toBe(false);
    expect(records[0]!.detail).toBe(`sent ${raw.identifier.slice(0, 8)}…:…${raw.key.slice(-4)} (fp ${leak.fingerprint})`);
    expect(records[1]!.detail).toBe(`thrower threw: refused key …${raw.key.slice(-4)}`);
    expect(records[2]).toEqual({ rotator: "linker", status: "requested", detail: "ok" });
  });

  it("cuts a long detail short", async () => {
    const { leak } = makeLeak();
    const [record] = await runRotators([fixed("long", { status: "requested", detail: "y".repeat(2000) })], leak);
    expect(record!.detail).toHaveLength(500);
  });
});

describe("several configured rotators for one leak", () => {
  it("run side by side from the server config, each recorded", async () => {
    const fixtures = fileURLToPath(new URL("../fixtures/rotators/", import.meta.url));
    const config = parseServerConfig(
      `rotators:
  command: { path: "\${NODE}", args: ["\${ROLLER}", ok] }
  module: { path: ./object-rotator.mjs }
  noop:
`,
      { NODE: process.execPath, ROLLER: `${fixtures}fake-roller.mjs` },
      { baseDir: fixtures },
    );
    const { leak } = makeLeak();
    const records = await runRotators(createRotators(config, ["command", "module", "noop"]), leak);
    expect(records).toEqual([
      { rotator: "command", status: "requested", detail: `vault ticket for ${leak.keypair.redactedIdentifier}`, url: "https://vault.example/t/1" },
      { rotator: "module", status: "requested", detail: `desk ticket for ${leak.keypair.redacted} (2 places)` },
      { rotator: "noop", status: "skipped", detail: "noop rotator: nothing was done" },
    ]);
  });
});

describe("a rotator's own ceiling", () => {
  it("stops a rotator at its own ceilingMs (a command's timeoutMs), not at the generic 120 s", async () => {
    const { leak } = makeLeak();
    const stuck: Rotator = { name: "command", ceilingMs: 300, rotate: () => new Promise(() => undefined) };
    const started = Date.now();
    const [record] = await runRotators([stuck], leak);
    expect(record).toEqual({ rotator: "command", status: "failed", detail: "command timed out after 300 ms" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("takes the tighter of the rotator's and the caller's limit, and the generic one without either", () => {
    const r = (ceilingMs?: number): Rotator => ({ name: "x", ...(ceilingMs ? { ceilingMs } : {}), rotate: async () => ({ status: "skipped", detail: "" }) });
    expect(rotatorCeilingMs(r(4_000), undefined)).toBe(4_000);
    expect(rotatorCeilingMs(r(4_000), 1_000)).toBe(1_000);
    expect(rotatorCeilingMs(r(), undefined)).toBe(DEFAULT_ROTATOR_TIMEOUT_MS);
  });

  it("a command rotator built from the server config carries its timeoutMs as its ceiling", () => {
    const config = parseServerConfig(`rotators:\n  command: { path: /bin/true, timeoutMs: 3000 }\n`, {});
    const [command] = createRotators(config, ["command"]);
    expect(command!.ceilingMs).toBeGreaterThanOrEqual(3_000);
    expect(command!.ceilingMs).toBeLessThan(10_000);
  });
});

describe("serializeContentRotators", () => {
  it("runs github-issue one at a time through the queue and leaves the others free", async () => {
    const active: Record<string, number> = {};
    const peak: Record<string, number> = {};
    const slow = (name: string): Rotator => ({
      name,
      rotate: async () => {
        active[name] = (active[name] ?? 0) + 1;
        peak[name] = Math.max(peak[name] ?? 0, active[name]);
        await new Promise((r) => setTimeout(r, 20));
        active[name]--;
        return { status: "requested", detail: name };
      },
    });
    let chain: Promise<unknown> = Promise.resolve();
    const serial = <T>(task: () => Promise<T>): Promise<T> => {
      const next = chain.then(task);
      chain = next.catch(() => undefined);
      return next;
    };
    const rotators = serializeContentRotators([slow("github-issue"), slow("command")], serial);
    await Promise.all([1, 2, 3].map(() => runRotators(rotators, makeLeak().leak)));
    expect(peak).toEqual({ "github-issue": 1, command: 3 });
  });
});
