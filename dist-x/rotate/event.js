import { occurrenceLinks, repositoryUrl } from "./links.js";
// The event handed to webhook and command rotators. This module is the only one in rotate/ that
// calls Keypair.reveal(), and only when the operator set includeKeypair.
export const LEAK_EVENT = "crisp-guard.leak";
/** Bumped only on a breaking change to the event's shape; receivers can check it. */
export const LEAK_EVENT_VERSION = 1;
export function buildLeakEvent(leak, options) {
    const repo = leak.repository;
    const event = {
        event: LEAK_EVENT,
        version: LEAK_EVENT_VERSION,
        fingerprint: leak.fingerprint,
        identifier: leak.keypair.redactedIdentifier,
        keyHint: leak.keypair.keyHint,
        tier: leak.verification.tier ?? leak.tier,
        websiteId: leak.websiteId,
        verification: { ...leak.verification },
        occurrences: leak.occurrences.map((o) => {
            // The author is left out: a name or e-mail is personal data the receiver seldom needs.
            const out = { path: o.path, line: o.line, column: o.column, encoding: o.encoding };
            if (o.commit)
                out.commit = o.commit;
            if (o.date)
                out.date = o.date;
            const links = occurrenceLinks(repo, o, options);
            if (links)
                Object.assign(out, links);
            return out;
        }),
        repository: repo
            ? {
                owner: repo.owner,
                repo: repo.repo,
                fullName: `${repo.owner}/${repo.repo}`,
                url: repositoryUrl(repo, options),
            }
            : null,
        pusher: leak.pusher,
    };
    if (leak.attempt)
        event.attempt = { id: leak.attempt.id, resumed: leak.attempt.resumed };
    if (options.includeKeypair)
        event.keypair = leak.keypair.reveal();
    return event;
}
//# sourceMappingURL=event.js.map