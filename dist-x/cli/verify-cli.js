import { isWebsiteId } from "../verify/client.js";
import { runVerifyCommand } from "./verify-command.js";
import { CliError } from "./io.js";
import { createCliVerifier } from "./services.js";
/** `crisp-guard verify`: keypairs on stdin, one verdict per line on stdout. */
export async function runVerifyCli(io, opts) {
    // The value is not repeated: a mistyped argument may be a key.
    if (opts.websiteId !== undefined && !isWebsiteId(opts.websiteId))
        throw new CliError("--website-id must be a UUID");
    return runVerifyCommand(io.stdin, { stdout: io.stdout, stderr: io.stderr }, createCliVerifier(io), {
        format: opts.format,
        tier: opts.tier ?? null,
        websiteId: opts.websiteId ?? null,
    });
}
//# sourceMappingURL=verify-cli.js.map