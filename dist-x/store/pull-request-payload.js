import { num, obj, str } from "./json-fields.js";
export function pickPullRequestPayload(payload) {
    const p = obj(payload);
    const repository = obj(p.repository);
    const owner = obj(repository.owner);
    const pr = obj(p.pull_request);
    const base = obj(pr.base);
    const head = obj(pr.head);
    const headRepo = head.repo === null ? null : obj(head.repo);
    const baseRepoId = num(repository.id);
    const headRepoId = headRepo ? num(headRepo.id) : null;
    return {
        action: str(p.action) ?? "",
        number: num(p.number) ?? num(pr.number) ?? 0,
        baseSha: str(base.sha) ?? "",
        headSha: str(head.sha) ?? "",
        // The head repository was deleted (null) or is another repository: a fork.
        fork: headRepo === null || (headRepoId !== null && baseRepoId !== null ? headRepoId !== baseRepoId : headRepo.fork === true),
        author: str(obj(pr.user).login),
        owner: str(owner.login) ?? str(owner.name) ?? "",
        repo: str(repository.name) ?? "",
        installationId: num(obj(p.installation).id),
    };
}
//# sourceMappingURL=pull-request-payload.js.map