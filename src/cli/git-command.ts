// `crisp-guard git [REPO|URL]`: a local repository, or a URL cloned into a temporary directory.
import { resolve } from "node:path";
import {
  assertRepository,
  cloneRepository,
  looksLikeUrl,
  redactUrl,
  repositoryAround,
  type HistoryProgress,
} from "../sources/git/history.js";
import { scanHistoryInThread } from "../sources/git/history-thread.js";
import type { SourceResult } from "../sources/types.js";
import { directorySource, gitHeadSource, loadBaseline, loadLocalRepoConfig } from "./config-files.js";
import { ignoreMatcher } from "./exclude.js";
import { catchInterrupts, INTERRUPT_EXIT, type InterruptScope } from "./interrupt.js";
import { CliError, type CliIO } from "./io.js";
import type { CommonOptions } from "./common-options.js";
import { createProgress, type Progress } from "./progress.js";
import { finishScan } from "./scan-command.js";
import { buildPipelineOptions } from "./services.js";

export interface GitCommandOptions extends CommonOptions {
  since?: string;
  /** --branch, repeatable. */
  branch?: string | string[];
  keepClone?: string;
}

/** Missing object ids named on stderr; the report lists them all. */
const MISSING_IDS_ON_STDERR = 3;

export async function runGitCommand(io: CliIO, target: string, opts: GitCommandOptions): Promise<number> {
  const interrupts = catchInterrupts();
  const progress = createProgress(io.stderr as NodeJS.WriteStream);
  try {
    const code = await scanGit(io, target, opts, interrupts, progress);
    // A signal during verification or the report: the work finished, the user still asked to stop.
    return interrupts.received !== null ? INTERRUPT_EXIT[interrupts.received] : code;
  } catch (error) {
    if (interrupts.received !== null) {
      progress.done();
      io.stderr.write(`crisp-guard: interrupted (${interrupts.received}); nothing reported\n`);
      return INTERRUPT_EXIT[interrupts.received];
    }
    throw error;
  } finally {
    progress.done();
    interrupts.dispose();
  }
}

async function scanGit(io: CliIO, target: string, opts: GitCommandOptions, interrupts: InterruptScope, progress: Progress): Promise<number> {
  const started = performance.now();
  const { signal } = interrupts;
  let repoPath: string;
  let cleanup = async () => {};
  if (looksLikeUrl(target)) {
    progress.status(`cloning ${redactUrl(target)}…`);
    try {
      const clone = await cloneRepository(target, {
        keepDir: opts.keepClone && resolve(io.cwd, opts.keepClone),
        signal,
        ...(progress.active
          ? { onProgress: (stage: string, percent: number) => progress.status(`cloning: ${stage} ${percent}%`) }
          : {}),
      });
      repoPath = clone.path;
      cleanup = clone.cleanup;
    } catch (error) {
      if (signal.aborted) throw error;
      const message = (error as Error).message;
      throw new CliError(message.startsWith("cannot clone") ? message : `cannot clone ${redactUrl(target)}: ${message}`);
    }
  } else {
    // From a subdirectory of a work tree, the repository around it.
    repoPath = await repositoryAround(resolve(io.cwd, target));
    try {
      await assertRepository(repoPath);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  }

  try {
    progress.status("listing the history…");
    // The work tree's config (a local checkout), else the one committed at HEAD (a bare clone).
    const { config } = await loadLocalRepoConfig(opts.config && resolve(io.cwd, opts.config), [
      directorySource(repoPath),
      gitHeadSource(repoPath),
    ]);
    const baseline = opts.baseline ? await loadBaseline(resolve(io.cwd, opts.baseline)) : undefined;
    const pipeline = await buildPipelineOptions(io, opts, config);
    const ignored = ignoreMatcher(config, opts.exclude);
    let result: SourceResult;
    try {
      result = await scanHistoryInThread(repoPath, {
        since: opts.since,
        branch: opts.branch,
        maxFileSize: opts.maxFileSize,
        signal,
        ...(progress.active ? { onProgress: (p: HistoryProgress) => drawHistory(progress, p) } : {}),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new CliError((error as Error).message);
    } finally {
      progress.done();
    }
    if (result.shallow) {
      io.stderr.write(
        "crisp-guard: the repository is a shallow clone: each boundary commit stands for all the history before it, " +
          "so a secret found there may have been introduced earlier (clone with full history, e.g. fetch-depth: 0, to attribute it)\n",
      );
    }
    const missing = result.missingObjects ?? [];
    if (missing.length > 0) {
      const ids = missing.slice(0, MISSING_IDS_ON_STDERR).map((m) => m.id).join(", ");
      io.stderr.write(
        `crisp-guard: incomplete scan: ${missing.length} object${missing.length === 1 ? "" : "s"} the history reaches ` +
          `could not be read and ${missing.length === 1 ? "was" : "were"} not scanned (${ids}${missing.length > MISSING_IDS_ON_STDERR ? ", …" : ""}); ` +
          "a partial clone or a damaged repository: nothing was fetched\n",
      );
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

function drawHistory(progress: Progress, p: HistoryProgress): void {
  if (p.phase === "attributing") {
    progress.status("finding the commits that introduced what was found…");
    return;
  }
  progress.update({
    label: p.phase === "listing" ? `listing (${p.blobsListed} blobs so far)` : "reading",
    done: p.blobsDone,
    ...(p.blobsTotal > 0 ? { total: p.blobsTotal } : {}),
    bytesDone: p.bytesDone,
    unit: "blobs",
  });
}
