// GitHub's rules for account (user or organization) and repository names. A push payload is data
// from the network: a name GitHub itself could not have given (`..`, `a/b`) must never reach an API
// path, where `.` and `..` survive Octokit's parameter encoding and the URL resolves them.
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
/** Why `name` cannot be a GitHub user or organization name, or null when it can. */
export function invalidOwnerName(name) {
    if (name === "")
        return "empty";
    if (name.length > MAX_OWNER_NAME_LENGTH)
        return `longer than ${MAX_OWNER_NAME_LENGTH} characters`;
    if (!OWNER_NAME.test(name))
        return "not letters, digits, '-' and '_'";
    return null;
}
/** Why `name` cannot be a GitHub repository name, or null when it can. */
export function invalidRepoName(name) {
    if (name === "")
        return "empty";
    if (name.length > MAX_REPO_NAME_LENGTH)
        return `longer than ${MAX_REPO_NAME_LENGTH} characters`;
    if (!REPO_NAME.test(name))
        return "not letters, digits, '.', '_' and '-'";
    if (name === "." || name === "..")
        return "a path segment ('.' or '..')";
    return null;
}
//# sourceMappingURL=github-names.js.map