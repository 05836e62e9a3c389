// Probot for tests: its Octokit with retries and throttling off (a test sees each answer once, at
// once), an app key made at run time, and a Probot built from both.
import { generateKeyPairSync } from "node:crypto";
import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";

/** The function form: the object form would leave throttling on (Probot merges it deeply). */
export const TestOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

let cachedKey: string | null = null;
/** An RSA key made at test time: Probot signs its app JWT with it. */
export function privateKey(): string {
  cachedKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return cachedKey;
}

/** App 1 with the test key and TestOctokit, logging to `log`. */
export function testProbot(log: Logger): Probot {
  return new Probot({ appId: 1, privateKey: privateKey(), Octokit: TestOctokit, log, secret: "test-secret" });
}
