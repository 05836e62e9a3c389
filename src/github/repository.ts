// A GitHub repository reference, its "owner/repo" form, and GitHub's rules for the two names. A
// push payload or a config is data from outside: a name GitHub itself could not have given (`..`,
// `a/b`) must never reach an API path, where `.` and `..` survive Octokit's parameter encoding and
// the URL resolves them.

/** A repository, as every GitHub call and every stored row names it. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * GitHub.com caps new logins at 39 characters, but Enterprise Managed Users get `_<shortcode>`
 * appended and older accounts predate today's rules: refusing a real owner would skip its pushes
 * unscanned, so the bound is the repository name's.
 */
export const MAX_OWNER_NAME_LENGTH = 100;
/** GitHub: a repository name is at most 100 characters. */
export const MAX_REPO_NAME_LENGTH = 100;

/**
 * Alphanumerics, '-' and '_' (Enterprise Managed Users' `login_shortcode`; legacy logins with `--`
 * or a trailing hyphen). No '.', so no path segment, and no '/'.
 */
const OWNER_NAME = /^[A-Za-z0-9_-]+$/;
/** Letters, digits, '.', '_' and '-'. */
const REPO_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * A login someone can be assigned or mentioned by, as GitHub.com gives them today: alphanumerics
 * and single hyphens, at most 39 characters. Stricter than an owner in a payload (invalidOwnerName).
 */
export const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** Why `name` cannot be a GitHub user or organization name, or null when it can. */
export function invalidOwnerName(name: string): string | null {
  if (name === "") return "empty";
  if (name.length > MAX_OWNER_NAME_LENGTH) return `longer than ${MAX_OWNER_NAME_LENGTH} characters`;
  if (!OWNER_NAME.test(name)) return "not letters, digits, '-' and '_'";
  return null;
}

/** Why `name` cannot be a GitHub repository name, or null when it can. */
export function invalidRepoName(name: string): string | null {
  if (name === "") return "empty";
  if (name.length > MAX_REPO_NAME_LENGTH) return `longer than ${MAX_REPO_NAME_LENGTH} characters`;
  if (!REPO_NAME.test(name)) return "not letters, digits, '.', '_' and '-'";
  if (name === "." || name === "..") return "a path segment ('.' or '..')";
  return null;
}

/** Why `ref` cannot name a GitHub repository, or null when it can. */
export function invalidRepoRef(ref: RepoRef): string | null {
  if (ref.owner === "" || ref.repo === "") return "no repository owner/name";
  const owner = invalidOwnerName(ref.owner);
  if (owner) return `repository owner is not a GitHub account name (${owner})`;
  const repo = invalidRepoName(ref.repo);
  return repo ? `repository name is not a GitHub repository name (${repo})` : null;
}

/** "owner/repo" → its reference; null for anything else (no slash, more than one, a bad name). */
export function parseRepository(fullName: string): RepoRef | null {
  const parts = fullName.split("/");
  if (parts.length !== 2) return null;
  const ref = { owner: parts[0]!, repo: parts[1]! };
  return invalidRepoRef(ref) ? null : ref;
}

/**
 * Only the reference of something that names a repository (a stored push, a pull request): what
 * goes to the pipeline and the rotators carries the two names and nothing else of the payload.
 */
export function repoRefOf(named: RepoRef): RepoRef {
  return { owner: named.owner, repo: named.repo };
}

/** The "owner/repo" form the store and the logs use. */
export function repositoryName(ref: RepoRef): string {
  return `${ref.owner}/${ref.repo}`;
}
