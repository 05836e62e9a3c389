#!/usr/bin/env node
import { INTERRUPT_EXIT } from "./interrupt.js";
import { runCli } from "./program.js";
// `crisp-guard dir . | head`: a reader that goes away is not an error of ours. Keep the exit code
// the scan decided rather than crash with a stack trace.
process.stdout.on("error", (error) => {
    if (error.code === "EPIPE")
        process.exit(process.exitCode ?? 0);
    throw error;
});
const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
});
process.exitCode = code;
// After an interrupt the temporary clone is gone and git's children are stopped; leave now rather
// than wait on anything still pending (a directory walk, a socket).
if (code === INTERRUPT_EXIT.SIGINT || code === INTERRUPT_EXIT.SIGTERM)
    process.exit(code);
//# sourceMappingURL=main.js.mapprocess.on("exit", () => console.error("T exit", (performance.now()/1000).toFixed(2)));
