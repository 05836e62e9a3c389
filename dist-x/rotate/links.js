export const DEFAULT_GITHUB_URL = "https://github.com";
export function githubWebBase(options) {
    return (options.githubUrl ?? DEFAULT_GITHUB_URL).replace(/\/+$/, "");
}
export function repositoryUrl(repo, options) {
    return `${githubWebBase(options)}/${repo.owner}/${repo.repo}`;
}
/** The file at its commit and line, and the commit itself; null without a repository or commit. */
export function occurrenceLinks(repo, occurrence, options) {
    if (!repo || !occurrence.commit)
        return null;
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
//# sourceMappingURL=links.js.map