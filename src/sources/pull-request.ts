// The pull request source: the commits a pull request would merge, read through the base
// repository's API. A fork's head commits are readable there (GitHub keeps them under the pull
// request's refs), so a fork needs no access of its own. Compare base...head starts at the merge
// base: what the base branch gained since the branch was cut is not the pull request's.
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import { compareCommits, type ScanGap } from "./push.js";

export interface PullRequestRange {
  baseSha: string;
  headSha: string;
}

export type PullRequestCommits = { shas: string[]; gap: null } | { shas: []; gap: ScanGap };

/** Statuses that mean "GitHub cannot compare these" (a head gone, unrelated histories), not a failure to retry. */
function cannotCompare(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return status === 404 || status === 409 || status === 422 ? status : null;
}

/**
 * The commits of base...head, oldest first (paginated past compare's 250). When GitHub cannot compare
 * them, a gap says so: the gate must fail rather than pass a pull request it could not list.
 * Other GitHub errors throw (the job fails and can be redelivered).
 */
export async function listPullRequestCommits(gh: GitHubClient, repo: RepoRef, range: PullRequestRange): Promise<PullRequestCommits> {
  try {
    return { shas: await compareCommits(gh, repo, range.baseSha, range.headSha), gap: null };
  } catch (error) {
    const status = cannotCompare(error);
    if (status === null) throw error;
    return {
      shas: [],
      gap: { reason: `the commits of ${range.baseSha.slice(0, 12)}...${range.headSha.slice(0, 12)} could not be listed (GitHub answered ${status})` },
    };
  }
}
