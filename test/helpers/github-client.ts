// The app's one GitHub client (src/github/client.ts) as tests use it: retries and throttling off,
// so an error answer fails at once instead of waiting out backoffs, and warnings silenced.
import { createGitHubClient, type GitHubClient } from "../../src/github/client.js";

export const silentOctokitLog = { debug() {}, info() {}, warn() {}, error() {} };

/** A client for a fake GitHub (baseUrl) or for nock on api.github.com (no baseUrl). */
export function testGitHubClient(options: { baseUrl?: string; token?: string } = {}): GitHubClient {
  return createGitHubClient({ token: options.token ?? "ghs_test", baseUrl: options.baseUrl, retry: false, log: silentOctokitLog });
}
