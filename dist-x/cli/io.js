/** A usage or runtime error: printed as one line, exit code 2. Never holds a secret. */
export class CliError extends Error {
    name = "CliError";
}
export const EXIT = Object.freeze({ clean: 0, findings: 1, error: 2 });
//# sourceMappingURL=io.js.map