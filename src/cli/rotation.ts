// --rotate for the CLI: the operator's server config (CRISP_GUARD_CONFIG) says which rotators exist;
// the repository config picks among them, exactly as in the app.
import { createGitHubClient } from "../github/client.js";
import type { PipelineOptions } from "../pipeline.js";
import type { RepoConfig } from "../config/repo-config.js";
import { createRotators, rotateChoice, runRotators } from "../rotate/registry.js";
import { loadServerConfig } from "../rotate/server-config.js";
import { CliError, type CliIO } from "./io.js";
import { VERSION } from "../version.js";

export async function buildCliRotation(io: CliIO, config: RepoConfig): Promise<PipelineOptions["rotate"]> {
  const path = io.env.CRISP_GUARD_CONFIG;
  if (!path) {
    throw new CliError("--rotate needs the server config: set CRISP_GUARD_CONFIG to a crisp-guard server YAML file (see README, Rotation)");
  }
  try {
    const server = await loadServerConfig(path, io.env);
    // What the repository config leaves out, the operator's defaults decide.
    const choice = rotateChoice(server, {
      ...(config.rotate.when ? { when: config.rotate.when } : {}),
      ...(config.rotate.rotators ? { rotators: config.rotate.rotators } : {}),
    });
    const enabled = Object.keys(server.rotators);
    if (choice.rotators.length === 0 || choice.when === "never") {
      // Not an error (a dry run is legitimate), but --rotate promised something this run will not do.
      const why = choice.rotators.length === 0
        ? `no rotator is chosen (the server config enables ${enabled.length ? enabled.join(", ") : "none"} but has no defaults.rotate.rotators, and the repository config names none)`
        : `rotate.when is "never"`;
      io.stderr.write(`crisp-guard: warning: --rotate: nothing will be rotated: ${why}\n`);
    }
    // github-issue from the CLI uses a token the user gives (GITHUB_TOKEN), like gh does.
    const token = io.env.GITHUB_TOKEN;
    if (choice.rotators.includes("github-issue") && !token) {
      throw new CliError('rotator "github-issue" needs a GitHub token from the CLI: set GITHUB_TOKEN to a token that may open issues in the repository');
    }
    const octokitFor = token
      ? () => createGitHubClient({ token, baseUrl: io.env.GITHUB_API_URL, userAgent: `crisp-guard/${VERSION}` })
      : undefined;
    const rotators = createRotators(server, choice.rotators, { octokitFor });
    return { when: choice.when, run: (leak) => runRotators(rotators, leak) };
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
