// Builds the verifier and the rotation runner the CLI hands to the pipeline, from flags and env.
import type { PipelineOptions } from "../pipeline.js";
import type { RepoConfig } from "../config/repo-config.js";
import { resolveCrispApiUrl } from "../verify/base-url.js";
import { createVerifier } from "../verify/verifier.js";
import type { Verifier } from "../verify/types.js";
import { CliError, type CliIO } from "./io.js";
import { buildCliRotation } from "./rotation.js";
import { VERSION } from "../version.js";

export function createCliVerifier(io: CliIO): Verifier {
  let baseUrl: URL;
  try {
    baseUrl = resolveCrispApiUrl(io.env.CRISP_API_URL);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return createVerifier({ baseUrl, version: VERSION });
}

export async function buildPipelineOptions(
  io: CliIO,
  opts: { verify?: boolean; rotate?: boolean },
  config: RepoConfig,
): Promise<Pick<PipelineOptions, "verifier" | "rotate">> {
  // --rotate implies --verify: rotation is decided on the verification's answer.
  const verifier = opts.verify || opts.rotate ? createCliVerifier(io) : undefined;
  const rotate = opts.rotate ? await buildCliRotation(io, config) : undefined;
  return { verifier, rotate };
}
