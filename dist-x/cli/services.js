import { resolveCrispApiUrl } from "../verify/base-url.js";
import { createVerifier } from "../verify/verifier.js";
import { CliError } from "./io.js";
import { buildCliRotation } from "./rotation.js";
import { VERSION } from "../version.js";
export function createCliVerifier(io) {
    let baseUrl;
    try {
        baseUrl = resolveCrispApiUrl(io.env.CRISP_API_URL);
    }
    catch (error) {
        throw new CliError(error.message);
    }
    return createVerifier({ baseUrl, version: VERSION });
}
export async function buildPipelineOptions(io, opts, config) {
    // --rotate implies --verify: rotation is decided on the verification's answer.
    const verifier = opts.verify || opts.rotate ? createCliVerifier(io) : undefined;
    const rotate = opts.rotate ? await buildCliRotation(io, config) : undefined;
    return { verifier, rotate };
}
//# sourceMappingURL=services.js.map