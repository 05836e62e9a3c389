// `crisp-guard staged`: scans what is staged in the index, for a pre-commit hook.
import { resolve } from "node:path";
import { scanStaged, workTreeRoot } from "../sources/git/staged.js";
import { directorySource, loadBaseline, loadLocalRepoConfig } from "./config-files.js";
import { ignoreMatcher } from "./exclude.js";
import { CliError, type CliIO } from "./io.js";
import type { CommonOptions } from "./common-options.js";
import { finishScan } from "./scan-command.js";
import { buildPipelineOptions } from "./services.js";

export async function runStagedCommand(io: CliIO, opts: CommonOptions): Promise<number> {
  const started = performance.now();
  let root: string;
  try {
    root = await workTreeRoot(io.cwd);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { config } = await loadLocalRepoConfig(opts.config && resolve(io.cwd, opts.config), [directorySource(root)]);
  const baseline = opts.baseline ? await loadBaseline(resolve(io.cwd, opts.baseline)) : undefined;
  const pipeline = await buildPipelineOptions(io, opts, config);
  let result;
  try {
    result = await scanStaged(root, {
      maxFileSize: opts.maxFileSize,
      ignore: ignoreMatcher(config, opts.exclude),
      // A hook of `git commit -a` or `git commit PATH` sees a temporary index, relative to the work tree.
      ...(io.env.GIT_INDEX_FILE ? { indexFile: resolve(io.cwd, io.env.GIT_INDEX_FILE) } : {}),
    });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return finishScan(io, { source: "git", target: "staged", ...result }, started, config, { ...pipeline, baseline }, opts);
}
