// The GitHub Action's entry point, bundled into action/dist/index.mjs (npm run build:action).
import { runAction } from "./action.js";
process.exitCode = await runAction({
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
});
//# sourceMappingURL=action-main.js.map