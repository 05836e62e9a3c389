import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
// The module rotator: the operator's own ES module, whose default export is a Rotator or a factory
// `(settings) => Rotator` (maybe async). How anyone plugs in a vault, a ticket system, a chat bot.
export class ModuleRotatorError extends Error {
    name = "ModuleRotatorError";
}
/** Imports and checks the module. Throws ModuleRotatorError with a one-line reason. */
export async function loadModuleRotator(path, settings = {}) {
    // Relative paths are resolved against the server config's dir by the config parser; this is
    // only the fallback for a config built in code.
    const url = pathToFileURL(isAbsolute(path) ? path : resolve(path)).href;
    let loaded;
    try {
        loaded = (await import(url));
    }
    catch (err) {
        throw new ModuleRotatorError(`module rotator ${path}: cannot load it: ${firstLine(err)}`);
    }
    let candidate = loaded.default;
    if (typeof candidate === "function") {
        try {
            candidate = await candidate(structuredClone(settings));
        }
        catch (err) {
            throw new ModuleRotatorError(`module rotator ${path}: its factory threw: ${firstLine(err)}`);
        }
    }
    if (!isRotator(candidate)) {
        throw new ModuleRotatorError(`module rotator ${path}: the default export must be a Rotator ({ name: string, rotate(leak, signal) }) or a factory (settings) => Rotator`);
    }
    return candidate;
}
function firstLine(err) {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
function isRotator(value) {
    if (value === null || typeof value !== "object")
        return false;
    const v = value;
    return typeof v.name === "string" && v.name.trim() !== "" && typeof v.rotate === "function";
}
/**
 * A Rotator named "module" that loads the module on first use (createRotators is synchronous and
 * the app should not import operator code per push). A load error becomes a failed outcome for
 * each leak; call loadModuleRotator at start-up to fail early instead.
 */
export function moduleRotator(settings, load = loadModuleRotator) {
    let loading;
    return {
        name: "module",
        async rotate(leak, signal) {
            loading ??= load(settings.path, settings.settings);
            let inner;
            try {
                inner = await loading;
            }
            catch (err) {
                return { status: "failed", detail: err instanceof Error ? err.message : String(err) };
            }
            return inner.rotate(leak, signal);
        },
    };
}
//# sourceMappingURL=module.js.map