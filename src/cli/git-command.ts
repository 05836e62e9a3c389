// `crisp-guard git [REPO|URL]`: a local repository, or a URL cloned into a temporary directory.
import { resolve } from "node:path";
import { assertRepository, cloneRepository, looksLikeUrl, redactUrl, scanHistory, type HistoryProgress } from "../sources/history.js";
import { directorySource, gitHeadSource, loadBaseline, loadRepoConfig } from "./config-files.js";
import { ignoreMatcher } from "./exclude.js";
import { CliError, type CliIO } from "./io.js";
import type { CommonOptions } from "./program.js";
import { createProgress } from "./progress.js";
import { finishScan } from "./scan-command.js";
import { buildPipelineOptions } from "./services.js";

export interface GitCommandOptions extends CommonOptions {
  since?: string;
  /** --branch, repeatable. */
  branch?: string | string[];
  keepClone?: string;
}

export async function runGitCommand(io: CliIO, target: string, opts: GitCommandOptions): Promise<number> {
  const started = performance.now();
  let repoPath: string;
  let cleanup = async () => {};
  if (looksLikeUrl(target)) {
    try {
      const clone = await cloneRepository(target, { keepDir: opts.keepClone && resolve(io.cwd, opts.keepClone) });
      repoPath = clone.path;
      cleanup = clone.cleanup;
    } catch (error) {
      const message = (error as Error).message;
      throw new CliError(message.startsWith("cannot clone") ? message : `cannot clone ${redactUrl(target)}: ${message}`);
    }
  } else {
    repoPath = resolve(io.cwd, target);
    try {
      await assertRepository(repoPath);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  }

  try {
    // The work tree's config (a local checkout), else the one committed at HEAD (a bare clone).
    const { config } = await loadRepoConfig(opts.config && resolve(io.cwd, opts.config), [
      directorySource(repoPath),
      gitHeadSource(repoPath),
    ]);
    const baseline = opts.baseline ? await loadBaseline(resolve(io.cwd, opts.baseline)) : undefined;
    const pipeline = await buildPipelineOptions(io, opts, config);
    const ignored = ignoreMatcher(config, opts.exclude);
    const progress = createProgress(io.stderr as NodeJS.WriteStream);
    let result;
    try {
      result = await scanHistory(repoPath, {
        since: opts.since,
        branch: opts.branch,
        maxFileSize: opts.maxFileSize,
        // Totals cost an extra pass over object headers: only worth it when a bar is drawn.
        ...(progress.active
          ? {
              onProgress: (p: HistoryProgress) =>
                progress.update({ done: p.blobsDone, total: p.blobsTotal, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, unit: "blobs" }),
            }
          : {}),
      });
    } catch (error) {
      throw new CliError((error as Error).message);
    } finally {
      progress.done();
    }
    const candidates = result.candidates.filter((c) => !ignored(c.occurrence.path));
    return await finishScan(
      io,
      { source: "git", target: redactUrl(target), ...result, candidates },
      started,
      config,
      { ...pipeline, baseline },
      opts,
    );
  } finally {
    await cleanup();
  }
}
