// Pure: whether a push is scanned through the REST API (commit by commit, today's path) or from a
// git fetch of its range with the history engine, and which range that is. A few commits cost a
// few requests; a big push (a repository's first push with its imported history, a merge of
// hundreds of commits) would cost one request or more per commit.
import type { PushInfo } from "./push.js";
import { NULL_SHA, PUSH_PAYLOAD_MAX_COMMITS } from "./push.js";

/**
 * More commits than this go to git. GitHub's compare lists 250 commits unpaged: up to there the
 * REST path costs one compare and one `GET /commits/{sha}` per commit, a cost a few hundred requests
 * bound. Past it every commit costs at least one more request (compare pages, its own
 * `GET /commits`, its blob reads), where a git fetch costs one request to GitHub's API (the token)
 * plus the fetch itself, whatever the number of commits.
 */
export const REST_MAX_PUSH_COMMITS = 250;

/** The parts of a stored push the decision reads (PushJobPayload has them all), commit ids as stored. */
export type PushShape = Omit<PushInfo, "commits"> & {
  /** The payload's commit ids (GitHub lists at most PUSH_PAYLOAD_MAX_COMMITS). */
  commits: readonly string[];
};

/** What the git path leaves out of the fetched history: what the repository already had. */
export type GitExclude =
  /** The old head (an ordinary or forced push): its history is not new. */
  | { kind: "commit"; sha: string }
  /** A created branch or tag: what the default branch holds is not new. */
  | { kind: "branch"; name: string }
  /** The repository's first push (its default branch created): all of it is new. */
  | { kind: "none" };

export type PushRoute =
  | { route: "rest"; reason: string }
  | { route: "git"; reason: string; head: string; exclude: GitExclude };

export function choosePushRoute(push: PushShape): PushRoute {
  if (push.deleted || push.after === NULL_SHA) return { route: "rest", reason: "the ref was deleted: nothing to scan" };
  const count = push.commits.length;
  // At the cap the payload's count says nothing of the push's true size.
  const capped = count >= PUSH_PAYLOAD_MAX_COMMITS;
  if (!capped && count <= REST_MAX_PUSH_COMMITS) {
    return { route: "rest", reason: `${count} commit(s), at most ${REST_MAX_PUSH_COMMITS}` };
  }
  const size = capped ? `the payload lists ${count} commits, GitHub's cap` : `${count} commits, more than ${REST_MAX_PUSH_COMMITS}`;
  const exclude = excluded(push);
  if (exclude === null) return { route: "rest", reason: `${size}, but no default branch to compare with` };
  return { route: "git", reason: size, head: push.after, exclude };
}

/** What the repository had before the push, as the REST path's compare base; null when unknown. */
function excluded(push: PushShape): GitExclude | null {
  if (!push.created && push.before !== NULL_SHA) return { kind: "commit", sha: push.before };
  if (!push.defaultBranch) return null;
  if (push.ref === `refs/heads/${push.defaultBranch}`) return { kind: "none" };
  return { kind: "branch", name: push.defaultBranch };
}
