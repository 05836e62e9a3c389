// Scans never load Probot or the store's native module: a pre-commit hook runs on every commit,
// and `npm install -g` may leave better-sqlite3 unbuilt where no prebuilt binary fits.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { envFile } from "../helpers/cli.js";
import { randomKeypair } from "../helpers/keypairs.js";
import { tempDir } from "../helpers/temp.js";

const MAIN = resolve("dist/cli/main.js");

/** A Node module hook that makes importing probot or better-sqlite3 fail, as if they were absent. */
function blockingHooks(): string {
  const dir = tempDir("crisp-guard-hooks-");
  writeFileSync(
    join(dir, "hooks.mjs"),
    `export async function resolve(specifier, context, next) {
  if (specifier === "probot" || specifier === "better-sqlite3") throw new Error("blocked: " + specifier);
  return next(specifier, context);
}\n`,
  );
  writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
  return join(dir, "register.mjs");
}

describe("startup", () => {
  it("dir, --version and --help run without probot or better-sqlite3; serve is what needs them", () => {
    const register = blockingHooks();
    const project = tempDir("crisp-guard-startup-");
    writeFileSync(join(project, ".env"), envFile(randomKeypair()));
    const node = (args: string[]) => spawnSync(process.execPath, ["--import", register, MAIN, ...args], { cwd: project, encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(node(["--version"]).status).toBe(0);
    expect(node(["--help"]).status).toBe(0);
    const scan = node(["dir", "."]);
    expect(scan.stderr).toBe("");
    expect(scan.status).toBe(1);
    const serve = node(["serve"]);
    expect(serve.status).not.toBe(0);
    expect(serve.stderr).toMatch(/blocked: (probot|better-sqlite3)/);
  });
});
