#!/usr/bin/env node
import { runCli } from "./program.js";

// `crisp-guard dir . | head`: a reader that goes away is not an error of ours. Keep the exit code
// the scan decided rather than crash with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
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
