// An example module rotator for crisp-guard: appends one JSON line per leak to a file, for a
// team that picks leaks up from a log shipper or a cron job. It writes redacted facts only: the
// fingerprint, the redacted identifier and key hint, the tier and where the secret occurs.
//
// Server config (CRISP_GUARD_CONFIG):
//   rotators:
//     module: { path: ./rotators/log-to-file.mjs, settings: { file: /var/log/crisp-guard/leaks.jsonl } }
import { appendFile } from "node:fs/promises";

/** A factory: crisp-guard calls it once with `settings` from the server config. */
export default function logToFile(settings) {
  if (typeof settings.file !== "string" || settings.file === "") {
    throw new Error("settings.file is required: the file to append leaks to");
  }
  return {
    name: "log-to-file",
    async rotate(leak, signal) {
      // leak.keypair.reveal() would give the raw halves; this rotator never needs them.
      const line = {
        at: new Date().toISOString(),
        fingerprint: leak.fingerprint,
        keypair: leak.keypair.redacted,
        tier: leak.verification.tier ?? leak.tier,
        verification: leak.verification.status,
        repository: leak.repository ? `${leak.repository.owner}/${leak.repository.repo}` : null,
        pusher: leak.pusher,
        occurrences: leak.occurrences.map((o) => ({ path: o.path, line: o.line, commit: o.commit ?? null })),
      };
      await appendFile(settings.file, JSON.stringify(line) + "\n", { signal });
      return { status: "requested", detail: `logged to ${settings.file}` };
    },
  };
}
