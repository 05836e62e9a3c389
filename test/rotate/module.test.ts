import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadModuleRotator, ModuleRotatorError, moduleRotator } from "../../src/rotate/module.js";
import { makeLeak } from "./leak.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/rotators/${name}`, import.meta.url));
const signal = () => new AbortController().signal;

describe("loadModuleRotator", () => {
  it("accepts a default export that is a Rotator", async () => {
    const r = await loadModuleRotator(fixture("object-rotator.mjs"));
    expect(r.name).toBe("ticket-desk");
    const { leak } = makeLeak();
    expect(await r.rotate(leak, signal())).toEqual({
      status: "requested",
      detail: `desk ticket for ${leak.keypair.redacted} (2 places)`,
    });
  });

  it("calls a factory default export with the settings", async () => {
    const r = await loadModuleRotator(fixture("factory-rotator.mjs"), { queue: "sec-oncall" });
    const { leak } = makeLeak();
    expect((await r.rotate(leak, signal())).detail).toBe(`queued ${leak.fingerprint.slice(0, 12)} on sec-oncall`);
  });

  it("reports a factory that throws", async () => {
    await expect(loadModuleRotator(fixture("factory-rotator.mjs"), {})).rejects.toThrow(
      /^module rotator .*factory-rotator\.mjs: its factory threw: settings\.queue is required$/,
    );
  });

  it("rejects a default export that is not a Rotator", async () => {
    const err = await loadModuleRotator(fixture("not-a-rotator.mjs")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleRotatorError);
    expect((err as Error).message).toMatch(/not-a-rotator\.mjs: the default export must be a Rotator/);
  });

  it("reports a module that cannot be loaded", async () => {
    await expect(loadModuleRotator(fixture("missing.mjs"))).rejects.toThrow(/^module rotator .*missing\.mjs: cannot load it: /);
  });
});

describe("moduleRotator", () => {
  it("is named module, loads once, and delegates", async () => {
    let loads = 0;
    const r = moduleRotator({ path: fixture("object-rotator.mjs"), settings: {} }, async (path, settings) => {
      loads++;
      return loadModuleRotator(path, settings);
    });
    expect(r.name).toBe("module");
    const { leak } = makeLeak();
    expect((await r.rotate(leak, signal())).status).toBe("requested");
    expect((await r.rotate(leak, signal())).status).toBe("requested");
    expect(loads).toBe(1);
  });

  it("turns a load error into a failed outcome", async () => {
    const r = moduleRotator({ path: fixture("not-a-rotator.mjs"), settings: {} });
    const { leak } = makeLeak();
    const outcome = await r.rotate(leak, signal());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toMatch(/the default export must be a Rotator/);
  });
});
