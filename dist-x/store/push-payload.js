import { num, obj, str } from "./json-fields.js";
/** GitHub's documented cap on the commits a push payload lists. */
export const MAX_PAYLOAD_COMMITS = 2048;
export function pickPushPayload(payload) {
    const p = obj(payload);
    const repository = obj(p.repository);
    const owner = obj(repository.owner);
    const commits = Array.isArray(p.commits) ? p.commits : [];
    return {
        ref: str(p.ref) ?? "",
        before: str(p.before) ?? "",
        after: str(p.after) ?? "",
        created: p.created === true,
        deleted: p.deleted === true,
        forced: p.forced === true,
        commits: commits
            .map((c) => str(obj(c).id))
            .filter((id) => id !== null)
            .slice(0, MAX_PAYLOAD_COMMITS),
        pusher: str(obj(p.pusher).name),
        // master_branch is the older name some payloads still carry.
        defaultBranch: str(repository.default_branch) ?? str(repository.master_branch),
        baseRef: str(p.base_ref),
        owner: str(owner.login) ?? str(owner.name) ?? "",
        repo: str(repository.name) ?? "",
        installationId: num(obj(p.installation).id),
    };
}
//# sourceMappingURL=push-payload.js.map