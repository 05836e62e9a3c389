import { readFileSync } from "node:fs";
/** The package version (User-Agent, reports), read once from package.json one level up from src/ and dist/. */
export const VERSION = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
export const TOOL = Object.freeze({ name: "crisp-guard", version: VERSION });
//# sourceMappingURL=version.js.map