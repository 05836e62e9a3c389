import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleSettings } from "./server-config.js";
import type { Rotator } from "./types.js";

// The module rotator: the operator's own ES module, whose default export is a Rotator or a factory
// `(settings) => Rotator` (maybe async). How anyone plugs in a vault, a ticket system, a chat bot.

export class ModuleRotatorError extends Error {
  override name = "ModuleRotatorError";
}

/** Imports and checks the module. Throws ModuleRotatorError with a one-line reason. */
export async function loadModuleRotator(path: string, settings: Record<string, unknown> = {}): Promise<Rotator> {
  // Relative paths are resolved against the server config's dir by the config parser; this is
  // only the fallback for a config built in code.
  const url = pathToFileURL(isAbsolute(path) ? path : resolve(path)).href;
  let loaded: { default?: unknown };
  try {
    loaded = (await import(url)) as { default?: unknown };
  } catch (err) {
    throw new ModuleRotatorError(`module rotator ${path}: cannot load it: ${firstLine(err)}`);
  }
  let candidate: unknown = loaded.default;
  if (typeof candidate === "function") {
    try {
      candidate = await (candidate as (s: Record<string, unknown>) => unknown)(structuredClone(settings));
    } catch (err) {
      throw new ModuleRotatorError(`module rotator ${path}: its factory threw: ${firstLine(err)}`);
    }
  }
  if (!isRotator(candidate)) {
    throw new ModuleRotatorError(
      `module rotator ${path}: the default export must be a Rotator ({ name: string, rotate(leak, signal) }) or a factory (settings) => Rotator`,
    );
  }
  return candidate;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}

function isRotator(value: unknown): value is Rotator {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === "string" && v.name.trim() !== "" && typeof v.rotate === "function";
}

/**
 * A Rotator named "module" that loads the module on first use (createRotators is synchronous and
 * the app should not import operator code per push). A load error becomes a failed outcome for
 * each leak; call loadModuleRotator at start-up to fail early instead.
 */
export function moduleRotator(settings: ModuleSettings, load = loadModuleRotator): Rotator {
  let loading: Promise<Rotator> | undefined;
  return {
    name: "module",
    async rotate(leak, signal) {
      loading ??= load(settings.path, settings.settings);
      let inner: Rotator;
      try {
        inner = await loading;
      } catch (err) {
        return { status: "failed", detail: err instanceof Error ? err.message : String(err) };
      }
      return inner.rotate(leak, signal);
    },
  };
}
