// The one GitHub client every GitHub call goes through. It is Probot's Octokit: the same plugins
// (typed REST methods from Octokit's OpenAPI types, pagination, `request`, the config plugin that
// reads .github/crisp-guard.yml, retry, and throttling of GitHub's rate limits), so the app's
// installation clients from Probot and the CLI's from a token are one type and behave alike.
// Probot itself is not loaded here: the CLI and the Action (which must not bundle Probot) use it.
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { config } from "@probot/octokit-plugin-config";

/** Probot's Octokit without Probot's app auth and request logging (probot/lib/octokit/probot-octokit.js). */
export const GitHubOctokit = Octokit.plugin(throttling, retry, paginateRest, restEndpointMethods, config);

export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/**
 * How often a rate-limited request is retried before it fails. GitHub asks callers to wait out
 * `retry-after` (REST docs, "Rate limits"); a CLI run should end rather than wait for ever.
 */
export const RATE_LIMIT_RETRIES = 2;

export interface GitHubClientOptions {
  /** A token that may do what the caller needs (the CLI: GITHUB_TOKEN). Kept in memory only. */
  token?: string;
  /** The REST API root; GitHub.com's when unset (Enterprise Server: https://HOST/api/v3). */
  baseUrl?: string;
  userAgent?: string;
  /** Off in tests, which would otherwise wait out the backoffs. */
  retry?: boolean;
  /** GitHub's `retry-after` counts seconds; tests shrink the unit so a retried limit is quick. */
  retryAfterUnitMs?: number;
  /** Where Octokit's warnings go (default: the console's). */
  log?: { debug(message: string): void; info(message: string): void; warn(message: string): void; error(message: string): void };
}

/** A client for a token, with the plugins the app's installation clients have. */
export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const retrying = options.retry ?? true;
  const onLimit = (_after: number, _request: unknown, _octokit: unknown, retryCount: number): boolean =>
    retrying && retryCount < RATE_LIMIT_RETRIES;
  return new GitHubOctokit({
    ...(options.token ? { auth: options.token } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.log ? { log: options.log } : {}),
    retry: { enabled: retrying },
    throttle: {
      enabled: retrying,
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      ...(options.retryAfterUnitMs !== undefined ? { retryAfterBaseValue: options.retryAfterUnitMs } : {}),
    },
  });
}
