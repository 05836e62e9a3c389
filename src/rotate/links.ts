import type { Occurrence } from "../detect/types.js";
import type { RepoRef } from "../github/repository.js";

// Links to where a secret sits on GitHub, for the issue body and the event JSON.

export interface GithubLinks {
  /** The GitHub web address; GitHub Enterprise Server sets its own host. Default https://github.com. */
  githubUrl?: string;
}

export const DEFAULT_GITHUB_URL = "https://github.com";

export function githubWebBase(options: GithubLinks): string {
  return (options.githubUrl ?? DEFAULT_GITHUB_URL).replace(/\/+$/, "");
}

export function repositoryUrl(repo: RepoRef, options: GithubLinks): string {
  return `${githubWebBase(options)}/${repo.owner}/${repo.repo}`;
}

/** The file at its commit and line, and the commit itself; null without a repository or commit. */
export function occurrenceLinks(
  repo: RepoRef | null,
  occurrence: Occurrence,
  options: GithubLinks,
): { url: string; commitUrl: string } | null {
  if (!repo || !occurrence.commit) return null;
  const base = repositoryUrl(repo, options);
  // Parentheses too: the link goes inside Markdown.
  const path = occurrence.path
    .split("/")
    .map((part) => encodeURIComponent(part).replace(/\(/g, "%28").replace(/\)/g, "%29"))
    .join("/");
  return {
    url: `${base}/blob/${occurrence.commit}/${path}#L${occurrence.line}`,
    commitUrl: `${base}/commit/${occurrence.commit}`,
  };
}
