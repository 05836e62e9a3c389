// The push's check run, created once across crashes. Its external_id (the delivery id) is the key:
// a job resumed after the process died while `POST /check-runs` was in flight lists the runs on the
// head first, and finishes the one it finds instead of creating a second "Crisp Guard" run.
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import { createCheckRun, updateCheckRun, type CheckRunRef } from "./github.js";
import { CHECK_RUN_NAME, type CheckRunOutput } from "./github-text.js";

export interface FoundCheckRun {
  checkRunId: number;
  url: string;
  /** Annotations GitHub already holds for it (an earlier run of the job sent them). */
  annotations: number;
}

/** The "Crisp Guard" run on `headSha` with this external_id, if GitHub has one. */
export async function findCheckRun(
  octokit: GitHubClient,
  { owner, repo }: RepoRef,
  headSha: string,
  externalId: string,
  name: string = CHECK_RUN_NAME,
): Promise<FoundCheckRun | null> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: headSha,
    check_name: name,
    // "latest" (GitHub's default) would hide an older run with our id behind a newer one.
    filter: "all",
    per_page: 100,
  });
  const run = runs.find((r) => r.external_id === externalId);
  if (!run) return null;
  return { checkRunId: run.id, url: run.html_url ?? "", annotations: run.output?.annotations_count ?? 0 };
}

export interface CheckRunOnceOptions {
  externalId: string;
  /** An earlier run of this job may have created it: look before creating. */
  resumed: boolean;
  detailsUrl?: string;
  /** The run's name; default "Crisp Guard" (a backfill's is "Crisp Guard: history"). */
  name?: string;
}

/**
 * Creates the completed run, or, when resumed and GitHub already has one with this external_id,
 * finishes that one: conclusion and summary rewritten, only the annotations it lacks sent (GitHub
 * appends annotations; the scan is the same, so they come in the same order).
 */
export async function reportCheckRunOnce(
  octokit: GitHubClient,
  repoRef: RepoRef,
  headSha: string,
  output: CheckRunOutput,
  options: CheckRunOnceOptions,
): Promise<CheckRunRef & { reused: boolean }> {
  const found = options.resumed ? await findCheckRun(octokit, repoRef, headSha, options.externalId, options.name) : null;
  if (found) {
    const rest = { ...output, annotations: output.annotations.slice(found.annotations) };
    return { ...(await updateCheckRun(octokit, repoRef, found.checkRunId, rest)), reused: true };
  }
  const created = await createCheckRun(octokit, repoRef, headSha, output, {
    externalId: options.externalId,
    ...(options.name ? { name: options.name } : {}),
    ...(options.detailsUrl ? { detailsUrl: options.detailsUrl } : {}),
  });
  return { ...created, reused: false };
}
