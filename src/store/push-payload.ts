// Reduces a push webhook payload to what the job needs. Commit messages, file lists, author emails
// and the rest are dropped: they are not needed, and a commit message could quote a key.
import * as v from "valibot";
import type { PushJobPayload } from "./types.js";
import { count, flag, list, read, record, text } from "./json-fields.js";

/** GitHub's documented cap on the commits a push payload lists. */
export const MAX_PAYLOAD_COMMITS = 2048;

const PushWebhookSchema = record({
  ref: text,
  before: text,
  after: text,
  created: flag,
  deleted: flag,
  forced: flag,
  commits: list(record({ id: text })),
  pusher: record({ name: text }),
  base_ref: text,
  repository: record({
    name: text,
    default_branch: text,
    // The older name some payloads still carry.
    master_branch: text,
    owner: record({ login: text, name: text }),
  }),
  installation: record({ id: count }),
});
export type PushWebhook = v.InferOutput<typeof PushWebhookSchema>;

export function pickPushPayload(payload: unknown): PushJobPayload {
  const p = read(PushWebhookSchema, payload);
  const { repository, repository: { owner } } = p;
  return {
    ref: p.ref ?? "",
    before: p.before ?? "",
    after: p.after ?? "",
    created: p.created,
    deleted: p.deleted,
    forced: p.forced,
    commits: p.commits
      .map((c) => c.id)
      .filter((id): id is string => id !== null)
      .slice(0, MAX_PAYLOAD_COMMITS),
    pusher: p.pusher.name,
    defaultBranch: repository.default_branch ?? repository.master_branch,
    baseRef: p.base_ref,
    owner: owner.login ?? owner.name ?? "",
    repo: repository.name ?? "",
    installationId: p.installation.id,
  };
}
