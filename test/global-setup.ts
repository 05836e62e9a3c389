// Runs once before any test file: some tests run the built CLI and worker threads from dist/, so
// dist/ is rebuilt first when any source is newer than it (or it is missing). A test then never
// passes or fails on yesterday's build.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const BUILT = "dist/cli/main.js";
const INPUTS = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a file removed from src/ changes the folder's own time
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function isStale(built: string = BUILT, inputs: readonly string[] = INPUTS): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((input) => newestMtime(input) > builtAt);
}

export default function setup(): void {
  if (!isStale()) return;
  process.stderr.write("test/global-setup.ts: dist/ is older than src/; running npm run build\n");
  try {
    execFileSync("npm", ["run", "build"], { stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    throw new Error("npm run build failed: the tests that run dist/ cannot run (see the output above)");
  }
}
