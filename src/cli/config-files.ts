// Finding and reading the config files the CLI uses: the repository config (--config or the
// defaults) and the baseline report. Errors become one-line CliErrors.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, DEFAULT_REPO_CONFIG, parseRepoConfig, type RepoConfig } from "../repo-config.js";
import { baselineFingerprints } from "../report/json.js";
import { CliError } from "./io.js";

/** DESIGN.md: --config FILE, else .github/crisp-guard.yml, else crisp-guard.yml. */
const DEFAULT_CONFIG_PATHS = [".github/crisp-guard.yml", "crisp-guard.yml"];

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

export async function loadRepoConfig(explicit: string | undefined, searchDirs: string[]): Promise<{ config: RepoConfig; path: string | null }> {
  const candidates = explicit ? [explicit] : searchDirs.flatMap((d) => DEFAULT_CONFIG_PATHS.map((p) => join(d, p)));
  for (const path of candidates) {
    const text = await readIfExists(path);
    if (text === null) {
      if (explicit) throw new CliError(`config file not found: ${explicit}`);
      continue;
    }
    try {
      return { config: parseRepoConfig(text), path };
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(`bad config ${path}: ${error.message}`);
      throw error;
    }
  }
  return { config: structuredClone(DEFAULT_REPO_CONFIG), path: null };
}

export async function loadBaseline(path: string): Promise<Set<string>> {
  const text = await readIfExists(path);
  if (text === null) throw new CliError(`baseline file not found: ${path}`);
  try {
    return baselineFingerprints(JSON.parse(text));
  } catch (error) {
    throw new CliError(`bad baseline ${path}: ${error instanceof SyntaxError ? "not JSON" : (error as Error).message}`);
  }
}
