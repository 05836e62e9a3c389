// Public face of rotate/: what the pipeline, the app, the CLI and the lifecycle call.
export type { Leak, Rotator, RotateWhen } from "./types.js";
export {
  loadServerConfig,
  parseServerConfig,
  enabledRotators,
  ServerConfigError,
  type ServerConfig,
  type RotatorSettings,
  type RotateDefaults,
  type GithubIssueSettings,
  type WebhookSettings,
  type CommandSettings,
  type ModuleSettings,
} from "./server-config.js";
export {
  createRotators,
  runRotators,
  serializeContentRotators,
  rotateChoice,
  RotatorSelectionError,
  DEFAULT_ROTATOR_TIMEOUT_MS,
  type RotatorDeps,
  type RunOptions,
} from "./registry.js";
// The rotation decision lives with the rest of a secret's life.
export { shouldRotate } from "../lifecycle/states.js";
export {
  githubIssueRotator,
  openOrUpdateLeakIssue,
  findLeakIssue,
  closeLeakIssue,
  leakIssueTitle,
  leakIssueBody,
  leakIssueMarker,
  LEAK_LABEL,
} from "./github-issue.js";
export { webhookRotator, signBody, verifySignature, SIGNATURE_HEADER } from "./webhook.js";
export { commandRotator } from "./command.js";
export { moduleRotator, loadModuleRotator, ModuleRotatorError } from "./module.js";
export { noopRotator } from "./noop.js";
export { buildLeakEvent, type LeakEvent } from "./event.js";
