import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { commandRotator } from "../../src/rotate/command.js";
import type { CommandSettings } from "../../src/rotate/server-config.js";
import { holdsRaw } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";
import { makeLeak } from "./leak.js";

const ROLLER = fileURLToPath(new URL("../fixtures/rotators/fake-roller.mjs", import.meta.url));
let dir: string;

beforeAll(() => {
  dir = tempDir("cg-command-");
});

function settings(mode: string, over: Partial<CommandSettings> = {}, extra: string[] = []): CommandSettings {
  return {
    path: process.execPath,
    args: [ROLLER, mode, ...extra],
    timeoutMs: 10_000,
    includeKeypair: false,
    env: { CG_TEST_MARK: "1" },
    ...over,
  };
}

const signal = () => new AbortController().signal;

describe("command rotator", () => {
  it("passes the event on stdin, only the configured env, and reads the outcome", async () => {
    const file = join(dir, "seen.json");
    const { leak, raw } = makeLeak();
    const outcome = await commandRotator(settings("ok", {}, [file])).rotate(leak, signal());
    expect(outcome).toEqual({
      status: "requested",
      detail: `vault ticket for ${leak.keypair.redactedIdentifier}`,
      url: "https://vault.example/t/1",
    });
    const seenText = await readFile(file, "utf8");
    const seen = JSON.parse(seenText);
    expect(seen.event.fingerprint).toBe(leak.fingerprint);
    expect(seen.event.event).toBe("crisp-guard.leak");
    expect(seen.event).not.toHaveProperty("keypair");
    expect(holdsRaw(seenText, raw)).toBe(false);
    // Node adds nothing of the parent's environment when env is given.
    expect(seen.env.CG_TEST_MARK).toBe("1");
    expect(Object.keys(seen.env).filter((k) => k !== "CG_TEST_MARK" && !k.startsWith("__CF"))).toEqual([]);
  });

  it("passes the keypair only when includeKeypair is set", async () => {
    const file = join(dir, "seen-kp.json");
    const { leak, raw } = makeLeak();
    await commandRotator(settings("ok", { includeKeypair: true }, [file])).rotate(leak, signal());
    expect(JSON.parse(await readFile(file, "utf8")).event.keypair).toEqual(raw);
  });

  it("takes the last line as the outcome after log lines", async () => {
    const { leak } = makeLeak();
    expect(await commandRotator(settings("logs-then-outcome")).rotate(leak, signal())).toEqual({
      status: "rotated",
      detail: "rolled by the browser bot",
    });
  });

  it("is fine with a command that never reads stdin", async () => {
    const { leak } = makeLeak();
    expect((await commandRotator(settings("ignores-stdin")).rotate(leak, signal())).status).toBe("skipped");
  });

  it("bad output: failed, quoting stdout only redacted", async () => {
    const { leak, raw } = makeLeak();
    const outcome = await commandRotator(settings("echoes-keypair", { includeKeypair: true })).rotate(leak, signal());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toMatch(/^command printed no valid outcome: stdout is not JSON \(stdout: rolling /);
    expect(outcome.detail).toContain(`${raw.identifier.slice(0, 8)}…:…${raw.key.slice(-4)}`);
    expect(holdsRaw(outcome.detail, raw)).toBe(false);
  });

  it("non-zero exit: failed, quoting stderr only redacted", async () => {
    const { leak, raw } = makeLeak();
    const outcome = await commandRotator(settings("fails-loudly", { includeKeypair: true })).rotate(leak, signal());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toMatch(/^command exited with code 3: error: token /);
    expect(holdsRaw(outcome.detail, raw)).toBe(false);
  });

  it("an outcome with a wrong status is not accepted", async () => {
    const { leak } = makeLeak();
    const outcome = await commandRotator(settings("invalid-outcome")).rotate(leak, signal());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toMatch(/^command printed no valid outcome: status must be one of rotated, requested, failed, skipped/);
  });

  it("stops a command that floods stdout", async () => {
    const { leak } = makeLeak();
    const outcome = await commandRotator(settings("floods")).rotate(leak, signal());
    expect(outcome).toEqual({ status: "failed", detail: "command printed more than 65536 bytes" });
  });

  it("kills a command on timeout, even one that ignores SIGTERM", async () => {
    const { leak } = makeLeak();
    const outcome = await commandRotator(settings("hangs", { timeoutMs: 200 })).rotate(leak, signal());
    expect(outcome).toEqual({ status: "failed", detail: "command timed out after 200 ms" });
  });

  it("kills a command when the caller aborts", async () => {
    const { leak } = makeLeak();
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    const outcome = await commandRotator(settings("waits")).rotate(leak, ctrl.signal);
    expect(outcome).toEqual({ status: "failed", detail: "command aborted" });
  });

  it("a missing executable is a failed outcome, not a throw", async () => {
    const { leak } = makeLeak();
    const outcome = await commandRotator(settings("ok", { path: join(dir, "no-such-roller") })).rotate(leak, signal());
    expect(outcome).toEqual({ status: "failed", detail: "command could not start (ENOENT)" });
  });

  it("runs without a shell: arguments are not interpreted", async () => {
    const file = join(dir, "seen-$(id).json");
    const { leak } = makeLeak();
    await commandRotator(settings("ok", {}, [file])).rotate(leak, signal());
    expect(JSON.parse(await readFile(file, "utf8")).event.fingerprint).toBe(leak.fingerprint);
  });
});
