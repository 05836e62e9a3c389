// `crisp-guard install-hook`: a plain git pre-commit hook that runs `crisp-guard staged`.
import { execFile } from "node:child_process";
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { CliError, EXIT } from "./io.js";
const run = promisify(execFile);
/** The hook: crisp-guard from PATH, else the project's own (npx --no-install never downloads). */
export const PRE_COMMIT_HOOK = `#!/bin/sh
# Installed by "crisp-guard install-hook": refuses a commit that stages a Crisp token keypair.
# Bypass once (you then own the leak): git commit --no-verify
if command -v crisp-guard >/dev/null 2>&1; then
  exec crisp-guard staged
fi
exec npx --no-install crisp-guard staged
`;
/**
 * Where git looks for hooks: `git rev-parse --git-path hooks` honours core.hooksPath and linked
 * worktrees. Run without crisp-guard's safe -c settings, which point hooks at /dev/null on purpose.
 */
async function hooksDir(cwd) {
    try {
        const { stdout } = await run("git", ["rev-parse", "--git-path", "hooks"], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
        return resolve(cwd, stdout.trim());
    }
    catch {
        throw new CliError(`${cwd} is not inside a git repository (install-hook writes its pre-commit hook)`);
    }
}
export async function runInstallHook(io, opts) {
    const dir = await hooksDir(io.cwd);
    const path = join(dir, "pre-commit");
    const exists = await stat(path).then(() => true, () => false);
    if (exists && !opts.force) {
        throw new CliError(`${path} already exists; not overwritten (add "crisp-guard staged" to it, or rerun with --force to replace it)`);
    }
    try {
        await mkdir(dir, { recursive: true });
        await writeFile(path, PRE_COMMIT_HOOK, { mode: 0o755 });
        await chmod(path, 0o755);
    }
    catch (error) {
        throw new CliError(`cannot write ${path}: ${error.code ?? "error"}`);
    }
    io.stdout.write(`crisp-guard: ${exists ? "replaced" : "installed"} ${path} (runs "crisp-guard staged" before each commit)\n`);
    return EXIT.clean;
}
//# sourceMappingURL=install-hook.js.map