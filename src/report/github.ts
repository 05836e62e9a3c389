// I/O for the GitHub reporter: commit comments and the check run. Takes an Octokit client and plain
// data (never a Probot Context), so the app's worker and any other caller run the same code.
import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repository.js";
import type { Finding, Occurrence } from "../detect/types.js";
import { lookupPosition, type DiffPositions } from "./github-diff.js";
import {
  CHECK_RUN_NAME,
  commitCommentBody,
  markerFingerprint,
  type CheckAnnotation,
  type CheckRunOutput,
  type LeakUpdate,
} from "./github-text.js";

/** GitHub Checks API: "limits the number of annotations to a maximum of 50 per API request" (REST docs, checks). */
export const ANNOTATIONS_PER_REQUEST = 50;

// ---------------------------------------------------------------------------------------------
// Commit comments

export interface PostedComment {
  fingerprint: string;
  commit: string;
  commentId: number;
  url: string;
  /** Where the comment sits; null for a commit-level comment. */
  path: string | null;
  position: number | null;
}

export interface FailedComment {
  fingerprint: string;
  commit: string;
  status: number | null;
  message: string;
}

export interface CommitCommentsResult {
  /** Created now: one per (fingerprint, commit). */
  posted: PostedComment[];
  /** Already on the commit (found by the hidden marker) when `skipExisting` is set: not posted again. */
  existing: PostedComment[];
  failed: FailedComment[];
}

export interface PostCommitCommentsOptions {
  /**
   * List each commit's comments first and skip a secret that already has one (by its hidden
   * marker). Costs one request per commit; for resuming a job whose store lost track.
   */
  skipExisting?: boolean;
  /** Lifecycle news to show in the bodies (normally absent on the first report). */
  updates?: ReadonlyMap<string, LeakUpdate>;
}

/** Where to put a secret's comment on a commit: its first occurrence with a known diff position. */
export interface CommentTarget {
  finding: Finding;
  commit: string;
  occurrences: Occurrence[];
  path: string | null;
  position: number | null;
}

function byPlace(a: Occurrence, b: Occurrence): number {
  return a.path === b.path ? a.line - b.line || a.column - b.column : a.path < b.path ? -1 : 1;
}

/** Pure: one target per (secret, commit), however many lines of that commit hold the secret. */
export function commentTargets(findings: readonly Finding[], positions: DiffPositions): CommentTarget[] {
  const targets: CommentTarget[] = [];
  for (const finding of findings) {
    const byCommit = new Map<string, Occurrence[]>();
    for (const o of finding.occurrences) {
      if (!o.commit) continue; // a file on disk has no commit to comment on
      const list = byCommit.get(o.commit) ?? [];
      list.push(o);
      byCommit.set(o.commit, list);
    }
    for (const [commit, occurrences] of byCommit) {
      occurrences.sort(byPlace);
      let path: string | null = null;
      let position: number | null = null;
      for (const o of occurrences) {
        const p = lookupPosition(positions, commit, o.path, o.line);
        if (p !== null) {
          path = o.path;
          position = p;
          break;
        }
      }
      targets.push({ finding, commit, occurrences, path, position });
    }
  }
  return targets;
}

function errorStatus(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Comments Crisp Guard already left on a commit, by fingerprint (from the hidden marker). */
export async function findCommitComments(
  octokit: GitHubClient,
  { owner, repo }: RepoRef,
  commit: string,
): Promise<Map<string, { commentId: number; url: string; path: string | null; position: number | null }>> {
  const comments = await octokit.paginate(octokit.rest.repos.listCommentsForCommit, {
    owner,
    repo,
    commit_sha: commit,
    per_page: 100,
  });
  const found = new Map<string, { commentId: number; url: string; path: string | null; position: number | null }>();
  for (const c of comments) {
    const fp = markerFingerprint(c.body);
    if (fp && !found.has(fp)) {
      found.set(fp, { commentId: c.id, url: c.html_url, path: c.path ?? null, position: c.position ?? null });
    }
  }
  return found;
}

/**
 * One comment per (secret, commit): at path + diff position when known, else on the commit.
 * Sequential on purpose: GitHub asks integrations to create content serially (secondary rate limits).
 * A comment that fails does not stop the others; it is returned in `failed`.
 */
export async function postCommitComments(
  octokit: GitHubClient,
  repoRef: RepoRef,
  findings: readonly Finding[],
  positions: DiffPositions,
  options: PostCommitCommentsOptions = {},
): Promise<CommitCommentsResult> {
  const { owner, repo } = repoRef;
  const result: CommitCommentsResult = { posted: [], existing: [], failed: [] };
  const existingByCommit = new Map<string, Awaited<ReturnType<typeof findCommitComments>>>();

  for (const target of commentTargets(findings, positions)) {
    const { finding, commit } = target;
    const fingerprint = finding.fingerprint;
    try {
      if (options.skipExisting) {
        let existing = existingByCommit.get(commit);
        if (!existing) {
          existing = await findCommitComments(octokit, repoRef, commit);
          existingByCommit.set(commit, existing);
        }
        const found = existing.get(fingerprint);
        if (found) {
          result.existing.push({ fingerprint, commit, ...found });
          continue;
        }
      }
      const body = commitCommentBody({
        finding,
        commit,
        occurrences: target.occurrences,
        update: options.updates?.get(fingerprint),
      });
      let path = target.path;
      let position = target.position;
      let created;
      try {
        created = await octokit.rest.repos.createCommitComment({
          owner,
          repo,
          commit_sha: commit,
          body,
          ...(path !== null && position !== null ? { path, position } : {}),
        });
      } catch (error) {
        // 422: GitHub refused the position (the diff it sees differs from ours): fall back to the commit.
        if (errorStatus(error) !== 422 || position === null) throw error;
        path = null;
        position = null;
        created = await octokit.rest.repos.createCommitComment({ owner, repo, commit_sha: commit, body });
      }
      result.posted.push({
        fingerprint,
        commit,
        commentId: created.data.id,
        url: created.data.html_url,
        path,
        position,
      });
    } catch (error) {
      result.failed.push({ fingerprint, commit, status: errorStatus(error), message: errorMessage(error) });
    }
  }
  return result;
}

/** Rewrites a comment made by postCommitComments (after a re-check: "rotated", "still live after 24 h"). */
export async function updateCommitComment(
  octokit: GitHubClient,
  { owner, repo }: RepoRef,
  commentId: number,
  body: string,
): Promise<{ commentId: number; url: string }> {
  const { data } = await octokit.rest.repos.updateCommitComment({ owner, repo, comment_id: commentId, body });
  return { commentId: data.id, url: data.html_url };
}

// ---------------------------------------------------------------------------------------------
// Check run

/** Pure: annotations cut into GitHub's per-request batches. Always at least one batch (maybe empty). */
export function annotationBatches(annotations: readonly CheckAnnotation[]): CheckAnnotation[][] {
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  return batches.length > 0 ? batches : [[]];
}

export interface CheckRunRef {
  checkRunId: number;
  url: string;
  /** How many requests it took (1 + one per further batch of annotations). */
  requests: number;
}

export interface CreateCheckRunOptions {
  detailsUrl?: string;
  /** Our own id for the run (e.g. the delivery id), stored by GitHub with it. */
  externalId?: string;
  /** Default "Crisp Guard". */
  name?: string;
}

/** Sends annotation batches after the first with successive checks.update calls (GitHub appends them). */
async function sendRemainingBatches(
  octokit: GitHubClient,
  { owner, repo }: RepoRef,
  checkRunId: number,
  output: CheckRunOutput,
  batches: CheckAnnotation[][],
): Promise<number> {
  let requests = 0;
  for (const annotations of batches) {
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: checkRunId,
      output: { title: output.title, summary: output.summary, annotations },
    });
    requests += 1;
  }
  return requests;
}

/**
 * Creates an in-progress "Crisp Guard" run, so the commit shows the scan is under way; finish it
 * with updateCheckRun. For a job that may take a while (a large push).
 */
export async function startCheckRun(
  octokit: GitHubClient,
  repoRef: RepoRef,
  headSha: string,
  options: CreateCheckRunOptions = {},
): Promise<CheckRunRef> {
  const { data } = await octokit.rest.checks.create({
    owner: repoRef.owner,
    repo: repoRef.repo,
    name: options.name ?? CHECK_RUN_NAME,
    head_sha: headSha,
    status: "in_progress",
    ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
    ...(options.externalId ? { external_id: options.externalId } : {}),
    output: { title: "Scanning for Crisp token keypairs", summary: "The pushed commits are being scanned." },
  });
  return { checkRunId: data.id, url: data.html_url ?? "", requests: 1 };
}

/** Creates the completed "Crisp Guard" check run on `headSha`, annotations 50 per request. */
export async function createCheckRun(
  octokit: GitHubClient,
  repoRef: RepoRef,
  headSha: string,
  output: CheckRunOutput,
  options: CreateCheckRunOptions = {},
): Promise<CheckRunRef> {
  const [first = [], ...rest] = annotationBatches(output.annotations);
  const { data } = await octokit.rest.checks.create({
    owner: repoRef.owner,
    repo: repoRef.repo,
    name: options.name ?? CHECK_RUN_NAME,
    head_sha: headSha,
    status: "completed",
    conclusion: output.conclusion,
    ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
    ...(options.externalId ? { external_id: options.externalId } : {}),
    output: {
      title: output.title,
      summary: output.summary,
      ...(first.length > 0 ? { annotations: first } : {}),
    },
  });
  const more = await sendRemainingBatches(octokit, repoRef, data.id, output, rest);
  return { checkRunId: data.id, url: data.html_url ?? "", requests: 1 + more };
}

/**
 * Rewrites a check run's conclusion, title and summary (after a re-check). GitHub appends
 * annotations rather than replacing them, so pass output built with `annotate: false` unless new
 * places are to be added.
 */
export async function updateCheckRun(
  octokit: GitHubClient,
  repoRef: RepoRef,
  checkRunId: number,
  output: CheckRunOutput,
): Promise<CheckRunRef> {
  const [first = [], ...rest] = annotationBatches(output.annotations);
  const { data } = await octokit.rest.checks.update({
    owner: repoRef.owner,
    repo: repoRef.repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: output.conclusion,
    output: {
      title: output.title,
      summary: output.summary,
      ...(first.length > 0 ? { annotations: first } : {}),
    },
  });
  const more = await sendRemainingBatches(octokit, repoRef, checkRunId, output, rest);
  return { checkRunId: data.id, url: data.html_url ?? "", requests: 1 + more };
}
