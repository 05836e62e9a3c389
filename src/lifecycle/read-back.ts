// A re-check needs the keypair, and the store never holds it: read it again from the repository at
// a recorded occurrence (commit, path) through the installation's Octokit, run the detector on that
// file, and take the candidate with the same fingerprint.
import { detect } from "../detect/index.js";
import type { Candidate } from "../detect/types.js";
import type { GitHubClient } from "../github/client.js";
import { parseRepository } from "../github/repository.js";
import type { OccurrenceRow } from "../store/types.js";

/**
 * Places tried per re-check before giving up. Every copy of a secret names the same keypair, so a
 * few readable places suffice; the bound keeps a secret seen in hundreds of commits from costing
 * hundreds of GitHub requests on every re-check.
 */
export const MAX_PLACES_READ = 5;

/** GitHub answers that mean the place is gone for good (not found, gone, bad ref, legal takedown). */
const GONE_STATUSES: ReadonlySet<number> = new Set([404, 410, 422, 451]);

export interface ReadBack {
  candidate: Candidate;
  /** Every website id in the file: for the website-tier check. */
  websiteIds: string[];
  /** Where it was read. */
  place: { repository: string; commit: string; path: string };
}

export interface ReadFailure {
  repository: string;
  commit: string | null;
  path: string;
  status: number | null;
  /** Why, in words that never hold a secret (GitHub's status and message, or ours). */
  reason: string;
  /** True when the place is gone for good; false when another try later may work (5xx, rate limit). */
  permanent: boolean;
}

export type ReadResult = { found: ReadBack; failures: ReadFailure[] } | { found: null; failures: ReadFailure[] };

function statusOf(error: unknown): number | null {
  const s = (error as { status?: unknown } | null)?.status;
  return typeof s === "number" ? s : null;
}

/** Distinct (repository, commit, path) places, newest recorded first: the likeliest still to exist. */
export function placesToRead(occurrences: readonly OccurrenceRow[]): OccurrenceRow[] {
  const seen = new Set<string>();
  const out: OccurrenceRow[] = [];
  for (const o of [...occurrences].reverse()) {
    const key = `${o.repository}\n${o.commit ?? ""}\n${o.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(o);
  }
  return out;
}

async function fileText(octokit: GitHubClient, owner: string, repo: string, path: string, ref: string): Promise<string> {
  const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
  if (Array.isArray(data) || data.type !== "file") {
    throw Object.assign(new Error(`${path} is not a file at ${ref}`), { status: 404 });
  }
  if ("content" in data && data.encoding === "base64" && data.content) {
    return Buffer.from(data.content, "base64").toString("utf8");
  }
  // Files of 1-100 MB come without content (encoding "none"): their blob still has it.
  const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: data.sha });
  return Buffer.from(blob.data.content, blob.data.encoding === "base64" ? "base64" : "utf8").toString("utf8");
}

/**
 * Reads the keypair named by `fingerprint` back from the first readable recorded place.
 * `octokitFor` is given "owner/repo" and may throw (app uninstalled: a permanent failure when the
 * error carries 404). Never throws itself: every failure is returned in `failures`.
 */
export async function readKeypairBack(
  fingerprint: string,
  occurrences: readonly OccurrenceRow[],
  octokitFor: (repository: string) => Promise<GitHubClient>,
): Promise<ReadResult> {
  const failures: ReadFailure[] = [];
  const places = placesToRead(occurrences);
  if (places.length === 0) {
    failures.push({ repository: "", commit: null, path: "", status: null, reason: "no recorded place", permanent: true });
  }
  for (const o of places.slice(0, MAX_PLACES_READ)) {
    const base = { repository: o.repository, commit: o.commit ?? null, path: o.path };
    const ref = parseRepository(o.repository);
    if (!o.commit || !ref) {
      failures.push({ ...base, status: null, reason: "not recorded from a GitHub commit", permanent: true });
      continue;
    }
    try {
      const octokit = await octokitFor(o.repository);
      const text = await fileText(octokit, ref.owner, ref.repo, o.path, o.commit);
      const result = detect(text, { path: o.path });
      const candidate = result.candidates.find((c) => c.fingerprint === fingerprint);
      if (candidate) {
        return { found: { candidate, websiteIds: result.websiteIds, place: { ...base, commit: o.commit } }, failures };
      }
      failures.push({ ...base, status: null, reason: "the file no longer holds this keypair", permanent: true });
    } catch (error) {
      const status = statusOf(error);
      const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : String(error);
      failures.push({
        ...base,
        status,
        reason: status === null ? message : `GitHub answered HTTP ${status}: ${message}`,
        permanent: status !== null && GONE_STATUSES.has(status),
      });
    }
  }
  return { found: null, failures };
}

/** One line for the store's note and the comment: how many places failed, and the first reason. */
export function describeFailures(failures: readonly ReadFailure[]): string {
  const first = failures[0];
  if (!first) return "no recorded place to read the keypair from";
  const where = first.path ? `${first.repository}:${first.path}${first.commit ? `@${first.commit.slice(0, 7)}` : ""}` : "";
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more place${failures.length > 2 ? "s" : ""})` : "";
  return `keypair no longer readable: ${where ? `${where}: ` : ""}${first.reason}${more}`;
}
