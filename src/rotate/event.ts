import type { Encoding, RawKeypair, Tier, Verification } from "../detect/types.js";
import { repositoryName } from "../github/repository.js";
import { occurrenceLinks, repositoryUrl, type GithubLinks } from "./links.js";
import type { Leak } from "./types.js";

// The event handed to webhook and command rotators. This module is the only one in rotate/ that
// calls Keypair.reveal(), and only when the operator set includeKeypair.

export const LEAK_EVENT = "crisp-guard.leak";
/** Bumped only on a breaking change to the event's shape; receivers can check it. */
export const LEAK_EVENT_VERSION = 1;

export interface LeakEventOccurrence {
  path: string;
  line: number;
  column: number;
  commit?: string;
  date?: string;
  encoding: Encoding;
  /** The file at that commit and line, when the repository and commit are known. */
  url?: string;
  commitUrl?: string;
}

export interface LeakEvent {
  event: typeof LEAK_EVENT;
  version: typeof LEAK_EVENT_VERSION;
  fingerprint: string;
  /** Redacted: first 8 characters and "…". */
  identifier: string;
  keyHint: string;
  tier: Tier | null;
  websiteId: string | null;
  verification: Verification;
  occurrences: LeakEventOccurrence[];
  repository: { owner: string; repo: string; fullName: string; url: string } | null;
  pusher: string | null;
  /**
   * The app's rotation attempt: `id` is the same on every retry of this request, a restart of the app
   * included (the webhook sends it as X-Crisp-Guard-Delivery): an idempotency key. Absent from the CLI.
   */
  attempt?: { id: string; resumed: boolean };
  /** Present only when the server config sets includeKeypair: true. */
  keypair?: RawKeypair;
}

export interface LeakEventOptions extends GithubLinks {
  includeKeypair: boolean;
}

export function buildLeakEvent(leak: Leak, options: LeakEventOptions): LeakEvent {
  const repo = leak.repository;
  const event: LeakEvent = {
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
      const out: LeakEventOccurrence = { path: o.path, line: o.line, column: o.column, encoding: o.encoding };
      if (o.commit) out.commit = o.commit;
      if (o.date) out.date = o.date;
      const links = occurrenceLinks(repo, o, options);
      if (links) Object.assign(out, links);
      return out;
    }),
    repository: repo
      ? {
          owner: repo.owner,
          repo: repo.repo,
          fullName: repositoryName(repo),
          url: repositoryUrl(repo, options),
        }
      : null,
    pusher: leak.pusher,
  };
  if (leak.attempt) event.attempt = { id: leak.attempt.id, resumed: leak.attempt.resumed };
  if (options.includeKeypair) event.keypair = leak.keypair.reveal();
  return event;
}
