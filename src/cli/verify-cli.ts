import { runVerifyCommand } from "./verify-command.js";
import type { CliIO } from "./io.js";
import { createCliVerifier } from "./services.js";

/** `crisp-guard verify`: keypairs on stdin, one verdict per line on stdout. */
export async function runVerifyCli(io: CliIO, opts: { format: "text" | "json" }): Promise<number> {
  return runVerifyCommand(io.stdin, io.stdout, createCliVerifier(io), { format: opts.format });
}
