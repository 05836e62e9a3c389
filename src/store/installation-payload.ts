// Checks an installation-wide request before it is stored. Unlike a webhook payload, it is written
// by this app (the installation handler, the CLI), so a wrong shape is a bug: refused, not read as
// absent. Only the request's own fields are kept.
import * as v from "valibot";
import { scrubText } from "./scrub.js";
import type { InstallationJobPayload } from "./types.js";

const name = v.pipe(v.string(), v.minLength(1));

const InstallationJobSchema = v.object({
  installationId: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  account: v.nullable(name),
  repositories: v.nullable(v.array(v.object({ owner: name, repo: name }))),
  force: v.boolean(),
  trigger: name,
});

/** The payload as an InstallationJobPayload; throws (naming the wrong fields, never their values) otherwise. */
export function checkInstallationPayload(payload: unknown): InstallationJobPayload {
  const result = v.safeParse(InstallationJobSchema, payload);
  if (!result.success) {
    // The issues' paths only: valibot's messages quote the value received, which is not ours to log.
    const fields = [...new Set(result.issues.map((issue) => v.getDotPath(issue) ?? "(payload)"))].join(", ");
    throw new Error(`store: an installation delivery's payload is not an InstallationJobPayload (${fields})`);
  }
  const p = result.output;
  // The trigger is free text (a CLI may pass one): redacted like every other free-text column.
  return { ...p, trigger: scrubText(p.trigger) };
}
