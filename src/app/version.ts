import { readFileSync } from "node:fs";

/** The package version, for the Crisp User-Agent; package.json is two levels up from src/app and dist/app. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
