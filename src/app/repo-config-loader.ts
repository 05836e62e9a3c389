// Reads a repository's .github/crisp-guard.yml the way Probot's context.config does (the config
// plugin: the repository's file, else the organization's `.github` repository, `_extends` honoured),
// and validates it. A bad or unreadable config never stops a scan: the defaults apply and the
// error is returned, to be explained in the check run.
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import { ConfigError, DEFAULT_REPO_CONFIG, normalizeRepoConfig, type RepoConfig } from "../config/repo-config.js";

/** DESIGN.md: where the repository config lives (and, through the plugin, in the org's .github repo). */
export const REPO_CONFIG_PATH = ".github/crisp-guard.yml";


export interface LoadedRepoConfig {
  config: RepoConfig;
  /** Why the repository's config could not be used (the scan then runs with the defaults); null when fine. */
  error: string | null;
}

const PLUGIN_PREFIX = /^\[@probot\/octokit-plugin-config\]\s*/;

function describeReadError(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number") return `${REPO_CONFIG_PATH} could not be read (GitHub answered ${status})`;
  // The plugin's own messages name the file and the problem ("invalid YAML"); the underlying
  // parser error, which could quote a line of the file, is in `cause` and is not shown.
  const message = error instanceof Error ? error.message.replace(PLUGIN_PREFIX, "") : String(error);
  return message.split("\n")[0] ?? "the configuration could not be read";
}

export async function loadRepoConfig(
  octokit: GitHubClient,
  repo: RepoRef,
): Promise<LoadedRepoConfig> {
  let raw: unknown;
  try {
    const result = await octokit.config.get({ owner: repo.owner, repo: repo.repo, path: REPO_CONFIG_PATH });
    raw = result.config;
  } catch (error) {
    return { config: structuredClone(DEFAULT_REPO_CONFIG), error: describeReadError(error) };
  }
  // The plugin merges files into an object; an absent file gives {} (no keys): the defaults.
  try {
    return { config: normalizeRepoConfig(raw), error: null };
  } catch (error) {
    if (error instanceof ConfigError) {
      return { config: structuredClone(DEFAULT_REPO_CONFIG), error: `${REPO_CONFIG_PATH}: ${error.message}` };
    }
    throw error;
  }
}
