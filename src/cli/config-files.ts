// Finding and reading the config files the CLI uses: the repository config (--config or the
// defaults) and the baseline report. Errors become one-line CliErrors.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, DEFAULT_REPO_CONFIG, parseRepoConfig, type RepoConfig } from "../config/repo-config.js";
import { baselineFingerprints } from "../report/json.js";
import { runGit } from "../sources/git/process.js";
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

/** Where a default config may be found: a directory on disk, or a repository's HEAD. */
export interface ConfigSource {
  /** The file's text, or null when it is not there. */
  read(relativePath: string): Promise<string | null>;
  /** How the file is named in messages. */
  describe(relativePath: string): string;
}

export function directorySource(dir: string): ConfigSource {
  return { read: (p) => readIfExists(join(dir, p)), describe: (p) => join(dir, p) };
}

/**
 * A bare clone has no work tree: its config is read from HEAD, so a repository's own allow list
 * and paths-ignore apply to it, and nothing from the directory the command runs in does.
 */
export function gitHeadSource(repoPath: string): ConfigSource {
  return {
    async read(p) {
      try {
        return await runGit(repoPath, ["show", `HEAD:${p}`]);
      } catch {
        return null; // no HEAD, or no such file at HEAD
      }
    },
    describe: (p) => `HEAD:${p}`,
  };
}

/**
 * The CLI's repository config: `--config FILE`, else the first default path in each source (a work
 * tree, HEAD of a bare repository). Unlike the app's loader (app/repo-config-loader.ts), a bad or
 * missing explicit file stops the command: the user asked for it.
 */
export async function loadLocalRepoConfig(explicit: string | undefined, sources: ConfigSource[]): Promise<{ config: RepoConfig; path: string | null }> {
  const candidates: Array<{ read: () => Promise<string | null>; name: string }> = explicit
    ? [{ read: () => readIfExists(explicit), name: explicit }]
    : sources.flatMap((source) => DEFAULT_CONFIG_PATHS.map((p) => ({ read: () => source.read(p), name: source.describe(p) })));
  for (const { read, name } of candidates) {
    const text = await read();
    if (text === null) {
      if (explicit) throw new CliError(`config file not found: ${explicit}`);
      continue;
    }
    try {
      return { config: parseRepoConfig(text), path: name };
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(`bad config ${name}: ${error.message}`);
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
