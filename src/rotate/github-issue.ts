import type { Occurrence, RotationOutcome, Tier } from "../detect/types.js";
import { markdownCode, markdownText } from "../escape/markdown.js";
import { occurrenceLinks, type GithubLinks } from "./links.js";
import type { GitHubClient } from "../github/client.js";
import { GITHUB_LOGIN, repositoryName, type RepoRef } from "../github/repository.js";
import type { GithubIssueSettings } from "./server-config.js";
import type { Leak, RotationAttempt, Rotator } from "./types.js";

// The github-issue rotator: Crisp cannot roll a token by API, so the owner is asked to, in an issue
// that says exactly where the secret is and how to roll it. One open issue per secret: a later
// sighting comments on it. The lifecycle closes it (closeLeakIssue) once the key is dead.

/** Every leak issue carries it; it is how open leak issues are listed again. */
export const LEAK_LABEL = "crisp-guard";
/** Open leak issues are listed 100 a page (GitHub's maximum); 10 pages = 1,000 open leak issues. */
export const ISSUES_PER_PAGE = 100;
export const MAX_ISSUE_PAGES = 10;

export interface GithubIssueDeps extends GithubLinks {
  /** An Octokit allowed to write issues in that repository (the app: the installation's). */
  octokitFor: (repository: RepoRef) => Promise<GitHubClient> | GitHubClient;
}

export interface LeakIssueOptions extends GithubLinks {
  labels?: string[];
  assignees?: string[];
  signal?: AbortSignal;
  /**
   * The rotation attempt (rotate/attempts.ts): its id is hidden in what this call writes, and a
   * resumed attempt first looks for what an earlier run of it wrote before the process died.
   */
  attempt?: RotationAttempt;
}

export interface LeakIssueResult {
  number: number;
  url: string;
  created: boolean;
  /** Logins we asked to assign but GitHub refused (422); empty when all went through. */
  unassigned: string[];
}

export function githubIssueRotator(settings: GithubIssueSettings, deps: GithubIssueDeps): Rotator {
  return {
    name: "github-issue",
    async rotate(leak, signal): Promise<RotationOutcome> {
      const target = settings.repository ?? leak.repository;
      if (!target) {
        return { status: "failed", detail: "github-issue: no repository to open the issue in (set rotators.github-issue.repository)" };
      }
      const where = repositoryName(target);
      try {
        const octokit = await deps.octokitFor(target);
        const r = await openOrUpdateLeakIssue(octokit, target, leak, {
          labels: settings.labels,
          assignees: settings.assignees,
          githubUrl: deps.githubUrl,
          signal,
          ...(leak.attempt ? { attempt: leak.attempt } : {}),
        });
        const note = r.unassigned.length ? ` (could not assign ${r.unassigned.map((l) => `@${l}`).join(", ")})` : "";
        const detail = r.created ? `opened issue ${where}#${r.number}${note}` : `commented on open issue ${where}#${r.number}`;
        return { status: "requested", detail, url: r.url };
      } catch (err) {
        return { status: "failed", detail: `github-issue ${where}: ${describeError(err)}` };
      }
    },
  };
}

/** Opens the leak issue in `target`, or comments on the open one for this fingerprint. */
export async function openOrUpdateLeakIssue(
  octokit: GitHubClient,
  target: RepoRef,
  leak: Leak,
  options: LeakIssueOptions = {},
): Promise<LeakIssueResult> {
  const request = options.signal ? { signal: options.signal } : undefined;
  const attempt = options.attempt;
  const existing = await findLeakIssue(octokit, target, leak.fingerprint, options.signal);
  if (existing) {
    const mine = attempt ? attemptMarker(attempt.id) : null;
    // The issue this very attempt opened before the process died: it is the new issue, not a re-sighting.
    if (mine && attempt?.resumed && existing.body.includes(mine)) {
      return { number: existing.number, url: existing.url, created: true, unassigned: [] };
    }
    if (!(mine && attempt?.resumed && (await hasCommentWith(octokit, target, existing.number, mine, options.signal)))) {
      const body = leakSeenAgainComment(leak, options);
      await octokit.rest.issues.createComment({
        ...target,
        issue_number: existing.number,
        body: mine ? `${mine}\n${body}` : body,
        request,
      });
    }
    return { number: existing.number, url: existing.url, created: false, unassigned: [] };
  }
  const labels = unique([LEAK_LABEL, ...(options.labels ?? [])]);
  const assignees = unique([...(leak.pusher ? [leak.pusher] : []), ...(options.assignees ?? [])]).filter(assignable);
  const body = leakIssueBody(leak, options);
  // The attempt's marker after the fingerprint's, so a resumed attempt knows this issue as its own.
  const marked = attempt ? body.replace("\n", `\n${attemptMarker(attempt.id)}\n`) : body;
  const issue = { ...target, title: leakIssueTitle(leak), body: marked, labels, request };
  try {
    const { data } = await octokit.rest.issues.create(assignees.length ? { ...issue, assignees } : issue);
    return { number: data.number, url: data.html_url, created: true, unassigned: [] };
  } catch (err) {
    // 422: someone in assignees cannot be assigned here (no access to a security repository, say).
    if (!assignees.length || status(err) !== 422) throw err;
    const { data } = await octokit.rest.issues.create(issue);
    return { number: data.number, url: data.html_url, created: true, unassigned: assignees };
  }
}

/** The open leak issue for this fingerprint, found by its hidden marker among the labelled issues. */
export async function findLeakIssue(
  octokit: GitHubClient,
  repository: RepoRef,
  fingerprint: string,
  signal?: AbortSignal,
): Promise<{ number: number; url: string; body: string } | null> {
  const marker = leakIssueMarker(fingerprint);
  for (let page = 1; page <= MAX_ISSUE_PAGES; page++) {
    const { data } = await octokit.rest.issues.listForRepo({
      ...repository,
      state: "open",
      labels: LEAK_LABEL,
      per_page: ISSUES_PER_PAGE,
      page,
      ...(signal ? { request: { signal } } : {}),
    });
    for (const issue of data) {
      if (!issue.pull_request && issue.body?.includes(marker)) {
        return { number: issue.number, url: issue.html_url, body: issue.body };
      }
    }
    if (data.length < ISSUES_PER_PAGE) break;
  }
  return null;
}

/** For the lifecycle: the key is dead, say so and close the issue as completed. */
export async function closeLeakIssue(
  octokit: GitHubClient,
  repository: RepoRef,
  issueNumber: number,
  comment: string,
): Promise<void> {
  if (comment.trim()) {
    await octokit.rest.issues.createComment({ ...repository, issue_number: issueNumber, body: comment });
  }
  await octokit.rest.issues.update({ ...repository, issue_number: issueNumber, state: "closed", state_reason: "completed" });
}

export function leakIssueMarker(fingerprint: string): string {
  return `<!-- crisp-guard:fingerprint=${fingerprint} -->`;
}

/** Hidden in the issue or comment a rotation attempt writes (ids are UUIDs: nothing to escape). */
export function attemptMarker(attemptId: string): string {
  return `<!-- crisp-guard:attempt=${attemptId.replace(/[^\w-]/g, "")} -->`;
}

/** Comments on an issue hold one with the marker (a resumed attempt's "found again" already posted). */
async function hasCommentWith(
  octokit: GitHubClient,
  repository: RepoRef,
  issueNumber: number,
  marker: string,
  signal?: AbortSignal,
): Promise<boolean> {
  for (let page = 1; page <= MAX_ISSUE_PAGES; page++) {
    const { data } = await octokit.rest.issues.listComments({
      ...repository,
      issue_number: issueNumber,
      per_page: ISSUES_PER_PAGE,
      page,
      ...(signal ? { request: { signal } } : {}),
    });
    if (data.some((c) => c.body?.includes(marker))) return true;
    if (data.length < ISSUES_PER_PAGE) return false;
  }
  return false;
}

export function leakIssueTitle(leak: Leak): string {
  return `Leaked Crisp token keypair ${leak.keypair.redacted}`;
}

export function leakIssueBody(leak: Leak, options: GithubLinks = {}): string {
  const tier = leakTier(leak);
  const repo = leak.repository ? repositoryName(leak.repository) : null;
  const facts = [
    `- **Keypair:** ${code(leak.keypair.redacted)} (fingerprint ${code(leak.fingerprint)})`,
    `- **Tier:** ${tier ? `${tier} token` : "not known (website or plugin)"}`,
    `- **Verification:** ${verificationLine(leak)}`,
  ];
  if (leak.websiteId) facts.push(`- **Website id:** ${code(leak.websiteId)}`);
  if (leak.pusher && assignable(leak.pusher)) facts.push(`- **Pushed by:** @${leak.pusher}`);
  return [
    leakIssueMarker(leak.fingerprint),
    `A Crisp API token keypair was found${repo ? ` in ${code(repo)}` : ""}. Anyone who can read ${repo ? "this repository" : "where it was found"} can use it until the token is rolled.`,
    "",
    ...facts,
    "",
    "### Where it occurs",
    ...occurrenceLines(leak, options),
    "",
    "### Roll the token now",
    rollRunbook(tier, leak.websiteId),
    "",
    "### Removing it from git history does not make it safe",
    "The keypair has been pushed: clones, forks, caches and anyone who fetched it keep a copy. Deleting the file, amending, force-pushing or rewriting history (git filter-repo, BFG) does not revoke it. Roll the token first; cleaning the history afterwards is optional.",
    "",
    "---",
    "_Opened by crisp-guard. It checks the old token again over the next days and closes this issue once Crisp refuses it._",
  ].join("\n");
}

export function leakSeenAgainComment(leak: Leak, options: GithubLinks = {}): string {
  const by = leak.pusher && assignable(leak.pusher) ? ` in a push by @${leak.pusher}` : "";
  return [
    `This keypair (${code(leak.keypair.redacted)}) was found again${by}. Verification: ${verificationLine(leak)}.`,
    "",
    "### Where it occurs",
    ...occurrenceLines(leak, options),
    "",
    "Roll the token if that has not been done yet: the steps are in the issue above.",
  ].join("\n");
}

// ---- body parts --------------------------------------------------------------------------------

/** Crisp's own menus (DESIGN.md "Crisp API facts"): no API rolls a token, the owner does it by hand. */
const WEBSITE_STEPS = (websiteId: string | null) =>
  [
    `1. Sign in to the Crisp app (https://app.crisp.chat) as an owner of the workspace${websiteId ? ` with website id ${code(websiteId)}` : ""}.`,
    "2. Open **Settings > Workspace Settings > Advanced configuration**.",
    "3. Roll the API token there. The old token stops working at once.",
    "4. Put the new token in your secret store and update every service that used the old one.",
  ].join("\n");

const PLUGIN_STEPS = [
  "1. Sign in to the Crisp Marketplace dashboard (https://marketplace.crisp.chat).",
  "2. Open **your plugin > Tokens**.",
  "3. Roll the token that leaked (production or development). The old token stops working at once.",
  "4. Put the new token in your secret store and update every service that used the old one.",
].join("\n");

export function rollRunbook(tier: Tier | null, websiteId: string | null): string {
  if (tier === "website") return `This is a website token.\n\n${WEBSITE_STEPS(websiteId)}`;
  if (tier === "plugin") return `This is a plugin token.\n\n${PLUGIN_STEPS}`;
  return [
    "It is not known whether this is a website token or a plugin token: roll it where it was issued.",
    "",
    "#### If it is a website token",
    WEBSITE_STEPS(websiteId),
    "",
    "#### If it is a plugin token",
    PLUGIN_STEPS,
  ].join("\n");
}

function leakTier(leak: Leak): Tier | null {
  return leak.verification.tier ?? leak.tier;
}

function verificationLine(leak: Leak): string {
  const v = leak.verification;
  const what: Record<string, string> = {
    live: "**live**: Crisp accepted it",
    dead: "dead: Crisp refused it",
    unknown: "could not be checked",
    unverified: "not checked",
  };
  const when = v.checkedAt ? ` at ${v.checkedAt}` : "";
  return `${what[v.status] ?? v.status}${v.reason ? ` (${plain(v.reason)})` : ""}${when}`;
}

function occurrenceLines(leak: Leak, options: GithubLinks): string[] {
  if (!leak.occurrences.length) return ["- (no location recorded)"];
  return leak.occurrences.map((o) => occurrenceLine(leak.repository, o, options));
}

function occurrenceLine(repo: RepoRef | null, o: Occurrence, options: GithubLinks): string {
  const place = code(`${o.path}:${o.line}`);
  const links = occurrenceLinks(repo, o, options);
  const encoded = o.encoding === "plain" ? "" : ` (${o.encoding}-encoded)`;
  if (!o.commit) return `- ${place}${encoded}`;
  const sha = code(o.commit.slice(0, 7));
  if (!links) return `- ${place}${encoded} in commit ${sha}`;
  return `- [${place}](<${links.url}>)${encoded} in commit [${sha}](<${links.commitUrl}>)`;
}

/** Text from a repository (paths) goes in code spans that nothing in it can close (escape/markdown). */
const code = markdownCode;

/** A short reason string in prose: no Markdown, HTML, links or mentions. */
const plain = markdownText;

/** The pusher and configured logins; a bot (`name[bot]`) cannot be assigned. */
function assignable(login: string): boolean {
  return GITHUB_LOGIN.test(login);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function status(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === "number" ? s : undefined;
}

function describeError(err: unknown): string {
  const s = status(err);
  const message = err instanceof Error ? err.message.split("\n")[0]!.slice(0, 200) : String(err);
  return s ? `GitHub answered HTTP ${s}: ${message}` : message;
}
