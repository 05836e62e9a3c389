// Reduces a pull_request webhook payload to what the merge-gate job needs. The title, body, labels,
// branch names and the rest are dropped: not needed, and any text there could quote a key.
import * as v from "valibot";
import type { PullRequestJobPayload } from "./types.js";
import { count, flag, read, record, text } from "./json-fields.js";

const HeadRepoSchema = v.object({ id: count, fork: flag });

const PullRequestWebhookSchema = record({
  action: text,
  number: count,
  pull_request: record({
    number: count,
    user: record({ login: text }),
    base: record({ sha: text }),
    head: record({
      sha: text,
      // null: the head repository was deleted. Anything else not an object reads as one without fields.
      repo: v.fallback(v.nullable(HeadRepoSchema), () => v.parse(HeadRepoSchema, {})),
    }),
  }),
  repository: record({ id: count, name: text, owner: record({ login: text, name: text }) }),
  installation: record({ id: count }),
});
export type PullRequestWebhook = v.InferOutput<typeof PullRequestWebhookSchema>;

export function pickPullRequestPayload(payload: unknown): PullRequestJobPayload {
  const p = read(PullRequestWebhookSchema, payload);
  const { repository, pull_request: pr } = p;
  const headRepo = pr.head.repo;
  const baseRepoId = repository.id;
  return {
    action: p.action ?? "",
    number: p.number ?? pr.number ?? 0,
    baseSha: pr.base.sha ?? "",
    headSha: pr.head.sha ?? "",
    // The head repository was deleted (null) or is another repository: a fork.
    fork: headRepo === null || (headRepo.id !== null && baseRepoId !== null ? headRepo.id !== baseRepoId : headRepo.fork),
    author: pr.user.login,
    owner: repository.owner.login ?? repository.owner.name ?? "",
    repo: repository.name ?? "",
    installationId: p.installation.id,
  };
}
